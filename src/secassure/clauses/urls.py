from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.index, name="clauses"),
    re_path(r"^(?P<ref>[^/]+)/$", views.clause, name="clause"),
]
