"""The records of assessments, read-only except for the actions on them: findings (and their
evidence), evidence files (and their download), answers, steps, progress reports, decisions,
appeals and Remediation Plans (and the SSC's decision on one). Each list is filterable by
`assessment`; each is what `visible_to` lets the caller see, a draft report's findings and
evidence only to the assessor (G8.22-G8.23)."""
from __future__ import annotations

from typing import IO, Any

import django_filters
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from secassure.core.filters import IdFilter

from .. import integrity, selectors
from ..models import (
    Appeal,
    Decision,
    EvidenceFile,
    Finding,
    FindingAnswer,
    ProgressReport,
    RemediationPlan,
    Step,
)
from ..models.findings import FileCheck
from . import serializers as s
from .actions import actions_on
from .base import REFUSALS, WorkflowAPIMixin

DOWNLOAD: dict[Any, Any] = {(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **REFUSALS,
            409: OpenApiResponse(s.IntegrityErrorSerializer,
                                 description="The stored file is missing or altered: it no "
                                             "longer has the SHA-256 recorded at upload, and "
                                             "is not served (the refusal is journaled).")}


def _download(check: FileCheck, handle: IO[bytes] | None, what: str, name: str) -> Any:
    """A stored file as an attachment, never rendered inline by the browser; 409 if it
    failed its integrity check."""
    if handle is None:
        return Response({"detail": f"{what} failed its integrity check: {check.describe()}; "
                                   "not served", "problem": check.problem,
                         "sha256": check.expected}, status=409)
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type="application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


def by_assessment(model: Any, path: str = "assessment", *fields: str,
                  ids: tuple[str, ...] = ()) -> type[django_filters.FilterSet]:
    """A filter set for `model`: `?assessment=ID` (however the record reaches its
    assessment), the record named by each of `ids` (`?finding=ID`) and the `fields` named."""
    meta = type("Meta", (), {"model": model, "fields": ["assessment", *ids, *fields]})
    named = {name: IdFilter(field_name=name, help_text=f"{name.capitalize()} id")
             for name in ids}
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), {
        "assessment": IdFilter(field_name=path, help_text="Assessment id"), **named,
        "Meta": meta})


class RecordViewSet(WorkflowAPIMixin, viewsets.ReadOnlyModelViewSet):
    records: Any = None  # a function of the user: the visible queryset (see `selectors`)

    def get_queryset(self):
        return self.records(self.request.user)


class FindingViewSet(actions_on("finding"), RecordViewSet):  # type: ignore[misc]
    """Findings of reports (G8.22(b)-(c)) with their evidence, answers and steps; `evidence/`
    attaches a file (the action declared in `secassure.code.workflow`)."""

    serializer_class = s.FindingSerializer
    records = staticmethod(selectors.findings)
    filterset_class = by_assessment(Finding)


class EvidenceFileViewSet(RecordViewSet):
    """Evidence files: metadata, and the file itself for those who may see the finding."""

    serializer_class = s.EvidenceFileSerializer
    records = staticmethod(selectors.evidence)
    filterset_class = by_assessment(EvidenceFile, "finding__assessment", ids=("finding",))

    @extend_schema(responses=DOWNLOAD)
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The evidence file (404 unless you may see its finding; 409 if it no longer has
        its recorded SHA-256)."""
        evidence = self.get_object()
        return _download(*integrity.open_evidence(request.user, evidence),
                         f"evidence file {evidence.name}", evidence.name)


class FindingAnswerViewSet(RecordViewSet):
    """The party's answers to findings (G8.26(a))."""

    serializer_class = s.FindingAnswerSerializer
    records = staticmethod(selectors.answers)
    filterset_class = by_assessment(FindingAnswer, "finding__assessment", ids=("finding",))


class StepViewSet(RecordViewSet):
    """Steps taken, proposed, proposed instead by the SSC, or agreed (G8.26-G8.28)."""

    serializer_class = s.StepSerializer
    records = staticmethod(selectors.steps)
    filterset_class = by_assessment(Step, "finding__assessment", "status", ids=("finding",))


class ProgressReportViewSet(RecordViewSet):
    """Progress, completion and failure reports (G8.28(b))."""

    serializer_class = s.ProgressReportSerializer
    records = staticmethod(selectors.progress_reports)
    filterset_class = by_assessment(ProgressReport, "assessment", "kind")


class DecisionViewSet(RecordViewSet):
    """Decisions on assessments, each with its clause and reasons."""

    serializer_class = s.DecisionSerializer
    records = staticmethod(selectors.decisions)
    filterset_class = by_assessment(Decision, "assessment", "kind")


class AppealViewSet(RecordViewSet):
    """Appeals (G8.39, G9.33)."""

    serializer_class = s.AppealSerializer
    records = staticmethod(selectors.appeals)
    filterset_class = by_assessment(Appeal, "decision__assessment", ids=("decision",))


class RemediationPlanViewSet(actions_on("plan"), RecordViewSet):  # type: ignore[misc]
    """Remediation Plans and Director's Letters; `decide/` is the SSC's decision on one (the
    action declared in `secassure.code.workflow`)."""

    serializer_class = s.RemediationPlanSerializer
    records = staticmethod(selectors.remediation_plans)
    filterset_class = by_assessment(RemediationPlan, "assessment", "status")

    @extend_schema(responses=DOWNLOAD)
    @action(detail=True, methods=["get"])
    def letter(self, request, pk=None):
        """The Director's Letter, if one was uploaded (404 otherwise; 409 if it no longer has
        its recorded SHA-256)."""
        plan = self.get_object()
        if not plan.director_letter:
            raise Http404("No Director's Letter was uploaded with this plan.")
        return _download(*integrity.open_letter(request.user, plan), "the Director's Letter",
                         integrity.letter_name(plan))
