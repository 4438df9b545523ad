"""Events of Default (G8.54-G8.60; for the DCC G9.34-G9.41)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from secassure.code.classification import Classification, PersonKind
from secassure.code.clauses import load, normalise_ref
from secassure.code.permissions import Action
from secassure.core.journal.services import record
from secassure.core.permissions import require
from secassure.core.retry import retried
from secassure.registry.models import Party

from .. import notify
from ..models import Assessment, EventOfDefault
from .base import AssuranceError, WorkflowError, today


def _clauses(text: str, dcc: bool) -> str:
    """The obligations named, each an existing clause of G3 to G6 (G2, G4 to G6 for the DCC)."""
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
            party=party, assessment=assessment, clauses=_clauses(clauses, party.is_dcc),
            referral=referral.strip(), referred_by=user, referred_on=today())
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
