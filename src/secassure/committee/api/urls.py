"""REST API of the committees, mounted at /api/committee/."""
from rest_framework.routers import DefaultRouter

from .views import ActionViewSet, MeetingViewSet, PaperViewSet

router = DefaultRouter()
router.root_view_name = "api-committee-root"
router.register("meetings", MeetingViewSet, basename="api-committee-meeting")
router.register("papers", PaperViewSet, basename="api-committee-paper")
router.register("actions", ActionViewSet, basename="api-committee-action")
urlpatterns = router.urls
