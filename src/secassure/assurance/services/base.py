"""What every assurance service shares: the permission check, the lock, the journal entry.

Public to the services of this package; views, the API and the command line import what they
need from `secassure.assurance.services` itself."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from secassure.core.visibility import person_kind
from secassure.code.classification import Classification
from secassure.code.workflow import PARTY_SIDE, RULES, Act, Rule, Stage, WorkflowError, check
from secassure.core.journal.services import record

from ..models import Assessment, Category, Decision


class AssuranceError(ValueError):
    """Input the Code does not allow (a missing answer, a missing date, a wrong clause...)."""


def today():
    return timezone.localdate()


def lock(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock, so two people cannot move it at once."""
    return Assessment.objects.select_for_update().select_related("party").get(pk=assessment.pk)


def require_person(user, act: Act, assessment: Assessment) -> Rule:
    """PermissionDenied (HTTP 403) unless `user` is a person who may take `act` on this
    assessment. Services call it first, so the wrong person learns nothing about the input."""
    kind, rule = person_kind(user), RULES[act]
    if kind not in rule.who:
        who = ", ".join(sorted(k.label for k in rule.who))
        raise PermissionDenied(f"{rule.label}: only {who} may do this ({rule.clause}).")
    if kind in PARTY_SIDE and user.party_id != assessment.party_id:
        raise PermissionDenied(f"{rule.label}: only the assessed party's own people may do "
                               f"this ({rule.clause}).")
    return rule


def allow(user, act: Act, assessment: Assessment) -> Rule:
    """The workflow rule, if `user` may take `act` on `assessment` now: PermissionDenied for
    the wrong person (HTTP 403), WorkflowError for the wrong stage (HTTP 409). Call it on the
    locked row."""
    require_person(user, act, assessment)
    return check(act, person_kind(user), Stage(assessment.stage))


def move(assessment: Assessment, rule: Rule, **fields) -> None:
    """Save `fields` and, where the rule moves the stage on, the new stage."""
    if rule.to is not None:
        fields["stage"] = rule.to.value
    for name, value in fields.items():
        setattr(assessment, name, value)
    if fields:
        assessment.save(update_fields=list(fields))


#: The same step of the flow for the DCC's own assessments (G9.19-G9.26).
DCC_CLAUSES = {"G8.22": "G9.19", "G8.23": "G9.20", "G8.24": "G9.21", "G8.27(a)": "G9.24(a)",
               "G8.27(b)": "G9.24(b)", "G8.27": "G9.24", "G8.28": "G9.25",
               "G8.28(b)": "G9.25(b)", "G8.28(b)(i)": "G9.25(b)(i)", "G8.29": "G9.26",
               "G8.40": "G9.3(b)"}


def journal(user, assessment: Assessment, act: Act | str, basis: str, reason: str = "",
            **details) -> None:
    """Journal an action on `assessment`, citing `basis`, the clause it rests on (its G9
    counterpart for the DCC's own assessments)."""
    name = act.value if isinstance(act, Act) else act
    if assessment.is_dcc:
        basis = DCC_CLAUSES.get(basis, basis)
    record(user, f"assurance.{name}", clause=basis, reason=reason, party=assessment.party,
           subject=f"assessment:{assessment.pk}",
           details={"category": assessment.category, "stage": assessment.stage, **details},
           classification=Classification(assessment.classification))


def book_follow_up(assessment: Assessment, by: date) -> Assessment:
    """A Follow-up of `assessment` due `by`, booked with the same assessor and scope."""
    category = Category.DCC_FOLLOW_UP if assessment.is_dcc else Category.FOLLOW_UP
    follow_up = Assessment.objects.create(
        party=assessment.party, category=category, stage=Stage.BOOKED.value,
        follows=assessment, due=by, assessor=assessment.assessor,
        classification=assessment.classification)
    follow_up.roles.set(assessment.roles.all())
    return follow_up


def decide(user, assessment, kind, clause, reason, value="", follow_up_by=None) -> Decision:
    """Record a decision and journal it."""
    if assessment.is_dcc:
        clause = DCC_CLAUSES.get(clause, clause)
    decision = Decision.objects.create(
        assessment=assessment, kind=kind, value=value, clause=clause, reason=reason.strip(),
        effective=today(), follow_up_by=follow_up_by, decided_by=user,
        classification=assessment.classification)
    journal(user, assessment, kind, clause, reason or kind.label, value=value)
    return decision


__all__ = ["AssuranceError", "WorkflowError", "allow", "book_follow_up", "decide", "journal",
           "lock", "move", "require_person", "today"]
