"""Assessments and their records, as one person may see them: the lists, and the one record of
an assessment that its page, the API, the PDF and Word exports and the command line all show.

Every query starts from `Model.objects.visible_to(user)` (the one rule,
`secassure.core.visibility`), nested lists included (`visible_prefetch`): a draft report's
findings and evidence reach only its drafters (G8.22-G8.23), a Shared Resource Provider's
report, response, steps and progress reach its Shared Resource Users (G10.8). Each function runs
a fixed number of queries whatever the number of records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import BooleanField, CharField, ExpressionWrapper, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from secassure.code.classification import DRAFT_READERS, PARTY_SIDE
from secassure.code.roles import UserRole
from secassure.code.workflow import Act, Stage
from secassure.core.journal.models import JournalEntry
from secassure.core.visibility import person_kind, visible_prefetch
from secassure.registry.models import Party

from ..models import (
    Appeal,
    Assessment,
    Category,
    ComplianceStatus,
    Decision,
    EventOfDefault,
    EvidenceFile,
    Finding,
    FindingAnswer,
    ProgressReport,
    RemediationPlan,
    Step,
)

#: How many rows each list of a page shows (the count says how many in all).
LIMIT = 50
AFTER_RESPONSE = [Stage.RESPONSE_SUBMITTED.value, Stage.ALTERNATIVE_PROPOSED.value,
                  Stage.PLAN_AGREED.value]
FOLLOW_UPS = [Category.FOLLOW_UP, Category.DCC_FOLLOW_UP]

#: Journal entries that carry a draft report's content (that a finding was recorded, that a
#: file of evidence was attached to it): while the report is a draft they are, like the
#: findings, for its drafters only (G8.22-G8.23).
DRAFT_ACTIONS = (f"assurance.{Act.RECORD_FINDING.value}", "assurance.attach_evidence",
                 "assurance.evidence_failed_check", f"assurance.{Act.COMMENT_ON_DRAFT.value}")


# --- Lists of records, each what `visible_to` lets `user` see --------------------------------

def assessments(user: Any) -> QuerySet[Assessment]:
    """The assessments `user` may see, with their party, assessor, compliance status and the
    User Roles covered (two queries)."""
    return (Assessment.objects.visible_to(user)
            .select_related("party", "assessor", "compliance_status")
            .prefetch_related("roles"))


def assessments_for(user: Any, *, stage: str = "", category: str = "",
                    party: str = "") -> QuerySet[Assessment]:
    """The assessments `user` may see, newest first, optionally filtered (one query)."""
    found = (Assessment.objects.visible_to(user)
             .select_related("party", "assessor", "compliance_status"))
    if stage in {s.value for s in Stage}:
        found = found.filter(stage=stage)
    if category in Category.values:
        found = found.filter(category=category)
    if party:
        found = found.filter(Q(party__party_id__icontains=party) | Q(party__name__icontains=party))
    return found.order_by("-id")


def evidence(user: Any) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.visible_to(user).select_related("uploaded_by").order_by("id")


def answers(user: Any) -> QuerySet[FindingAnswer]:
    return FindingAnswer.objects.visible_to(user).select_related("finding").order_by(
        "finding__number")


def steps(user: Any) -> QuerySet[Step]:
    return Step.objects.visible_to(user).select_related("finding").order_by(
        "finding__number", "id")


def _overdue_step(today: date) -> ExpressionWrapper:
    """A binding step (G8.28(a)) past its date and not completed."""
    return ExpressionWrapper(Q(status=Step.Status.AGREED, completed_on__isnull=True,
                               due__lt=today), output_field=BooleanField())


def findings(user: Any, today: date | None = None) -> QuerySet[Finding]:
    """Findings with the evidence files (`visible_files`), the party's answer
    (`visible_answer`, or None) and the steps (`visible_steps`, each `overdue` or not as of
    `today`) that `user` may see (four queries)."""
    today = today or timezone.localdate()
    return (Finding.objects.visible_to(user).order_by("assessment_id", "number")
            .prefetch_related(
                visible_prefetch(user, "files", EvidenceFile.objects.select_related(
                    "uploaded_by").order_by("id")),
                visible_prefetch(user, "answer", FindingAnswer, "visible_answer"),
                visible_prefetch(user, "steps", Step.objects.annotate(
                    overdue=_overdue_step(today)).order_by("id"))))


def progress_reports(user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.visible_to(user).select_related("step", "reported_by")


def decisions(user: Any) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user).select_related("decided_by")


def appeals(user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.visible_to(user).select_related("decision", "lodged_by")


def remediation_plans(user: Any) -> QuerySet[RemediationPlan]:
    return RemediationPlan.objects.visible_to(user).select_related("submitted_by", "decided_by")


def events_of_default(user: Any) -> QuerySet[EventOfDefault]:
    """Referrals to the Panel (G8.57-G8.60) with those notified (G8.58(a)) that `user` may see
    (`visible_affected`): a party's register entry is no more visible through a referral."""
    return (EventOfDefault.objects.visible_to(user)
            .select_related("party", "assessment", "referred_by", "decided_by")
            .prefetch_related(visible_prefetch(user, "affected",
                                               Party.objects.order_by("party_id")),
                              "default_steps__recorded_by"))


