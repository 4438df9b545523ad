"""The response, the SSC's review, the agreed plan, progress and Follow-ups (G8.24-G8.29,
G9.21-G9.26, G10.8(b)-(d))."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from secassure.code.classification import PersonKind
from secassure.code.findings import Answer, PlannedStep, response_problems
from secassure.code.workflow import Act, Stage, WorkflowError
from secassure.core.journal.words import counted

from .. import notify
from ..models import Assessment, Decision, FindingAnswer, ProgressReport, Step
from .base import (
    AssuranceError,
    begin,
    book_follow_up,
    decide,
    journal,
    move,
    performs,
    require_person,
    today,
)
from .defaults import obligations, refer_from_assessment

COMMITTEE = [PersonKind.SSC_MEMBER, PersonKind.SECAS]


@performs(Act.SET_RESPONSE_DUE)
def set_response_due(user: Any, assessment: Assessment, response_due: date) -> Assessment:
    """The SSC specifies the date by which the party must respond (G8.24)."""
    due = response_due
    with transaction.atomic():
        assessment, rule = begin(user, Act.SET_RESPONSE_DUE, assessment)
        if due < today():
            raise AssuranceError("response_due: the date is in the past")
        move(assessment, rule, response_due=due)
        journal(user, assessment, Act.SET_RESPONSE_DUE, rule.clause, f"response due {due}",
                due=due.isoformat())
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"your response is due by {due:%d %B %Y}"))
    return assessment


@performs(Act.SUBMIT_RESPONSE)
def submit_response(user: Any, assessment: Assessment, answers: dict[int, Answer],
                    summary: str = "") -> Assessment:
    """The party's response (G8.24): every finding accepted or disputed with reasons
    (G8.26(a)), the steps taken or proposed (G8.26(b)) and a date for each step not yet taken
    (G8.26(c)). Refused whole, every problem named, if anything is missing; a Shared Resource
    Provider's response reaches its Users (G10.8(b))."""
    with transaction.atomic():
        assessment, rule = begin(user, Act.SUBMIT_RESPONSE, assessment)
        findings = {f.pk: f"finding {f.number} ({f.title})" for f in assessment.findings.all()}
        problems = response_problems(findings, answers)
        if problems:
            raise AssuranceError("; ".join(problems))
        for finding_id, answer in answers.items():
            FindingAnswer.objects.create(finding_id=finding_id, accepted=answer.accepted,
                                         reasons=answer.reasons.strip(),
                                         classification=assessment.classification)
            Step.objects.bulk_create(
                Step(finding_id=finding_id, description=s.description.strip(),
                     status=Step.Status.TAKEN if s.taken else Step.Status.PROPOSED,
                     due=s.due, completed_on=s.due if s.taken else None,
                     classification=assessment.classification) for s in answer.steps)
        move(assessment, rule, response_summary=summary.strip(),
             response_submitted_at=timezone.now())
        late = assessment.response_due and today() > assessment.response_due
        journal(user, assessment, Act.SUBMIT_RESPONSE, rule.clause,
                "response submitted" + (" after the date set" if late else ""),
                disputed=sum(1 for a in answers.values() if not a.accepted))
        transaction.on_commit(lambda: notify.assessment_event(
            assessment, "the response to the assessment report has been submitted",
            kinds=COMMITTEE + [PersonKind.CIO_ASSESSOR], include_resource_users=True))
    return assessment


@performs(Act.ACCEPT_PLAN)
def accept_plan(user: Any, assessment: Assessment, reason: str = "") -> Assessment:
    """The SSC accepts the steps and timetable (G8.27(a)); they bind the party (G8.28) and
    its Shared Resource Users are told (G10.8(c))."""
    with transaction.atomic():
        assessment, rule = begin(user, Act.ACCEPT_PLAN, assessment)
        agreed = Step.objects.filter(finding__assessment=assessment,
                                     status=Step.Status.PROPOSED).update(
            status=Step.Status.AGREED)
        move(assessment, rule)
        decide(user, assessment, Decision.Kind.PLAN_ACCEPTED, rule.clause, reason,
                value=counted(agreed, "step", "steps"))
    _tell_plan_agreed(assessment)
    return assessment


