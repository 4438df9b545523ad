"""The register-wide schedule: for every party, the cycles it owes (its obligations) and the
assessment that falls due first.

The top-level answer of a party is its obligation that falls due first: overdue ones first,
then the earliest due date, obligations without a due date last, ties in the order of
`obligations.cycles` (supplier, network, other user, provider limbs, triage, DCC, exempt).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from .cycle import NextStep, next_for
from .obligations import Cycle, cycles
from .roles import UserRole
from .tracks import PartyFacts, Premises, SharingIndex, Track


@dataclass(frozen=True)
class Obligation:
    """One cycle a party owes and where it stands on it."""

    track: Track
    next: NextStep
    due: date | None
    overdue: bool
    premises: Premises
    rule: str
    as_provider: bool
    roles: frozenset[UserRole]
    reason: str
    clauses: tuple[str, ...]  # every clause the answer rests on, the rule first
    sharers: tuple[str, ...] = ()  # the other parties whose premises the figures include
    note: str = ""  # the words of `reason` that name them

    def as_json(self) -> dict:
        return {"track": self.track.value, "next": self.next.value,
                "due": self.due.isoformat() if self.due else None, "overdue": self.overdue,
                "premises": _premises_json(self.premises), "rule": self.rule,
                "as_provider": self.as_provider,
                "roles": sorted(role.value for role in self.roles), "reason": self.reason}


@dataclass(frozen=True)
class ScheduleEntry:
    party_id: str
    track: Track
    next: NextStep
    due: date | None
    overdue: bool
    premises: Premises
    rule: str
    reason: str
    clauses: tuple[str, ...]  # every clause the answer rests on, the rule first
    obligations: tuple[Obligation, ...] = ()

    def as_json(self) -> dict:
        """The shape of the `secassure schedule` output (one party)."""
        return {
            "id": self.party_id,
            "track": self.track.value,
            "next": self.next.value,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "premises": _premises_json(self.premises),
            "rule": self.rule,
            "reason": self.reason,
            "obligations": [o.as_json() for o in self.obligations],
        }


def _premises_json(premises: Premises) -> dict:
    return {"domestic": premises.domestic, "non_domestic": premises.non_domestic}


def schedule(parties: Sequence[PartyFacts], as_of: date) -> list[ScheduleEntry]:
    """The schedule of every party, in the order given.

    Parties are judged together because sizes aggregate across Shared Resources (G8.43,
    G8.46, G8.63). Overdue means as-of is after the due date.
    """
    index = SharingIndex(parties)
    return [_entry(party, index, as_of) for party in parties]


def schedule_one(parties: Sequence[PartyFacts], party_id: str, as_of: date) -> ScheduleEntry:
    """The schedule of one party, given it and every party it shares resources with or
    through (its partners, its provider and the provider's other Users, the Users it serves):
    all that G8.43, G8.46 and G8.63 look at."""
    index = SharingIndex(parties)
    return _entry(index.by_id[party_id], index, as_of)


def obligation(cycle: Cycle, party: PartyFacts, as_of: date) -> Obligation:
    """Where `party` stands on `cycle` as of `as_of`."""
    step = next_for(cycle, party.assessments, party.ssc_next_category)
    return Obligation(
        track=cycle.track, next=step.next, due=step.due,
        overdue=step.due is not None and as_of > step.due, premises=cycle.premises,
        rule=step.rule, as_provider=cycle.as_provider, roles=cycle.roles,
        reason=f"{step.reason}; {cycle.decision.reason}",
        clauses=tuple(dict.fromkeys((step.rule, *cycle.decision.clauses))),
        sharers=cycle.decision.sharers, note=cycle.decision.note)


def as_seen_by(entry: ScheduleEntry, known: Collection[str]) -> ScheduleEntry:
    """`entry` as a party's own people see it: the aggregated figures and the clauses, but
    of the other parties whose premises they include only those in `known` (those the party
    declared sharing resources with, its provider, the Users it serves) are named."""
    owed = tuple(_as_seen(o, known) for o in entry.obligations)
    first = first_due(owed)
    return dataclasses.replace(entry, reason=first.reason, obligations=owed)


def _as_seen(owed: Obligation, known: Collection[str]) -> Obligation:
    hidden = [s for s in owed.sharers if s not in known]
    if not hidden:
        return owed
    shown = [s for s in owed.sharers if s in known]
    words = owed.note.split(":")[0] + (f": {', '.join(shown)} and others" if shown else
                                       " (others whose names are not yours to see)")
    return dataclasses.replace(owed, reason=owed.reason.replace(owed.note, words),
                               sharers=tuple(shown), note=words)


def first_due(obligations: Sequence[Obligation]) -> Obligation:
    """The obligation that falls due first: overdue ones first (their dates are the
    earliest), then the earliest due date, those without a date last; ties in order."""
    return min(enumerate(obligations), key=lambda pair: (
        not pair[1].overdue, pair[1].due is None, pair[1].due or date.max, pair[0]))[1]


def _entry(party: PartyFacts, index: SharingIndex, as_of: date) -> ScheduleEntry:
    owed = tuple(obligation(cycle, party, as_of) for cycle in cycles(party, index))
    first = first_due(owed)
    return ScheduleEntry(
        party_id=party.id, track=first.track, next=first.next, due=first.due,
        overdue=first.overdue, premises=first.premises, rule=first.rule, reason=first.reason,
        clauses=first.clauses, obligations=owed)


def schedule_document(parties: Sequence[PartyFacts], as_of: date) -> dict:
    """The whole `secassure schedule` output."""
    return {"as_of": as_of.isoformat(),
            "parties": [entry.as_json() for entry in schedule(parties, as_of)]}