def compliance_status_labels(codes: list[str]) -> dict[str, str]:
    """The labels of the compliance statuses `codes` (reference data, one query)."""
    return dict(ComplianceStatus.objects.filter(code__in=codes).values_list("code", "label"))


def defaults_for(user: Any, state: str = "") -> QuerySet[EventOfDefault]:
    """Events of Default `user` may see (G8.54-G8.60), newest first."""
    found = EventOfDefault.objects.visible_to(user).select_related("party", "assessment")
    if state == "undecided":
        found = found.filter(is_event_of_default__isnull=True)
    elif state == "default":
        found = found.filter(is_event_of_default=True)
    elif state == "not_default":
        found = found.filter(is_event_of_default=False)
    return found.order_by("-id")


def journal_entries(user: Any, assessment: Assessment) -> QuerySet[JournalEntry]:
    """The journal entries about `assessment` and its Events of Default that `user` may see,
    newest first (one query when read). While the report is a draft, the entries that name
    its findings are for its drafters only, like the findings themselves (G8.22-G8.23): the
    same on the page, over the API, in an export and at the command line."""
    referrals = (EventOfDefault.objects.visible_to(user).filter(assessment=assessment)
                 .annotate(subject=Concat(Value("event_of_default:"),
                                          Cast("pk", CharField())))
                 .values("subject"))
    entries = (JournalEntry.objects.visible_to(user)
               .filter(party_id=assessment.party_id)  # an Event of Default is the party's
               .filter(Q(subject=f"assessment:{assessment.pk}") | Q(subject__in=referrals)))
    shared_with_reader = (assessment.draft_shared_at is not None
                          and person_kind(user) in PARTY_SIDE
                          and getattr(user, "party_id", None) == assessment.party_id)
    if (assessment.report_issued_at is None and person_kind(user) not in DRAFT_READERS
            and not shared_with_reader):  # a shared draft is the party's too (G8.22)
        entries = entries.exclude(action__in=DRAFT_ACTIONS)
    return entries.order_by("-id")


#: The fields of an assessment that record its decisions (G8.35-G8.36, G7.20): G10.8 sends a
#: Shared Resource Provider's report, response, steps and progress to the Users it served, not
#: its decisions.
DECISION_FIELDS = ("assurance_status", "status_set", "compliance_status", "compliance_set",
                   "follow_up_satisfied_on", "dcc_outcome", "triage_approved_on")


