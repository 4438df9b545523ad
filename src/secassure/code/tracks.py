"""Which assessment cycle a party is on (its "track"), and the premises that decided it.

The size tests are G8.41 (Supplier Parties: large when 5N + D > 250,000, which also covers
D > 250,000 and N > 50,000), G8.44-G8.45 (Network Parties: large when D > 250,000), the
aggregation rules G8.43 and G8.46, and G8.63 for Shared Resource Providers. The order in which
the categories are tried follows the issue's convention: Supplier Party, Network Party, Shared
Resource Provider, Triage Facility Provider, then any other User; a party holding only the
G1.7 roles (Export Supplier, Registered Supplier Agent) owes no assessment cycle.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .categories import AssessmentType, AssuranceStatus
from .roles import G1_7_ROLES, UserRole, is_network_party, is_supplier_party

LARGE_THRESHOLD = 250_000  # G8.41(a),(c); G8.44


class Track(StrEnum):
    SUPPLIER_LARGE = "supplier_large"
    SUPPLIER_SMALL = "supplier_small"
    NETWORK_LARGE = "network_large"
    NETWORK_SMALL = "network_small"
    OTHER = "other"
    TRIAGE = "triage"
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
    Track.EXEMPT: "No assessment cycle",
}


@dataclass(frozen=True)
class Assessment:
    """One entry of a party's assessment history."""

    type: AssessmentType
    completed: date
    initial: bool = False
    assurance_status: AssuranceStatus | None = None
    status_set: date | None = None


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
class Premises:
    domestic: int
    non_domestic: int

    @property
    def weighted(self) -> int:
        """G8.41(c): (5N) + D."""
        return 5 * self.non_domestic + self.domestic


@dataclass(frozen=True)
class TrackDecision:
    track: Track
    premises: Premises
    clauses: tuple[str, ...]
    reason: str


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


def decide_track(party: PartyFacts, index: SharingIndex) -> TrackDecision:
    """The cycle a party is on, with the premises counts and clauses that decided it."""
    roles = party.roles
    if is_supplier_party(roles):
        group = {party.id} | index.unprovided_partners(party.id)
        return _supplier(index.total(group), ("G8.41", "G8.43"), _shared_note(group, party.id))
    if is_network_party(roles):
        group = {party.id} | {
            i for i in index.all_sharers(party.id) if is_network_party(index.by_id[i].roles)
        }
        return _network(index.total(group), ("G8.44", "G8.46"), _shared_note(group, party.id))
    if UserRole.SHARED_RESOURCE_PROVIDER in roles:
        return _provider(party, index)
    own = Premises(party.domestic, party.non_domestic)
    if UserRole.TRIAGE_FACILITY_PROVIDER in roles:
        return TrackDecision(Track.TRIAGE, own, ("G12.6", "G12.8"),
                             "Triage Facility Provider: the SSC decides each category (G12.8)")
    if roles - G1_7_ROLES:
        return TrackDecision(Track.OTHER, own, ("G8.47",),
                             "a User that is neither a Supplier Party nor a Network Party (G8.47)")
    if roles:
        return TrackDecision(Track.EXEMPT, own, ("G1.7",),
                             "Export Supplier / Registered Supplier Agent only: G8 does not "
                             "apply (G1.7)")
    return TrackDecision(Track.EXEMPT, own, ("G8.33",),
                         "no User Role: not a User, so no User Security Assessment is owed")


def _provider(party: PartyFacts, index: SharingIndex) -> TrackDecision:
    """G8.63: a Shared Resource Provider is sized by the Users it serves."""
    served = index.served.get(party.id, [])
    suppliers = [i for i in served if is_supplier_party(index.by_id[i].roles)]
    if suppliers:
        note = f"; sized by the Supplier Parties it serves: {', '.join(sorted(suppliers))}"
        return _supplier(index.total(suppliers), ("G8.63(a)", "G8.41"), note)
    networks = [i for i in served if is_network_party(index.by_id[i].roles)]
    if networks:
        note = f"; sized by the Network Parties it serves: {', '.join(sorted(networks))}"
        return _network(index.total(networks), ("G8.63(b)", "G8.44"), note)
    return TrackDecision(Track.OTHER, Premises(party.domestic, party.non_domestic),
                         ("G8.63(c)", "G8.47"),
                         "Shared Resource Provider serving no Supplier or Network Party: "
                         "the Other User rules apply (G8.63(c))")


def _supplier(premises: Premises, clauses: tuple[str, ...], note: str) -> TrackDecision:
    large = premises.weighted > LARGE_THRESHOLD
    test = f"5N + D = {premises.weighted:,} {'>' if large else '<='} {LARGE_THRESHOLD:,}"
    if large:
        return TrackDecision(Track.SUPPLIER_LARGE, premises, clauses,
                             f"Supplier Party with {test}: a Full assessment every year (G8.41)"
                             + note)
    return TrackDecision(Track.SUPPLIER_SMALL, premises, (*clauses, "G8.42"),
                         f"Supplier Party with {test}: VUSA, SSA, FUSA cycle (G8.42)" + note)


def _network(premises: Premises, clauses: tuple[str, ...], note: str) -> TrackDecision:
    large = premises.domestic > LARGE_THRESHOLD
    test = f"D = {premises.domestic:,} {'>' if large else '<='} {LARGE_THRESHOLD:,}"
    if large:
        return TrackDecision(Track.NETWORK_LARGE, premises, clauses,
                             f"Network Party with {test}: VUSA, VUSA, FUSA cycle (G8.44)" + note)
    return TrackDecision(Track.NETWORK_SMALL, premises, (*clauses, "G8.45"),
                         f"Network Party with {test}: VUSA, SSA, FUSA cycle (G8.45)" + note)


def _shared_note(group: set[str], own_id: str) -> str:
    others = sorted(group - {own_id})
    return f"; counts include parties sharing resources: {', '.join(others)}" if others else ""
