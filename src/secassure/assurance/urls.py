"""Pages of the assurance workflow (views in `views.py`)."""
from django.urls import path

from . import views

urlpatterns = [
    path("attention/", views.attention, name="attention"),
]
