"""What waits on the signed-in person, for the home page: each person is shown the work the Code
gives them, read through the apps' selectors (so only what they may see).

- the SSC, the Panel and SECAS: the sections of the meeting page that are theirs, counted;
- the User CIO assessor: its booked and draft assessments, and self-assessments to review;
- a party's people: its reports to answer and their deadlines, steps to agree, agreed steps
  and progress reports due, its next assessment and its due date;
- a triage operator also its party's triage status (G12.7);
- the DCC and a party's people the quarantined communications they may instruct on
  (G6.1(a)(iii)); the DCC also the Users' thresholds to give an opinion on (G6.9).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from secassure.anomaly import selectors as anomaly
from secassure.anomaly.consultations import threshold_work
from secassure.assurance import selectors as assurance
from secassure.assurance.views.lists import HORIZON
from secassure.code.classification import PersonKind
from secassure.code.schedule import ScheduleEntry
from secassure.code.workflow import PARTY_SIDE
from secassure.core.visibility import person_kind
from secassure.registry.models import Party
from secassure.registry.selectors import visible_parties

#: Whose sections of the meeting page (`Section.who`) each member of the committee is shown.
ATTENTION_FOR: dict[PersonKind, frozenset[str]] = {
    PersonKind.SSC_MEMBER: frozenset({"SSC", "Assessor", "Party"}),
    PersonKind.PANEL_MEMBER: frozenset({"Panel"}),
    PersonKind.SECAS: frozenset({"SSC", "Panel", "Assessor", "Party"}),
}

#: How many rows of a list the home page shows (each list links to the whole).
SHOWN = 10


@dataclass(frozen=True)
class Counted:
    """One section of the meeting page and how many records it holds."""

    section: assurance.Section
    count: int


def waiting_for(user: Any, today: date) -> dict[str, Any]:
    """The home page's context for `user`: only the parts that concern them, and how many of
    the parties whose business they see are overdue (the schedule is worked out once)."""
    kind = person_kind(user)
    schedule = assurance.schedule_for(user, today)
    context: dict[str, Any] = {"today": today, "shown": SHOWN,
                               "overdue_count": sum(1 for _, entry in schedule if entry.overdue)}
    if kind in ATTENTION_FOR:
        context["attention"] = attention_counts(user, kind, today)
    if kind == PersonKind.CIO_ASSESSOR:
        context["assessor"] = assurance.assessor_work(user, limit=SHOWN)
    if kind in PARTY_SIDE and user.party_id is not None:
        context.update(party_context(user, today, schedule,
                                     triage=kind == PersonKind.TRIAGE_OPERATOR))
    if kind == PersonKind.DCC or (kind in PARTY_SIDE and user.party_id is not None):
        context["queue"] = first_and_count(anomaly.quarantine_queue(user))
    if kind == PersonKind.DCC:
        context["opinions"] = first_and_count(anomaly.awaiting_dcc_opinion(user))
    context["threshold_work"] = threshold_work(user)  # G6.7(b), G6.9, G6.10
    return context


def first_and_count(found: QuerySet) -> dict[str, Any]:
    """The first SHOWN rows of `found` and how many there are (two queries)."""
    return {"rows": list(found[:SHOWN]), "count": found.count()}


def attention_counts(user: Any, kind: PersonKind, today: date) -> list[tuple[str, list[Counted],
                                                                          int]]:
    """The groups of the meeting page (as of `today`, looking ahead as it does) with the
    sections of them that are `kind`'s and hold something: (title, sections, total)."""
    found = assurance.attention_counts(user, today, today + HORIZON)
    whose = ATTENTION_FOR[kind]
    groups = []
    for title, keys in assurance.GROUPS:
        sections = [Counted(assurance.SECTIONS[key], found[key]) for key in keys
                    if assurance.SECTIONS[key].who in whose and found[key]]
        if sections:
            groups.append((title, sections, sum(s.count for s in sections)))
    return groups


def party_context(user: Any, today: date, schedule: list[tuple[Party, ScheduleEntry]], *,
                  triage: bool) -> dict[str, Any]:
    """What waits on the person's own party, its next assessment (its row of `schedule`, the
    register's schedule as the person sees it) and (for a triage operator) whether it may
    triage."""
    party = visible_parties(user).get(pk=user.party_id)
    context: dict[str, Any] = {"party": party,
                               "work": assurance.party_work(user, party, today, limit=SHOWN)}
    context["next"] = next((entry for row, entry in schedule if row.pk == party.pk),
                           None) or assurance.seen_by(user, assurance.party_schedule(party, today))
    if triage:
        context["triage"] = assurance.party_assurance(user, party).triage
    return context
