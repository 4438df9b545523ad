"""Status decisions, Remediation Plans, appeals, triage approval and self-assessments
(G8.18, G8.34-G8.39, G8.50, G9.28-G9.33, G12.7)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from secassure.code.workflow import Act

from .. import services
from . import serializers as s
from ..services import AssuranceError
from . import querysets
from .base import outcomes

DETAIL = outcomes(s.AssessmentDetailSerializer)


class DecidingActions:
    """The Panel's and the SSC's decisions, and what the party files in reply."""

    @extend_schema(request=s.AssuranceStatusInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="assurance-status")
    def assurance_status(self, request, pk=None):
        """The Panel sets the assurance status after an initial Full assessment, having the
        report and the response (G8.34-G8.36); 'approved subject to' may require a Follow-up
        by a date (G8.36(b)(ii)), booked at once."""
        assessment = self.acting(Act.SET_ASSURANCE_STATUS)
        data = self.valid(s.AssuranceStatusInput)
        return self.record_of(services.set_assurance_status(
            request.user, assessment, data["status"], data["reason"],
            follow_up_by=data["follow_up_by"]))

    @extend_schema(request=s.ReasonInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="follow-up-satisfies")
    def follow_up_satisfies(self, request, pk=None):
        """After 'deferred', the Panel determines on a Follow-up's evidence that the steps were
        taken (G8.36(c)(ii)); user entry requirements are then met (G8.37(a)(ii))."""
        assessment = self.acting(Act.CONFIRM_FOLLOW_UP_SATISFIES)
        data = self.valid(s.ReasonInput)
        return self.record_of(services.confirm_follow_up_satisfies(
            request.user, assessment, data["reason"]))

    @extend_schema(request=s.ComplianceStatusInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="compliance-status")
    def compliance_status(self, request, pk=None):
        """The SSC sets the compliance status after a Verification or a later Full assessment
        (G7.20)."""
        assessment = self.acting(Act.SET_COMPLIANCE_STATUS)
        data = self.valid(s.ComplianceStatusInput)
        return self.record_of(services.set_compliance_status(
            request.user, assessment, data["status"], data["reason"]))

    @extend_schema(request=s.DccOutcomeInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="dcc-outcome")
    def dcc_outcome(self, request, pk=None):
        """After a Full DCC Security Assessment the SSC records no non-compliances (G9.29) or
        the specific ones the DCC must address (G9.30), and the Panel is told (G9.31)."""
        assessment = self.acting(Act.RECORD_DCC_OUTCOME)
        data = self.valid(s.DccOutcomeInput)
        return self.record_of(services.record_dcc_outcome(
            request.user, assessment, data["outcome"], data["reason"],
            findings=data["findings"]))

    @extend_schema(methods=["GET"], responses=s.RemediationPlanSerializer(many=True))
    @extend_schema(methods=["POST"], request={"application/json": s.RemediationPlanInput,
                                              "multipart/form-data": s.RemediationPlanInput},
                   responses=outcomes(s.RemediationPlanSerializer, 201))
    @action(detail=True, methods=["get", "post"], url_path="remediation-plans",
            parser_classes=[JSONParser, MultiPartParser, FormParser])
    def remediation_plans(self, request, pk=None):
        """GET: the assessment's Remediation Plans. POST: the party submits a Remediation Plan
        (planned actions and timescales) with its Director's Letter, for the SSC (G8.28);
        the letter may be sent as a multipart file `letter`."""
        assessment = self.get_object()
        if request.method == "GET":
            return self.show(s.RemediationPlanSerializer, querysets.remediation_plans(
                request.user).filter(assessment=assessment).order_by("id"), many=True)
        self.acting(Act.SUBMIT_REMEDIATION_PLAN, assessment)
        data = self.valid(s.RemediationPlanInput)
        plan = services.submit_remediation_plan(request.user, assessment, **data)
        return self.show(s.RemediationPlanSerializer,
                         querysets.remediation_plans(request.user).get(pk=plan.pk), 201)

    @extend_schema(methods=["GET"], responses=s.AppealSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.AppealInput,
                   responses=outcomes(s.AppealSerializer, 201))
    @action(detail=True, methods=["get", "post"])
    def appeals(self, request, pk=None):
        """GET: the appeals of the assessment's decisions. POST: the party appeals the Panel's
        assurance status to the Authority (G8.39), or the DCC the SSC's decision to the
        Panel (G9.33)."""
        assessment = self.get_object()
        if request.method == "GET":
            return self.show(s.AppealSerializer, querysets.appeals(request.user).filter(
                decision__assessment=assessment).order_by("id"), many=True)
        self.acting(Act.RECORD_APPEAL, assessment)
        data = self.valid(s.AppealInput)
        if data["decision"].assessment_id != assessment.pk:
            raise AssuranceError("decision: not a decision on this assessment")
        appeal = services.record_appeal(request.user, data["decision"], data["grounds"])
        return self.show(s.AppealSerializer, querysets.appeals(request.user).get(pk=appeal.pk),
                         201)

    @extend_schema(request=s.ReasonInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="triage-approval")
    def triage_approval(self, request, pk=None):
        """The SSC's explicit approval for a Triage Facility Provider approved subject to
        conditions to start Triage Activities (G12.7(b))."""
        assessment = self.acting(Act.APPROVE_TRIAGE)
        data = self.valid(s.ReasonInput)
        return self.record_of(services.approve_triage(request.user, assessment,
                                                      data["reason"]))

    @extend_schema(request=s.OutcomeInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="submit-self-assessment")
    def submit_self_assessment(self, request, pk=None):
        """The party documents the outcome of its User Security Self-Assessment and submits
        it for review (G8.50(b))."""
        assessment = self.acting(Act.SUBMIT_SELF_ASSESSMENT)
        data = self.valid(s.OutcomeInput)
        return self.record_of(services.submit_self_assessment(request.user, assessment,
                                                              data["outcome"]))

    @extend_schema(request=s.ReviewInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="review-self-assessment")
    def review_self_assessment(self, request, pk=None):
        """The User CIO reviews the self-assessment (G8.18)."""
        assessment = self.acting(Act.REVIEW_SELF_ASSESSMENT)
        data = self.valid(s.ReviewInput)
        return self.record_of(services.review_self_assessment(request.user, assessment,
                                                              data["review"]))

    @extend_schema(request=s.NoteInput, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path="note-self-assessment")
    def note_self_assessment(self, request, pk=None):
        """The SSC notes the reviewed self-assessment (G7.20)."""
        assessment = self.acting(Act.NOTE_SELF_ASSESSMENT)
        data = self.valid(s.NoteInput)
        return self.record_of(services.note_self_assessment(request.user, assessment,
                                                            data["note"]))
