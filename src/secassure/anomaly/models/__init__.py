"""Anomaly Detection Thresholds (G6): the register of thresholds, the signed files that change
them (G6.6A), and the quarantine desk (G6.1(a)(ii)-(iii))."""
from .base import COUNTERS
from .consultation import (
    DccProposal,
    ReviewPeriod,
    SscOpinion,
    ThresholdReview,
    UserConsultation,
)
from .desk import DeskNotice, QuarantinedCommunication
from .exceptions import ThresholdException
from .register import CriticalTestStatus, ServiceReferenceVariant, Threshold
from .signed import SignedSubmission, SigningKey
from .traffic import TrafficBucket

__all__ = ["COUNTERS", "QuarantinedCommunication", "CriticalTestStatus",
           "ServiceReferenceVariant", "Threshold", "SignedSubmission", "SigningKey",
           "DccProposal", "ReviewPeriod", "SscOpinion", "ThresholdReview", "UserConsultation",
           "DeskNotice", "ThresholdException", "TrafficBucket"]
