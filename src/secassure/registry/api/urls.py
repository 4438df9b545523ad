"""The register's API routes, mounted at /api/ (`/api/parties/`)."""
from rest_framework.routers import SimpleRouter

from .views import PartyViewSet

router = SimpleRouter()
router.register("parties", PartyViewSet, basename="api-party")
urlpatterns = router.urls
