"""The categories of security assurance assessment (G8.15) and the assurance statuses (G8.36)."""
from __future__ import annotations

from enum import StrEnum


class AssessmentType(StrEnum):
    """G8.15: the four categories of User Security Assessment, and the DCC's annual security
    assessment (G9.3(b)(i)), which only the DCC has."""

    FULL = "FUSA"
    VERIFICATION = "VUSA"
    SELF_ASSESSMENT = "SSA"
    FOLLOW_UP = "FOLLOW_UP"
    DCC = "DCC"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self][0]

    @property
    def clause(self) -> str:
        return _TYPE_LABELS[self][1]


_TYPE_LABELS = {
    AssessmentType.FULL: ("Full User Security Assessment", "G8.16"),
    AssessmentType.VERIFICATION: ("Verification User Security Assessment", "G8.17"),
    AssessmentType.SELF_ASSESSMENT: ("User Security Self-Assessment", "G8.18"),
    AssessmentType.FOLLOW_UP: ("Follow-up Security Assessment", "G8.19"),
    AssessmentType.DCC: ("DCC Security Assessment", "G9.3(b)(i)"),
}

#: The categories of User Security Assessment (G8.15): all but the DCC's.
USER_TYPES = (AssessmentType.FULL, AssessmentType.VERIFICATION, AssessmentType.SELF_ASSESSMENT,
              AssessmentType.FOLLOW_UP)

#: The assessments that make up a party's periodic cycle (G8.41-G8.47); Follow-ups do not.
PERIODIC_TYPES = frozenset(
    {AssessmentType.FULL, AssessmentType.VERIFICATION, AssessmentType.SELF_ASSESSMENT}
)
#: How full a periodic assessment is: a fuller one discharges a lesser one owed (G8.16-G8.18:
#: a Full assessment covers all a Verification does, a Verification more than a
#: Self-Assessment); a lesser one never discharges a fuller one.
FULLNESS = {AssessmentType.SELF_ASSESSMENT: 1, AssessmentType.VERIFICATION: 2,
            AssessmentType.FULL: 3}


def discharges(done: AssessmentType, owed: AssessmentType) -> bool:
    """Whether an assessment of category `done` discharges one of category `owed`."""
    return FULLNESS.get(done, 0) >= FULLNESS.get(owed, 0) > 0


class AssuranceStatus(StrEnum):
    """G8.36: the assurance status the Panel sets after an initial Full assessment."""

    APPROVED = "approved"
    APPROVED_SUBJECT_TO = "approved_subject_to"
    DEFERRED = "deferred"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self][0]

    @property
    def clause(self) -> str:
        return _STATUS_LABELS[self][1]


_STATUS_LABELS = {
    AssuranceStatus.APPROVED: ("Approved", "G8.36(a)"),
    AssuranceStatus.APPROVED_SUBJECT_TO: ("Approved, subject to", "G8.36(b)"),
    AssuranceStatus.DEFERRED: ("Deferred", "G8.36(c)"),
    AssuranceStatus.REJECTED: ("Rejected", "G8.36(d)"),
}
