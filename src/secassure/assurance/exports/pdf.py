"""The PDF of an assessment's record: the HTML template printed by weasyprint, the
classification as a banner at the top of every page (CSS `@page` margin box)."""
from __future__ import annotations

from django.template.loader import render_to_string

from .outline import Outline

#: Banner colours of the Traffic Light Protocol the classifications come from.
BANNERS = {"RED": ("#c00000", "#ffffff"), "AMBER": ("#ffc000", "#000000"),
           "GREEN": ("#00b050", "#000000"), "WHITE": ("#ffffff", "#000000")}


def html(document: Outline) -> str:
    bg, fg = BANNERS[document.classification]
    return render_to_string("assurance/export/assessment.html",
                            {"doc": document, "banner": {"bg": bg, "fg": fg}})


def pdf_document(document: Outline):
    """The laid-out weasyprint document (its `pages` can be counted and inspected)."""
    from weasyprint import HTML  # imported here: loading it costs a second
    return HTML(string=html(document)).render()


def render_pdf(document: Outline) -> bytes:
    return pdf_document(document).write_pdf()
