"""Booking an assessment and its scope (G8.15-G8.19, G8.30(a)(i), G8.40, G9.3(b))."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from secassure.core.visibility import person_kind
from secassure.code.classification import PersonKind
from secassure.code.workflow import PARTY_SIDE, RULES, Act, Stage

from ..selectors.schedule import party_schedule
from ..models import Assessment, Category
from ..models.assessment import USER_CATEGORIES
from .base import AssuranceError, allow, journal, lock, move, require_person, today

#: A booking of one of these, while user entry is not complete, is the initial FUSA.
ENTRY_RULES = {"G8.33", "G8.36(d)", "G12.6"}


def book_assessment(user, party, category: str, *, roles=(), assessor=None,
                    fieldwork_start: date | None = None, fieldwork_end: date | None = None,
                    due: date | None = None, dcc_trigger: str = "", reason: str = "") -> Assessment:
    """Book an assessment of `party`. The schedule proposes the category and the due date;
    the booking then stands in for the party's "next" until it is done."""
    kind = person_kind(user)
    rule = RULES[Act.BOOK]
    if kind not in rule.who:
        raise PermissionDenied("Book the assessment: only SECAS or the party's own people may.")
    if kind in PARTY_SIDE and user.party_id != party.pk:
        raise PermissionDenied("Book the assessment: only for your own party.")
    _check_scope(party, category, roles, assessor, fieldwork_start, fieldwork_end, dcc_trigger)
    initial = False
    if not party.is_dcc:
        proposed = party_schedule(party, today())
        initial = category == Category.FULL and proposed.rule in ENTRY_RULES
        if due is None and proposed.next.value == category:
            due = proposed.due
    with transaction.atomic():
        assessment = Assessment.objects.create(
            party=party, category=category, stage=Stage.BOOKED.value, initial=initial,
            assessor=assessor, fieldwork_start=fieldwork_start, fieldwork_end=fieldwork_end,
            due=due, dcc_trigger=dcc_trigger)
        assessment.roles.set(roles)
        journal(user, assessment, Act.BOOK, rule.clause, reason,
                initial=initial, roles=[r.role for r in roles],
                due=due.isoformat() if due else None)
    return assessment


def _check_scope(party, category, roles, assessor, start, end, dcc_trigger) -> None:
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
    if assessor is not None and person_kind(assessor) != PersonKind.CIO_ASSESSOR:
        raise AssuranceError("assessor: must be a User CIO assessor (G8.1)")
    if start and end and end < start:
        raise AssuranceError("fieldwork_end: fieldwork cannot end before it starts")


def cancel_booking(user, assessment: Assessment, reason: str) -> Assessment:
    require_person(user, Act.CANCEL, assessment)
    if not reason.strip():
        raise AssuranceError("reason: say why the booking is cancelled")
    with transaction.atomic():
        assessment = lock(assessment)
        rule = allow(user, Act.CANCEL, assessment)
        move(assessment, rule)
        journal(user, assessment, Act.CANCEL, rule.clause, reason)
    return assessment
