"""Booking, findings and the report (G8.22-G8.23, G8.30(a)(i), G8.40, G9.19-G9.20)."""
from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from secassure.code.workflow import Act

from .. import services
from . import serializers as s
from . import querysets
from .base import outcomes


class ReportingActions:
    """Cancel a booking; record findings with evidence; issue the report."""

    @extend_schema(request=s.CancelInput, responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """SECAS cancels a booking, saying why (G8.40)."""
        assessment = self.acting(Act.CANCEL)
        data = self.valid(s.CancelInput)
        return self.record_of(services.cancel_booking(request.user, assessment,
                                                      data["reason"]))

    @extend_schema(methods=["GET"], responses=s.FindingSerializer(many=True))
    @extend_schema(methods=["POST"], request={"application/json": s.FindingInput,
                                              "multipart/form-data": s.FindingInput},
                   responses=outcomes(s.FindingSerializer, 201))
    @action(detail=True, methods=["get", "post"],
            parser_classes=[JSONParser, MultiPartParser, FormParser])
    def findings(self, request, pk=None):
        """GET: the findings you may see (a draft report's only by its assessor, G8.22-G8.23).
        POST: the assessor records a finding of the draft report, for a Full assessment an
        actual or potential non-compliance with G3 to G6, for a Verification a material
        increase in security risk, with its evidence (G8.22(b)-(c)); files sent as multipart
        `files` are attached with their SHA-256, all or nothing."""
        assessment = self.get_object()
        if request.method == "GET":
            return self.show(s.FindingSerializer, querysets.findings(request.user).filter(
                assessment=assessment), many=True)
        self.acting(Act.RECORD_FINDING, assessment)
        data = self.valid(s.FindingInput)
        with transaction.atomic():
            finding = services.record_finding(
                request.user, assessment, kind=data["kind"], title=data["title"],
                evidence=data["evidence"], clause=data["clause"])
            for upload in data["files"]:
                services.attach_evidence(request.user, finding, upload)
        return self.show(s.FindingSerializer, querysets.findings(request.user).get(
            pk=finding.pk), 201)

    @extend_schema(request=s.IssueReportInput, responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"], url_path="issue-report")
    def issue_report(self, request, pk=None):
        """The assessor issues the report to the SSC and the party (G8.23) and, for a Shared
        Resource Provider, to its Shared Resource Users (G10.8(a)); the assessment is
        complete at the end of fieldwork."""
        assessment = self.acting(Act.ISSUE_REPORT)
        data = self.valid(s.IssueReportInput)
        return self.record_of(services.issue_report(request.user, assessment, **data))
