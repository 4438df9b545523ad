"""REST API of the assurance workflow, mounted at /api/assurance/ (viewsets in `api/`)."""
from rest_framework.routers import DefaultRouter

from .assessments import AssessmentViewSet
from .defaults import EventOfDefaultViewSet
from .records import (
    AppealViewSet,
    DecisionViewSet,
    EvidenceFileViewSet,
    FindingAnswerViewSet,
    FindingViewSet,
    ProgressReportViewSet,
    RemediationPlanViewSet,
    StepViewSet,
)

router = DefaultRouter()
router.root_view_name = "api-assurance-root"
for prefix, viewset, name in [
        ("assessments", AssessmentViewSet, "assessment"),
        ("findings", FindingViewSet, "finding"),
        ("evidence", EvidenceFileViewSet, "evidence"),
        ("answers", FindingAnswerViewSet, "answer"),
        ("steps", StepViewSet, "step"),
        ("progress-reports", ProgressReportViewSet, "progress-report"),
        ("decisions", DecisionViewSet, "decision"),
        ("appeals", AppealViewSet, "appeal"),
        ("remediation-plans", RemediationPlanViewSet, "remediation-plan"),
        ("events-of-default", EventOfDefaultViewSet, "event-of-default")]:
    router.register(prefix, viewset, basename=f"api-assurance-{name}")
urlpatterns = router.urls