@performs(Act.PROPOSE_ALTERNATIVE)
def propose_alternative(user: Any, assessment: Assessment,
                        steps: dict[int, list[PlannedStep]], reason: str) -> Assessment:
    """The SSC seeks to agree other steps or dates (G8.27(b)): for each finding named, the
    steps it proposes instead of the party's, each with a date. After the party proposed
    back, the SSC may propose again: the party's steps and its own earlier ones for the
    findings named are replaced (kept, marked so)."""
    require_person(user, Act.PROPOSE_ALTERNATIVE, assessment)
    _check_steps_given(steps, reason, "say why other steps or dates are more appropriate")
    with transaction.atomic():
        assessment, rule = begin(user, Act.PROPOSE_ALTERNATIVE, assessment)
        _check_steps(assessment, steps)
        open_steps = Step.objects.filter(finding__assessment=assessment)
        open_steps.filter(status=Step.Status.COUNTER).update(status=Step.Status.REPLACED)
        open_steps.filter(status=Step.Status.ALTERNATIVE, finding_id__in=list(steps)).update(
            status=Step.Status.REPLACED)
        _create_steps(assessment, steps, "alternative")
        move(assessment, rule)
        decide(user, assessment, Decision.Kind.ALTERNATIVE_PROPOSED, rule.clause, reason)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "the SSC proposes other steps or dates for your plan"))
    return assessment


def _check_steps_given(steps: dict[int, list[PlannedStep]], reason: str, why: str) -> None:
    if not steps or not any(steps.values()):
        raise AssuranceError("steps: propose at least one step")
    if not reason.strip():
        raise AssuranceError(f"reason: {why}")


def _check_steps(assessment: Assessment, steps: dict[int, list[PlannedStep]]) -> None:
    """AssuranceError unless each step is of a finding of this report, described and dated."""
    own = dict(assessment.findings.values_list("pk", "number"))
    for finding_id, planned in steps.items():
        if finding_id not in own:
            raise AssuranceError(f"steps: finding {finding_id} is not in this report")
        for number, step in enumerate(planned, start=1):
            if not step.description.strip() or step.due is None:
                raise AssuranceError(f"steps: finding {own[finding_id]}, step {number} needs "
                                     "a description and a date (G8.26(c))")


def _create_steps(assessment: Assessment, steps: dict[int, list[PlannedStep]],
                  status: str) -> None:
    Step.objects.bulk_create(
        Step(finding_id=finding_id, description=s.description.strip(), status=status,
             due=s.due, classification=assessment.classification)
        for finding_id, planned in steps.items() for s in planned)


@performs(Act.COUNTER_PROPOSE)
def counter_propose(user: Any, assessment: Assessment, steps: dict[int, list[PlannedStep]],
                    reason: str) -> Assessment:
    """The party does not agree the SSC's steps and proposes its own back (G8.27(b): the SSC
    "seek[s] to agree"): for each finding named, the steps it proposes instead, each with a
    date; the SSC's proposal for those findings is replaced. The findings it does not name
    keep the SSC's proposal."""
    require_person(user, Act.COUNTER_PROPOSE, assessment)
    _check_steps_given(steps, reason, "say why you do not agree the SSC's steps")
    with transaction.atomic():
        assessment, rule = begin(user, Act.COUNTER_PROPOSE, assessment)
        _check_steps(assessment, steps)
        Step.objects.filter(finding__assessment=assessment, status=Step.Status.ALTERNATIVE,
                            finding_id__in=list(steps)).update(status=Step.Status.REPLACED)
        _create_steps(assessment, steps, "counter")
        move(assessment, rule)
        journal(user, assessment, Act.COUNTER_PROPOSE, rule.clause, reason[:200],
                findings=len(steps))
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "the party proposes other steps or dates back", kinds=COMMITTEE,
        include_party=False))
    return assessment


@performs(Act.AGREE_COUNTER_PROPOSAL)
def agree_counter_proposal(user: Any, assessment: Assessment, reason: str = "") -> Assessment:
    """The SSC agrees the party's steps proposed back (G8.28: "alternative steps ... agreed
    between it and the User"): for each finding, the latest proposal binds (the party's, else
    the SSC's, else the response's) and the others are superseded."""
    with transaction.atomic():
        assessment, rule = begin(user, Act.AGREE_COUNTER_PROPOSAL, assessment)
        agreed = _agree_latest(assessment)
        move(assessment, rule)
        decide(user, assessment, Decision.Kind.ALTERNATIVE_AGREED, rule.clause,
               reason or "the SSC agrees the party's steps and dates",
               value=counted(agreed, "step", "steps"))
    _tell_plan_agreed(assessment)
    return assessment


