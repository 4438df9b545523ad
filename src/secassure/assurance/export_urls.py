"""Downloads of an assessment's full record (views in `export_views.py`), under /assurance/."""
from django.urls import path

from . import export_views

urlpatterns = [
    path("<int:pk>/export.pdf", export_views.export_pdf, name="assessment-export-pdf"),
    path("<int:pk>/export.docx", export_views.export_docx, name="assessment-export-docx"),
]
