from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from secassure.clauses.api import ClauseViewSet
from secassure.registry import views as registry_views
from secassure.registry.api import (PartyViewSet, RegisterExportView, RegisterImportView,
                                    ScheduleView)

from . import views

router = DefaultRouter()
router.register("parties", PartyViewSet, basename="api-party")
router.register("clauses", ClauseViewSet, basename="api-clause")

urlpatterns = [
    path("", views.home, name="home"),
    path("code/", include("secassure.clauses.urls")),
    path("register/", registry_views.register, name="register"),
    path("register/new/", registry_views.party_form, name="party-new"),
    path("register/<str:party_id>/", registry_views.party, name="party"),
    path("register/<str:party_id>/edit/", registry_views.party_form, name="party-edit"),
    path("schedule/", registry_views.schedule, name="schedule"),
    path("journal/", views.journal, name="journal"),
    path("assurance/", include("secassure.assurance.urls")),
    path("adt/", include("secassure.anomaly.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/assurance/", include("secassure.assurance.api_urls")),
    path("api/adt/", include("secassure.anomaly.api_urls")),
    path("api/schedule/", ScheduleView.as_view(), name="api-schedule"),
    path("api/register/import/", RegisterImportView.as_view(), name="api-import"),
    path("api/register/export/", RegisterExportView.as_view(), name="api-export"),
    path("api/token/", obtain_auth_token, name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
