"""Pages of the assurance workflow (views in `views.py`; exports in `export_urls.py`)."""
from django.urls import include, path

from . import views

urlpatterns = [
    path("attention/", views.attention, name="attention"),
    path("", include("secassure.assurance.export_urls")),
]
