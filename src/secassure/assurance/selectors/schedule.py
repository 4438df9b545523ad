"""The register with its assessment history: the interchange records, the schedule (G8.33-G8.47,
G8.63, G12.6-G12.8) and the open bookings that stand in for a party's "next" (G8.40).

Each function runs a fixed number of queries whatever the size of the register.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q

from secassure.code.categories import AssessmentType, AssuranceStatus
from secassure.code.classification import USER_PARTY_SIDE
from secassure.code.interchange import PartyRecord
from secassure.code.roles import UserRole
from secassure.code.schedule import ScheduleEntry, as_seen_by, schedule, schedule_one
from secassure.code.tracks import Assessment as HistoryItem
from secassure.code.tracks import Premises
from secassure.code.workflow import Stage
from secassure.core.visibility import person_kind
from secassure.registry.models import Party, ResourceSharing
from secassure.registry.selectors import (
    parties_with_visible_business,
    party_records_by_pk,
    size_relatives,
)

from ..models import Assessment, Category
from ..models.assessment import USER_CATEGORIES
from .records import FOLLOW_UPS

#: Stages of a booked assessment that is not yet complete: it stands in for the party's "next".
OPEN_STAGES = (Stage.BOOKED.value,)


def register_records(party_ids: list[int] | None = None, *, with_user_ids: bool = True
                     ) -> list[PartyRecord]:
    """The register as interchange records with each party's completed assessments (the
    User assessments, and the DCC's annual ones as type DCC), in register order (six queries;
    five without the User IDs, which no schedule needs)."""
    only = {} if party_ids is None else {"party_id__in": party_ids}
    rows = list(Assessment.objects.filter(
        completed__isnull=False, category__in=[*USER_CATEGORIES, Category.DCC_FULL], **only
    ).order_by("id").values_list(
        "id", "party_id", "category", "completed", "initial", "assurance_status", "status_set",
        "premises_domestic", "premises_non_domestic", "follow_up_by", "follow_up_satisfied_on",
        "ssc_next_category"))
    covered: dict[int, set[UserRole]] = defaultdict(set)
    for assessment_id, role in Assessment.roles.through.objects.filter(
            assessment_id__in=[row[0] for row in rows]).values_list(
            "assessment_id", "partyrole__role"):
        covered[assessment_id].add(UserRole(role))
    history: dict[int, list[HistoryItem]] = defaultdict(list)
    for row in rows:
        history[row[1]].append(_history_item(row, covered.get(row[0])))
    for row in rows:  # the Panel's satisfaction is recorded on the deferred FUSA (G8.36(c)(ii))
        if row[2] == Category.FULL and row[10] is not None:
            history[row[1]] = _satisfied_by_follow_up(history[row[1]], row[10])
    return [dataclasses.replace(record, assessments=tuple(history[pk]))
            for pk, record in party_records_by_pk(party_ids,
                                                  with_user_ids=with_user_ids).items()]


def _satisfied_by_follow_up(items: list[HistoryItem], on: date) -> list[HistoryItem]:
    """The history with the Panel's satisfaction `on` a date carried by the Follow-up whose
    evidence it rests on: the latest completed by then that carries none yet."""
    follow_ups = [i for i, item in enumerate(items) if item.type == AssessmentType.FOLLOW_UP
                  and item.completed <= on and item.panel_satisfied is None]
    if not follow_ups:
        return items
    found = follow_ups[-1]
    return [dataclasses.replace(item, panel_satisfied=on) if i == found else item
            for i, item in enumerate(items)]


def _history_item(row: tuple, roles: set[UserRole] | None) -> HistoryItem:
    (_, _, category, completed, initial, status, status_set, domestic, non_domestic,
     follow_up_by, panel_satisfied, next_category) = row
    return HistoryItem(
        AssessmentType.DCC if category == Category.DCC_FULL else AssessmentType(category),
        completed, initial, AssuranceStatus(status) if status else None, status_set,
        roles=frozenset(roles) if roles else None,
        premises=Premises(domestic, non_domestic or 0) if domestic is not None else None,
        follow_up_by=follow_up_by,
        panel_satisfied=panel_satisfied if category == Category.FOLLOW_UP else None,
        ssc_next_category=AssessmentType(next_category) if next_category else None)


def open_bookings() -> dict[int, Assessment]:
    """The earliest open booking (not a Follow-up) of each party, by party pk (one query)."""
    bookings: dict[int, Assessment] = {}
    for assessment in (Assessment.objects.filter(stage__in=OPEN_STAGES, completed__isnull=True)
                       .exclude(category__in=FOLLOW_UPS)
                       .order_by("party_id", "fieldwork_start", "id")):
        bookings.setdefault(assessment.party_id, assessment)
    return bookings


def booking_json(assessment: Assessment | None) -> dict | None:
    if assessment is None:
        return None
    return {"id": assessment.pk, "category": assessment.category,
            "fieldwork_start": assessment.fieldwork_start.isoformat()
            if assessment.fieldwork_start else None,
            "due": assessment.due.isoformat() if assessment.due else None}


def register_schedule(as_of: date) -> list[ScheduleEntry]:
    """The schedule of the whole register (sizes aggregate across parties, G8.43, G8.46)."""
    return schedule([record.facts() for record in register_records(with_user_ids=False)],
                    as_of)


def schedule_for(user: Any, as_of: date) -> list[tuple[Party, ScheduleEntry]]:
    """The schedule rows `user` may see: those of parties whose RED business they may see,
    each as `seen_by` them."""
    visible = {p.party_id: p for p in parties_with_visible_business(user)}
    known = known_to(user)
    return [(visible[e.party_id], e if known is None else as_seen_by(e, known))
            for e in register_schedule(as_of) if e.party_id in visible]


def seen_by(user: Any, entry: ScheduleEntry) -> ScheduleEntry:
    """`entry` as `user` may read it: a party's own people see the aggregated premises and the
    clause, but name only the parties their own party declared sharing resources with, its
    provider and the Users it serves (`known_to`); the committee, SECAS, the assessors and
    the DCC see every name."""
    known = known_to(user)
    return entry if known is None else as_seen_by(entry, known)


def known_to(user: Any) -> frozenset[str] | None:
    """The parties a party's own people may see named behind an aggregated figure: its own,
    those it declared sharing resources with, its provider, the Users it serves (None: any;
    one query for a party's people)."""
    if person_kind(user) not in USER_PARTY_SIDE:
        return None
    party_id = getattr(user, "party_id", None)
    if party_id is None:
        return frozenset()
    return frozenset(Party.objects.filter(
        Q(pk=party_id) | Q(resource_users=party_id) | Q(resource_provider_id=party_id)
        | Q(pk__in=ResourceSharing.objects.filter(party_id=party_id).values("partner_id"))
    ).values_list("party_id", flat=True).distinct())


def party_schedule(party: Party, as_of: date) -> ScheduleEntry:
    """One party's schedule from the parties its size depends on (six queries)."""
    records = register_records(size_relatives(party), with_user_ids=False)
    return schedule_one([r.facts() for r in records], party.party_id, as_of)
