"""Which Section G clauses bind a party in a given role (G1.5-G1.7, G10.5, G12.5).

Obligations apply to a User separately in each of its User Roles (G1.5). The clause
catalogue says whom each clause binds; this module decides which of those actors a role
makes a party, and narrows the User obligations where the Code does:
- G1.7: an Export Supplier or Registered Supplier Agent is bound, among the User
  obligations, only by G3.2-G3.3, G3.8-G3.9, G5.14-G5.18, G5.25-G5.26 and G6;
- G10.5: a Shared Resource Provider is treated as a User for G1 to G5 and G7 to G9;
- G12.5: a Triage Facility Provider is treated as a User for G1, G3 to G5, G7 and G8.
"""
from __future__ import annotations

from dataclasses import dataclass

from .clauses import Catalogue, load
from .roles import NETWORK_PARTY_ROLES, SUPPLIER_PARTY_ROLES, UserRole

USER = "User"
#: G8.32: in user entry, "User" includes a Party seeking to become one; so the clauses that
#: bind a "Party" (G8.33-G8.39) are narrowed exactly as User obligations are.
AS_USER = frozenset({USER, "Party"})

#: G1.7(a)-(e): the only User obligations of Export Suppliers and Registered Supplier Agents.
G1_7_RANGES = (("G3.2", "G3.3", "G1.7(a)"), ("G3.8", "G3.9", "G1.7(b)"),
               ("G5.14", "G5.18", "G1.7(c)"), ("G5.25", "G5.26", "G1.7(d)"))
G1_7_SECTIONS = {"G6": "G1.7(e)"}
#: G1.7(c)(i),(ii): how G5.18(b) reads for those roles.
G1_7_READINGS = {"G5.18": "G1.7(c)(i)-(ii): G5.18(b)(i) reads 'Sections G3.2 to G3.3 and G3.8 to "
                          "G3.9' and G5.18(b)(iii) reads 'Section G5.19(d)'"}
#: The sections in which a provider is treated "as if it were a User".
AS_USER_SECTIONS = {
    UserRole.SHARED_RESOURCE_PROVIDER: ({"G1", "G2", "G3", "G4", "G5", "G7", "G8", "G9"},
                                        "G10.5"),
    UserRole.TRIAGE_FACILITY_PROVIDER: ({"G1", "G3", "G4", "G5", "G7", "G8"}, "G12.5"),
}


@dataclass(frozen=True)
class Obligation:
    ref: str
    section: str
    heading: str
    as_: str          # the capacity in which it binds: "User", "Supplier Party", ...
    basis: str        # the clause that makes it apply to this role
    note: str = ""    # a modified reading, if any


def actors_for(role: UserRole) -> tuple[str, ...]:
    """The actors of the catalogue that a party holding `role` is, for Section G."""
    if role == UserRole.DCC:
        return ("DCC",)  # not a User: G2, G9 and the clauses that name the DCC
    actors = [USER, "Party"]
    if role in SUPPLIER_PARTY_ROLES:
        actors.append("Supplier Party")
    if role in NETWORK_PARTY_ROLES:
        actors.append("Network Party")
    if role == UserRole.OTHER_USER:
        actors.append("Other User")
    if role == UserRole.SHARED_RESOURCE_PROVIDER:
        actors.append("Shared Resource Provider")
    if role == UserRole.TRIAGE_FACILITY_PROVIDER:
        actors.append("Triage Facility Provider")
    return tuple(actors)


def obligations(role: UserRole, catalogue: Catalogue | None = None) -> list[Obligation]:
    """Every numbered clause that binds a party in `role`, in the order of the Code."""
    catalogue = catalogue or load()
    limited = _g1_7_refs(catalogue) if role in (UserRole.EXPORT_SUPPLIER,
                                                 UserRole.REGISTERED_SUPPLIER_AGENT) else None
    sections, as_user_basis = AS_USER_SECTIONS.get(role, (None, None))
    found = []
    for clause in catalogue.numbered():
        for actor in actors_for(role):
            if actor not in clause.binds:
                continue
            basis, note = "G1.5", ""
            if actor in AS_USER:
                if limited is not None:
                    if clause.number not in limited:
                        continue
                    basis, note = limited[clause.number], G1_7_READINGS.get(clause.number, "")
                elif sections is not None:
                    if clause.section not in sections:
                        continue
                    basis = as_user_basis or basis
            else:
                basis = {"Shared Resource Provider": "G10.4", "Triage Facility Provider": "G12.4"
                         }.get(actor, "G1.5")
            found.append(Obligation(clause.ref, clause.section, clause.heading, actor, basis,
                                    note))
            break
    return found


def _g1_7_refs(catalogue: Catalogue) -> dict[str, str]:
    refs = {}
    for first, last, basis in G1_7_RANGES:
        for ref in catalogue.between(first, last):
            refs[ref] = basis
    for clause in catalogue.numbered():
        if clause.section in G1_7_SECTIONS:
            refs[clause.ref] = G1_7_SECTIONS[clause.section]
    return refs
