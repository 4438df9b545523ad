"""An assessment's full record, and the files behind it (served only through `visible_to`,
never straight from MEDIA: evidence is RED, G8.22(b)(ii)), and only while each still has the
SHA-256 recorded at upload (`integrity`)."""
from __future__ import annotations

from typing import IO, Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from secassure.code.categories import AssuranceStatus
from secassure.code.findings import triage_permitted
from secassure.code.permissions import Action
from secassure.code.workflow import REPORT_OUT, Stage, panel_sets_status, reported
from secassure.core.journal.selectors import page_of
from secassure.core.permissions import can
from secassure.registry.selectors import visible_parties

from .. import integrity, selectors
from ..models import Assessment, Category, Decision
from ..models.findings import FileCheck
from .common import today
from .table import Panel, panels


def _decision_values(decisions) -> None:
    """Each decision's value in words (`shown_value`): its status label, not its code."""
    codes = [d.value for d in decisions if d.kind == Decision.Kind.COMPLIANCE_STATUS]
    labels = selectors.compliance_status_labels(codes)
    for d in decisions:
        if d.kind == Decision.Kind.ASSURANCE_STATUS:
            d.shown_value = AssuranceStatus(d.value).label
        elif d.kind == Decision.Kind.COMPLIANCE_STATUS:
            d.shown_value = labels.get(d.value, d.value)
        elif d.kind == Decision.Kind.DCC_OUTCOME:
            d.shown_value = ("no non-compliances" if d.value == "none"
                             else f"findings {d.value} to address")
        else:
            d.shown_value = d.value


def assessment_context(request, assessment) -> dict:
    record = selectors.assessment_record(request.user, assessment, today())
    _decision_values(record.decisions)
    integrity.page_checks([e for f in record.findings for e in f.visible_files], record.plans)
    stage = assessment.stage_enum
    triage, entry = None, panel_sets_status(assessment.category, assessment.initial)
    if record.triage_provider and entry:
        triage = triage_permitted(assessment.assurance_status or None,
                                  bool(assessment.triage_approved_on))
    return {
        "a": assessment, "record": record, "today": today(),
        "report_out": stage in REPORT_OUT or bool(assessment.report_issued_at),
        "draft": stage == Stage.BOOKED and reported(assessment.category),
        "status_clause": AssuranceStatus(assessment.assurance_status).clause
        if assessment.assurance_status else "",
        "triage": triage, "panel_sets_status": entry,
        "decisions_withheld": selectors.decisions_withheld(request.user, assessment),
        "refer_default": _may_refer(request.user, assessment),
        "journal": page_of(record.journal, request.GET.get("journal")),
        # a provider's Shared Resource User reads its assessment (G10.8), not its party page
        "party_open": visible_parties(request.user).filter(pk=assessment.party_id).exists(),
    }


def _may_refer(user, assessment) -> bool:
    """The SSC may refer actual non-compliance found by a report to the Panel (G8.57(b))."""
    return (can(user, Action.REFER_EVENT_OF_DEFAULT) and bool(assessment.report_issued_at)
            and assessment.category in (Category.FULL, Category.DCC_FULL, Category.FOLLOW_UP,
                                        Category.DCC_FOLLOW_UP))


def render_assessment(request, assessment, failed: Panel | None = None, target=None,
                      status: int = 200):
    """The assessment's page; after a refused action, with that action's form as it was
    filled in (`failed`) and the reason, under `status`."""
    context = assessment_context(request, assessment)
    context["panels"] = panels(request.user, assessment, context["record"], failed, target)
    context["failed"] = failed
    return render(request, "assurance/detail.html", context, status=status)


def visible_assessment(user, pk) -> Assessment:
    """The assessment, if `user` may see it (404 otherwise: its existence is RED too)."""
    return get_object_or_404(selectors.assessments(user).select_related("follows"), pk=pk)


@login_required
def detail(request, pk: int):
    """The full record, then the forms of the actions the Code gives the signed-in person."""
    return render_assessment(request, visible_assessment(request.user, pk))


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Download one evidence file, if its finding is visible to you (drafts: the assessor),
    and only if it still has its recorded SHA-256 (409 and a page saying why otherwise)."""
    item = get_object_or_404(selectors.evidence(request.user).select_related(
        "finding__assessment__party"), pk=pk)
    check, handle = integrity.open_evidence(request.user, item)
    if handle is None:
        return _refused(request, check, f"Evidence file {item.name}",
                        item.finding.assessment, f"finding {item.finding.number}")
    return _attachment(handle, item.name)


@login_required
def plan_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a Remediation Plan's Director's Letter, if the plan is visible to you and the
    letter still has its recorded SHA-256."""
    plan = get_object_or_404(selectors.remediation_plans(request.user).select_related(
        "assessment__party"), pk=pk)
    if not plan.director_letter:
        raise Http404("No letter was attached to this plan.")
    check, handle = integrity.open_letter(request.user, plan)
    if handle is None:
        return _refused(request, check, "Director's Letter", plan.assessment,
                        f"Remediation Plan {plan.pk}")
    return _attachment(handle, integrity.letter_name(plan))


def _attachment(handle: IO[bytes], name: str) -> FileResponse:
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request: HttpRequest, check: FileCheck, what: str, assessment: Any,
             of: str) -> HttpResponse:
    """The page of a file that failed its integrity check (409: the record and the stored
    file disagree, which a person cannot fix by asking again)."""
    return render(request, "assurance/integrity.html",
                  {"what": what, "of": of, "a": assessment, "check": check}, status=409)
