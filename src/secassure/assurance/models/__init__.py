"""Security assurance: assessments (G8, G9, G12), their reports, responses, plans and decisions."""
from .assessment import Assessment, Category
from .decisions import (
    Appeal,
    ComplianceStatus,
    Decision,
    RemediationPlan,
    StatusDelegation,
)
from .defaults import DefaultStepRecord, EventOfDefault
from .findings import EvidenceFile, Finding, FindingAnswer, ProgressReport, Step

__all__ = ["Assessment", "Category", "Appeal", "ComplianceStatus", "Decision", "RemediationPlan",
           "StatusDelegation", "DefaultStepRecord", "EventOfDefault", "EvidenceFile", "Finding",
           "FindingAnswer", "ProgressReport", "Step"]
