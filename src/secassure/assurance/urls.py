"""Pages of the assurance workflow (views in `views/`), mounted at /assurance/.

Every action has its own URL, which calls exactly one service."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.assessment_list, name="assessments"),
    path("attention/", views.attention, name="attention"),
    path("book/<str:party_id>/", views.book, name="book"),
    path("defaults/", views.defaults, name="defaults"),
    path("defaults/refer/", views.refer, name="default-refer"),
    path("defaults/<int:pk>/", views.default_detail, name="default"),
    path("defaults/<int:pk>/<slug:action>/", views.default_act, name="default-act"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("plans/<int:pk>/letter/", views.plan_letter, name="plan-letter"),
    path("<int:pk>/", views.detail, name="assessment"),
    path("<int:pk>/step-row/", views.step_row, name="step-row"),
    path("<int:pk>/<slug:action>/", views.act, name="assessment-act"),
    path("<int:pk>/<slug:action>/<int:target>/", views.act, name="assessment-act"),
    path("<int:pk>/export.pdf", views.export_pdf, name="assessment-export-pdf"),
    path("<int:pk>/export.docx", views.export_docx, name="assessment-export-docx"),
]
