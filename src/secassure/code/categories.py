"""The categories of security assurance assessment (G8.15) and the assurance statuses (G8.36)."""
from __future__ import annotations

from enum import StrEnum


class AssessmentType(StrEnum):
    """G8.15: the four categories of security assurance assessment."""

    FULL = "FUSA"
    VERIFICATION = "VUSA"
    SELF_ASSESSMENT = "SSA"
    FOLLOW_UP = "FOLLOW_UP"

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
}

#: The assessments that make up a party's periodic cycle (G8.41-G8.47); Follow-ups do not.
PERIODIC_TYPES = frozenset(
    {AssessmentType.FULL, AssessmentType.VERIFICATION, AssessmentType.SELF_ASSESSMENT}
)


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
