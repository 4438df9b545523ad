"""The table of actions on an assessment: one row per action, each with its own URL and
exactly one service call.

Each row names the workflow act (so `secassure.code.workflow` decides who may take it and at
which stage), whether it makes sense for this assessment (its category, its status), its form,
the one service call and the message after it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from secassure.core.visibility import person_kind
from secassure.code.categories import AssuranceStatus
from secassure.code.workflow import PARTY_SIDE, RULES, Act, available

from .. import forms, services
from ..models import Category, Decision, Finding, RemediationPlan, Step

FOLLOW_UPS = (Category.FOLLOW_UP, Category.DCC_FOLLOW_UP)
#: For the DCC's own assessments, G9 gives the same steps their own clauses (G9.19-G9.26).
DCC_CLAUSES = {Act.RECORD_FINDING: "G9.19", Act.ISSUE_REPORT: "G9.20",
               Act.SET_RESPONSE_DUE: "G9.21", Act.SUBMIT_RESPONSE: "G9.21",
               Act.ACCEPT_PLAN: "G9.24(a)", Act.PROPOSE_ALTERNATIVE: "G9.24(b)",
               Act.AGREE_ALTERNATIVE: "G9.25", Act.REPORT_PROGRESS: "G9.25(b)",
               Act.SET_PROGRESS_INTERVAL: "G9.25(b)(i)", Act.REQUEST_FOLLOW_UP: "G9.26"}


def _reported(a, r) -> bool:
    """A self-assessment has no report: the party documents its outcome (G8.50(b))."""
    return a.category != Category.SELF_ASSESSMENT


def _compliance(a, r) -> bool:
    """A compliance status follows a Verification or a later Full assessment (G7.20)."""
    return a.category == Category.VERIFICATION or (a.category == Category.FULL and not a.initial)


def _entry(a, r) -> bool:
    """The Panel sets the assurance status after an initial Full assessment (G8.35)."""
    return a.category == Category.FULL and a.initial and not a.assurance_status


def _deferred(a, r) -> bool:
    """Deferred, and a Follow-up completed since has reported (G8.36(c))."""
    return (a.assurance_status == AssuranceStatus.DEFERRED and not a.follow_up_satisfied_on
            and any(f.report_issued_at and f.completed and f.completed > a.status_set
                    for f in r.follow_ups))


def _triage(a, r) -> bool:
    """A Triage Facility Provider approved subject to conditions (G12.7(b))."""
    return (a.assurance_status == AssuranceStatus.APPROVED_SUBJECT_TO
            and not a.triage_approved_on and r.triage_provider)


@dataclass(frozen=True)
class Action:
    slug: str
    act: Act
    form: Callable            # (assessment, record, data, files) -> form
    run: Callable             # (user, assessment, cleaned_data, target): the one service call
    done: str | Callable      # the message after it: formatted with d (data) and result,
                              # or a function of (data, result)
    applies: Callable = lambda a, r: True
    target: str = ""          # "finding", "plan" or "decision": the action is per record
    template: str = "assurance/_form.html"
    note: str = ""
    button: str = ""
    clause_for: Callable | None = None  # per-record actions: the clause for that record

    @property
    def rule(self):
        return RULES[self.act]

    @property
    def label(self) -> str:
        return self.button or self.rule.label

    def url(self, assessment, target=None) -> str:
        args = [assessment.pk, self.slug] + ([target.pk] if target is not None else [])
        return reverse("assessment-act", args=args)


def _plain(form_class, **extra):
    return lambda a, r, data=None, files=None: form_class(data, files, **extra)


def _steps_form(form_class):
    return lambda a, r, data=None, files=None, add_row_to=None: form_class(
        data, findings=r.findings, add_row_to=add_row_to)


def _progress_form(a, r, data=None, files=None):
    steps = [s.pk for s in r.steps if s.status == Step.Status.AGREED and not s.completed_on]
    return forms.ProgressForm(data, steps=Step.objects.filter(pk__in=steps)
                              .select_related("finding").order_by("due", "id"))


S = services
ACTIONS: list[Action] = [
    Action("cancel", Act.CANCEL, _plain(forms.ReasonForm, label="Why it is cancelled"),
           lambda u, a, d, t: S.cancel_booking(u, a, d["reason"]), "Booking cancelled."),
    Action("record-finding", Act.RECORD_FINDING,
           lambda a, r, data=None, files=None: forms.FindingForm(data, assessment=a),
           lambda u, a, d, t: S.record_finding(u, a, kind=d["kind"], clause=d["clause"],
                                               title=d["title"], evidence=d["evidence"]),
           "Finding {result.number} recorded in the draft report (G8.22).", _reported,
           note="Only you see the findings until the report is issued (G8.22-G8.23)."),
    Action("attach-evidence", Act.RECORD_FINDING, _plain(forms.EvidenceForm),
           lambda u, a, d, finding: S.attach_evidence(u, finding, d["file"]),
           "Evidence {result.name} attached (SHA-256 {result.sha256:.12}...).", _reported,
           target="finding", button="Attach the file"),
    Action("issue-report", Act.ISSUE_REPORT,
           lambda a, r, data=None, files=None: forms.IssueReportForm(
               data, initial={"fieldwork_end": a.fieldwork_end}),
           lambda u, a, d, t: S.issue_report(u, a, summary=d["summary"],
                                             fieldwork_end=d["fieldwork_end"]),
           "Report issued to the SSC and the party (G8.23) and to any Shared Resource Users "
           "(G10.8(a)).", _reported,
           note="Issuing sends the report to the SSC and the party; for a Shared Resource "
                "Provider also to each Shared Resource User (G10.8(a))."),
    Action("set-response-due", Act.SET_RESPONSE_DUE, _plain(forms.ResponseDueForm),
           lambda u, a, d, t: S.set_response_due(u, a, d["due"]),
           "Response due by {d[due]:%d %B %Y} (G8.24)."),
    Action("respond", Act.SUBMIT_RESPONSE, _steps_form(forms.ResponseForm),
           lambda u, a, d, t: S.submit_response(u, a, d["answers"], d["summary"]),
           "Response submitted to the SSC and the assessor (G8.24(b)).",
           template="assurance/_response_form.html"),
    Action("accept-plan", Act.ACCEPT_PLAN,
           _plain(forms.ReasonForm, label="Note (optional)", required=False),
           lambda u, a, d, t: S.accept_plan(u, a, d["reason"]),
           "Steps and timetable accepted: they now bind the party (G8.27(a), G8.28)."),
    Action("propose-alternative", Act.PROPOSE_ALTERNATIVE, _steps_form(forms.AlternativeForm),
           lambda u, a, d, t: S.propose_alternative(u, a, d["steps"], d["reason"]),
           "Other steps or dates proposed to the party (G8.27(b)).",
           template="assurance/_alternative_form.html"),
    Action("agree-alternative", Act.AGREE_ALTERNATIVE, _plain(forms.ConfirmForm),
           lambda u, a, d, t: S.agree_alternative(u, a),
           "You agreed the SSC's steps and dates: the plan now binds you (G8.28).",
           note="Agreeing replaces your steps for those findings with the SSC's."),
    Action("report-progress", Act.REPORT_PROGRESS, _progress_form,
           lambda u, a, d, t: S.report_progress(u, a, kind=d["kind"], text=d["text"],
                                                step=d["step"], on=d["on"]),
           "Report sent to the SSC (G8.28(b)) and to any Shared Resource Users (G10.8(d))."),
    Action("set-progress-interval", Act.SET_PROGRESS_INTERVAL,
           _plain(forms.ProgressIntervalForm),
           lambda u, a, d, t: S.set_progress_interval(u, a, d["days"]),
           "Progress to be reported every {d[days]} days (G8.28(b)(i))."),
    Action("request-follow-up", Act.REQUEST_FOLLOW_UP, _plain(forms.FollowUpForm),
           lambda u, a, d, t: S.request_follow_up(u, a, d["by"], d["reason"]),
           "Follow-up requested by {d[by]:%d %B %Y} and booked (G8.29).",
           lambda a, r: a.category not in FOLLOW_UPS),
    Action("set-assurance-status", Act.SET_ASSURANCE_STATUS, _plain(forms.AssuranceStatusForm),
           lambda u, a, d, t: S.set_assurance_status(u, a, d["status"], d["reason"],
                                                     follow_up_by=d["follow_up_by"]),
           lambda d, result: f"Assurance status set: {result.get_assurance_status_display()} "
           f"({AssuranceStatus(result.assurance_status).clause}).", _entry),
    Action("confirm-follow-up", Act.CONFIRM_FOLLOW_UP_SATISFIES, _plain(forms.ReasonForm),
           lambda u, a, d, t: S.confirm_follow_up_satisfies(u, a, d["reason"]),
           "The Panel is satisfied: user entry requirements met (G8.37(a)(ii)).", _deferred),
    Action("set-compliance-status", Act.SET_COMPLIANCE_STATUS,
           _plain(forms.ComplianceStatusForm),
           lambda u, a, d, t: S.set_compliance_status(u, a, d["status"].code, d["reason"]),
           "Compliance status set: {d[status].label}.", _compliance),
    Action("record-dcc-outcome", Act.RECORD_DCC_OUTCOME,
           lambda a, r, data=None, files=None: forms.DccOutcomeForm(data, findings=r.findings),
           lambda u, a, d, t: S.record_dcc_outcome(u, a, d["outcome"], d["reason"],
                                                   findings=[int(f) for f in d["findings"]]),
           "DCC outcome recorded; the Panel is told (G9.29-G9.31).",
           lambda a, r: a.category == Category.DCC_FULL and not a.dcc_outcome),
    Action("submit-remediation-plan", Act.SUBMIT_REMEDIATION_PLAN,
           _plain(forms.RemediationPlanForm),
           lambda u, a, d, t: S.submit_remediation_plan(
               u, a, plan=d["plan"], director_name=d["director_name"],
               director_statement=d["director_statement"], letter=d["letter"]),
           "Remediation Plan and Director's Letter submitted to the SSC.",
           lambda a, r: _compliance(a, r) and not any(
               p.status == RemediationPlan.Status.SUBMITTED for p in r.plans)),
    Action("decide-plan", Act.DECIDE_REMEDIATION_PLAN, _plain(forms.DecidePlanForm),
           lambda u, a, d, plan: S.decide_remediation_plan(u, plan, d["decision"] == "approve",
                                                           d["comment"]),
           lambda d, result: "Remediation Plan " + (
               "approved." if result.status == RemediationPlan.Status.APPROVED
               else "sent back to the party."),
           target="plan"),
    Action("submit-self-assessment", Act.SUBMIT_SELF_ASSESSMENT,
           _plain(forms.SelfAssessmentForm),
           lambda u, a, d, t: S.submit_self_assessment(u, a, d["outcome"]),
           "Self-assessment submitted for the assessor's review (G8.50(b)).",
           lambda a, r: a.category == Category.SELF_ASSESSMENT),
    Action("review-self-assessment", Act.REVIEW_SELF_ASSESSMENT, _plain(forms.ReviewForm),
           lambda u, a, d, t: S.review_self_assessment(u, a, d["review"]),
           "Review recorded; the SSC is told (G8.18)."),
    Action("note-self-assessment", Act.NOTE_SELF_ASSESSMENT,
           _plain(forms.ReasonForm, label="Note (optional)", required=False),
           lambda u, a, d, t: S.note_self_assessment(u, a, d["reason"]),
           "Self-assessment noted."),
    Action("appeal", Act.RECORD_APPEAL, _plain(forms.AppealForm),
           lambda u, a, d, decision: S.record_appeal(u, decision, d["grounds"]),
           lambda d, result: f"Appeal to {result.get_to_display()} recorded.",
           target="decision", clause_for=lambda decision: "G9.33" if decision.kind ==
           Decision.Kind.DCC_OUTCOME else "G8.39"),
    Action("approve-triage", Act.APPROVE_TRIAGE, _plain(forms.ReasonForm),
           lambda u, a, d, t: S.approve_triage(u, a, d["reason"]),
           "Triage Activities approved (G12.7(b)).", _triage),
]
BY_SLUG = {action.slug: action for action in ACTIONS}

#: Where a per-record action finds its record (always through `visible_to`).
TARGETS = {
    "finding": lambda user, a, pk: Finding.objects.visible_to(user).filter(assessment=a, pk=pk),
    "plan": lambda user, a, pk: RemediationPlan.objects.visible_to(user).filter(
        assessment=a, pk=pk, status=RemediationPlan.Status.SUBMITTED),
    "decision": lambda user, a, pk: Decision.objects.visible_to(user).filter(
        assessment=a, pk=pk, kind__in=[Decision.Kind.ASSURANCE_STATUS,
                                       Decision.Kind.DCC_OUTCOME]),
}
#: The records each per-record action is offered on, and the attribute the page reads.
OFFERED = {
    "finding": (lambda r: r.findings, "evidence_panel"),
    "plan": (lambda r: [p for p in r.plans if p.status == RemediationPlan.Status.SUBMITTED],
             "decide_panel"),
    "decision": (lambda r: [d for d in r.decisions if d.kind in (
        Decision.Kind.ASSURANCE_STATUS, Decision.Kind.DCC_OUTCOME) and not d.visible_appeals],
                 "appeal_panel"),
}


@dataclass
class Panel:
    """One action's form on the page: where it posts, and the clause shown by its button."""

    action: Action
    form: object
    url: str
    error: str = ""
    target: int | None = None
    clause: str = ""

    def __post_init__(self):
        self.clause = self.clause or self.action.rule.clause

    @property
    def anchor(self) -> str:
        return f"act-{self.action.slug}" + (f"-{self.target}" if self.target else "")


def panels(user, assessment, record, failed: Panel | None = None, target=None) -> list[Panel]:
    """The forms of the actions this person may take on this assessment now. Per-record
    forms are attached to their record (`finding.evidence_panel`, ...)."""
    kind = person_kind(user)
    clauses = DCC_CLAUSES if assessment.is_dcc else {}
    acts = set(available(kind, assessment.stage_enum))
    if kind in PARTY_SIDE and user.party_id != assessment.party_id:
        acts = set()  # a Shared Resource User reads its provider's record, it does not act
    shown = []
    for action in ACTIONS:
        if action.act not in acts or not action.applies(assessment, record):
            continue
        if not action.target:
            same = failed is not None and failed.action is action
            shown.append(failed if same else Panel(action, action.form(assessment, record),
                                                   action.url(assessment),
                                                   clause=clauses.get(action.act, "")))
            continue
        records, attr = OFFERED[action.target]
        for obj in records(record):
            same = failed is not None and failed.action is action and target == obj.pk
            setattr(obj, attr, failed if same else Panel(
                action, action.form(assessment, record), action.url(assessment, obj),
                target=obj.pk, clause=action.clause_for(obj) if action.clause_for else ""))
    return shown
