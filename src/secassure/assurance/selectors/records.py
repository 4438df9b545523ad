"""Queries of the assurance pages, shared by the views (and any API that wants them).

Every query of confidential records starts from `Model.objects.visible_to(user)`: what a
person sees is decided in the database, never by filtering lists in Python. Each function
runs a fixed number of queries whatever the size of the register (counts pinned in
tests/assurance/test_page_queries.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (BooleanField, Count, Exists, ExpressionWrapper, OuterRef,
                              Prefetch, Q, QuerySet)

from secassure.core.visibility import person_kind
from secassure.code.categories import AssuranceStatus
from secassure.code.findings import triage_permitted
from secassure.code.roles import UserRole
from secassure.code.workflow import PARTY_SIDE, RULES, Act, Stage
from secassure.core.journal.models import JournalEntry

from ..models import (Appeal, Assessment, Category, Decision, EventOfDefault, EvidenceFile,
                     Finding, FindingAnswer, ProgressReport, RemediationPlan, Step)

#: How many rows each section of the attention page lists (the count says how many in all).
LIMIT = 50
AFTER_RESPONSE = [Stage.RESPONSE_SUBMITTED.value, Stage.ALTERNATIVE_PROPOSED.value,
                  Stage.PLAN_AGREED.value]
FOLLOW_UPS = [Category.FOLLOW_UP.value, Category.DCC_FOLLOW_UP.value]


def assessments_for(user, *, stage: str = "", category: str = "", party: str = "") -> QuerySet:
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


def _overdue_step(today: date) -> ExpressionWrapper:
    """A binding step (G8.28(a)) past its date and not completed."""
    return ExpressionWrapper(Q(status=Step.Status.AGREED, completed_on__isnull=True,
                               due__lt=today), output_field=BooleanField())


@dataclass
class AssessmentRecord:
    """Everything of one assessment that `user` may see, each part through `visible_to`."""

    findings: list
    answers: dict
    decisions: list
    plans: list
    progress: list
    follow_ups: list
    defaults: list
    journal: list
    resource_users: list = field(default_factory=list)
    triage_provider: bool = False

    @property
    def steps(self) -> list:
        return [step for finding in self.findings for step in finding.visible_steps]


def assessment_record(user, assessment: Assessment, today: date) -> AssessmentRecord:
    """The full record of an assessment for its page (a fixed number of queries).

    Findings of a report not yet issued are the assessor's draft (G8.22-G8.23): the model's
    draft rule keeps them from everyone else."""
    findings = list(
        Finding.objects.visible_to(user).filter(assessment=assessment).order_by("number")
        .prefetch_related(
            Prefetch("files", EvidenceFile.objects.visible_to(user).order_by("id"),
                     to_attr="visible_files"),
            Prefetch("steps", Step.objects.visible_to(user).annotate(
                overdue=_overdue_step(today)).order_by("id"), to_attr="visible_steps")))
    answers = {a.finding_id: a for a in FindingAnswer.objects.visible_to(user).filter(
        finding__assessment=assessment)}
    for finding in findings:
        finding.visible_answer = answers.get(finding.pk)
    decisions = list(
        Decision.objects.visible_to(user).filter(assessment=assessment)
        .select_related("decided_by").order_by("id")
        .prefetch_related(Prefetch("appeals", Appeal.objects.visible_to(user)
                                   .select_related("lodged_by"), to_attr="visible_appeals")))
    return AssessmentRecord(
        findings=findings, answers=answers, decisions=decisions,
        plans=list(RemediationPlan.objects.visible_to(user).filter(assessment=assessment)
                   .select_related("submitted_by", "decided_by").order_by("id")),
        progress=list(ProgressReport.objects.visible_to(user).filter(assessment=assessment)
                      .select_related("step", "reported_by").order_by("-id")),
        follow_ups=list(Assessment.objects.visible_to(user).filter(follows=assessment)
                        .select_related("assessor").order_by("id")),
        defaults=list(EventOfDefault.objects.visible_to(user).filter(assessment=assessment)
                      .order_by("id")),
        journal=list(JournalEntry.objects.visible_to(user).filter(
            party_id=assessment.party_id, subject=f"assessment:{assessment.pk}").order_by("-id")),
        resource_users=list(assessment.party.resource_users.visible_to(user)
                            .order_by("party_id")),
        triage_provider=assessment.party.roles.filter(
            role=UserRole.TRIAGE_FACILITY_PROVIDER.value).exists())


# --- What needs the SSC's (and the Panel's) attention --------------------------------------

@dataclass(frozen=True)
class Section:
    """One heading of the attention page: whose business, on which clause, which records."""

    key: str
    title: str
    who: str
    clause: str
    what: str
    date_label: str = ""
    date_field: str = ""
    late: bool = False   # a date in the past is overdue


SECTIONS = {s.key: s for s in [
    Section("review", "Responses awaiting the SSC's review", "SSC", "G8.27",
            "Accept the steps and timetable, or propose other steps or dates.",
            "Response submitted", "response_submitted_at"),
    Section("responses_overdue", "Responses overdue", "SSC", "G8.24",
            "The party has not responded by the date the SSC set.", "Response due",
            "response_due", late=True),
    Section("response_date", "Reports issued with no response date set", "SSC", "G8.24",
            "Set the date by which the party must respond.", "Report issued",
            "report_issued_at"),
    Section("steps", "Agreed steps overdue", "SSC", "G8.28(a)",
            "Binding steps past their date with no completion reported (G8.28(b)(ii)-(iii)).",
            "Due", "due", late=True),
    Section("compliance_status", "Compliance status to set", "SSC", "G7.20",
            "After a Verification or a later Full assessment.", "Response submitted",
            "response_submitted_at"),
    Section("dcc_outcome", "DCC outcome to record", "SSC", "G9.29",
            "No non-compliances, or the specific ones the DCC must address (G9.30).",
            "Response submitted", "response_submitted_at"),
    Section("plans", "Remediation Plans submitted", "SSC", "G8.27",
            "Approve each plan and Director's Letter, or send it back.", "Submitted",
            "submitted_at"),
    Section("ssa_to_note", "Self-assessments reviewed, to note", "SSC", "G8.18",
            "The assessor has reviewed the self-assessment (G8.50).", "Completed", "completed"),
    Section("triage", "Triage Facility Providers awaiting approval", "SSC", "G12.7(b)",
            "Approved subject to conditions: Triage Activities need the SSC's explicit "
            "approval.", "Status set", "status_set"),
    Section("assurance_status", "Assurance status to set", "Panel", "G8.35",
            "Initial Full assessment with its report and response: set the status (G8.36).",
            "Response submitted", "response_submitted_at"),
    Section("deferred", "Deferred: a Follow-up has reported", "Panel", "G8.36(c)(ii)",
            "Decide whether the Follow-up shows the steps were taken.", "Status set",
            "status_set"),
    Section("defaults", "Events of Default to decide", "Panel", "G8.58",
            "Matters the SSC referred (G8.57): is the non-compliance an Event of Default?",
            "Referred", "referred_on"),
    Section("remedial", "Remedial action plans to approve", "Panel", "G8.60",
            "After an Event of Default, a plan under M8.4(d).", "Decided", "decided_on"),
    Section("appeals", "DCC appeals to the Panel", "Panel", "G9.33",
            "The DCC disagrees with the SSC's decision (G9.28-G9.31).", "Lodged", "lodged_on"),
    Section("follow_ups", "Follow-ups due", "Assessor", "G8.29",
            "Follow-up assessments the SSC asked for, by the date it set.", "Due by", "due",
            late=True),
    Section("progress", "Progress reports due", "Party", "G8.28(b)(i)",
            "Progress on the agreed steps, at the intervals the SSC set.", "Next due",
            "next_progress_due", late=True),
]}
GROUPS = (
    ("For the SSC to decide", ("review", "responses_overdue", "response_date", "steps",
                               "compliance_status", "dcc_outcome", "plans", "ssa_to_note",
                               "triage")),
    ("For the Panel to decide", ("assurance_status", "deferred", "defaults", "remedial",
                                 "appeals")),
    ("Due by the meeting", ("follow_ups", "progress")),
)


def _assessment_filters(today: date, until: date) -> dict[str, tuple[Q, list[str]]]:
    """The sections made of assessments: their filter and order."""
    follow_up_reported = Exists(Assessment.objects.filter(  # after the deferral (G8.36(c)(i))
        follows=OuterRef("pk"), report_issued_at__isnull=False,
        completed__gt=OuterRef("status_set")))
    by_response = ["response_submitted_at", "id"]
    return {
        "review": (Q(stage=Stage.RESPONSE_SUBMITTED.value), by_response),
        "responses_overdue": (Q(stage=Stage.REPORT_ISSUED.value, response_due__lt=today),
                              ["response_due", "id"]),
        "response_date": (Q(stage=Stage.REPORT_ISSUED.value, response_due__isnull=True),
                          ["report_issued_at", "id"]),
        "compliance_status": ((Q(category=Category.VERIFICATION.value)
                               | Q(category=Category.FULL.value, initial=False))
                              & Q(stage__in=AFTER_RESPONSE, compliance_status__isnull=True),
                              by_response),
        "dcc_outcome": (Q(category=Category.DCC_FULL.value, stage__in=AFTER_RESPONSE,
                          dcc_outcome=""), by_response),
        "ssa_to_note": (Q(stage=Stage.SSA_REVIEWED.value), ["completed", "id"]),
        "triage": (Q(party__roles__role=UserRole.TRIAGE_FACILITY_PROVIDER.value,
                     assurance_status=AssuranceStatus.APPROVED_SUBJECT_TO.value,
                     triage_approved_on__isnull=True, stage__in=AFTER_RESPONSE),
                   ["status_set", "id"]),
        "assurance_status": (Q(category=Category.FULL.value, initial=True, assurance_status="",
                               stage__in=AFTER_RESPONSE), by_response),
        "deferred": (Q(assurance_status=AssuranceStatus.DEFERRED.value,
                       follow_up_satisfied_on__isnull=True) & Q(follow_up_reported),
                     ["status_set", "id"]),
        "follow_ups": (Q(category__in=FOLLOW_UPS, stage=Stage.BOOKED.value, due__lte=until),
                       ["due", "id"]),
        "progress": (Q(stage=Stage.PLAN_AGREED.value, next_progress_due__lte=until),
                     ["next_progress_due", "id"]),
    }


def attention(user, today: date, until: date) -> dict[str, tuple[list, int]]:
    """The business of the SSC's next meeting and the Panel's decisions, as of `today`, with
    what falls due by `until` (the meeting): for each section of SECTIONS its first LIMIT
    records and how many there are in all. One aggregate query counts every assessment
    section; 21 queries in all, whatever the volume."""
    visible = Assessment.objects.visible_to(user)
    filters = _assessment_filters(today, until)
    counts = visible.aggregate(**{f"n_{key}": Count("pk", filter=where, distinct=True)
                                  for key, (where, _) in filters.items()})  # n_: not a field
    found = {key: (list(visible.filter(where).select_related("party", "assessor")
                        .order_by(*order)[:LIMIT]), counts[f"n_{key}"])
             for key, (where, order) in filters.items()}

    steps = (Step.objects.visible_to(user)
             .filter(status=Step.Status.AGREED, completed_on__isnull=True, due__lt=today))
    found["steps"] = (list(steps.select_related("finding__assessment__party")
                           .order_by("due", "id")[:LIMIT]), steps.count())
    plans = RemediationPlan.objects.visible_to(user).filter(
        status=RemediationPlan.Status.SUBMITTED)
    found["plans"] = (list(plans.select_related("assessment__party")
                           .order_by("submitted_at", "id")[:LIMIT]), plans.count())
    defaults = EventOfDefault.objects.visible_to(user)
    undecided = Q(is_event_of_default__isnull=True)
    remedial = Q(is_event_of_default=True, remedial_plan_approved_on__isnull=True)
    eod = defaults.aggregate(undecided=Count("pk", filter=undecided),
                             remedial=Count("pk", filter=remedial))
    found["defaults"] = (list(defaults.filter(undecided).select_related("party")
                              .order_by("referred_on", "id")[:LIMIT]), eod["undecided"])
    found["remedial"] = (list(defaults.filter(remedial).select_related("party")
                              .order_by("decided_on", "id")[:LIMIT]), eod["remedial"])
    appeals = Appeal.objects.visible_to(user).filter(to=Appeal.To.PANEL, outcome="")
    found["appeals"] = (list(appeals.select_related("decision__assessment__party")
                             .order_by("lodged_on", "id")[:LIMIT]), appeals.count())
    return found


# --- A party's assurance, for its register page ---------------------------------------------

@dataclass
class PartyAssurance:
    assessments: list
    provider_assessments: list
    triage: tuple | None      # (permitted, clause, why, the assessment it rests on) or None
    can_book: bool

    @property
    def booked(self):
        """The open booking that stands in for the party's next assessment (G8.40)."""
        return next((a for a in self.assessments if a.stage == Stage.BOOKED.value
                     and a.category not in FOLLOW_UPS), None)


