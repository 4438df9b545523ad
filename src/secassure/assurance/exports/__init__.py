"""An assessment's full record as a document for the papers of a meeting: PDF (weasyprint, from
the HTML template `assurance/export/assessment.html`) and Word (python-docx).

Both are built from the same outline (`outline.sections`), itself built from the queries that
apply the visibility rule, so a document holds exactly what its reader may see and the two
formats hold the same thing. The classification of the assessment (RED) is a banner on every
page.
"""
from __future__ import annotations

from django.http import HttpResponse

from .docx import DOCX, render_docx
from .outline import Outline, outline
from .pdf import render_pdf

__all__ = ["DOCX", "Outline", "docx_response", "outline", "pdf_response", "render_docx",
           "render_pdf"]


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _name(document: Outline, extension: str) -> str:
    return f"assessment-{document.assessment.pk}-{document.assessment.party.party_id}.{extension}"


def pdf_response(user, assessment) -> HttpResponse:
    """The PDF of `assessment` as `user` may see it (the caller has checked they may see the
    assessment itself)."""
    document = outline(user, assessment)
    return _attachment(render_pdf(document), "application/pdf", _name(document, "pdf"))


def docx_response(user, assessment) -> HttpResponse:
    document = outline(user, assessment)
    return _attachment(render_docx(document), DOCX, _name(document, "docx"))