def decisions_withheld(user: Any, assessment: Assessment) -> bool:
    """Whether `user` reads `assessment` only as a Shared Resource User of its party (G10.8):
    a party's own people reading another party's assessment can see it through G10.7-G10.8
    alone, and then see the report, response, steps and progress but not the provider's
    assurance or compliance status. Decided here once; the page, the API, the exports and the
    command line ask it (no query)."""
    return (person_kind(user) in PARTY_SIDE
            and getattr(user, "party_id", None) != assessment.party_id)


# --- One assessment's whole record ---------------------------------------------------------

@dataclass
class AssessmentRecord:
    """Everything of one assessment that `user` may see, each part through `visible_to`."""

    assessment: Assessment
    findings: list[Finding]     # each with visible_files, visible_answer, visible_steps
    answers: dict[int, FindingAnswer]  # by finding pk
    decisions: list[Decision]   # each with visible_appeals
    plans: list[RemediationPlan]
    progress: list[ProgressReport]     # newest first
    follow_ups: list[Assessment]
    defaults: list[EventOfDefault]
    journal: QuerySet[JournalEntry]    # newest first; read when shown (pages page it)
    user: Any = field(repr=False, default=None)

    @property
    def steps(self) -> list[Step]:
        return [step for finding in self.findings for step in finding.visible_steps]

    @property
    def appeals(self) -> list[Appeal]:
        """The appeals of every decision, in the order they were lodged."""
        return sorted((ap for d in self.decisions for ap in d.visible_appeals),
                      key=lambda ap: ap.pk)

    @property
    def progress_in_order(self) -> list[ProgressReport]:
        """The progress reports, oldest first."""
        return self.progress[::-1]

    @cached_property
    def resource_users(self) -> list:
        """The Shared Resource Users of the assessed party that `user` may see (G10.8): they
        receive its report and response (one query, when asked)."""
        return list(self.assessment.party.resource_users.visible_to(self.user)
                    .order_by("party_id"))

    @cached_property
    def triage_provider(self) -> bool:
        """Whether the assessed party is a Triage Facility Provider (G12.7; one query, when
        asked)."""
        return self.assessment.party.roles.filter(
            role=UserRole.TRIAGE_FACILITY_PROVIDER.value).exists()


def assessment_record(user: Any, assessment: Assessment,
                      today: date | None = None) -> AssessmentRecord:
    """The full record of `assessment` as `user` may see it (ten queries, the journal's when it
    is read). Findings of a report not yet issued are the assessor's draft (G8.22-G8.23): the
    model's draft rule keeps them, and `journal_entries` the entries naming them, from
    everyone else."""
    found = list(findings(user, today).filter(assessment=assessment))
    for finding in found:
        if finding.visible_answer is not None:
            finding.visible_answer.finding = finding
    return AssessmentRecord(
        assessment=assessment, user=user, findings=found,
        answers={f.pk: f.visible_answer for f in found if f.visible_answer is not None},
        decisions=list(decisions(user).filter(assessment=assessment).order_by("id")
                       .prefetch_related(visible_prefetch(
                           user, "appeals", Appeal.objects.select_related("lodged_by")
                           .order_by("id")))),
        plans=list(remediation_plans(user).filter(assessment=assessment).order_by("id")),
        progress=list(progress_reports(user).filter(assessment=assessment).order_by("-id")),
        follow_ups=list(Assessment.objects.visible_to(user).filter(follows=assessment)
                        .select_related("assessor").order_by("id")),
        defaults=list(events_of_default(user).filter(assessment=assessment).order_by("id")),
        journal=journal_entries(user, assessment))


def with_record(user: Any, assessment: Assessment, today: date | None = None) -> Assessment:
    """`assessment` with its `record` attached: what the API and the command line serialize
    (`AssessmentDetailSerializer`)."""
    assessment.record = assessment_record(user, assessment, today)
    return assessment


def assessment_with_record(user: Any, pk: int) -> Assessment:
    """The assessment `pk`, if `user` may see it (DoesNotExist otherwise), with its record."""
    return with_record(user, assessments(user).get(pk=pk))