def may_book(user, party) -> bool:
    """SECAS books for anyone; a party's own people for their party (G8.40: the User
    schedules its assessment). No query."""
    kind = person_kind(user)
    return kind in RULES[Act.BOOK].who and (kind not in PARTY_SIDE or user.party_id == party.pk)


def party_assurance(user, party) -> PartyAssurance:
    """A party's assessments, its provider's (G10.8) and whether it may triage (G12.7):
    one query, plus one for a Shared Resource User and one for a Triage Facility Provider.
    `party.roles` must be prefetched (registry.selectors.visible_parties does)."""
    visible = (Assessment.objects.visible_to(user)
               .select_related("assessor", "compliance_status").order_by("-id"))
    provider = []
    if party.resource_provider_id:
        provider = list(visible.filter(party_id=party.resource_provider_id)
                        .exclude(stage=Stage.CANCELLED.value))
    triage = None
    if any(r.role == UserRole.TRIAGE_FACILITY_PROVIDER.value for r in party.roles.all()):
        entry = (visible.filter(party=party, category=Category.FULL.value, initial=True)
                 .exclude(assurance_status="").order_by("-status_set", "-id").first())
        triage = (*triage_permitted(entry.assurance_status if entry else None,
                                    bool(entry and entry.triage_approved_on)), entry)
    return PartyAssurance(assessments=list(visible.filter(party=party)),
                          provider_assessments=provider, triage=triage,
                          can_book=may_book(user, party))


def defaults_for(user, state: str = "") -> QuerySet:
    """Events of Default `user` may see (G8.54-G8.60), newest first."""
    found = EventOfDefault.objects.visible_to(user).select_related("party", "assessment")
    if state == "undecided":
        found = found.filter(is_event_of_default__isnull=True)
    elif state == "default":
        found = found.filter(is_event_of_default=True)
    elif state == "not_default":
        found = found.filter(is_event_of_default=False)
    return found.order_by("-id")
