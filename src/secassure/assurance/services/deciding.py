"""Status decisions, Remediation Plans, appeals and triage approval (G8.34-G8.39, G9.28-G9.33,
G12.7)."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from secassure.core.visibility import person_kind
from secassure.code.categories import AssuranceStatus
from secassure.code.classification import PersonKind
from secassure.code.workflow import Act

from .. import notify
from ..models import (Appeal, Assessment, Category, ComplianceStatus, Decision,
                      RemediationPlan)
from .base import (AssuranceError, WorkflowError, allow, book_follow_up, decide, journal, lock,
                    move, require_person, today)

PANEL_STATUSES = [s.value for s in AssuranceStatus]


def set_assurance_status(user, assessment: Assessment, status: str, reason: str, *,
                         follow_up_by: date | None = None) -> Assessment:
    """The Panel sets the assurance status after an initial Full assessment, having the report
    and the response (G8.34-G8.36); 'approved subject to' may require a Follow-up by a date
    (G8.36(b)(ii)), which is booked at once. It is set once: a party that disagrees appeals
    to the Authority (G8.39)."""
    require_person(user, Act.SET_ASSURANCE_STATUS, assessment)
    if status not in PANEL_STATUSES:
        raise AssuranceError(f"status: {status!r} is not one of {', '.join(PANEL_STATUSES)} "
                             "(G8.36)")
    if not reason.strip():
        raise AssuranceError("reason: give the Panel's reasons (having regard to the SSC's "
                             "advice, G8.35)")
    if follow_up_by and status != AssuranceStatus.APPROVED_SUBJECT_TO:
        raise AssuranceError("follow_up_by: only 'approved subject to' carries a Follow-up date "
                             "(G8.36(b)(ii))")
    with transaction.atomic():
        assessment = lock(assessment)
        rule = allow(user, Act.SET_ASSURANCE_STATUS, assessment)
        if not (assessment.category == Category.FULL and assessment.initial):
            raise WorkflowError("the Panel sets an assurance status only after an initial Full "
                                "assessment (G8.35); the SSC sets a compliance status otherwise")
        if assessment.assurance_status:
            raise WorkflowError("the Panel has already set the assurance status of this "
                                "assessment; a party that disagrees may appeal (G8.39)")
        clause = AssuranceStatus(status).clause
        move(assessment, rule, assurance_status=status, status_set=today())
        decide(user, assessment, Decision.Kind.ASSURANCE_STATUS, clause, reason, value=status,
               follow_up_by=follow_up_by)
        if follow_up_by:
            book_follow_up(assessment, follow_up_by)
        met = status in (AssuranceStatus.APPROVED, AssuranceStatus.APPROVED_SUBJECT_TO)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"the Panel set the assurance status: {AssuranceStatus(status).label}"
        + (" (user entry security requirements met, G8.37)" if met else ""),
        kinds=[PersonKind.SECAS, PersonKind.SSC_MEMBER]))
    return assessment


def confirm_follow_up_satisfies(user, assessment: Assessment, reason: str) -> Assessment:
    """After 'deferred', the Panel determines on the evidence of a Follow-up that the steps
    were taken (G8.36(c)(ii)); the party has then met the user entry requirements
    (G8.37(a)(ii))."""
    require_person(user, Act.CONFIRM_FOLLOW_UP_SATISFIES, assessment)
    with transaction.atomic():
        assessment = lock(assessment)
        rule = allow(user, Act.CONFIRM_FOLLOW_UP_SATISFIES, assessment)
        if assessment.assurance_status != AssuranceStatus.DEFERRED:
            raise WorkflowError("only a deferred assurance status waits on a Follow-up "
                                 "(G8.36(c))")
        if assessment.follow_up_satisfied_on:
            raise WorkflowError("the Panel has already confirmed the Follow-up (G8.36(c)(ii))")
        if not assessment.follow_ups.filter(completed__gt=assessment.status_set).exists():
            raise WorkflowError("no Follow-up completed after the deferral has reported yet "
                                "(G8.36(c)(i))")
        move(assessment, rule, follow_up_satisfied_on=today())
        decide(user, assessment, Decision.Kind.FOLLOW_UP_SATISFIES, rule.clause, reason,
               value="satisfied")
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "the Panel is satisfied the steps were taken: user entry requirements met "
                    "(G8.37(a)(ii))", kinds=[PersonKind.SECAS]))
    return assessment


def set_compliance_status(user, assessment: Assessment, code: str, reason: str) -> Assessment:
    """The SSC sets a compliance status after a Verification or a later Full assessment."""
    require_person(user, Act.SET_COMPLIANCE_STATUS, assessment)
    status = ComplianceStatus.objects.filter(code=code, active=True).first()
    if status is None:
        codes = ", ".join(ComplianceStatus.objects.filter(active=True).values_list("code",
                                                                                   flat=True))
        raise AssuranceError(f"status: {code!r} is not a compliance status (one of {codes})")
    if not reason.strip():
        raise AssuranceError("reason: give the SSC's reasons")
    with transaction.atomic():
        assessment = lock(assessment)
        rule = allow(user, Act.SET_COMPLIANCE_STATUS, assessment)
        if assessment.category not in (Category.VERIFICATION, Category.FULL) or assessment.initial:
            raise WorkflowError("a compliance status follows a Verification or a later Full "
                                 "assessment; after an initial Full assessment the Panel sets "
                                 "the assurance status (G8.35)")
        move(assessment, rule, compliance_status=status, compliance_set=today())
        decide(user, assessment, Decision.Kind.COMPLIANCE_STATUS, rule.clause, reason,
               value=status.code)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"the SSC set the compliance status: {status.label}",
        include_resource_users=True))
    return assessment


def record_dcc_outcome(user, assessment: Assessment, outcome: str, reason: str,
                       findings: list[int] = ()) -> Assessment:
    """After a Full DCC assessment the SSC records that there are no non-compliances (G9.29)
    or the specific ones the DCC must address (G9.30), notifying the Panel (G9.31)."""
    require_person(user, Act.RECORD_DCC_OUTCOME, assessment)
    if outcome not in ("none", "specific"):
        raise AssuranceError("outcome: 'none' or 'specific' (G9.29-G9.30)")
    with transaction.atomic():
        assessment = lock(assessment)
        rule = allow(user, Act.RECORD_DCC_OUTCOME, assessment)
        if assessment.category != Category.DCC_FULL:
            raise WorkflowError("the SSC records these after a Full DCC Security Assessment "
                                 "(G9.28)")
        named = list(assessment.findings.filter(pk__in=findings).order_by("number")
                     .values_list("number", flat=True))
        if outcome == "specific" and not named:
            raise AssuranceError("findings: name the non-compliances the DCC must address "
                                 "(G9.30)")
        if outcome == "none" and findings:
            raise AssuranceError("findings: none may be named when there are no "
                                 "non-compliances")
        move(assessment, rule, dcc_outcome=outcome)
        clause = "G9.29" if outcome == "none" else "G9.30"
        decide(user, assessment, Decision.Kind.DCC_OUTCOME, clause, reason,
               value=outcome if outcome == "none" else ", ".join(map(str, named)))
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "the SSC recorded the outcome of the DCC Security Assessment",
        kinds=[PersonKind.PANEL_MEMBER]))
    return assessment


def submit_remediation_plan(user, assessment: Assessment, *, plan: str, director_name: str,
                            director_statement: str, letter=None) -> RemediationPlan:
    """A Remediation Plan with its Director's Letter: planned actions and timescales, and a
    director's signed commitment."""
    require_person(user, Act.SUBMIT_REMEDIATION_PLAN, assessment)
    for field, value in (("plan", plan), ("director_name", director_name),
                         ("director_statement", director_statement)):
        if not value.strip():
            raise AssuranceError(f"{field}: required for a Remediation Plan and Director's Letter")
    with transaction.atomic():
        assessment = lock(assessment)
        rule = allow(user, Act.SUBMIT_REMEDIATION_PLAN, assessment)
        if assessment.category not in (Category.VERIFICATION, Category.FULL) or assessment.initial:
            raise WorkflowError("a Remediation Plan answers a compliance status, after a "
                                "Verification or a later Full assessment")
        if assessment.remediation_plans.filter(status=RemediationPlan.Status.SUBMITTED).exists():
            raise WorkflowError("a Remediation Plan is already waiting for the SSC")
        submitted = RemediationPlan.objects.create(
            assessment=assessment, plan=plan.strip(), director_name=director_name.strip(),
            director_statement=director_statement.strip(), director_letter=letter or "",
            submitted_by=user, classification=assessment.classification)
        journal(user, assessment, Act.SUBMIT_REMEDIATION_PLAN, rule.clause,
                f"Remediation Plan signed by {director_name}", plan=submitted.pk)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "a Remediation Plan and Director's Letter await the SSC",
        kinds=[PersonKind.SSC_MEMBER, PersonKind.SECAS], include_party=False))
    return submitted


