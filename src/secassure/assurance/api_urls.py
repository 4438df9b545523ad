"""REST API of the assurance workflow (viewsets in `api.py`)."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls
