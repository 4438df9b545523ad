"""The table of actions on an assessment's page, made from the declarations of
`secassure.code.workflow`: one row per declared action, each with its own URL and exactly one
service call.

A row is its declaration: who may take it and at which stage (`workflow.available`), whether
the page offers it on this assessment (`workflow.offered`, over the facts the page already
read), its form (`forms.action_form`), its service (`services.performer`), its clause (the G9
counterpart on the DCC's own assessments) and the message after it. Nothing here is written
per action: an action declared with a `page` slug appears here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from secassure.code.classification import PARTY_SIDE
from secassure.code.workflow import ACTIONS as DECLARED
from secassure.code.workflow import Act, Declaration, Rule, available, offered
from secassure.core.visibility import person_kind

from .. import forms, selectors, services
from ..models import Assessment, Decision, RemediationPlan

#: The kinds of record a per-record action is taken on, where the page offers it, and where
#: the action's address finds it (always through `visible_to`).
APPEALABLE = (Decision.Kind.ASSURANCE_STATUS, Decision.Kind.DCC_OUTCOME,
              Decision.Kind.APPEAL_DETERMINED)  # the Panel's on the DCC's appeal (G9.33)
TARGETS = {
    "finding": lambda user, a, pk: selectors.findings(user).filter(assessment=a, pk=pk),
    "plan": lambda user, a, pk: selectors.remediation_plans(user).filter(
        assessment=a, pk=pk, status=RemediationPlan.Status.SUBMITTED),
    "decision": lambda user, a, pk: selectors.decisions(user).filter(
        assessment=a, pk=pk, kind__in=APPEALABLE),
}
#: The records each per-record action is offered on, and the attribute the page reads.
OFFERED = {
    "finding": (lambda r: r.findings, "evidence_panel"),
    "plan": (lambda r: [p for p in r.plans if p.status == RemediationPlan.Status.SUBMITTED],
             "decide_panel"),
    "decision": (lambda r: [d for d in r.decisions if d.kind in APPEALABLE
                            and not d.visible_appeals
                            and (d.kind != Decision.Kind.APPEAL_DETERMINED
                                 or d.body == Decision.Body.PANEL)], "appeal_panel"),
}


@dataclass(frozen=True)
class Action:
    """One declared action as the assessment's page offers it."""

    declaration: Declaration

    @property
    def act(self) -> Act:
        return self.declaration.act

    @property
    def slug(self) -> str:
        return self.declaration.page

    @property
    def rule(self) -> Rule:
        return self.declaration.rule

    @property
    def target(self) -> str:
        """The kind of record the action is taken on, if not the assessment itself."""
        subject = self.declaration.subject
        return "" if subject == "assessment" else subject

    @property
    def label(self) -> str:
        return self.declaration.button or self.declaration.label

    @property
    def note(self) -> str:
        return self.declaration.note

    @property
    def template(self) -> str:
        return forms.template(self.declaration)

    def url(self, assessment: Assessment, target: Any = None) -> str:
        args = [assessment.pk, self.slug] + ([target.pk] if target is not None else [])
        return reverse("assessment-act", args=args)

    def form(self, assessment: Assessment, record: Any, data: Any = None, files: Any = None,
             add_row_to: int | None = None) -> Any:
        return forms.action_form(self.declaration, forms.Context(assessment, record), data,
                                 files, add_row_to)

    def run(self, user: Any, assessment: Assessment, form: Any, target: Any = None) -> Any:
        """The one service call, on the record of the address or the assessment."""
        service = services.performer(self.act)
        return service(user, target if self.target else assessment, **form.service_data())

    def done(self, form: Any, result: Any) -> str:
        return self.declaration.message(form.service_data(), result)


ACTIONS: list[Action] = [Action(d) for d in DECLARED.values()
                         if d.page and d.subject != "party"]  # booking has its own page
BY_SLUG = {action.slug: action for action in ACTIONS}


@dataclass
class Panel:
    """One action's form on the page: where it posts, and the clause shown by its button."""

    action: Action
    form: Any
    url: str
    error: str = ""
    target: int | None = None
    clause: str = ""

    def __post_init__(self) -> None:
        self.clause = self.clause or self.action.rule.clause

    @property
    def anchor(self) -> str:
        return f"act-{self.action.slug}" + (f"-{self.target}" if self.target else "")


def panels(user: Any, assessment: Assessment, record: Any, failed: Panel | None = None,
           target: int | None = None) -> list[Panel]:
    """The forms of the actions this person may take on this assessment now. Per-record
    forms are attached to their record (`finding.evidence_panel`, ...)."""
    kind = person_kind(user)
    acts = set(available(kind, assessment.stage_enum, services.delegated_to(kind)))
    if kind in PARTY_SIDE and user.party_id != assessment.party_id:
        acts = set()  # a Shared Resource User reads its provider's record, it does not act
    facts = services.facts_of(assessment, record)
    shown = []
    for action in ACTIONS:
        if action.act not in acts or not offered(action.act, facts):
            continue
        clause = action.declaration.clause_for(assessment.is_dcc)
        again = failed if failed is not None and failed.action is action else None
        if not action.target:
            shown.append(again or Panel(action, action.form(assessment, record),
                                        action.url(assessment), clause=clause))
            continue
        records, attr = OFFERED[action.target]
        for obj in records(record):
            setattr(obj, attr, again if again and target == obj.pk else Panel(
                action, action.form(assessment, record), action.url(assessment, obj),
                target=obj.pk, clause=clause))
    return shown


def target_of(action: Action, user: Any, assessment: Assessment, pk: int) -> QuerySet:
    """The record of a per-record action's address, among those `user` may see."""
    return TARGETS[action.target](user, assessment, pk)
