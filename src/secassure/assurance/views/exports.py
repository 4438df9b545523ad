"""Downloads of an assessment's full record, for the papers of a meeting: PDF and Word.

Only for people who may see the assessment (`visible_to`); 404 for everyone else, so the
existence of another party's assessment is not revealed."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .. import exports, selectors
from ..models import Assessment


def _visible(request, pk: int) -> Assessment:
    return get_object_or_404(selectors.assessments(request.user), pk=pk)


@require_GET
@login_required
def export_pdf(request, pk: int):
    return exports.pdf_response(request.user, _visible(request, pk))


@require_GET
@login_required
def export_docx(request, pk: int):
    return exports.docx_response(request.user, _visible(request, pk))
