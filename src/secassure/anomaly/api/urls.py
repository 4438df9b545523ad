"""REST API of the thresholds register and the quarantine desk, mounted at /api/adt/."""
from rest_framework.routers import DefaultRouter

from .consultation import ConsultationViewSet, NoticeViewSet, ProposalViewSet, ReviewViewSet
from .desk import DeskNoticeViewSet, ExceptionViewSet, TrafficViewSet
from .views import (
    CoverageViewSet,
    QuarantineViewSet,
    SigningKeyViewSet,
    SrvViewSet,
    SubmissionViewSet,
    ThresholdViewSet,
)

router = DefaultRouter()
router.root_view_name = "api-adt-root"
for prefix, viewset, name in [
        ("thresholds", ThresholdViewSet, "threshold"),
        ("srvs", SrvViewSet, "srv"),
        ("coverage", CoverageViewSet, "coverage"),
        ("submissions", SubmissionViewSet, "submission"),
        ("quarantine", QuarantineViewSet, "quarantine"),
        ("keys", SigningKeyViewSet, "key"),
        ("proposals", ProposalViewSet, "proposal"),          # G6.7(b)
        ("consultations", ConsultationViewSet, "consultation"),  # G6.9
        ("notices", NoticeViewSet, "notice"),                # G6.8
        ("reviews", ReviewViewSet, "review"),                # G6.10
        ("exceptions", ExceptionViewSet, "exception"),       # G6.1(a)(i)
        ("desk-notices", DeskNoticeViewSet, "desk-notice"),  # G6.1(a)(ii), G6.1(d)(i)
        ("traffic", TrafficViewSet, "traffic")]:
    router.register(prefix, viewset, basename=f"api-adt-{name}")
urlpatterns = router.urls
