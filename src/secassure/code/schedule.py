"""The register-wide schedule: for every party, its track and the assessment it owes next."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .cycle import NextStep, next_assessment
from .tracks import PartyFacts, Premises, SharingIndex, Track, decide_track


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

    def as_json(self) -> dict:
        """The shape of the `secassure schedule` output (one party)."""
        return {
            "id": self.party_id,
            "track": self.track.value,
            "next": self.next.value,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "premises": {"domestic": self.premises.domestic,
                         "non_domestic": self.premises.non_domestic},
            "rule": self.rule,
            "reason": self.reason,
        }


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


def _entry(party: PartyFacts, index: SharingIndex, as_of: date) -> ScheduleEntry:
    decision = decide_track(party, index)
    step = next_assessment(decision.track, party.assessments, party.ssc_next_category)
    return ScheduleEntry(
        party_id=party.id,
        track=decision.track,
        next=step.next,
        due=step.due,
        overdue=step.due is not None and as_of > step.due,
        premises=decision.premises,
        rule=step.rule,
        reason=f"{step.reason}; {decision.reason}",
        clauses=tuple(dict.fromkeys((step.rule, *decision.clauses))),
    )


def schedule_document(parties: Sequence[PartyFacts], as_of: date) -> dict:
    """The whole `secassure schedule` output."""
    return {"as_of": as_of.isoformat(),
            "parties": [entry.as_json() for entry in schedule(parties, as_of)]}
