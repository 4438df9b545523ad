"""The project's URLs: each app mounts its own pages and API routes."""
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from secassure.accounts import mfa_views
from secassure.accounts.api import ObtainToken
from secassure.assurance.api import register as assurance_register
from secassure.assurance.views import schedule
from secassure.clauses.api import ClauseViewSet
from secassure.registry.api.urls import router as registry_router

from . import views

router = DefaultRouter()
router.registry.extend(registry_router.registry)
router.register("clauses", ClauseViewSet, basename="api-clause")

#: An address that names nothing: JSON under /api/, the styled page elsewhere.
handler404 = "secassure.web.api.not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("code/", include("secassure.clauses.urls")),
    path("register/", include("secassure.registry.urls")),
    path("schedule/", schedule, name="schedule"),
    path("journal/", views.journal, name="journal"),
    path("assurance/", include("secassure.assurance.urls")),
    path("adt/", include("secassure.anomaly.urls")),
    path("notices/", include("secassure.notices.urls")),
    path("committee/", include("secassure.committee.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/mfa/", mfa_views.verify, name="mfa-verify"),
    path("accounts/mfa/enrol/", mfa_views.enrol, name="mfa-enrol"),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/parties/<str:party_id>/schedule/",
         assurance_register.PartyScheduleView.as_view(), name="api-party-schedule"),
    path("api/assurance/", include("secassure.assurance.api.urls")),
    path("api/adt/", include("secassure.anomaly.api.urls")),
    path("api/notices/", include("secassure.notices.api.urls")),
    path("api/committee/", include("secassure.committee.api.urls")),
    path("api/schedule/", assurance_register.ScheduleView.as_view(), name="api-schedule"),
    path("api/register/import/", assurance_register.RegisterImportView.as_view(),
         name="api-import"),
    path("api/register/export/", assurance_register.RegisterExportView.as_view(),
         name="api-export"),
    path("api/token/", ObtainToken.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its script from a URL (no inline script); Swagger UI's own inline
    # styles are allowed on this page only.
    path("api/docs/", csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]
