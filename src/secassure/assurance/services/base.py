"""What every assurance service shares (public to the package's callers through
`secassure.assurance.services`): the binding of a service to its declared action, the
permission check, the lock, the Code's conditions, the journal entry.

Each workflow action is declared once in `secassure.code.workflow.ACTIONS`; the one service
that performs it says so with `@performs(Act.X)`, and the page, the API and the command line
find it with `performer(Act.X)`, calling it with the declared inputs as keywords.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from secassure.code.classification import ASSESSORS, PARTY_SIDE, Classification, PersonKind
from secassure.code.roles import UserRole
from secassure.code.workflow import (
    ACTIONS,
    DCC_CATEGORIES,
    RULES,
    Act,
    AssessmentFacts,
    Facts,
    Rule,
    Stage,
    WorkflowError,
    check,
    dcc_clause,
    refusal,
)
from secassure.core.journal.services import record
from secassure.core.retry import retried, run_retried
from secassure.core.visibility import person_kind

from ..models import Appeal, Assessment, Category, Decision, RemediationPlan, StatusDelegation
from .sharing import record_served_users

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: The one service of each declared action (filled by `@performs` as the modules load).
PERFORMERS: dict[Act, Callable[..., Any]] = {}


class AssuranceError(ValueError):
    """Input the Code does not allow (a missing answer, a missing date, a wrong clause...)."""


def performs(act: Act) -> Callable[[F], F]:
    """Bind a service to the action it performs: one service per declared action. Its
    transaction is run again if it loses a race to another writer (`core.retry`)."""
    def bind(service: F) -> F:
        if act in PERFORMERS:
            raise LookupError(f"{act}: performed by {PERFORMERS[act].__name__} already")
        bound = retried(service)
        PERFORMERS[act] = bound
        bound.act = act  # type: ignore[attr-defined]
        return bound
    return bind


def performer(act: Act) -> Callable[..., Any]:
    """The service that performs `act`."""
    return PERFORMERS[act]


def today() -> date:
    return timezone.localdate()


def lock(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock, so two people cannot move it at once.

    Only the assessment's own row is locked (`of=("self",)`: its party, read along, is not),
    and in the mode an update that keeps its key takes (`no_key`), which does not block the
    key-share lock that another transaction's foreign key to it takes. The order of locks in
    every service is: the party (a booking only), the assessment, then the records of it the
    action changes (a plan, an appeal), the journal head last (`core.journal.services.record`),
    so that two actions queue instead of deadlocking."""
    return (Assessment.objects.select_for_update(no_key=True, of=("self",))
            .select_related("party").get(pk=assessment.pk))


def as_seen(assessment: Assessment, seen_stage: str | None, action: Callable[[], T]) -> T:
    """`action()`, one service call on `assessment`, taken only if the assessment is still at
    the stage the person saw when they decided (`seen_stage`, sent by the page and, optionally,
    by the API): a decision made on a stale view is refused (WorkflowError, HTTP 409) rather
    than taken on a record that has moved on. Without `seen_stage` the service alone decides.
    The whole is one transaction, run again if it loses a race."""
    if not seen_stage:
        return action()
    if seen_stage not in {stage.value for stage in Stage}:
        raise AssuranceError(f"seen_stage: {seen_stage!r} is not a stage of an assessment")

    def attempt() -> T:
        with transaction.atomic():
            now = lock(assessment).stage
            if now != seen_stage:
                raise WorkflowError(
                    f"The assessment has moved on since you saw it: it was "
                    f"{Stage(seen_stage).label.lower()}, it is now {Stage(now).label.lower()}. "
                    "Look at it again before you decide.")
            return action()
    return run_retried(attempt)


def require_person(user: Any, act: Act, assessment: Assessment) -> Rule:
    """PermissionDenied (HTTP 403) unless `user` is a person who may take `act` on this
    assessment. Services call it first, so the wrong person learns nothing about the input."""
    kind, rule = person_kind(user), RULES[act]
    if not rule.allows(kind, delegated_to(kind, act)):
        who = ", ".join(sorted(k.label for k in rule.who))
        raise PermissionDenied(f"{rule.label}: only {who} may do this ({rule.clause}).")
    if kind in PARTY_SIDE and user.party_id != assessment.party_id:
        raise PermissionDenied(f"{rule.label}: only the assessed party's own people may do "
                               f"this ({rule.clause}).")
    if kind in ASSESSORS and (
            (kind == PersonKind.DCC_ASSESSOR) != (assessment.category in DCC_CATEGORIES)
            or assessment.assessor_id not in (None, user.pk)):
        raise PermissionDenied(f"{rule.label}: only the assessor engaged on this assessment may "
                               f"do this: the User CIO on a User's (G8.22), the DCC Independent "
                               f"Security Assessment Service Provider on the DCC's (G9.4).")
    return rule


