"""Booking an assessment and its scope (G8.15-G8.19, G8.30(a)(i), G8.40, G9.3(b))."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from secassure.code.classification import PARTY_SIDE, PersonKind
from secassure.code.schedule import Obligation, ScheduleEntry
from secassure.code.workflow import DCC_CATEGORIES, RULES, Act, Stage, WorkflowError
from secassure.core.visibility import person_kind
from secassure.registry.models import Party, PartyRole

from ..models import Assessment, Category
from ..models.assessment import USER_CATEGORIES
from ..selectors.schedule import party_schedule
from .base import AssuranceError, begin, journal, move, performs, require_person, today
from .sharing import record_served_users

#: A booking of one of these, while user entry is not complete, is the initial FUSA.
ENTRY_RULES = {"G8.33", "G8.36(d)", "G12.6"}


@performs(Act.BOOK)
def book_assessment(user: Any, party: Party, category: str, *,
                    roles: Iterable[PartyRole | str] = (), assessor: Any = None,
                    fieldwork_start: date | None = None, fieldwork_end: date | None = None,
                    due: date | None = None, dcc_trigger: str = "", reason: str = "") -> Assessment:
    """Book an assessment of a party (SECAS, or the party's own people): its category, the User
    Roles it covers (G8.30(a)(i)), the assessor (G8.1) and the fieldwork; the DCC's with the
    reason it is assessed (G9.3(b)). The schedule proposes the category and the due date
    (G8.40); the booking then stands in for the party's "next" until it is done. Asked again
    for the same booking (a double click, a retry), it answers with the first one."""
    kind = person_kind(user)
    rule = RULES[Act.BOOK]
    if kind not in rule.who:
        raise PermissionDenied("Book the assessment: only SECAS or the party's own people may.")
    if kind in PARTY_SIDE and user.party_id != party.pk:
        raise PermissionDenied("Book the assessment: only for your own party.")
    roles = _held(party, roles)
    _check_scope(party, category, roles, assessor, fieldwork_start, fieldwork_end, dcc_trigger)
    initial, premises = False, None
    if not party.is_dcc:
        proposed = _covering(party_schedule(party, today()), roles)
        initial = category == Category.FULL and proposed.rule in ENTRY_RULES
        if due is None and proposed.next.value == category:
            due = proposed.due
        premises = proposed.premises  # G8.48-G8.49(a): the figures that decide its category
    with transaction.atomic():
        # The party's row first (the lock order: party, assessment, journal head), so that two
        # bookings of one party queue and the second sees the first.
        list(Party.objects.select_for_update(no_key=True).filter(pk=party.pk).values_list("pk"))
        booked = _booked_already(party, category, roles, {
            "assessor_id": getattr(assessor, "pk", None), "fieldwork_start": fieldwork_start,
            "fieldwork_end": fieldwork_end, "due": due, "dcc_trigger": dcc_trigger})
        if booked is not None:
            return booked
        assessment = Assessment.objects.create(
            party=party, category=category, stage=Stage.BOOKED.value, initial=initial,
            assessor=assessor, fieldwork_start=fieldwork_start, fieldwork_end=fieldwork_end,
            due=due, dcc_trigger=dcc_trigger,
            premises_domestic=premises.domestic if premises else None,
            premises_non_domestic=premises.non_domestic if premises else None)
        assessment.roles.set(roles)
        record_served_users([assessment])  # G10.7: the provider's Users at the time
        journal(user, assessment, Act.BOOK, rule.clause, reason,
                initial=initial, roles=[r.role for r in roles],
                due=due.isoformat() if due else None)
    return assessment


def _covering(entry: ScheduleEntry, roles: list[PartyRole]) -> ScheduleEntry | Obligation:
    """The obligation of the schedule that the booked User Roles fall in (G1.5: a cycle per
    role group): the first whose roles it covers, else the party's first due."""
    booked = {r.role for r in roles}
    return next((o for o in entry.obligations if booked & {r.value for r in o.roles}), entry)


def _booked_already(party: Party, category: str, roles: list[PartyRole],
                    scope: dict[str, Any]) -> Assessment | None:
    """The booking of this category for the same User Roles the party already has, if it is
    the one asked for again (the same assessor, fieldwork and due date: a double click, a
    retry, two people at once), which is then answered with it rather than booked twice;
    WorkflowError (409) if it differs, so that neither booking silently stands in for the
    other as the party's next assessment (G8.40)."""
    wanted = {role.pk for role in roles}
    for booked in (Assessment.objects.filter(party=party, category=category,
                                             stage=Stage.BOOKED.value)
                   .prefetch_related("roles").order_by("id")):
        if {role.pk for role in booked.roles.all()} != wanted:
            continue
        if all(getattr(booked, name) == value for name, value in scope.items()):
            return booked
        raise WorkflowError(f"{party.party_id} already has this assessment booked for these "
                            f"roles (assessment {booked.pk}, {booked.get_category_display()}) "
                            "with another assessor, fieldwork or due date; change or cancel "
                            "that booking rather than book it twice (G8.40).")
    return None


def _held(party: Party, roles: Iterable[PartyRole | str]) -> list[PartyRole]:
    """The roles covered, each once; a role named (as the API and the command line do) must be
    one the party holds (G8.30(a)(i))."""
    roles = list(roles)
    named = [r for r in roles if isinstance(r, str)]
    held = {r.role: r for r in party.roles.all()} if named else {}
    missing = [name for name in named if name not in held]
    if missing:
        raise AssuranceError(f"roles: {party.party_id} does not hold {', '.join(missing)} "
                             "(G8.30(a)(i))")
    found = [held[r] if isinstance(r, str) else r for r in roles]
    return list({role.pk: role for role in found}.values())


def _check_scope(party: Party, category: str, roles: list[PartyRole], assessor: Any,
                 start: date | None, end: date | None, dcc_trigger: str) -> None:
    if category not in Category.values:
        raise AssuranceError(f"category: {category!r} is not a category of assessment")
    if party.is_dcc != (category not in USER_CATEGORIES):
        raise AssuranceError("category: the DCC has DCC Security Assessments (G9.15); a User "
                             "has User Security Assessments (G8.15)")
    if category in (Category.FOLLOW_UP, Category.DCC_FOLLOW_UP):
        raise AssuranceError("category: a Follow-up is requested by the SSC on an assessment "
                             "(G8.29), not booked on its own")
    if party.is_dcc and not dcc_trigger:
        raise AssuranceError("dcc_trigger: say why the DCC is assessed: annual, material change "
                             "or requested (G9.3(b))")
    if any(role.party_id != party.pk for role in roles):
        raise AssuranceError("roles: every role covered must be one the party holds "
                             "(G8.30(a)(i))")
    if not party.is_dcc and not roles:
        raise AssuranceError("roles: name the User Roles the assessment covers (G8.30(a)(i))")
    wanted = PersonKind.DCC_ASSESSOR if category in DCC_CATEGORIES else PersonKind.CIO_ASSESSOR
    if assessor is not None and person_kind(assessor) != wanted:
        raise AssuranceError("assessor: must be the DCC Independent Security Assessment Service "
                             "Provider (G9.4)" if wanted == PersonKind.DCC_ASSESSOR else
                             "assessor: must be a User CIO assessor (G8.1)")
    if start and end and end < start:
        raise AssuranceError("fieldwork_end: fieldwork cannot end before it starts")


@performs(Act.CANCEL)
def cancel_booking(user: Any, assessment: Assessment, reason: str) -> Assessment:
    """SECAS cancels a booking, saying why (G8.40; the DCC's: G9.3(b))."""
    require_person(user, Act.CANCEL, assessment)
    if not reason.strip():
        raise AssuranceError("reason: say why the booking is cancelled")
    with transaction.atomic():
        assessment, rule = begin(user, Act.CANCEL, assessment)
        move(assessment, rule)
        journal(user, assessment, Act.CANCEL, rule.clause, reason)
    return assessment
