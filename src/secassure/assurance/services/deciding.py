"""Status decisions, Remediation Plans, appeals and triage approval (G8.34-G8.39, G9.28-G9.33,
G12.7)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from secassure.code.categories import AssuranceStatus
from secassure.code.classification import PersonKind
from secassure.code.interchange import SSC_CATEGORIES
from secassure.code.workflow import Act
from secassure.core.visibility import person_kind

from .. import notify
from ..integrity import upload_sha256
from ..models import Appeal, Assessment, ComplianceStatus, Decision, Finding, RemediationPlan
from .base import (
    AssuranceError,
    WorkflowError,
    begin,
    book_follow_up,
    decide,
    journal,
    move,
    performs,
    require_person,
    today,
)

PANEL_STATUSES = [s.value for s in AssuranceStatus]
SSC_CATEGORY_VALUES = frozenset(c.value for c in SSC_CATEGORIES)


@performs(Act.SET_ASSURANCE_STATUS)
def set_assurance_status(user: Any, assessment: Assessment, status: str, reason: str, *,
                         follow_up_by: date | None = None) -> Assessment:
    """The Panel sets the assurance status after an initial Full assessment, having the report
    and the response (G8.34-G8.36), or the SSC where the Panel has delegated it (a setting
    SECAS keeps: `StatusDelegation`); the decision records which body made it. 'Approved
    subject to' may require a Follow-up by a date (G8.36(b)(ii)), which is booked at once. It
    is set once: a party that disagrees appeals to the Authority (G8.39)."""
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
        assessment, rule = begin(user, Act.SET_ASSURANCE_STATUS, assessment)
        clause = AssuranceStatus(status).clause
        move(assessment, rule, assurance_status=status, status_set=today(),
             follow_up_by=follow_up_by)  # the schedule owes the Follow-up by then (G8.36(b)(ii))
        if follow_up_by:  # before the journal entry: the journal head is locked last
            book_follow_up(assessment, follow_up_by)
        decide(user, assessment, Decision.Kind.ASSURANCE_STATUS, clause, reason, value=status,
               follow_up_by=follow_up_by)
        met = status in (AssuranceStatus.APPROVED, AssuranceStatus.APPROVED_SUBJECT_TO)
    by = "the SSC" if person_kind(user) == PersonKind.SSC_MEMBER else "the Panel"
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"{by} set the assurance status: {AssuranceStatus(status).label}"
        + (" (user entry security requirements met, G8.37)" if met else ""),
        kinds=[PersonKind.SECAS, PersonKind.SSC_MEMBER]))
    return assessment


@performs(Act.CONFIRM_FOLLOW_UP_SATISFIES)
def confirm_follow_up_satisfies(user: Any, assessment: Assessment, reason: str) -> Assessment:
    """After 'deferred', the Panel determines on the evidence of a Follow-up that the steps
    were taken (G8.36(c)(ii)); the party has then met the user entry requirements
    (G8.37(a)(ii))."""
    require_person(user, Act.CONFIRM_FOLLOW_UP_SATISFIES, assessment)
    with transaction.atomic():
        assessment, rule = begin(user, Act.CONFIRM_FOLLOW_UP_SATISFIES, assessment)
        move(assessment, rule, follow_up_satisfied_on=today())
        decide(user, assessment, Decision.Kind.FOLLOW_UP_SATISFIES, rule.clause, reason,
               value="satisfied")
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "the Panel is satisfied the steps were taken: user entry requirements met "
                    "(G8.37(a)(ii))", kinds=[PersonKind.SECAS]))
    return assessment


@performs(Act.SET_COMPLIANCE_STATUS)
def set_compliance_status(user: Any, assessment: Assessment, status: str, reason: str,
                          replaces: str = "") -> Assessment:
    """The SSC sets the compliance status after a Verification or a later Full assessment
    (G7.20); after an initial Full assessment the Panel sets the assurance status (G8.35).

    A status already set is replaced only by a decision that names it (`replaces`, the status
    the SSC member saw; the page sends it): a decision made without knowing of it (two members
    at once, a double click, a page opened before another member decided) is refused (409)
    instead of silently overwriting it."""
    require_person(user, Act.SET_COMPLIANCE_STATUS, assessment)
    code = status
    found = ComplianceStatus.objects.filter(code=code, active=True).first()
    if found is None:
        codes = ", ".join(ComplianceStatus.objects.filter(active=True).values_list("code",
                                                                                   flat=True))
        raise AssuranceError(f"status: {code!r} is not a compliance status (one of {codes})")
    if not reason.strip():
        raise AssuranceError("reason: give the SSC's reasons")
    with transaction.atomic():
        assessment, rule = begin(user, Act.SET_COMPLIANCE_STATUS, assessment)
        current = assessment.compliance_status
        _replacing(current, replaces.strip(), assessment, rule.clause)
        move(assessment, rule, compliance_status=found, compliance_set=today())
        decide(user, assessment, Decision.Kind.COMPLIANCE_STATUS, rule.clause, reason,
               value=found.code, **({"replaces": current.code} if current else {}))
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"the SSC set the compliance status: {found.label}",
        include_resource_users=True))
    return assessment


def _replacing(current: ComplianceStatus | None, replaces: str, assessment: Assessment,
               clause: str) -> None:
    """WorkflowError (409) unless the decision names the status it replaces: the one set now
    (none: nothing named)."""
    if current is None and replaces:
        raise WorkflowError(f"No compliance status is set on this assessment, so there is no "
                            f"{replaces!r} to replace: look at it again before you decide "
                            f"({clause}).")
    if current is not None and replaces != current.code:
        when = f" on {assessment.compliance_set:%d %B %Y}" if assessment.compliance_set else ""
        said = (f"this decision replaces {replaces!r}" if replaces
                else "this decision does not say it replaces it")
        raise WorkflowError(f"The compliance status is already {current.label} "
                            f"({current.code}, set{when}) and {said}: look at it again, and "
                            f"to replace it say so (replaces={current.code}) ({clause}).")


@performs(Act.RECORD_DCC_OUTCOME)
def record_dcc_outcome(user: Any, assessment: Assessment, outcome: str, reason: str,
                       findings: Iterable[int | Finding] = ()) -> Assessment:
    """After a Full DCC Security Assessment the SSC records no non-compliances (G9.29) or the
    specific ones the DCC must address (G9.30), and the Panel is told (G9.31)."""
    findings = [f.pk if isinstance(f, Finding) else f for f in findings]
    require_person(user, Act.RECORD_DCC_OUTCOME, assessment)
    if outcome not in ("none", "specific"):
        raise AssuranceError("outcome: 'none' or 'specific' (G9.29-G9.30)")
    with transaction.atomic():
        assessment, rule = begin(user, Act.RECORD_DCC_OUTCOME, assessment)
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


@performs(Act.SUBMIT_REMEDIATION_PLAN)
def submit_remediation_plan(user: Any, assessment: Assessment, *, plan: str,
                            director_name: str, director_statement: str,
                            letter: UploadedFile | None = None) -> RemediationPlan:
    """The party submits a Remediation Plan (planned actions and timescales) with its
    Director's Letter, a director's signed commitment, for the SSC (G8.28); it answers a
    compliance status."""
    require_person(user, Act.SUBMIT_REMEDIATION_PLAN, assessment)
    for field, value in (("plan", plan), ("director_name", director_name),
                         ("director_statement", director_statement)):
        if not value.strip():
            raise AssuranceError(f"{field}: required for a Remediation Plan and Director's Letter")
    with transaction.atomic():
        assessment, rule = begin(user, Act.SUBMIT_REMEDIATION_PLAN, assessment)
        submitted = RemediationPlan.objects.create(
            assessment=assessment, plan=plan.strip(), director_name=director_name.strip(),
            director_statement=director_statement.strip(), director_letter=letter or "",
            letter_sha256=upload_sha256(letter) if letter else "",
            submitted_by=user, classification=assessment.classification)
        journal(user, assessment, Act.SUBMIT_REMEDIATION_PLAN, rule.clause,
                f"Remediation Plan signed by {director_name}", plan=submitted.pk)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "a Remediation Plan and Director's Letter await the SSC",
        kinds=[PersonKind.SSC_MEMBER, PersonKind.SECAS], include_party=False))
    return submitted


@performs(Act.DECIDE_REMEDIATION_PLAN)
def decide_remediation_plan(user: Any, plan: RemediationPlan, approve: bool,
                            comment: str = "") -> RemediationPlan:
    """The SSC approves the Remediation Plan or sends it back with its reasons."""
    require_person(user, Act.DECIDE_REMEDIATION_PLAN, plan.assessment)
    if not approve and not comment.strip():
        raise AssuranceError("comment: say why the plan is sent back")
    with transaction.atomic():
        assessment, rule = begin(user, Act.DECIDE_REMEDIATION_PLAN, plan.assessment)
        plan = RemediationPlan.objects.select_for_update(no_key=True).get(pk=plan.pk)
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


@performs(Act.RECORD_APPEAL)
def record_appeal(user: Any, decision: Decision, grounds: str) -> Appeal:
    """The party appeals the Panel's assurance status to the Authority (G8.39); the DCC the
    SSC's decision on its assessment to the Panel, and the Panel's determination of that
    appeal to the Authority (G9.33). A decision is appealed once; the Authority's
    determination is final and binding."""
    require_person(user, Act.RECORD_APPEAL, decision.assessment)
    if not grounds.strip():
        raise AssuranceError("grounds: give the grounds of the appeal")
    to, clause = _appeal_route(decision)
    with transaction.atomic():
        assessment, _ = begin(user, Act.RECORD_APPEAL, decision.assessment)
        if Appeal.objects.filter(decision=decision).exists():
            raise WorkflowError("this decision has already been appealed (G8.39, G9.33)")
        appeal = Appeal.objects.create(decision=decision, to=to, grounds=grounds.strip(),
                                       lodged_by=user, lodged_on=today(),
                                       classification=assessment.classification)
        journal(user, assessment, Act.RECORD_APPEAL, clause, grounds[:200], to=to)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"an appeal to {appeal.get_to_display()} has been recorded",
        kinds=[PersonKind.SECAS, PersonKind.PANEL_MEMBER], include_party=False))
    return appeal


def _appeal_route(decision: Decision) -> tuple[str, str]:
    """To whom `decision` is appealed, and under which clause; AssuranceError if it is not
    appealable."""
    if decision.kind == Decision.Kind.ASSURANCE_STATUS:
        return "authority", "G8.39"
    if decision.kind == Decision.Kind.DCC_OUTCOME:
        return "panel", "G9.33"
    if decision.kind == Decision.Kind.APPEAL_DETERMINED and decision.body == "panel":
        return "authority", "G9.33"  # the DCC's second tier
    raise AssuranceError("decision: only an assurance status (G8.39), the SSC's decision on a "
                         "DCC assessment or the Panel's determination of the DCC's appeal "
                         "(G9.33) may be appealed here")


#: The status each appealable decision sets: the assessment's field and its values.
APPEALED_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "assurance_status": ("assurance_status", tuple(PANEL_STATUSES)),
    "dcc_outcome": ("dcc_outcome", ("none", "specific")),
}
DETERMINATIONS: list[str] = list(Appeal.Determination.values)


def appealed_field(decision: Decision) -> tuple[str, tuple[str, ...]]:
    """The assessment's field the decision set, and its values: a determination of an appeal
    sets what the decision appealed set (the Panel's determination of the DCC's appeal, its
    non-compliances)."""
    while decision.kind == Decision.Kind.APPEAL_DETERMINED:
        decision = Appeal.objects.select_related("decision").get(result=decision).decision
    return APPEALED_FIELDS[decision.kind]


@performs(Act.RECORD_APPEAL_DETERMINATION)
def record_appeal_determination(user: Any, assessment: Assessment, *, appeal: Appeal,
                                determination: str, reason: str, value: str = "",
                                determined_on: date | None = None) -> Appeal:
    """The determination of an appeal: the Authority's (recorded by SECAS; final and binding,
    G8.39, G9.33) or the Panel's on the DCC's appeal of the SSC's decision (G9.33). Upheld or
    varied, it gives the status as determined, which replaces the one the decision appealed
    set (the assurance status, the DCC's non-compliances); dismissed, the decision stands.
    Either way it is a decision of the body that determined it, journaled with its clause."""
    require_person(user, Act.RECORD_APPEAL_DETERMINATION, assessment)
    by_panel = appeal.to == Appeal.To.PANEL
    recorder = PersonKind.PANEL_MEMBER if by_panel else PersonKind.SECAS
    if person_kind(user) != recorder:
        raise PermissionDenied(
            "The Panel determines the DCC's appeal of the SSC's decision (G9.33)." if by_panel
            else "SECAS records the Authority's determination (G8.39, G9.33).")
    if appeal.decision.assessment_id != assessment.pk:
        raise AssuranceError("appeal: not an appeal on this assessment")
    if determination not in DETERMINATIONS:
        raise AssuranceError(f"determination: one of {', '.join(DETERMINATIONS)}")
    if not reason.strip():
        raise AssuranceError("reason: give the reasons of the determination")
    field, values = appealed_field(appeal.decision)
    value = value.strip()
    changes = determination != Appeal.Determination.DISMISSED
    if not changes and value:
        raise AssuranceError("value: a dismissed appeal leaves the decision as it was")
    if changes and value not in values:
        raise AssuranceError(f"value: with '{determination}' give the status as determined, "
                             f"one of {', '.join(values)}")
    on = determined_on or today()
    if on > today() or on < appeal.lodged_on:
        raise AssuranceError(f"determined_on: between the appeal ({appeal.lodged_on:%d %B %Y}) "
                             "and today")
    with transaction.atomic():
        assessment, rule = begin(user, Act.RECORD_APPEAL_DETERMINATION, assessment)
        appeal = Appeal.objects.select_for_update(no_key=True, of=("self",)).get(pk=appeal.pk)
        if appeal.determined:
            raise WorkflowError("the determination of this appeal is already recorded")
        current = getattr(assessment, field)
        if changes and value == current:
            raise AssuranceError(f"value: the status is already {value}; an appeal that leaves "
                                 "it is dismissed")
        if changes:
            move(assessment, rule, **{field: value}, **(
                {"status_set": on} if field == "assurance_status" else {}))
        body = "panel" if by_panel else "authority"
        made = decide(user, assessment, Decision.Kind.APPEAL_DETERMINED, "G8.39", reason,
                      value=value if changes else current, body=body, appeal=appeal.pk,
                      determination=determination, field=field,
                      **({"replaces": current} if changes else {}))
        appeal.determination, appeal.determined_on, appeal.outcome = determination, on, reason
        appeal.value, appeal.determined_by, appeal.result = value, user, made
        appeal.save(update_fields=["determination", "determined_on", "outcome", "value",
                                   "determined_by", "result"])
    said = appeal.get_determination_display().lower()
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"the appeal to {appeal.get_to_display()} was {said}"
        + (f": the status is now {value}" if changes else ": the decision stands"),
        kinds=[PersonKind.SECAS, PersonKind.PANEL_MEMBER, PersonKind.SSC_MEMBER]))
    return appeal


@performs(Act.DETERMINE_NEXT_CATEGORY)
def determine_next_category(user: Any, assessment: Assessment, category: str,
                            reason: str) -> Assessment:
    """The SSC's determination of the category of a Triage Facility Provider's next
    assessment, following this one (G12.8(c)), having considered the risks found during or
    since it (a) and the volume of Devices triaged (b). It belongs to the assessment: a later
    assessment without one leaves the next category for the SSC to determine again."""
    require_person(user, Act.DETERMINE_NEXT_CATEGORY, assessment)
    if category not in SSC_CATEGORY_VALUES:
        raise AssuranceError(f"category: {category!r} is not a category the SSC may determine "
                             "(FUSA, VUSA or SSA, G12.8(c))")
    if not reason.strip():
        raise AssuranceError("reason: give the SSC's reasons (G12.8(a)-(b))")
    with transaction.atomic():
        assessment, rule = begin(user, Act.DETERMINE_NEXT_CATEGORY, assessment)
        replaces = assessment.ssc_next_category
        move(assessment, rule, ssc_next_category=category)
        journal(user, assessment, Act.DETERMINE_NEXT_CATEGORY, rule.clause, reason,
                value=category, replaces=replaces)
    return assessment


@performs(Act.APPROVE_TRIAGE)
def approve_triage(user: Any, assessment: Assessment, reason: str) -> Assessment:
    """The SSC's explicit approval for a Triage Facility Provider approved subject to
    conditions to start Triage Activities (G12.7(b))."""
    require_person(user, Act.APPROVE_TRIAGE, assessment)
    with transaction.atomic():
        assessment, rule = begin(user, Act.APPROVE_TRIAGE, assessment)
        move(assessment, rule, triage_approved_on=today())
        decide(user, assessment, Decision.Kind.TRIAGE_APPROVED, rule.clause, reason,
               value="approved")
    return assessment
