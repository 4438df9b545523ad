"""REST API of the thresholds register and the quarantine desk, mounted at /api/adt/."""
from rest_framework.routers import DefaultRouter

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
        ("keys", SigningKeyViewSet, "key")]:
    router.register(prefix, viewset, basename=f"api-adt-{name}")
urlpatterns = router.urls
