"""REST API of notices, mounted at /api/notices/."""
from rest_framework.routers import DefaultRouter

from .views import (
    CplEntryViewSet,
    NoticeViewSet,
    ProviderListViewSet,
    RemedialPlanViewSet,
    SmsCountViewSet,
)

router = DefaultRouter()
router.root_view_name = "api-notices-root"
for prefix, viewset, name in [("notices", NoticeViewSet, "notice"),
                              ("sms-counts", SmsCountViewSet, "sms-count"),
                              ("provider-lists", ProviderListViewSet, "provider-list"),
                              ("cpl-entries", CplEntryViewSet, "cpl-entry"),
                              ("remedial-plans", RemedialPlanViewSet, "remedial-plan")]:
    router.register(prefix, viewset, basename=f"api-notices-{name}")
urlpatterns = router.urls