def decide_remediation_plan(user, plan: RemediationPlan, approve: bool,
                            comment: str) -> RemediationPlan:
    """The SSC approves the plan or sends it back with its reasons."""
    require_person(user, Act.DECIDE_REMEDIATION_PLAN, plan.assessment)
    if not approve and not comment.strip():
        raise AssuranceError("comment: say why the plan is sent back")
    with transaction.atomic():
        assessment = lock(plan.assessment)
        rule = allow(user, Act.DECIDE_REMEDIATION_PLAN, assessment)
        plan = RemediationPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != RemediationPlan.Status.SUBMITTED:
            raise WorkflowError("this plan has already been decided")
        plan.status = (RemediationPlan.Status.APPROVED if approve
                       else RemediationPlan.Status.SENT_BACK)
        plan.decided_by, plan.decided_at, plan.ssc_comment = user, timezone.now(), comment
        plan.save()
        journal(user, assessment, Act.DECIDE_REMEDIATION_PLAN, rule.clause,
                comment or plan.get_status_display(), plan=plan.pk, outcome=plan.status)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"the SSC has {plan.get_status_display().lower()} your Remediation Plan"))
    return plan


def record_appeal(user, decision: Decision, grounds: str) -> Appeal:
    """A party appeals the Panel's assurance status to the Authority (G8.39); the DCC appeals
    the SSC's decision to the Panel (G9.33)."""
    require_person(user, Act.RECORD_APPEAL, decision.assessment)
    if not grounds.strip():
        raise AssuranceError("grounds: give the grounds of the appeal")
    if decision.kind == Decision.Kind.ASSURANCE_STATUS:
        to, clause = Appeal.To.AUTHORITY, "G8.39"
    elif decision.kind == Decision.Kind.DCC_OUTCOME:
        to, clause = Appeal.To.PANEL, "G9.33"
    else:
        raise AssuranceError("only an assurance status (G8.39) or the SSC's decision on a DCC "
                             "assessment (G9.33) may be appealed here")
    with transaction.atomic():
        assessment = lock(decision.assessment)
        allow(user, Act.RECORD_APPEAL, assessment)
        appeal = Appeal.objects.create(decision=decision, to=to, grounds=grounds.strip(),
                                       lodged_by=user, lodged_on=today(),
                                       classification=assessment.classification)
        journal(user, assessment, Act.RECORD_APPEAL, clause, grounds[:200], to=to)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"an appeal to {appeal.get_to_display()} has been recorded",
        kinds=[PersonKind.SECAS, PersonKind.PANEL_MEMBER], include_party=False))
    return appeal


