"""Events of Default (G8.54-G8.60; for the DCC G9.34-G9.41)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from secassure.code.classification import PARTY_SIDE, Classification, PersonKind
from secassure.code.clauses import load, normalise_ref
from secassure.code.permissions import Action
from secassure.code.workflow import DEFAULT_STEPS, DefaultStep, default_step_refusal
from secassure.core.journal.services import record
from secassure.core.permissions import require
from secassure.core.retry import retried
from secassure.core.visibility import person_kind
from secassure.registry.models import Party

from .. import notify
from ..models import Assessment, DefaultStepRecord, EventOfDefault
from .base import AssuranceError, WorkflowError, today


def obligations(text: str, dcc: bool) -> str:
    """The obligations named, each an existing clause of G3 to G6 (G2, G4 to G6 for the DCC),
    canonical and comma-separated; AssuranceError naming the first that is not."""
    allowed = ("G2", "G4", "G5", "G6") if dcc else ("G3", "G4", "G5", "G6")
    catalogue, refs = load(), []
    for part in [p for p in text.replace(";", ",").split(",") if p.strip()]:
        try:
            ref = normalise_ref(part)
        except ValueError:
            raise AssuranceError(f"clauses: {part.strip()!r} is not a clause reference") from None
        if ref not in catalogue or catalogue.get(ref).section not in allowed:
            raise AssuranceError(f"clauses: {ref} is not an obligation of "
                                 f"{', '.join(allowed)} (G8.54)")
        refs.append(ref)
    if not refs:
        raise AssuranceError("clauses: name the obligations not complied with")
    return ", ".join(refs)


def _journal(user: Any, eod: EventOfDefault, action: str, clause: str, reason: str) -> None:
    record(user, f"assurance.event_of_default.{action}", clause=clause, reason=reason,
           party=eod.party, subject=f"event_of_default:{eod.pk}",
           details={"clauses": eod.clauses}, classification=Classification.RED)


@retried
def refer_event_of_default(user: Any, party: Party, *, clauses: str, referral: str,
                           assessment: Assessment | None = None) -> EventOfDefault:
    """The SSC, finding actual non-compliance, refers the matter to the Panel (G8.57)."""
    require(user, Action.REFER_EVENT_OF_DEFAULT)
    if not referral.strip():
        raise AssuranceError("referral: set out the non-compliance found and the evidence")
    if assessment is not None and assessment.party_id != party.pk:
        raise AssuranceError("assessment: not an assessment of this party")
    with transaction.atomic():
        eod = EventOfDefault.objects.create(
            party=party, assessment=assessment, clauses=obligations(clauses, party.is_dcc),
            referral=referral.strip(), referred_by=user, referred_on=today())
        _journal(user, eod, "referred", "G9.38" if party.is_dcc else "G8.57", referral[:200])
    transaction.on_commit(lambda: notify.send(
        f"{party.party_id}: possible Event of Default referred to the Panel",
        "The SSC has referred a matter of non-compliance to the Panel (G8.57).",
        notify.people([PersonKind.PANEL_MEMBER, PersonKind.SECAS])))
    return eod


def refer_from_assessment(user: Any, assessment: Assessment, *, clauses: str,
                          referral: str) -> EventOfDefault:
    """Inside a workflow action of the SSC's on `assessment` (its transaction): the matter
    referred to the Panel as a possible Event of Default (G8.57(b): the SSC has the
    assessor's report; G9.38 for the DCC). `clauses` are already checked (`obligations`)."""
    require(user, Action.REFER_EVENT_OF_DEFAULT)
    party = assessment.party
    eod = EventOfDefault.objects.create(
        party=party, assessment=assessment, clauses=clauses, referral=referral,
        referred_by=user, referred_on=today())
    _journal(user, eod, "referred", "G9.38" if party.is_dcc else "G8.57", referral[:200])
    transaction.on_commit(lambda: notify.send(
        f"{party.party_id}: possible Event of Default referred to the Panel",
        "The SSC has referred a matter of non-compliance to the Panel (G8.57).",
        notify.people([PersonKind.PANEL_MEMBER, PersonKind.SECAS])))
    return eod


@retried
def decide_event_of_default(user: Any, eod: EventOfDefault, *, is_event_of_default: bool,
                            reason: str, steps: str = "",
                            affected: Iterable[Party] = ()) -> EventOfDefault:
    """The Panel decides whether it is an Event of Default; if so it notifies the party and
    those affected (G8.58(a)) and determines the steps under M8.4 (G8.58(b))."""
    require(user, Action.DECIDE_EVENT_OF_DEFAULT)
    affected = list(affected)
    if not reason.strip():
        raise AssuranceError("reason: give the Panel's reasons")
    if is_event_of_default and not steps.strip():
        raise AssuranceError("steps: determine the steps to take under M8.4 (G8.58(b))")
    with transaction.atomic():
        eod = EventOfDefault.objects.select_for_update(no_key=True).get(pk=eod.pk)
        if eod.is_event_of_default is not None:
            raise WorkflowError("the Panel has already decided this referral")
        eod.is_event_of_default, eod.panel_reason, eod.steps = is_event_of_default, reason, steps
        eod.decided_by, eod.decided_on = user, today()
        eod.save()
        eod.affected.set(affected)
        clause = ("G9.39" if is_event_of_default else "G9.38") if eod.party.is_dcc else (
            "G8.58" if is_event_of_default else "G8.57")
        _journal(user, eod, "decided", clause, reason)
    if is_event_of_default:
        transaction.on_commit(lambda: notify.send(
            f"{eod.party.party_id}: the Panel has determined an Event of Default",
            "The Panel has determined that an Event of Default has occurred (G8.58(a)).",
            notify.people(parties=[eod.party_id, *[p.pk for p in affected]])))
    return eod


@retried
def approve_remedial_action_plan(user: Any, eod: EventOfDefault, plan: str) -> EventOfDefault:
    """A remedial action plan under M8.4(d) must be approved by the Panel (G8.60)."""
    require(user, Action.APPROVE_REMEDIAL_ACTION_PLAN)
    if not plan.strip():
        raise AssuranceError("plan: the remedial action plan is required")
    with transaction.atomic():
        eod = EventOfDefault.objects.select_for_update(no_key=True).get(pk=eod.pk)
        if not eod.is_event_of_default:
            raise WorkflowError("a remedial action plan follows an Event of Default (G8.60)")
        eod.remedial_plan, eod.remedial_plan_approved_on = plan.strip(), today()
        eod.save(update_fields=["remedial_plan", "remedial_plan_approved_on"])
        _journal(user, eod, "remedial_plan_approved", "G9.41" if eod.party.is_dcc else "G8.60",
                 "remedial action plan approved")
    return eod


@retried
def record_default_step(user: Any, eod: EventOfDefault, *, step: str,
                        text: str) -> DefaultStepRecord:
    """One step of an Event of Default after the referral, as structured data, journaled with
    its clause (its G9 counterpart for the DCC): the SSC's investigation under M8.3 (G8.56),
    the Panel's request for the SSC's advice on the steps under M8.4 and that advice (G8.59),
    the party's report that it took the steps, the Panel's closing of the matter (G8.58(b))."""
    try:
        kind = DefaultStep(step)
    except ValueError:
        raise AssuranceError(f"step: one of {', '.join(s.value for s in DefaultStep)}") from None
    rule = DEFAULT_STEPS[kind]
    person = person_kind(user)
    if person not in rule.who or (person in PARTY_SIDE and user.party_id != eod.party_id):
        who = ", ".join(sorted(k.label for k in rule.who))
        raise PermissionDenied(f"{rule.label}: only {who} may record this ({rule.clause}).")
    if not text.strip():
        raise AssuranceError("text: say what was found, asked, advised or done")
    with transaction.atomic():
        eod = EventOfDefault.objects.select_for_update(no_key=True, of=("self",)) \
            .select_related("party").get(pk=eod.pk)
        recorded = frozenset(DefaultStep(s) for s in eod.default_steps.values_list("step",
                                                                                  flat=True))
        refusal = default_step_refusal(kind, eod.is_event_of_default, recorded)
        if refusal is not None:
            raise WorkflowError(refusal)
        clause = rule.clause_for(eod.party.is_dcc)
        made = DefaultStepRecord.objects.create(
            event=eod, step=kind.value, clause=clause, text=text.strip(), recorded_by=user,
            recorded_on=today(), classification=eod.classification)
        _journal(user, eod, kind.value, clause, text[:200])
    to = ([PersonKind.SSC_MEMBER] if kind == DefaultStep.ADVICE_REQUESTED
          else [PersonKind.PANEL_MEMBER, PersonKind.SECAS])
    transaction.on_commit(lambda: notify.send(
        f"{eod.party.party_id}: Event of Default: {rule.label.lower()}",
        f"{rule.label} ({clause}).", notify.people(to)))
    return made
