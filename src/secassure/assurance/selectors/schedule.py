"""The register with its assessment history: the interchange records, the schedule (G8.33-G8.47,
G8.63, G12.6-G12.8) and the open bookings that stand in for a party's "next" (G8.40).

Each function runs a fixed number of queries whatever the size of the register.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from typing import Any

from secassure.code.categories import AssessmentType, AssuranceStatus
from secassure.code.interchange import PartyRecord
from secassure.code.schedule import ScheduleEntry, schedule, schedule_one
from secassure.code.tracks import Assessment as HistoryItem
from secassure.code.workflow import Stage
from secassure.registry.models import Party
from secassure.registry.selectors import (
    parties_with_visible_business,
    party_records_by_pk,
    size_relatives,
)

from ..models import Assessment
from ..models.assessment import USER_CATEGORIES
from .records import FOLLOW_UPS

#: Stages of a booked assessment that is not yet complete: it stands in for the party's "next".
OPEN_STAGES = (Stage.BOOKED.value,)


def register_records(party_ids: list[int] | None = None, *, with_user_ids: bool = True
                     ) -> list[PartyRecord]:
    """The register as interchange records with each party's completed User assessments, in
    register order (five queries; four without the User IDs, which no schedule needs)."""
    only = {} if party_ids is None else {"party_id__in": party_ids}
    history: dict[int, list[HistoryItem]] = defaultdict(list)
    for row in Assessment.objects.filter(
            completed__isnull=False, category__in=USER_CATEGORIES, **only).order_by(
            "id").values_list(
            "party_id", "category", "completed", "initial", "assurance_status", "status_set"):
        history[row[0]].append(_history_item(*row[1:]))
    return [dataclasses.replace(record, assessments=tuple(history[pk]))
            for pk, record in party_records_by_pk(party_ids,
                                                  with_user_ids=with_user_ids).items()]


def _history_item(category: str, completed: date, initial: bool, status: str,
                  status_set: date | None) -> HistoryItem:
    return HistoryItem(AssessmentType(category), completed, initial,
                       AssuranceStatus(status) if status else None, status_set)


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
    """The schedule rows `user` may see: those of parties whose RED business they may see."""
    visible = {p.party_id: p for p in parties_with_visible_business(user)}
    return [(visible[e.party_id], e) for e in register_schedule(as_of) if e.party_id in visible]


def party_schedule(party: Party, as_of: date) -> ScheduleEntry:
    """One party's schedule from the parties its size depends on (six queries)."""
    records = register_records(size_relatives(party), with_user_ids=False)
    return schedule_one([r.facts() for r in records], party.party_id, as_of)
