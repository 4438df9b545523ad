"""What the assurance API returns: one serializer per record of an assessment.

Nested lists come from the read layer (`secassure.assurance.selectors`), filtered by
`visible_to` in the query, never in Python: a draft finding (G8.22) and the journal entries
naming it reach only its assessor, a Shared Resource Provider's report reaches its Users
(G10.8). An assessment's detail is its one record (`selectors.assessment_record`), the same
the page and the exports show."""
from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from secassure.code.workflow import PARTY_SIDE, Stage, available
from secassure.core.journal.models import JournalEntry
from secassure.core.visibility import person_kind

from ...models import (
    Appeal,
    Assessment,
    Decision,
    DefaultStepRecord,
    EventOfDefault,
    EvidenceFile,
    Finding,
    FindingAnswer,
    ProgressReport,
    RemediationPlan,
    Step,
)
from ...selectors.records import DECISION_FIELDS, decisions_withheld

__all__ = ["AppealSerializer", "AssessmentDetailSerializer", "AssessmentSerializer",
           "DecisionSerializer", "DefaultStepSerializer", "ErrorSerializer",
           "EventOfDefaultSerializer",
           "EvidenceFileSerializer", "FindingAnswerSerializer", "FindingSerializer",
           "IntegrityErrorSerializer", "JournalEntrySerializer",
           "ProgressReportSerializer", "RemediationPlanSerializer", "StepSerializer",
           "actions_for"]


def _username(**kwargs):
    return serializers.SlugRelatedField(slug_field="username", read_only=True, **kwargs)


class ErrorSerializer(serializers.Serializer):
    """Every refusal: 400 bad input (with the field), 403 the wrong person, 404 a record you
    may not see, 409 the wrong stage of the workflow."""

    detail = serializers.CharField()
    field = serializers.CharField(required=False, allow_null=True,
                                  help_text="The input at fault (400), e.g. answers[0].due")
    errors = serializers.DictField(required=False, help_text="Every invalid input (400)")


class IntegrityErrorSerializer(serializers.Serializer):
    """A download refused because the stored file no longer has the SHA-256 recorded when it
    was uploaded (409)."""

    detail = serializers.CharField()
    problem = serializers.ChoiceField(choices=["missing", "altered"])
    sha256 = serializers.CharField(help_text="The SHA-256 recorded at upload")


def actions_for(user, assessment: Assessment) -> list[str]:
    """The workflow actions `user` could take on `assessment` now (the stage and the kind of
    person; the services check the rest)."""
    kind = person_kind(user)
    if kind in PARTY_SIDE and user.party_id != assessment.party_id:
        return []
    return [act.value for act in available(kind, Stage(assessment.stage))]


class EvidenceFileSerializer(serializers.ModelSerializer):
    """A file of evidence for a finding (G8.22(b)(ii)), with its SHA-256."""

    uploaded_by = _username()
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "finding", "name", "size", "sha256", "uploaded_by", "uploaded_at",
                  "download"]

    def get_download(self, evidence) -> str:
        return reverse("api-assurance-evidence-download", args=[evidence.pk])


class FindingAnswerSerializer(serializers.ModelSerializer):
    """The party's answer to one finding (G8.26(a))."""

    finding_number = serializers.IntegerField(source="finding.number", read_only=True)

    class Meta:
        model = FindingAnswer
        fields = ["id", "finding", "finding_number", "accepted", "reasons"]


class StepSerializer(serializers.ModelSerializer):
    """A step and its timetable (G8.26(b)-(c)); 'agreed' steps bind the party (G8.28)."""

    finding_number = serializers.IntegerField(source="finding.number", read_only=True)
    assessment = serializers.IntegerField(source="finding.assessment_id", read_only=True)

    class Meta:
        model = Step
        fields = ["id", "assessment", "finding", "finding_number", "description", "status",
                  "due", "completed_on", "failure_reason"]


class FindingSerializer(serializers.ModelSerializer):
    """A finding of the report (G8.22(b)-(c)) with its evidence files; once the response is
    in, the party's answer (G8.26(a)) and the steps (G8.26(b)-(c))."""

    files = EvidenceFileSerializer(source="visible_files", many=True, read_only=True)
    answer = serializers.SerializerMethodField()
    steps = StepSerializer(source="visible_steps", many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "assessment", "number", "kind", "clause", "title", "evidence",
                  "classification", "files", "answer", "steps"]

    @extend_schema_field(FindingAnswerSerializer(allow_null=True))
    def get_answer(self, finding):
        answer = finding.visible_answer
        return FindingAnswerSerializer(answer).data if answer else None


class ProgressReportSerializer(serializers.ModelSerializer):
    """Progress, completion or failure of the agreed steps (G8.28(b))."""

    reported_by = _username()

    class Meta:
        model = ProgressReport
        fields = ["id", "assessment", "step", "kind", "text", "reported_by", "reported_at"]


class AppealSerializer(serializers.ModelSerializer):
    """An appeal to the Authority (G8.39) or, for the DCC, to the Panel (G9.33), and its
    determination: upheld, dismissed or varied, when, the status as determined (`value`,
    where it changes the decision), the reasons (`outcome`) and the decision it made
    (`result`)."""

    assessment = serializers.IntegerField(source="decision.assessment_id", read_only=True)
    lodged_by = _username()

    class Meta:
        model = Appeal
        fields = ["id", "assessment", "decision", "to", "grounds", "lodged_by", "lodged_on",
                  "outcome", "determination", "determined_on", "value", "result"]


