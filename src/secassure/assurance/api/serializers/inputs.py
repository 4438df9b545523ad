"""What each action of the assurance workflow takes, one serializer per service.

They check shape only (types, dates, which records are named); what the Code requires of the
content (an answer to every finding, a date for every proposed step, a reason for a decision)
is checked by the service, so the API, the web pages and the command line refuse the same
things with the same words. Records named by id are looked up among those the acting person
may see (`visible_to`); a record they may not see is "not found", as over the API.

The context must carry the acting person as `user`.
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from secassure.accounts.models import Person
from secassure.code.findings import Answer, PlannedStep
from secassure.registry.models import Party

from ... import selectors

__all__ = ["AnswerInput", "AppealInput", "AssuranceStatusInput", "BookInput", "CancelInput",
           "ComplianceStatusInput", "DccOutcomeInput", "DecideEventOfDefaultInput",
           "DecidePlanInput", "EvidenceInput", "FindingInput", "FollowUpInput",
           "IssueReportInput", "NoteInput", "OutcomeInput", "PlannedStepInput",
           "ProgressInput", "ProgressIntervalInput", "ProposeAlternativeInput",
           "ProposedStepInput", "ReasonInput", "ReferEventOfDefaultInput",
           "RemedialPlanInput", "RemediationPlanInput", "ResponseDueInput", "ResponseInput",
           "ReviewInput"]


@extend_schema_field(OpenApiTypes.INT)
class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """A record named by id, among those the acting person may see."""

    default_error_messages = {
        "does_not_exist": "no {noun} {pk_value} that you may see",
        "incorrect_type": "a {noun} is named by its id (a number), not {data_type}",
    }

    def __init__(self, records, noun, **kwargs):
        self.records, self.noun = records, noun
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.records(self.context["user"])

    def fail(self, key, **kwargs):
        super().fail(key, noun=self.noun, **kwargs)


def _text(**kwargs):
    return serializers.CharField(allow_blank=True, trim_whitespace=False, default="", **kwargs)


def _date(**kwargs):
    return serializers.DateField(required=False, allow_null=True, default=None, **kwargs)


class BookInput(serializers.Serializer):
    """Book an assessment and its scope (G8.30(a)(i), G8.40; the DCC: G9.3(b))."""

    party = serializers.SlugRelatedField(slug_field="party_id", queryset=Party.objects.all(),
                                         error_messages={"does_not_exist": "no party {value}"})
    category = serializers.CharField(help_text="FUSA, VUSA, SSA; DCC_FULL for the DCC")
    roles = serializers.ListField(child=serializers.CharField(), default=list,
                                  help_text="The User Roles covered (G8.30(a)(i))")
    assessor = serializers.SlugRelatedField(
        slug_field="username", queryset=Person.objects.filter(is_active=True),
        required=False, allow_null=True, default=None,
        error_messages={"does_not_exist": "no person {value}"})
    fieldwork_start = _date()
    fieldwork_end = _date()
    due = _date()
    dcc_trigger = _text(help_text="annual, material_change or requested (G9.3(b))")
    reason = _text()

    def validate(self, data):
        party = data["party"]
        held = {r.role: r for r in party.roles.all()}
        missing = [name for name in data["roles"] if name not in held]
        if missing:
            raise serializers.ValidationError({"roles": f"{party.party_id} does not hold "
                                               f"{', '.join(missing)} (G8.30(a)(i))"})
        data["roles"] = [held[name] for name in dict.fromkeys(data["roles"])]
        return data


class ReasonInput(serializers.Serializer):
    reason = _text()


class CancelInput(ReasonInput):
    """Cancel a booking, saying why."""


class FindingInput(serializers.Serializer):
    """A finding of the draft report (G8.22(b)-(c)), optionally with evidence files."""

    kind = serializers.CharField(help_text="non_compliance, potential_non_compliance or "
                                           "risk_increase")
    clause = _text(help_text="The obligation concerned (G3 to G6 for a Full assessment)")
    title = _text()
    evidence = _text(help_text="The evidence that establishes it (G8.22(b)(ii))")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class EvidenceInput(serializers.Serializer):
    file = serializers.FileField()


class IssueReportInput(serializers.Serializer):
    """Issue the report (G8.22(a), G8.23)."""

    summary = _text(help_text="The findings on all matters in scope (G8.22(a))")
    fieldwork_end = _date()


class ResponseDueInput(serializers.Serializer):
    response_due = serializers.DateField(help_text="The date the SSC specifies (G8.24)")


class PlannedStepInput(serializers.Serializer):
    """A step taken or proposed (G8.26(b)) and, if not yet taken, its date (G8.26(c))."""

    description = _text()
    taken = serializers.BooleanField(default=False)
    due = _date()


class AnswerInput(serializers.Serializer):
    """The answer to one finding (G8.26(a)): accepted, or disputed with reasons."""

    finding = serializers.IntegerField(help_text="The finding's id")
    accepted = serializers.BooleanField(allow_null=True, default=None)
    reasons = _text()
    steps = PlannedStepInput(many=True, required=False, default=list)


class ResponseInput(serializers.Serializer):
    """The User Security Assessment Response (G8.24-G8.26). `answers()` gives the service's
    arguments."""

    summary = _text()
    answers = AnswerInput(many=True)

    def validate_answers(self, value):
        seen = set()
        for answer in value:
            if answer["finding"] in seen:
                raise serializers.ValidationError(f"finding {answer['finding']} is answered "
                                                  "twice")
            seen.add(answer["finding"])
        return value

    @staticmethod
    def to_answers(data) -> dict[int, Answer]:
        return {a["finding"]: Answer(a["accepted"], a["reasons"], tuple(
            PlannedStep(st["description"], st["taken"], st["due"]) for st in a["steps"]))
            for a in data["answers"]}


class ProposedStepInput(serializers.Serializer):
    finding = serializers.IntegerField(help_text="The finding's id")
    description = _text()
    due = serializers.DateField()


class ProposeAlternativeInput(serializers.Serializer):
    """The SSC's other steps or dates (G8.27(b))."""

    steps = ProposedStepInput(many=True)
    reason = _text()

    @staticmethod
    def to_steps(data) -> dict[int, list[PlannedStep]]:
        steps: dict[int, list[PlannedStep]] = {}
        for step in data["steps"]:
            steps.setdefault(step["finding"], []).append(
                PlannedStep(step["description"], False, step["due"]))
        return steps


