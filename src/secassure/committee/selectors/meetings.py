"""Meetings, their agenda and papers as a person may see them, the seats and the action log."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from ..models import Action, AgendaItem, Meeting, Membership, Paper
from ..rules import SEATS, Seat


def meetings_for(user: Any) -> QuerySet[Meeting]:
    """Every meeting (its number and date are not confidential; its items are)."""
    return Meeting.objects.all()


def meeting_for(user: Any, pk: int) -> Meeting | None:
    return Meeting.objects.filter(pk=pk).first()


def visible_items(user: Any, meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.visible_to(user).filter(meeting=meeting)


def papers_for(user: Any) -> QuerySet[Paper]:
    """The papers `user` may read: the one rule, less the items they declared a conflict on."""
    return Paper.objects.visible_to(user)


@dataclass(frozen=True)
class AgendaLine:
    item: AgendaItem
    papers: list[Paper]
    conflicted: bool


def agenda(user: Any, meeting: Meeting) -> list[AgendaLine]:
    """The agenda `user` may see, in order (children after their parent), each item with the
    papers they may read and whether they declared a conflict on it."""
    items = (visible_items(user, meeting)
             .prefetch_related(Prefetch("papers", queryset=papers_for(user)
                                        .prefetch_related("versions"), to_attr="readable"),
                               "conflicts").select_related("parent"))
    ordered = sorted(items, key=lambda i: (i.parent.number if i.parent_id else i.number,
                                           i.number if i.parent_id else 0))
    uid = getattr(user, "pk", None)
    return [AgendaLine(i, i.readable, any(c.person_id == uid for c in i.conflicts.all()))
            for i in ordered]


def action_log(user: Any, *, outstanding: bool = False) -> QuerySet[Action]:
    found = Action.objects.visible_to(user).select_related("meeting", "closed_at")
    return found.filter(done_on__isnull=True) if outstanding else found


@dataclass(frozen=True)
class SeatLine:
    seat: Seat
    members: list[Membership]

    @property
    def vacancies(self) -> int:
        return max(0, self.seat.count - len(self.members))


def seats(on: date) -> list[SeatLine]:
    """Each seat of the SSC with its members in office on `on`, and its vacancies (G7.3)."""
    current = Membership.objects.filter(started__lte=on, left__isnull=True)
    by_seat: dict[str, list[Membership]] = {}
    for member in current:
        by_seat.setdefault(member.seat, []).append(member)
    return [SeatLine(seat, by_seat.get(seat.kind.value, [])) for seat in SEATS.values()]
