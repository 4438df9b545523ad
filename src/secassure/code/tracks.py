"""The assessment tracks, the premises that size them, and who shares resources with whom.

The size tests are G8.41 (Supplier Parties: large when 5N + D > 250,000, which also covers
D > 250,000 and N > 50,000) and G8.44-G8.45 (Network Parties: large when D > 250,000); the
aggregation rules are G8.43 (Supplier Parties: the Responsible Suppliers sharing resources no
provider supplies), G8.46 (Network Parties: every Network Party sharing any resources) and
G8.63 (a Shared Resource Provider: the Users it serves). Which cycles a party owes is
`obligations.py`; where a party stands on each is `cycle.py`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .categories import AssessmentType, AssuranceStatus
from .roles import UserRole

LARGE_THRESHOLD = 250_000  # G8.41(a),(c); G8.44


class Track(StrEnum):
    SUPPLIER_LARGE = "supplier_large"
    SUPPLIER_SMALL = "supplier_small"
    NETWORK_LARGE = "network_large"
    NETWORK_SMALL = "network_small"
    OTHER = "other"
    TRIAGE = "triage"
    DCC = "dcc"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return _TRACK_LABELS[self]


_TRACK_LABELS = {
    Track.SUPPLIER_LARGE: "Large Supplier Party",
    Track.SUPPLIER_SMALL: "Supplier Party",
    Track.NETWORK_LARGE: "Large Network Party",
    Track.NETWORK_SMALL: "Network Party",
    Track.OTHER: "Other User",
    Track.TRIAGE: "Triage Facility Provider",
    Track.DCC: "The DCC",
    Track.EXEMPT: "No assessment cycle",
}


@dataclass(frozen=True)
class Premises:
    domestic: int
    non_domestic: int

    @property
    def weighted(self) -> int:
        """G8.41(c): (5N) + D."""
        return 5 * self.non_domestic + self.domestic


@dataclass(frozen=True)
class Assessment:
    """One entry of a party's assessment history.

    `roles`: the User Roles it covers (G8.30(a)(i)); None covers every role the party holds.
    `premises`: the aggregated figures when its category was ascertained (G8.48-G8.49(a));
    None means today's decide. `follow_up_by`: on an initial FUSA approved subject to a
    Follow-up, the date the Panel set (G8.36(b)(ii)). `panel_satisfied`: on a Follow-up after a
    deferral, when the Panel was satisfied on its evidence (G8.36(c)(ii)).
    `ssc_next_category`: the SSC's determination of the category that follows it (G12.8).
    """

    type: AssessmentType
    completed: date
    initial: bool = False
    assurance_status: AssuranceStatus | None = None
    status_set: date | None = None
    roles: frozenset[UserRole] | None = None
    premises: Premises | None = None
    follow_up_by: date | None = None
    panel_satisfied: date | None = None
    ssc_next_category: AssessmentType | None = None

    def covers(self, roles: frozenset[UserRole]) -> bool:
        """Whether it covers any of `roles` (of the party's own)."""
        return self.roles is None or not self.roles.isdisjoint(roles)


@dataclass(frozen=True)
class PartyFacts:
    """What the cycle rules need to know about a party."""

    id: str
    roles: frozenset[UserRole]
    domestic: int = 0
    non_domestic: int = 0
    shares_resources_with: tuple[str, ...] = ()
    resource_provider: str | None = None
    assessments: tuple[Assessment, ...] = field(default=())
    ssc_next_category: AssessmentType | None = None


@dataclass(frozen=True)
class TrackDecision:
    track: Track
    premises: Premises
    clauses: tuple[str, ...]
    reason: str
    #: the other parties whose premises the figures include, as the reason names them (G8.43,
    #: G8.46, G8.63): `note` is the part of the reason that names them
    sharers: tuple[str, ...] = ()
    note: str = ""


class SharingIndex:
    """Who shares Shared Resources with whom, built once for a whole register.

    Two relations matter. Shared Resources "not provided by a Shared Resource Provider"
    (`shares_resources_with`, symmetric) count for Supplier Parties (G8.43); any Shared
    Resources count for Network Parties (G8.46), and the Users of one provider share its
    resources with each other and with it.
    """

    def __init__(self, parties: Sequence[PartyFacts]):
        self.by_id = {p.id: p for p in parties}
        self.partners: dict[str, set[str]] = defaultdict(set)
        self.served: dict[str, list[str]] = defaultdict(list)
        for party in parties:
            for other in party.shares_resources_with:
                if other != party.id:
                    self.partners[party.id].add(other)
                    self.partners[other].add(party.id)
            if party.resource_provider is not None:
                self.served[party.resource_provider].append(party.id)

    def unprovided_partners(self, party_id: str) -> set[str]:
        """G8.43: parties sharing resources with it that no provider supplies."""
        return self.partners.get(party_id, set())

    def all_sharers(self, party_id: str) -> set[str]:
        """G8.46: every party sharing any Shared Resources with it."""
        party = self.by_id[party_id]
        sharers = set(self.unprovided_partners(party_id))
        if party.resource_provider is not None:
            sharers.add(party.resource_provider)
            sharers.update(self.served.get(party.resource_provider, ()))
        sharers.update(self.served.get(party_id, ()))
        sharers.discard(party_id)
        return sharers

    def total(self, party_ids: Iterable[str]) -> Premises:
        parties = [self.by_id[i] for i in party_ids]
        return Premises(sum(p.domestic for p in parties), sum(p.non_domestic for p in parties))


def supplier_track(premises: Premises, clauses: tuple[str, ...], note: str = ""
                   ) -> TrackDecision:
    large = premises.weighted > LARGE_THRESHOLD
    test = f"5N + D = {premises.weighted:,} {'>' if large else '<='} {LARGE_THRESHOLD:,}"
    if large:
        return TrackDecision(Track.SUPPLIER_LARGE, premises, clauses,
                             f"Supplier Party with {test}: a Full assessment every year (G8.41)"
                             + note)
    return TrackDecision(Track.SUPPLIER_SMALL, premises, (*clauses, "G8.42"),
                         f"Supplier Party with {test}: VUSA, SSA, FUSA cycle (G8.42)" + note)


def network_track(premises: Premises, clauses: tuple[str, ...], note: str = ""
                  ) -> TrackDecision:
    large = premises.domestic > LARGE_THRESHOLD
    test = f"D = {premises.domestic:,} {'>' if large else '<='} {LARGE_THRESHOLD:,}"
    if large:
        return TrackDecision(Track.NETWORK_LARGE, premises, clauses,
                             f"Network Party with {test}: VUSA, VUSA, FUSA cycle (G8.44)" + note)
    return TrackDecision(Track.NETWORK_SMALL, premises, (*clauses, "G8.45"),
                         f"Network Party with {test}: VUSA, SSA, FUSA cycle (G8.45)" + note)


def shared_note(group: set[str], own_id: str, clause: str) -> str:
    others = sorted(group - {own_id})
    return (f"; counts include parties sharing resources ({clause}): {', '.join(others)}"
            if others else "")
