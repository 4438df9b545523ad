"""Which assessment cycles a party owes: one per User Role group, as the Code draws them.

Obligations apply to a User separately in each of its User Roles (G1.5), and user entry is
per role (G8.33). The cycles, in this order (which also breaks ties in the schedule):
- supplier (G8.41-G8.43): a party holding `import_supplier` or `gas_supplier`; it also
  covers the party's `other_user` role (and `registration_data_provider`, should a party that
  is not a Network Party hold it);
- network (G8.44-G8.46): a party holding `electricity_distributor` or `gas_transporter`; it
  also covers `registration_data_provider` (G1.6);
- other user (G8.47): a party that is neither, holding `other_user` or
  `registration_data_provider`;
- Shared Resource Provider (G8.63, G10.5(d)): one cycle per limb that applies: sized as a
  Supplier Party by the Supplier Parties it serves (a), as a Network Party by the Network
  Parties it serves (b), the other-user cycle if it serves Other Users (c); a provider that
  serves none of these owes the other-user cycle;
- triage (G12.6-G12.8): a Triage Facility Provider;
- DCC (G9.3(b)(i)): the DCC party;
- exempt (G1.7): a party with none of these (only Export Supplier or Registered Supplier
  Agent roles, or no role at all) owes nothing.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from .roles import (
    NETWORK_PARTY_ROLES,
    SUPPLIER_PARTY_ROLES,
    UserRole,
    is_network_party,
    is_supplier_party,
)
from .tracks import (
    Assessment,
    PartyFacts,
    Premises,
    SharingIndex,
    Track,
    TrackDecision,
    network_track,
    shared_note,
    supplier_track,
)

OTHER_USER_ROLES = frozenset({UserRole.OTHER_USER, UserRole.REGISTRATION_DATA_PROVIDER})


class Sizing(StrEnum):
    """How an assessment's own premises give the track that applied to it (G8.48-G8.49(a))."""

    SUPPLIER = "supplier"
    NETWORK = "network"


@dataclass(frozen=True)
class Cycle:
    """One assessment cycle a party owes, with today's track and what decided it."""

    roles: frozenset[UserRole]  # an assessment counts for it if it covers one of these
    decision: TrackDecision
    sizing: Sizing | None = None
    as_provider: bool = False

    @property
    def track(self) -> Track:
        return self.decision.track

    @property
    def premises(self) -> Premises:
        return self.decision.premises

    def track_for(self, assessment: Assessment) -> Track:
        """The track that applied to `assessment`: the one its recorded premises give, else
        today's (G8.48-G8.49(a))."""
        if assessment.premises is None or self.sizing is None:
            return self.track
        size = supplier_track if self.sizing == Sizing.SUPPLIER else network_track
        return size(assessment.premises, ()).track


def cycles(party: PartyFacts, index: SharingIndex) -> list[Cycle]:
    """Every cycle `party` owes, in the order of the module's docstring; never empty."""
    roles = party.roles
    own = Premises(party.domestic, party.non_domestic)
    found: list[Cycle] = []
    if is_supplier_party(roles):
        found.append(_supplier_cycle(party, index))
    if is_network_party(roles):
        found.append(_network_cycle(party, index))
    if not found and not roles.isdisjoint(OTHER_USER_ROLES):
        found.append(Cycle(roles & OTHER_USER_ROLES, _other(own, ("G8.47",), "a User that is "
                                                           "neither a Supplier Party nor a "
                                                           "Network Party (G8.47)")))
    if UserRole.SHARED_RESOURCE_PROVIDER in roles:
        found.extend(_provider_cycles(party, index))
    if UserRole.TRIAGE_FACILITY_PROVIDER in roles:
        found.append(Cycle(frozenset({UserRole.TRIAGE_FACILITY_PROVIDER}), TrackDecision(
            Track.TRIAGE, own, ("G12.6", "G12.8"),
            "Triage Facility Provider: the SSC decides each category (G12.8)")))
    if UserRole.DCC in roles:
        found.append(Cycle(frozenset({UserRole.DCC}), TrackDecision(
            Track.DCC, own, ("G9.3(b)(i)",),
            "the DCC: a security assessment of the DCC Total System each year (G9.3(b)(i))")))
    if not found:
        reason = ("Export Supplier / Registered Supplier Agent only: G8 does not apply (G1.7)"
                  if roles else "no User Role: not a User, so no User Security Assessment "
                                "is owed")
        found.append(Cycle(frozenset(roles), TrackDecision(Track.EXEMPT, own, ("G1.7",),
                                                           reason)))
    return found