class ProgressIntervalInput(serializers.Serializer):
    days = serializers.IntegerField(help_text="Report progress every N days (G8.28(b)(i))")


class ProgressInput(serializers.Serializer):
    """Progress, completion or failure of the agreed steps (G8.28(b))."""

    kind = serializers.CharField(help_text="progress, completion or failure")
    text = _text()
    step = VisibleRecordField(selectors.steps, "step", required=False, allow_null=True,
                              default=None)
    on = _date(help_text="For a completion: the day the step was completed")


class FollowUpInput(serializers.Serializer):
    """The SSC's request for a Follow-up by a date (G8.29)."""

    by = serializers.DateField()
    reason = _text()


class AssuranceStatusInput(serializers.Serializer):
    """The Panel's assurance status (G8.35-G8.36)."""

    status = serializers.CharField(help_text="approved, approved_subject_to, deferred or "
                                             "rejected")
    reason = _text()
    follow_up_by = _date(help_text="'approved subject to': the Follow-up date (G8.36(b)(ii))")


class ComplianceStatusInput(serializers.Serializer):
    status = serializers.CharField(help_text="A compliance status code, e.g. compliant")
    reason = _text()


class DccOutcomeInput(serializers.Serializer):
    """No non-compliances (G9.29) or the specific ones to address (G9.30)."""

    outcome = serializers.CharField(help_text="none or specific")
    reason = _text()
    findings = serializers.ListField(child=serializers.IntegerField(), default=list)


class RemediationPlanInput(serializers.Serializer):
    plan = _text(help_text="Planned actions and timescales")
    director_name = _text()
    director_statement = _text()
    letter = serializers.FileField(required=False, allow_null=True, default=None)


class DecidePlanInput(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = _text()


class AppealInput(serializers.Serializer):
    """An appeal of the Panel's status (G8.39) or the SSC's DCC decision (G9.33)."""

    decision = VisibleRecordField(selectors.decisions, "decision")
    grounds = _text()


class OutcomeInput(serializers.Serializer):
    outcome = _text(help_text="The documented outcome (G8.50(b))")


class ReviewInput(serializers.Serializer):
    review = _text(help_text="The User CIO's review (G8.18)")


class NoteInput(serializers.Serializer):
    note = _text()


class ReferEventOfDefaultInput(serializers.Serializer):
    """The SSC's referral of actual non-compliance to the Panel (G8.57)."""

    party = serializers.SlugRelatedField(slug_field="party_id", queryset=Party.objects.all(),
                                         error_messages={"does_not_exist": "no party {value}"})
    clauses = _text(help_text="The obligations not complied with, e.g. 'G3.2, G5.14'")
    referral = _text()
    assessment = VisibleRecordField(selectors.assessments, "assessment", required=False,
                                    allow_null=True, default=None)


class DecideEventOfDefaultInput(serializers.Serializer):
    """The Panel's determination (G8.58)."""

    is_event_of_default = serializers.BooleanField()
    reason = _text()
    steps = _text(help_text="The steps under M8.4 (G8.58(b))")
    affected = serializers.SlugRelatedField(
        slug_field="party_id", queryset=Party.objects.all(), many=True, required=False,
        default=list)


class RemedialPlanInput(serializers.Serializer):
    plan = _text(help_text="The remedial action plan (M8.4(d), G8.60)")
