"""The Anomaly Detection Report as a PDF (weasyprint), from the same template body as its
page, marked RED on every page (as `assurance/exports/pdf.py` marks an assessment)."""
from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

RED = {"bg": "#c00000", "fg": "#ffffff"}


def report_html(context: dict[str, Any]) -> str:
    return render_to_string("anomaly/report_pdf.html", {**context, "banner": RED})


def report_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs a second
    return HTML(string=report_html(context)).write_pdf()


def pdf_response(context: dict[str, Any], name: str) -> HttpResponse:
    response = HttpResponse(report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