def allow(user: Any, act: Act, assessment: Assessment) -> Rule:
    """The workflow rule, if `user` may take `act` on `assessment` now: PermissionDenied for
    the wrong person (HTTP 403), WorkflowError for the wrong stage (HTTP 409). Call it on the
    locked row."""
    require_person(user, act, assessment)
    kind = person_kind(user)
    return check(act, kind, Stage(assessment.stage), delegated_to(kind, act))


def delegated_to(kind: PersonKind | None, act: Act | None = None) -> bool:
    """Whether the body of `kind` now takes the actions delegated to it (`act`'s, or any):
    the SSC sets assurance statuses while SECAS records the Panel's delegation (G8.35)."""
    if act is not None and kind not in RULES[act].delegates:
        return False
    return kind == PersonKind.SSC_MEMBER and StatusDelegation.current() == "ssc"


class LiveFacts:
    """The `Facts` of an assessment, each read from the database when a rule first asks."""

    def __init__(self, assessment: Assessment):
        self.assessment = assessment
        self.category: str = assessment.category
        self.initial: bool = assessment.initial
        self.assurance_status: str = assessment.assurance_status
        self.follow_up_satisfied = bool(assessment.follow_up_satisfied_on)
        self.triage_approved = bool(assessment.triage_approved_on)
        self.dcc_outcome_recorded = bool(assessment.dcc_outcome)

    @cached_property
    def follow_up_reported(self) -> bool:
        since = self.assessment.status_set
        return since is not None and self.assessment.follow_ups.filter(
            report_issued_at__isnull=False, completed__gt=since).exists()

    @cached_property
    def triage_provider(self) -> bool:
        return self.assessment.party.roles.filter(
            role=UserRole.TRIAGE_FACILITY_PROVIDER.value).exists()

    @cached_property
    def appeal_waiting(self) -> bool:
        return Appeal.objects.filter(decision__assessment=self.assessment, determination="",
                                     outcome="").exists()

    @cached_property
    def plan_waiting(self) -> bool:
        return self.assessment.remediation_plans.filter(
            status=RemediationPlan.Status.SUBMITTED).exists()


def facts_of(assessment: Assessment, record: Any) -> Facts:
    """The `Facts` of an assessment from the record its page already read (no query)."""
    since = assessment.status_set
    return AssessmentFacts(
        category=assessment.category, initial=assessment.initial,
        assurance_status=assessment.assurance_status,
        follow_up_satisfied=bool(assessment.follow_up_satisfied_on),
        follow_up_reported=since is not None and any(
            f.report_issued_at and f.completed and f.completed > since
            for f in record.follow_ups),
        triage_provider=record.triage_provider,
        triage_approved=bool(assessment.triage_approved_on),
        dcc_outcome_recorded=bool(assessment.dcc_outcome),
        plan_waiting=any(p.status == RemediationPlan.Status.SUBMITTED for p in record.plans),
        appeal_waiting=any(not ap.determined for d in record.decisions
                           for ap in d.visible_appeals))


def conditions(act: Act, assessment: Assessment) -> None:
    """WorkflowError (HTTP 409) naming the rule, unless the Code allows `act` on this
    assessment as it now is (its category, whether initial, its statuses): the conditions
    declared with the action. Call it on the locked row."""
    reason = refusal(act, LiveFacts(assessment))
    if reason is not None:
        raise WorkflowError(reason)


def begin(user: Any, act: Act, assessment: Assessment) -> tuple[Assessment, Rule]:
    """The locked row and the rule, once the person, the stage and the declared conditions
    allow `act`. Call it inside the service's transaction."""
    locked = lock(assessment)
    rule = allow(user, act, locked)
    conditions(act, locked)
    return locked, rule