def _agree_latest(assessment: Assessment) -> int:
    """Per finding, the latest open proposal agreed (the party's counter-proposal, else the
    SSC's, else the response's) and the earlier ones superseded; how many steps bind."""
    steps = Step.objects.filter(finding__assessment=assessment)
    countered = set(steps.filter(status=Step.Status.COUNTER).values_list("finding_id",
                                                                         flat=True))
    steps.filter(finding_id__in=countered, status__in=[
        Step.Status.PROPOSED, Step.Status.ALTERNATIVE]).update(status=Step.Status.SUPERSEDED)
    replaced = set(steps.filter(status=Step.Status.ALTERNATIVE).values_list("finding_id",
                                                                            flat=True))
    steps.filter(finding_id__in=replaced, status=Step.Status.PROPOSED).update(
        status=Step.Status.SUPERSEDED)
    return steps.filter(status__in=[Step.Status.PROPOSED, Step.Status.ALTERNATIVE,
                                    Step.Status.COUNTER]).update(status=Step.Status.AGREED)


@performs(Act.RECORD_NO_AGREEMENT)
def record_no_agreement(user: Any, assessment: Assessment, reason: str,
                        refer: str = "") -> Assessment:
    """The SSC records that it and the party could not agree the steps or the timetable
    (G8.27(b)); it may refer the matter to the Panel as a possible Event of Default
    (G8.54-G8.57), naming the obligations of G3 to G6 not complied with."""
    require_person(user, Act.RECORD_NO_AGREEMENT, assessment)
    if not reason.strip():
        raise AssuranceError("reason: say what could not be agreed")
    with transaction.atomic():
        assessment, rule = begin(user, Act.RECORD_NO_AGREEMENT, assessment)
        clauses = obligations(refer, assessment.party.is_dcc) if refer.strip() else ""
        move(assessment, rule)
        journal(user, assessment, Act.RECORD_NO_AGREEMENT, rule.clause, reason[:200],
                referred=bool(clauses))
        if clauses:
            refer_from_assessment(user, assessment, clauses=clauses, referral=reason.strip())
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "the SSC recorded that the steps could not be agreed"
        + (" and referred the matter to the Panel (G8.57)" if clauses else ""),
        kinds=COMMITTEE + ([PersonKind.PANEL_MEMBER] if clauses else [])))
    return assessment


@performs(Act.AGREE_ALTERNATIVE)
def agree_alternative(user: Any, assessment: Assessment) -> Assessment:
    """The party agrees the SSC's steps: they replace its own for those findings and the
    whole plan binds it (G8.28)."""
    with transaction.atomic():
        assessment, rule = begin(user, Act.AGREE_ALTERNATIVE, assessment)
        steps = Step.objects.filter(finding__assessment=assessment)
        replaced = set(steps.filter(status=Step.Status.ALTERNATIVE)
                       .values_list("finding_id", flat=True))
        steps.filter(status=Step.Status.PROPOSED, finding_id__in=replaced).update(
            status=Step.Status.SUPERSEDED)
        steps.filter(status__in=[Step.Status.PROPOSED, Step.Status.ALTERNATIVE]).update(
            status=Step.Status.AGREED)
        move(assessment, rule)
        decide(user, assessment, Decision.Kind.ALTERNATIVE_AGREED, rule.clause,
                "the party agrees the SSC's steps and dates")
    _tell_plan_agreed(assessment)
    return assessment


@performs(Act.SET_PROGRESS_INTERVAL)
def set_progress_interval(user: Any, assessment: Assessment, days: int) -> Assessment:
    """The SSC sets the intervals at which the party reports progress (G8.28(b)(i))."""
    require_person(user, Act.SET_PROGRESS_INTERVAL, assessment)
    if days < 1:
        raise AssuranceError("days: the interval is at least one day")
    with transaction.atomic():
        assessment, rule = begin(user, Act.SET_PROGRESS_INTERVAL, assessment)
        move(assessment, rule, progress_interval_days=days,
             next_progress_due=today() + timedelta(days=days))
        journal(user, assessment, Act.SET_PROGRESS_INTERVAL, rule.clause,
                f"progress every {days} days", days=days)
    return assessment


