"""The actions on an assessment: one URL each, each calling exactly one service (the table
is in `table.py`).

The page shows a person only the actions `workflow.available()` and `workflow.offered()` give
them; a POST by anyone else is refused by the service's own check (403 for the wrong person,
409 for the wrong stage) before the form is even read; input the Code does not allow keeps the
page, with the reason (400). Each form carries the stage the page showed (`seen_stage`): a
decision posted from a page read before the assessment moved on is refused (409).
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from secassure.code.workflow import WorkflowError

from .. import forms, selectors
from ..services import AssuranceError, allow, as_seen
from .common import refusal_status, today
from .detail import render_assessment, visible_assessment
from .table import BY_SLUG, Panel, target_of


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str, target: int | None = None) -> HttpResponse:
    """Take one action: the person and the stage are checked first (403, 409), then the
    form, then the one service call; a refusal keeps the page with the reason (400, 409)."""
    spec = BY_SLUG.get(action)
    if spec is None or bool(spec.target) != (target is not None):
        raise Http404("No such action.")
    assessment = visible_assessment(request.user, pk)
    clause = spec.declaration.clause_for(assessment.is_dcc)
    try:
        allow(request.user, spec.act, assessment)
    except WorkflowError as error:
        return render_assessment(request, assessment, Panel(spec, None, "", str(error),
                                                            clause=clause), status=409)
    record = selectors.assessment_record(request.user, assessment, today())
    obj = None
    if spec.target:
        obj = target_of(spec, request.user, assessment, target or 0).first()
        if obj is None:
            raise Http404("No such record on this assessment.")
    url, on = spec.url(assessment, obj), obj.pk if obj else None

    def again(form: Any, error: str = "", status: int = 200) -> HttpResponse:
        return render_assessment(request, assessment, Panel(spec, form, url, error, on, clause),
                                 on, status)

    add_row = request.POST.get("add_row", "")
    if add_row.isdigit() and forms.structured(spec.declaration):
        return again(spec.form(assessment, record, request.POST, add_row_to=int(add_row)))
    form = spec.form(assessment, record, request.POST, request.FILES)
    if not form.is_valid():
        return again(form, "Check the form: " + _form_errors(form), 400)
    try:  # refused (409) if the assessment moved on since the page was read (`as_seen`)
        result = as_seen(assessment, request.POST.get("seen_stage"),
                         lambda: spec.run(request.user, assessment, form, obj))
    except (WorkflowError, AssuranceError) as error:
        return again(form, str(error), refusal_status(error))
    messages.success(request, spec.done(form, result))
    return redirect("assessment", pk=assessment.pk)


def _form_errors(form: Any) -> str:
    if isinstance(form.errors, list):
        return "; ".join(form.errors)
    return "; ".join(f"{form.fields[name].label if name in form.fields else name}: "
                     f"{' '.join(errors)}" if name != "__all__" else " ".join(errors)
                     for name, errors in form.errors.items())


@login_required
@require_GET
def step_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One more step row, for htmx to add in place (the form works without it)."""
    assessment = visible_assessment(request.user, pk)
    finding = get_object_or_404(selectors.findings(request.user), assessment=assessment,
                                pk=request.GET.get("finding") or 0)
    return render(request, "assurance/_step_row.html", {
        "finding": finding, "row": forms.new_row(),
        "taken": request.GET.get("form") != "alternative"})


__all__ = ["act", "step_row"]
