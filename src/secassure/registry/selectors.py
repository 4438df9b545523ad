"""Queries over the register that views, the API and the command line share.

Each function runs a fixed number of queries whatever the size of the register.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, Q, Value

from secassure.accounts.visibility import visibility_q
from secassure.assurance.models import Assessment
from secassure.assurance.models.assessment import USER_CATEGORIES
from secassure.code.categories import AssessmentType, AssuranceStatus
from secassure.code.classification import Classification
from secassure.code.interchange import PartyRecord
from secassure.code.roles import UserRole
from secassure.code.schedule import ScheduleEntry, schedule, schedule_one
from secassure.code.tracks import Assessment as HistoryItem

from .models import Party, PartyRole, ResourceSharing, UserId


def visible_parties(user):
    """The parties `user` may see, with their roles (two queries)."""
    return (Party.objects.visible_to(user).select_related("resource_provider")
            .prefetch_related(Prefetch("roles", queryset=PartyRole.objects.order_by("id"))))


def parties_with_visible_business(user, level: Classification = Classification.RED):
    """Parties whose business of `level` (assessments are RED) `user` may see."""
    return (Party.objects.annotate(_level=Value(level.value))
            .filter(visibility_q(user, "id", classification_field="_level")))


def register_records(party_ids: list[int] | None = None) -> list[PartyRecord]:
    """The register as interchange records, in register order (five queries)."""
    parties = Party.objects.filter(is_dcc=False).select_related("resource_provider").order_by(
        "id")
    if party_ids is not None:
        parties = parties.filter(id__in=party_ids)
    parties = list(parties)
    only = {} if party_ids is None else {"party_id__in": party_ids}
    roles, user_ids, sharing, history = (defaultdict(list) for _ in range(4))
    for party_id, role in PartyRole.objects.filter(**only).order_by("id").values_list(
            "party_id", "role"):
        roles[party_id].append(UserRole(role))
    for party_id, role, value in UserId.objects.filter(
            **({} if party_ids is None else {"party_role__party_id__in": party_ids})
    ).order_by("id").values_list("party_role__party_id", "party_role__role", "value"):
        user_ids[party_id].append((UserRole(role), value))
    for party_id, partner in ResourceSharing.objects.filter(**only).order_by("id").values_list(
            "party_id", "partner__party_id"):
        sharing[party_id].append(partner)
    for row in Assessment.objects.filter(
            completed__isnull=False, category__in=USER_CATEGORIES, **only).order_by(
            "id").values_list(
            "party_id", "category", "completed", "initial", "assurance_status", "status_set"):
        history[row[0]].append(_history_item(*row[1:]))
    return [_record(p, roles[p.id], user_ids[p.id], sharing[p.id], history[p.id])
            for p in parties]


def _history_item(category, completed, initial, status, status_set) -> HistoryItem:
    return HistoryItem(AssessmentType(category), completed, initial,
                       AssuranceStatus(status) if status else None, status_set)


def _record(party: Party, roles, user_ids, sharing, history) -> PartyRecord:
    grouped: dict[UserRole, list[str]] = {}
    for role, value in user_ids:
        grouped.setdefault(role, []).append(value)
    return PartyRecord(
        id=party.party_id, name=party.name, roles=tuple(roles),
        domestic_premises=party.domestic_premises,
        non_domestic_premises=party.non_domestic_premises,
        shares_resources_with=tuple(sharing),
        resource_provider=party.resource_provider.party_id if party.resource_provider else None,
        assessments=tuple(history),
        ssc_next_category=AssessmentType(party.ssc_next_category)
        if party.ssc_next_category else None,
        user_ids={role: tuple(values) for role, values in grouped.items()})


#: Stages of a booked assessment that is not yet complete: it stands in for the party's "next".
OPEN_STAGES = ("booked",)


def open_bookings() -> dict[int, Assessment]:
    """The earliest open booking (not a Follow-up) of each party, by party pk (one query)."""
    bookings: dict[int, Assessment] = {}
    for assessment in (Assessment.objects.filter(stage__in=OPEN_STAGES, completed__isnull=True)
                       .exclude(category__in=["FOLLOW_UP", "DCC_FOLLOW_UP"])
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
    return schedule([record.facts() for record in register_records()], as_of)


def schedule_for(user, as_of: date) -> list[tuple[Party, ScheduleEntry]]:
    """The schedule rows `user` may see: those of parties whose RED business they may see."""
    visible = {p.party_id: p for p in parties_with_visible_business(user)}
    return [(visible[e.party_id], e) for e in register_schedule(as_of) if e.party_id in visible]


def party_schedule(party: Party, as_of: date) -> ScheduleEntry:
    """One party's schedule from the parties its size depends on (seven queries)."""
    related = {party.pk}
    sharing = ResourceSharing.objects.filter(Q(party=party) | Q(partner=party))
    for a, b in sharing.values_list("party_id", "partner_id"):
        related.update((a, b))
    providers = [pk for pk in (party.pk, party.resource_provider_id) if pk]
    related.update(providers)
    related.update(Party.objects.filter(resource_provider__in=providers).values_list(
        "pk", flat=True))
    records = register_records(sorted(related))
    return schedule_one([r.facts() for r in records], party.party_id, as_of)