def perform(act: Act, user: Any, on: Any, data: dict[str, Any],
            seen_stage: str | None = None) -> Any:
    """Take a declared action for a door (the API, the command line): `on` is the record the
    door's address names (None for a booking), `data` the declared inputs. The subject is
    `on`, or the input that names it (an appeal's decision), which must then be of the same
    assessment. With `seen_stage`, the stage the caller saw, the action is refused (409) if
    the assessment has moved on since (`as_seen`)."""
    subject_input = ACTIONS[act].subject_input
    if subject_input is None:
        subject = on
    else:
        data = dict(data)
        subject = data.pop(subject_input.name)
        if on is not None and subject.assessment_id != _assessment_of(on).pk:
            raise AssuranceError(f"{subject_input.name}: not a {subject_input.name} on this "
                                 "assessment")
    if on is None:
        return performer(act)(user, subject, **data)
    return as_seen(_assessment_of(on), seen_stage,
                   lambda: performer(act)(user, subject, **data))


def _assessment_of(record: Any) -> Assessment:
    return record if isinstance(record, Assessment) else record.assessment


def clause_of(act: Act, assessment: Assessment) -> str:
    """The clause `act` rests on for this assessment (its G9 counterpart for the DCC's)."""
    return ACTIONS[act].clause_for(assessment.is_dcc)


def move(assessment: Assessment, rule: Rule, **fields: Any) -> None:
    """Save `fields` and, where the rule moves the stage on, the new stage."""
    if rule.to is not None:
        fields["stage"] = rule.to.value
    for name, value in fields.items():
        setattr(assessment, name, value)
    if fields:
        assessment.save(update_fields=list(fields))


def journal(user: Any, assessment: Assessment, act: Act | str, basis: str, reason: str = "",
            **details: Any) -> None:
    """Journal an action on `assessment`, citing `basis`, the clause it rests on (its G9
    counterpart for the DCC's own assessments)."""
    name = act.value if isinstance(act, Act) else act
    if assessment.is_dcc:
        basis = dcc_clause(basis)
    record(user, f"assurance.{name}", clause=basis, reason=reason, party=assessment.party,
           subject=f"assessment:{assessment.pk}",
           details={"category": assessment.category, "stage": assessment.stage, **details},
           classification=Classification(assessment.classification))


def book_follow_up(assessment: Assessment, by: date) -> Assessment:
    """A Follow-up of `assessment` due `by`, booked with the same assessor and scope."""
    category = Category.DCC_FOLLOW_UP if assessment.is_dcc else Category.FOLLOW_UP
    follow_up = Assessment.objects.create(
        party=assessment.party, category=category, stage=Stage.BOOKED.value,
        follows=assessment, due=by, assessor=assessment.assessor,
        classification=assessment.classification)
    follow_up.roles.set(assessment.roles.all())
    record_served_users([follow_up])  # G10.7: the provider's Users at the time
    return follow_up


def decide(user: Any, assessment: Assessment, kind: Any, clause: str, reason: str,
           value: str = "", follow_up_by: date | None = None, body: str = "",
           **details: Any) -> Decision:
    """Record a decision and journal it (with `details`, e.g. the status it replaces). `kind`
    is a `Decision.Kind` (typed Any: without Django's plugin mypy reads its members as
    tuples); `body` the body whose decision it is (by default the acting person's: a Panel
    member's is the Panel's, any other the SSC's)."""
    if assessment.is_dcc:
        clause = dcc_clause(clause)
    body = body or ("panel" if person_kind(user) == PersonKind.PANEL_MEMBER else "ssc")
    decision = Decision.objects.create(
        assessment=assessment, kind=kind, value=value, clause=clause, reason=reason.strip(),
        effective=today(), follow_up_by=follow_up_by, decided_by=user, body=body,
        classification=assessment.classification)
    journal(user, assessment, kind, clause, reason or kind.label, value=value, body=body,
            **details)
    return decision


__all__ = ["PERFORMERS", "AssuranceError", "LiveFacts", "WorkflowError", "allow", "as_seen",
           "begin", "book_follow_up", "clause_of", "conditions", "decide", "delegated_to",
           "facts_of",
           "journal", "lock", "move", "perform", "performer", "performs", "require_person",
           "today"]
