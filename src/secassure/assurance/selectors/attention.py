"""What needs the SSC's (and the Panel's) attention at its next meeting: one section per kind of
business, each on its clause, with its first LIMIT records and how many there are in all.

Every query starts from `Model.objects.visible_to(user)`; 21 queries in all, whatever the
volume (pinned in tests/assurance/test_page_queries.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from secassure.code.categories import AssuranceStatus
from secassure.code.roles import UserRole
from secassure.code.workflow import Stage, cases, panel_sets_status, ssc_sets_compliance

from ..models import Appeal, Assessment, Category, EventOfDefault, RemediationPlan, Step
from .records import AFTER_RESPONSE, FOLLOW_UPS, LIMIT


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


def _where(rule: Any) -> Q:
    """The assessments a rule of `code.workflow` over (category, initial) holds for, as a
    query: the rule stays written once, there."""
    where = Q(pk__in=[])
    for category, initial in cases(rule):
        where |= Q(category=category, initial=initial)
    return where


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
        "compliance_status": (_where(ssc_sets_compliance)
                              & Q(stage__in=AFTER_RESPONSE, compliance_status__isnull=True),
                              by_response),
        "dcc_outcome": (Q(category=Category.DCC_FULL, stage__in=AFTER_RESPONSE,
                          dcc_outcome=""), by_response),
        "ssa_to_note": (Q(stage=Stage.SSA_REVIEWED.value), ["completed", "id"]),
        "triage": (Q(party__roles__role=UserRole.TRIAGE_FACILITY_PROVIDER.value,
                     assurance_status=AssuranceStatus.APPROVED_SUBJECT_TO.value,
                     triage_approved_on__isnull=True, stage__in=AFTER_RESPONSE),
                   ["status_set", "id"]),
        "assurance_status": (_where(panel_sets_status)
                             & Q(assurance_status="", stage__in=AFTER_RESPONSE), by_response),
        "deferred": (Q(assurance_status=AssuranceStatus.DEFERRED.value,
                       follow_up_satisfied_on__isnull=True) & Q(follow_up_reported),
                     ["status_set", "id"]),
        "follow_ups": (Q(category__in=FOLLOW_UPS, stage=Stage.BOOKED.value, due__lte=until),
                       ["due", "id"]),
        "progress": (Q(stage=Stage.PLAN_AGREED.value, next_progress_due__lte=until),
                     ["next_progress_due", "id"]),
    }


#: Events of Default the Panel has to decide (G8.58), and those awaiting a remedial plan (G8.60).
UNDECIDED = Q(is_event_of_default__isnull=True)
REMEDIAL = Q(is_event_of_default=True, remedial_plan_approved_on__isnull=True)


def _others(user: Any, today: date) -> dict[str, tuple[QuerySet, list[str], list[str]]]:
    """The sections not made of assessments: their records, order and related rows."""
    steps = (Step.objects.visible_to(user)
             .filter(status=Step.Status.AGREED, completed_on__isnull=True, due__lt=today))
    plans = RemediationPlan.objects.visible_to(user).filter(
        status=RemediationPlan.Status.SUBMITTED)
    defaults = EventOfDefault.objects.visible_to(user)
    appeals = Appeal.objects.visible_to(user).filter(to=Appeal.To.PANEL, outcome="")
    return {
        "steps": (steps, ["due", "id"], ["finding__assessment__party"]),
        "plans": (plans, ["submitted_at", "id"], ["assessment__party"]),
        "defaults": (defaults.filter(UNDECIDED), ["referred_on", "id"], ["party"]),
        "remedial": (defaults.filter(REMEDIAL), ["decided_on", "id"], ["party"]),
        "appeals": (appeals, ["lodged_on", "id"], ["decision__assessment__party"]),
    }


def attention_counts(user: Any, today: date, until: date) -> dict[str, int]:
    """How many records each section of SECTIONS holds for `user`, as `attention` counts
    them, without reading the records (for the home page): five queries."""
    visible = Assessment.objects.visible_to(user)
    filters = _assessment_filters(today, until)
    counts = visible.aggregate(**{f"n_{key}": Count("pk", filter=where, distinct=True)
                                  for key, (where, _) in filters.items()})  # n_: not a field
    found = {key: counts[f"n_{key}"] for key in filters}
    others = _others(user, today)
    for key in ("steps", "plans", "appeals"):
        found[key] = others[key][0].count()
    found.update(EventOfDefault.objects.visible_to(user).aggregate(
        defaults=Count("pk", filter=UNDECIDED), remedial=Count("pk", filter=REMEDIAL)))
    return found


def attention(user: Any, today: date, until: date) -> dict[str, tuple[list, int]]:
    """The business of the SSC's next meeting and the Panel's decisions, as of `today`, with
    what falls due by `until` (the meeting): for each section of SECTIONS its first LIMIT
    records and how many there are in all. One aggregate query counts every assessment
    section; 21 queries in all, whatever the volume."""
    visible = Assessment.objects.visible_to(user)
    filters = _assessment_filters(today, until)
    counts = visible.aggregate(**{f"n_{key}": Count("pk", filter=where, distinct=True)
                                  for key, (where, _) in filters.items()})  # n_: not a field
    found: dict[str, tuple[list, int]] = {
        key: (list(visible.filter(where).select_related("party", "assessor")
                   .order_by(*order)[:LIMIT]), counts[f"n_{key}"])
        for key, (where, order) in filters.items()}
    others = _others(user, today)
    eod = EventOfDefault.objects.visible_to(user).aggregate(
        defaults=Count("pk", filter=UNDECIDED), remedial=Count("pk", filter=REMEDIAL))
    for key, (records, order, related) in others.items():
        rows = list(records.select_related(*related).order_by(*order)[:LIMIT])
        found[key] = (rows, eod[key] if key in eod else records.count())
    return found
