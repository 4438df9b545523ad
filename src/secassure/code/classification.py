"""Classification and who may see what: the one visibility rule of the platform.

The SEC Panel Information Policy classifies Party Data as RED, AMBER, GREEN or WHITE. The
policy's wording for AMBER and GREEN was not found (domain.md section 4); we follow the
Traffic Light Protocol the names come from: WHITE is public, GREEN is for every signed-in
member of the community, AMBER and RED are for the committee that handles the business, the
assessor, and the party the record concerns (for AMBER also the DCC, which runs Threshold
Anomaly Detection for every User).

Records about a Shared Resource Provider's assessments that G10.8 sends on (its report,
response, agreed steps and progress reports, not its decisions, Remediation Plans, Directors'
Letters or appeals) are also seen by the representatives of each Shared Resource User it served
at the time of the assessment (G10.7). Three kinds see less than the whole of a level: a User
CIO assessor sees the assessments it is engaged on (G8.22-G8.23), the DCC Independent Security
Assessment Service Provider only the DCC's business (G9.4, G9.19-G9.20), and the Panel, of RED
business, the papers put before it: initial Full assessments and their Follow-ups (G8.34,
G8.36), the DCC's assessments (G9.3(c)(iv), G9.31, G9.33) and Events of Default (G8.57).
This module holds the rule as a table; the database query that applies it
(`secassure.core.visibility`) is built from the same table, and a test proves the two agree
for every combination.
"""
from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class Classification(StrEnum):
    RED = "RED"
    AMBER = "AMBER"
    GREEN = "GREEN"
    WHITE = "WHITE"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Classification.RED: "the committee, the assessor and the party concerned only",
    Classification.AMBER: "the committee, the assessor, the DCC and the party concerned",
    Classification.GREEN: "every signed-in member of the community; not public",
    Classification.WHITE: "public: may be shared with anyone",
}


class PersonKind(StrEnum):
    """The kinds of person DESIGN.md lists (the public is the anonymous visitor)."""

    SECAS = "secas"
    SSC_MEMBER = "ssc_member"
    PANEL_MEMBER = "panel_member"
    CIO_ASSESSOR = "cio_assessor"
    DCC_ASSESSOR = "dcc_assessor"
    DCC = "dcc"
    TRIAGE_OPERATOR = "triage_operator"
    PARTY_REP = "party_rep"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    PersonKind.SECAS: "SECAS (secretariat)",
    PersonKind.SSC_MEMBER: "SSC member",
    PersonKind.PANEL_MEMBER: "Panel member",
    PersonKind.CIO_ASSESSOR: "User CIO assessor",
    PersonKind.DCC_ASSESSOR: "DCC Independent Security Assessment Service Provider",
    PersonKind.DCC: "DCC",
    PersonKind.TRIAGE_OPERATOR: "Triage operator",
    PersonKind.PARTY_REP: "Party representative",
}

PUBLIC = None  # the anonymous visitor has no kind

#: The party side: the people who act for one party, its own (a representative, a triage
#: operator, and the DCC's people for the DCC). They act in the workflow only on their own
#: party's business (G8.24-G8.28, G8.39, G8.50) and are reminded of its deadlines.
PARTY_SIDE = frozenset({PersonKind.PARTY_REP, PersonKind.TRIAGE_OPERATOR, PersonKind.DCC})
#: Of the party side, those who act for a User party and so must name it: the DCC's people act
#: for the DCC, which also runs Threshold Anomaly Detection for every User (G6).
USER_PARTY_SIDE = PARTY_SIDE - {PersonKind.DCC}


#: The assessors: each does the assessor's actions (G8.22-G8.23, G9.19-G9.20) on the
#: assessments it is engaged on, the User CIO on Users', the DCC's assessor on the DCC's.
ASSESSORS = frozenset({PersonKind.CIO_ASSESSOR, PersonKind.DCC_ASSESSOR})


class Scope(StrEnum):
    ALL = "all"          # every record of that classification
    OWN = "own"          # records about the person's own party (and, where shared, its
                         # provider's, G10.8)
    ENGAGED = "engaged"  # records of the assessments the person is the assessor of (G8.22)
    DCC = "dcc"          # records of the DCC's business (G9.4)
    PANEL = "panel"      # the papers put before the Panel (G8.34, G8.57, G9.31, G9.33)
    NONE = "none"


class Relation(StrEnum):
    """How a record relates to the person looking at it."""

    OWN = "own"            # it concerns the person's own party
    PROVIDER = "provider"  # of an assessment of a Shared Resource Provider that served the
                           # person's party at the time (G10.7)
    ENGAGED = "engaged"    # of an assessment the person is the assessor of (for a record not
                           # of one assessment: of a party it assesses)
    DCC = "dcc"            # it concerns the DCC
    PANEL = "panel"        # it is among the Panel's papers (see the module's docstring)
    OTHER = "other"


#: The relation each narrow scope asks for.
_SCOPE_RELATION = {Scope.ENGAGED: Relation.ENGAGED, Scope.DCC: Relation.DCC,
                   Scope.PANEL: Relation.PANEL}


_ALL_LEVELS = {level: Scope.ALL for level in Classification}
_COMMUNITY = {Classification.WHITE: Scope.ALL, Classification.GREEN: Scope.ALL,
              Classification.AMBER: Scope.OWN, Classification.RED: Scope.OWN}

#: The rule: what each kind of person sees, by classification.
VISIBILITY: dict[PersonKind | None, dict[Classification, Scope]] = {
    PUBLIC: {Classification.WHITE: Scope.ALL},
    PersonKind.SECAS: _ALL_LEVELS,
    PersonKind.SSC_MEMBER: _ALL_LEVELS,
    PersonKind.PANEL_MEMBER: {**_ALL_LEVELS, Classification.RED: Scope.PANEL},
    PersonKind.CIO_ASSESSOR: {Classification.WHITE: Scope.ALL, Classification.GREEN: Scope.ALL,
                              Classification.AMBER: Scope.ENGAGED,
                              Classification.RED: Scope.ENGAGED},
    PersonKind.DCC_ASSESSOR: {Classification.WHITE: Scope.ALL, Classification.GREEN: Scope.ALL,
                              Classification.AMBER: Scope.DCC, Classification.RED: Scope.DCC},
    PersonKind.DCC: {**_COMMUNITY, Classification.AMBER: Scope.ALL},
    PersonKind.TRIAGE_OPERATOR: _COMMUNITY,
    PersonKind.PARTY_REP: _COMMUNITY,
}


#: Who reads a report's findings before it is issued (G8.22: the assessor drafts it; issuing it
#: sends it to the SSC and the User, G8.23).
DRAFT_READERS = ASSESSORS


def scope(kind: PersonKind | None, level: Classification) -> Scope:
    return VISIBILITY[kind].get(level, Scope.NONE)


def may_see(kind: PersonKind | None, level: Classification,
            relation: Relation | Collection[Relation],
            shared_with_resource_users: bool = False) -> bool:
    """Whether a person of `kind` may see a record of `level` related to them by `relation`
    (one relation, or every relation the record has to them).

    `shared_with_resource_users` marks the records G10.8 sends to a provider's Users
    (reports, responses, agreed steps and progress reports of the provider's assessments).
    """
    relations = {relation} if isinstance(relation, Relation) else set(relation)
    granted = scope(kind, level)
    if granted == Scope.ALL:
        return True
    if granted == Scope.OWN:
        return Relation.OWN in relations or (
            shared_with_resource_users and Relation.PROVIDER in relations)
    if granted in _SCOPE_RELATION:
        return _SCOPE_RELATION[granted] in relations
    return False
