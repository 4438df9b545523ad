"""The register's pages, mounted at /register/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.party_form, name="party-new"),
    path("<str:party_id>/", views.party, name="party"),
    path("<str:party_id>/edit/", views.party_form, name="party-edit"),
]