class DecisionSerializer(serializers.ModelSerializer):
    """A decision on an assessment: who (the person, and the body: panel, ssc or authority),
    when, on which clause and why."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    decided_by = _username(allow_null=True)

    class Meta:
        model = Decision
        fields = ["id", "assessment", "kind", "kind_label", "body", "value", "clause",
                  "reason", "effective", "follow_up_by", "decided_by", "decided_at"]


class RemediationPlanSerializer(serializers.ModelSerializer):
    """A Remediation Plan with its Director's Letter and the SSC's decision on it."""

    submitted_by = _username()
    decided_by = _username(allow_null=True)
    letter = serializers.SerializerMethodField()

    class Meta:
        model = RemediationPlan
        fields = ["id", "assessment", "plan", "director_name", "director_statement", "letter",
                  "status", "submitted_by", "submitted_at", "decided_by", "decided_at",
                  "ssc_comment"]

    def get_letter(self, plan) -> str | None:
        if not plan.director_letter:
            return None
        return reverse("api-assurance-remediation-plan-letter", args=[plan.pk])


class DefaultStepSerializer(serializers.ModelSerializer):
    """A step of an Event of Default after the referral (G8.56, G8.58(b), G8.59)."""

    recorded_by = _username()

    class Meta:
        model = DefaultStepRecord
        fields = ["id", "step", "clause", "text", "recorded_by", "recorded_on"]


class EventOfDefaultSerializer(serializers.ModelSerializer):
    """A referral to the Panel (G8.57), its decision (G8.58), remedial plan (G8.60) and the
    steps after the referral (`default_steps`: G8.56, G8.58(b), G8.59)."""

    default_steps = DefaultStepSerializer(many=True, read_only=True)

    party = serializers.SlugRelatedField(slug_field="party_id", read_only=True)
    affected = serializers.SerializerMethodField(
        help_text="Those notified (G8.58(a)) you may see.")
    referred_by = _username()
    decided_by = _username(allow_null=True)

    class Meta:
        model = EventOfDefault
        fields = ["id", "party", "assessment", "clauses", "referral", "referred_by",
                  "referred_on", "is_event_of_default", "panel_reason", "steps", "decided_by",
                  "decided_on", "affected", "remedial_plan", "remedial_plan_approved_on",
                  "default_steps"]

    def get_affected(self, event: EventOfDefault) -> list[str]:
        """The party ids of those notified that the reader may see (`visible_affected`, the
        prefetched list from selectors.events_of_default)."""
        return [party.party_id for party in event.visible_affected]


class JournalEntrySerializer(serializers.ModelSerializer):
    """An entry of the assessment's journal: who did what, when, on which clause and why."""

    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = JournalEntry
        fields = ["id", "at", "actor", "action", "clause", "reason"]


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment in a list: its scope (G8.30(a)(i)), stage and dates."""

    party = serializers.SlugRelatedField(slug_field="party_id", read_only=True)
    party_name = serializers.CharField(source="party.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    roles = serializers.SerializerMethodField(help_text="The User Roles covered "
                                                        "(G8.30(a)(i))")
    assessor = _username(allow_null=True)
    compliance_status = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                     allow_null=True)

    class Meta:
        model = Assessment
        fields = ["id", "party", "party_name", "category", "category_label", "stage",
                  "stage_label", "roles", "assessor", "initial", "follows", "dcc_trigger",
                  "due", "fieldwork_start", "fieldwork_end", "completed", "report_issued_at",
                  "draft_shared_at",
                  "response_due", "response_submitted_at", "progress_interval_days",
                  "next_progress_due", "assurance_status", "status_set",
                  "follow_up_satisfied_on", "compliance_status", "compliance_set",
                  "dcc_outcome", "triage_approved_on", "classification"]


    def get_roles(self, assessment) -> list[str]:
        return [role.role for role in assessment.roles.all()]

    def to_representation(self, instance):
        """A reader who sees the assessment only as a Shared Resource User of its party gets
        its report and progress, not the provider's decisions (G10.8): those fields are null."""
        data = super().to_representation(instance)
        if decisions_withheld(self.context.get("user"), instance):
            for name in DECISION_FIELDS:
                if name in data:
                    data[name] = "" if name in ("assurance_status", "dcc_outcome") else None
        return data


class AssessmentDetailSerializer(AssessmentSerializer):
    """One assessment's whole record, as far as the reader may see it, and the actions open
    to the reader now."""

    findings = FindingSerializer(source="record.findings", many=True, read_only=True)
    progress_reports = ProgressReportSerializer(source="record.progress_in_order", many=True,
                                                read_only=True)
    decisions = DecisionSerializer(source="record.decisions", many=True, read_only=True)
    appeals = AppealSerializer(source="record.appeals", many=True, read_only=True)
    remediation_plans = RemediationPlanSerializer(source="record.plans", many=True,
                                                  read_only=True)
    follow_ups = serializers.SerializerMethodField()
    journal = JournalEntrySerializer(source="record.journal", many=True, read_only=True,
                                     help_text="Newest first; while the report is a draft, "
                                               "entries naming its findings are for its "
                                               "drafters only (G8.22-G8.23).")
    actions = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = AssessmentSerializer.Meta.fields + [
            "report_summary", "response_summary", "self_assessment", "self_assessment_review",
            "findings", "progress_reports", "decisions", "appeals", "remediation_plans",
            "follow_ups", "journal", "actions"]

    def get_follow_ups(self, assessment) -> list[int]:
        return [a.pk for a in assessment.record.follow_ups]

    def get_actions(self, assessment) -> list[str]:
        return actions_for(self.context["user"], assessment)