@performs(Act.REPORT_PROGRESS)
def report_progress(user: Any, assessment: Assessment, *, kind: str, text: str,
                    step: Step | None = None, on: date | None = None) -> ProgressReport:
    """The party reports progress on the agreed steps (G8.28(b)(i)), the completion of one
    (G8.28(b)(ii)) or its failure with reasons (G8.28(b)(iii)); a copy reaches the Shared
    Resource Users (G10.8(d))."""
    require_person(user, Act.REPORT_PROGRESS, assessment)
    if on is not None and on > today():
        raise AssuranceError("on: a step cannot be completed in the future")
    if kind not in ProgressReport.Kind.values:
        raise AssuranceError(f"kind: {kind!r} is not progress, completion or failure")
    if not text.strip():
        raise AssuranceError("text: say what was done" if kind != "failure"
                             else "text: give the reasons for the failure (G8.28(b)(iii))")
    if kind != ProgressReport.Kind.PROGRESS and step is None:
        raise AssuranceError("step: name the agreed step that was completed or failed")
    with transaction.atomic():
        assessment, rule = begin(user, Act.REPORT_PROGRESS, assessment)
        if step is not None:
            if step.finding.assessment_id != assessment.pk or step.status != Step.Status.AGREED:
                raise AssuranceError("step: not an agreed step of this assessment")
            if step.completed_on:
                raise AssuranceError("step: this step is already complete")
            if kind == ProgressReport.Kind.COMPLETION:
                step.completed_on = on or today()
                step.save(update_fields=["completed_on"])
            elif kind == ProgressReport.Kind.FAILURE:
                step.failure_reason = text.strip()
                step.save(update_fields=["failure_reason"])
        report = ProgressReport.objects.create(assessment=assessment, step=step, kind=kind,
                                               text=text.strip(), reported_by=user,
                                               classification=assessment.classification)
        if assessment.progress_interval_days:
            move(assessment, rule, next_progress_due=today() + timedelta(
                days=assessment.progress_interval_days))
        journal(user, assessment, Act.REPORT_PROGRESS, rule.clause, text[:200], kind=kind,
                step=step.pk if step else None)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"a {kind} report on the agreed steps", kinds=COMMITTEE,
        include_party=False, include_resource_users=True))
    return report


@performs(Act.REQUEST_FOLLOW_UP)
def request_follow_up(user: Any, assessment: Assessment, by: date,
                      reason: str = "") -> Assessment:
    """The SSC asks the assessor for a Follow-up Security Assessment by a date, to check the
    agreed steps (G8.29; the DCC: G9.26); it is booked at once and answered with. While one is
    booked and not yet reported, a second request (two SSC members at once, a double click, a
    retry) is refused (409): it would book a second Follow-up of the same steps."""
    with transaction.atomic():
        assessment, rule = begin(user, Act.REQUEST_FOLLOW_UP, assessment)
        if by <= today():
            raise AssuranceError("by: the Follow-up date must be in the future")
        booked = assessment.follow_ups.filter(stage=Stage.BOOKED.value).order_by("id").first()
        if booked is not None:
            due = f", due by {booked.due:%d %B %Y}" if booked.due else ""
            raise WorkflowError(f"A Follow-up of this assessment is already booked "
                                f"(assessment {booked.pk}{due}); another may be requested once "
                                f"it has reported ({rule.clause}).")
        follow_up = book_follow_up(assessment, by)
        decide(user, assessment, Decision.Kind.FOLLOW_UP_REQUESTED, rule.clause, reason,
                value=f"by {by}", follow_up_by=by)
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, f"a Follow-up is requested by {by:%d %B %Y}",
        kinds=[PersonKind.CIO_ASSESSOR]))
    return follow_up


def _tell_plan_agreed(assessment: Assessment) -> None:
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "the steps and timetable are agreed and now binding",
        kinds=[PersonKind.CIO_ASSESSOR], include_resource_users=True))
