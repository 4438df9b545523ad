"""What waits on one person, for their home page: an assessor's booked and draft assessments
(G8.22-G8.23) and the self-assessments to review (G8.18); a party's reports to answer (G8.24),
other steps to agree (G8.28), agreed steps and progress reports due (G8.28(b)), self-assessments
to submit (G8.50(b)) and the booking that stands for its next assessment (G8.40).

Every query starts from `Model.objects.visible_to(user)`; each function runs a fixed number of
queries whatever the size of the register. (The committee's business is the attention page's:
`records.attention`.)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from secassure.code.workflow import Stage

from ..models import Assessment, Category, Finding, Step
from .records import FOLLOW_UPS, LIMIT

#: The stages at which a party has something to do on its own assessment.
PARTY_STAGES = (Stage.REPORT_ISSUED.value, Stage.ALTERNATIVE_PROPOSED.value,
                Stage.PLAN_AGREED.value, Stage.BOOKED.value)


@dataclass(frozen=True)
class AssessorWork:
    """An assessor's assessments whose report is not issued yet, and the self-assessments
    waiting for a review."""

    drafts: list[Assessment]   # booked, report not issued; `finding_count` findings drafted
    reviews: list[Assessment]  # self-assessments submitted for review (G8.18, G8.50)


def assessor_work(user: Any, limit: int = LIMIT) -> AssessorWork:
    """The booked and draft assessments `user` is the assessor of, soonest fieldwork first,
    each with the number of findings drafted; the self-assessments submitted for review to
    `user` or to no assessor yet (two queries)."""
    visible = Assessment.objects.visible_to(user).select_related("party")
    drafted = (Finding.objects.visible_to(user).filter(assessment=OuterRef("pk")).order_by()
               .values("assessment").annotate(n=Count("pk")).values("n"))
    drafts = (visible.filter(assessor=user, stage=Stage.BOOKED.value,
                             report_issued_at__isnull=True)
              .exclude(category=Category.SELF_ASSESSMENT)
              .annotate(finding_count=Coalesce(Subquery(drafted, output_field=IntegerField()),
                                               Value(0)))
              .order_by(F("fieldwork_start").asc(nulls_last=True), "id"))
    reviews = (visible.filter(stage=Stage.SSA_SUBMITTED.value)
               .filter(Q(assessor=user) | Q(assessor__isnull=True)).order_by("id"))
    return AssessorWork(drafts=list(drafts[:limit]), reviews=list(reviews[:limit]))


@dataclass(frozen=True)
class PartyWork:
    """What a party owes on its own assessments (not its provider's: G10.8 sends those to it
    to read, not to answer)."""

    to_answer: list[Assessment]       # report issued: the response is due (G8.24)
    to_agree: list[Assessment]        # the SSC proposed other steps or dates (G8.27(b), G8.28)
    progress_due: list[Assessment]    # plan agreed, progress reports due (G8.28(b)(i))
    to_self_assess: list[Assessment]  # a booked self-assessment to submit (G8.50(b))
    steps: list[Step]                 # agreed steps not completed, soonest first (G8.28(a))
    booked: Assessment | None         # the booking that stands for its next assessment (G8.40)

    @property
    def count(self) -> int:
        """How many things wait on the party."""
        return (len(self.to_answer) + len(self.to_agree) + len(self.progress_due)
                + len(self.to_self_assess) + len(self.steps))


def party_work(user: Any, party: Any, today: date, limit: int = LIMIT) -> PartyWork:
    """What waits on `party`, as `user` may see it, as of `today` (two queries). Each agreed
    step carries `overdue` (past its date, G8.28(b)(ii)-(iii))."""
    mine = list(Assessment.objects.visible_to(user)
                .filter(party=party, stage__in=PARTY_STAGES)
                .order_by(F("response_due").asc(nulls_last=True),
                          F("next_progress_due").asc(nulls_last=True),
                          F("fieldwork_start").asc(nulls_last=True), "id")[:4 * limit])
    at = {stage: [a for a in mine if a.stage == stage] for stage in PARTY_STAGES}
    booked = [a for a in at[Stage.BOOKED.value] if a.category not in FOLLOW_UPS]
    steps = (Step.objects.visible_to(user)
             .filter(finding__assessment__party=party, status=Step.Status.AGREED,
                     completed_on__isnull=True)
             .select_related("finding__assessment")
             .annotate(overdue=ExpressionWrapper(Q(due__lt=today), output_field=BooleanField()))
             .order_by(F("due").asc(nulls_last=True), "id"))
    return PartyWork(
        to_answer=at[Stage.REPORT_ISSUED.value][:limit],
        to_agree=at[Stage.ALTERNATIVE_PROPOSED.value][:limit],
        progress_due=[a for a in at[Stage.PLAN_AGREED.value] if a.next_progress_due][:limit],
        to_self_assess=[a for a in booked
                        if a.category == Category.SELF_ASSESSMENT][:limit],
        steps=list(steps[:limit]),
        booked=min(booked, key=lambda a: (a.fieldwork_start is None,
                                          a.fieldwork_start or date.max, a.pk), default=None))