def _supplier_cycle(party: PartyFacts, index: SharingIndex) -> Cycle:
    """G8.41-G8.43: sized by the premises of every Responsible Supplier sharing with it
    resources no provider supplies (a network partner, an export supplier or an other user
    adds nothing)."""
    group = {party.id} | {i for i in index.unprovided_partners(party.id)
                          if is_supplier_party(index.by_id[i].roles)}
    covered = party.roles & (SUPPLIER_PARTY_ROLES | {UserRole.OTHER_USER})
    if not is_network_party(party.roles):
        covered |= party.roles & {UserRole.REGISTRATION_DATA_PROVIDER}
    note = shared_note(group, party.id, "G8.43")
    return Cycle(covered, _naming(supplier_track(index.total(group), ("G8.41", "G8.43"), note),
                                  group - {party.id}, note),
                 Sizing.SUPPLIER)


def _network_cycle(party: PartyFacts, index: SharingIndex) -> Cycle:
    """G8.44-G8.46: sized by the domestic premises of every Network Party sharing any
    Shared Resources with it."""
    group = {party.id} | {i for i in index.all_sharers(party.id)
                          if is_network_party(index.by_id[i].roles)}
    covered = party.roles & (NETWORK_PARTY_ROLES | {UserRole.REGISTRATION_DATA_PROVIDER})
    note = shared_note(group, party.id, "G8.46")
    return Cycle(covered, _naming(network_track(index.total(group), ("G8.44", "G8.46"), note),
                                  group - {party.id}, note),
                 Sizing.NETWORK)


def _provider_cycles(party: PartyFacts, index: SharingIndex) -> list[Cycle]:
    """G8.63: one cycle per kind of User a Shared Resource Provider serves."""
    role = frozenset({UserRole.SHARED_RESOURCE_PROVIDER})
    served = [index.by_id[i] for i in index.served.get(party.id, [])]
    suppliers = sorted(p.id for p in served if is_supplier_party(p.roles))
    networks = sorted(p.id for p in served if is_network_party(p.roles))
    others = sorted(p.id for p in served if not is_supplier_party(p.roles)
                    and not is_network_party(p.roles) and not p.roles.isdisjoint(OTHER_USER_ROLES))
    found = []
    if suppliers:
        note = f"; sized by the Supplier Parties it serves (G8.63(a)): {', '.join(suppliers)}"
        found.append(Cycle(role, _naming(supplier_track(index.total(suppliers),
                                                        ("G8.63(a)", "G8.41"), note),
                                         set(suppliers), note),
                           Sizing.SUPPLIER, as_provider=True))
    if networks:
        note = f"; sized by the Network Parties it serves (G8.63(b)): {', '.join(networks)}"
        found.append(Cycle(role, _naming(network_track(index.total(networks),
                                                       ("G8.63(b)", "G8.44"), note),
                                         set(networks), note),
                           Sizing.NETWORK, as_provider=True))
    if others or not found:
        why = ("Shared Resource Provider serving Other Users: the Other User rules apply "
               "(G8.63(c))" if others else
               "Shared Resource Provider serving no Supplier or Network Party: the Other User "
               "rules apply (G8.63(c))")
        found.append(Cycle(role, _other(Premises(party.domestic, party.non_domestic),
                                        ("G8.63(c)", "G8.47"), why), as_provider=True))
    return found


def _naming(decision: TrackDecision, sharers: set[str], note: str) -> TrackDecision:
    """`decision` remembering the parties its figures include and the words naming them."""
    return dataclasses.replace(decision, sharers=tuple(sorted(sharers)),
                               note=note if sharers else "")


def _other(premises: Premises, clauses: tuple[str, ...], reason: str) -> TrackDecision:
    return TrackDecision(Track.OTHER, premises, clauses, reason)
