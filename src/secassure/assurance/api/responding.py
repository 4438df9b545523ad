"""The response, the SSC's review, the agreed plan, progress and Follow-ups (G8.24-G8.29,
G9.21-G9.26, G10.8(b)-(d))."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from secassure.code.workflow import Act

from .. import services
from . import serializers as s
from . import querysets
from .base import outcomes


class RespondingActions:
    """From the report to the agreed plan and its progress."""

    @extend_schema(request=s.ResponseDueInput, responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"], url_path="response-due")
    def response_due(self, request, pk=None):
        """The SSC specifies the date by which the party must respond (G8.24)."""
        assessment = self.acting(Act.SET_RESPONSE_DUE)
        data = self.valid(s.ResponseDueInput)
        return self.record_of(services.set_response_due(request.user, assessment,
                                                        data["response_due"]))

    @extend_schema(request=s.ResponseInput, responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"], url_path="submit-response")
    def submit_response(self, request, pk=None):
        """The party's response (G8.24): every finding accepted or disputed with reasons
        (G8.26(a)), the steps taken or proposed (G8.26(b)) and a date for each step not yet
        taken (G8.26(c)). Refused whole, every problem named, if anything is missing; a
        Shared Resource Provider's response reaches its Users (G10.8(b))."""
        assessment = self.acting(Act.SUBMIT_RESPONSE)
        data = self.valid(s.ResponseInput)
        return self.record_of(services.submit_response(
            request.user, assessment, s.ResponseInput.to_answers(data),
            summary=data["summary"]))

    @extend_schema(request=s.ReasonInput, responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"], url_path="accept-plan")
    def accept_plan(self, request, pk=None):
        """The SSC accepts the party's steps and timetable (G8.27(a)); they bind the party
        (G8.28(a)) and its Shared Resource Users are told (G10.8(c))."""
        assessment = self.acting(Act.ACCEPT_PLAN)
        data = self.valid(s.ReasonInput)
        return self.record_of(services.accept_plan(request.user, assessment,
                                                   data["reason"]))

    @extend_schema(request=s.ProposeAlternativeInput,
                   responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"], url_path="propose-alternative")
    def propose_alternative(self, request, pk=None):
        """The SSC seeks to agree other steps or dates (G8.27(b)): for each finding named,
        the steps it proposes instead of the party's, each with a date."""
        assessment = self.acting(Act.PROPOSE_ALTERNATIVE)
        data = self.valid(s.ProposeAlternativeInput)
        return self.record_of(services.propose_alternative(
            request.user, assessment, s.ProposeAlternativeInput.to_steps(data),
            data["reason"]))

    @extend_schema(request=None, responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"], url_path="agree-alternative")
    def agree_alternative(self, request, pk=None):
        """The party agrees the SSC's steps and dates; the whole plan binds it (G8.28)."""
        assessment = self.acting(Act.AGREE_ALTERNATIVE)
        return self.record_of(services.agree_alternative(request.user, assessment))

    @extend_schema(request=s.ProgressIntervalInput,
                   responses=outcomes(s.AssessmentDetailSerializer))
    @action(detail=True, methods=["post"], url_path="progress-interval")
    def progress_interval(self, request, pk=None):
        """The SSC sets the intervals at which the party reports progress (G8.28(b)(i))."""
        assessment = self.acting(Act.SET_PROGRESS_INTERVAL)
        data = self.valid(s.ProgressIntervalInput)
        return self.record_of(services.set_progress_interval(request.user, assessment,
                                                             data["days"]))

    @extend_schema(request=s.ProgressInput, responses=outcomes(s.ProgressReportSerializer, 201))
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """The party reports progress on the agreed steps (G8.28(b)(i)), the completion of one
        (G8.28(b)(ii)) or its failure with reasons (G8.28(b)(iii)); a Shared Resource
        Provider's reports reach its Users (G10.8(d))."""
        assessment = self.acting(Act.REPORT_PROGRESS)
        data = self.valid(s.ProgressInput)
        report = services.report_progress(request.user, assessment, kind=data["kind"],
                                          text=data["text"], step=data["step"], on=data["on"])
        return self.show(s.ProgressReportSerializer,
                         querysets.progress_reports(request.user).get(pk=report.pk), 201)

    @extend_schema(request=s.FollowUpInput, responses=outcomes(s.AssessmentDetailSerializer, 201))
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """The SSC asks the assessor for a Follow-up Security Assessment by a date, to check
        the agreed steps (G8.29; the DCC: G9.26). Answers with the Follow-up, booked."""
        assessment = self.acting(Act.REQUEST_FOLLOW_UP)
        data = self.valid(s.FollowUpInput)
        return self.record_of(services.request_follow_up(request.user, assessment,
                                                         data["by"], data["reason"]), 201)