def record_appeal_outcome(user, appeal: Appeal, outcome: str) -> Appeal:
    """The outcome of an appeal: the Authority's determination (recorded by SECAS, G8.39) or
    the Panel's decision on the DCC's appeal (G9.33)."""
    kind = person_kind(user)
    allowed = PersonKind.PANEL_MEMBER if appeal.to == Appeal.To.PANEL else PersonKind.SECAS
    if kind != allowed:
        raise PermissionDenied(f"Only the {allowed.label} records the outcome of this appeal.")
    if not outcome.strip():
        raise AssuranceError("outcome: say what was decided")
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related(
            "decision__assessment__party").get(pk=appeal.pk)
        if appeal.outcome:
            raise WorkflowError("the outcome of this appeal is already recorded")
        appeal.outcome = outcome.strip()
        appeal.save(update_fields=["outcome"])
        journal(user, appeal.decision.assessment, "appeal_outcome",
                "G9.33" if appeal.to == Appeal.To.PANEL else "G8.39", outcome[:200],
                appeal=appeal.pk)
    return appeal


def approve_triage(user, assessment: Assessment, reason: str) -> Assessment:
    """The SSC's explicit approval for a Triage Facility Provider approved subject to
    conditions to start Triage Activities (G12.7(b))."""
    require_person(user, Act.APPROVE_TRIAGE, assessment)
    from secassure.code.roles import UserRole
    with transaction.atomic():
        assessment = lock(assessment)
        rule = allow(user, Act.APPROVE_TRIAGE, assessment)
        if not assessment.party.roles.filter(role=UserRole.TRIAGE_FACILITY_PROVIDER).exists():
            raise WorkflowError("only a Triage Facility Provider needs this approval (G12.7)")
        if assessment.assurance_status != AssuranceStatus.APPROVED_SUBJECT_TO:
            raise WorkflowError("the SSC's approval is needed only after 'approved subject to' "
                                 "(G12.7(b))")
        move(assessment, rule, triage_approved_on=today())
        decide(user, assessment, Decision.Kind.TRIAGE_APPROVED, rule.clause, reason,
               value="approved")
    return assessment
