"""Review of thresholds (G6.10): SECAS sets how long a threshold may go without review; the
owner (the DCC for its own, a User's own people for theirs) records each review. A threshold
found no longer appropriate stays flagged until a new one replaces it (G6.10(c)): a signed file
for a User's, a new proposal set after the SSC's opinion for the DCC's (G6.7(b))."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from secassure.code.classification import PersonKind
from secassure.code.permissions import Action
from secassure.core.permissions import SystemActor, require
from secassure.core.retry import retried
from secassure.core.visibility import person_kind

from ..models import ReviewPeriod, Threshold, ThresholdReview
from .base import ThresholdError, journal, own_people, party_of, person_or_none

#: The longest review period SECAS may set, in months.
LONGEST_PERIOD = 120


def review_period() -> ReviewPeriod:
    """The period SECAS set (G6.10); 12 months until it sets one."""
    return (ReviewPeriod.objects.order_by("pk").first()
            or ReviewPeriod(months=ReviewPeriod.DEFAULT_MONTHS))


@retried
def set_review_period(user: Any, months: int) -> ReviewPeriod:
    """SECAS sets how long a threshold may go without review before it is listed (G6.10)."""
    require(user, Action.SET_REVIEW_PERIOD)
    if not isinstance(months, int) or isinstance(months, bool) \
            or not 1 <= months <= LONGEST_PERIOD:
        raise ThresholdError(f"months: a whole number from 1 to {LONGEST_PERIOD}")
    with transaction.atomic():
        period = ReviewPeriod.objects.select_for_update().order_by("pk").first()
        if period is None:
            period = ReviewPeriod()
        before = period.months if period.pk else None
        period.months, period.changed_by = months, person_or_none(user)
        period.save()
        journal(user, "review_period.set", "G6.10", f"every {months} months",
                subject="review_period", months=months, before=before)
    return period


def owns(user: Any, threshold: Threshold) -> bool:
    """Whether `user` acts for the threshold's owner: the DCC's people for the DCC's own
    (G6.6), the party's own people for a User's (G6.3)."""
    if isinstance(user, SystemActor):
        return False
    party = party_of(threshold)
    if party is None:
        return person_kind(user) == PersonKind.DCC
    return own_people(user, party)


@retried
def review_threshold(user: Any, threshold: Threshold, outcome: str,
                     reasons: str) -> ThresholdReview:
    """The owner's review (G6.10(a)), having regard to the SSC's opinions (G6.10(b)): still
    appropriate, or no longer appropriate (flagged until replaced, G6.10(c))."""
    require(user, Action.REVIEW_THRESHOLD)
    if not owns(user, threshold):
        raise PermissionDenied("Only the threshold's owner reviews it (G6.10): the DCC its own, "
                               "a User's own people theirs.")
    if outcome not in Threshold.Review.values:
        raise ThresholdError(f"outcome: one of {', '.join(Threshold.Review.values)}")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ThresholdError("reasons: required (G6.10(a))")
    with transaction.atomic():
        locked = Threshold.objects.select_for_update().get(pk=threshold.pk)
        now = timezone.now()
        review = ThresholdReview.objects.create(threshold=locked, outcome=outcome,
                                                reasons=reasons, reviewed_by=person_or_none(user),
                                                reviewed_at=now,
                                                classification=locked.classification)
        locked.reviewed_at, locked.review_outcome = now, outcome
        locked.save(update_fields=["reviewed_at", "review_outcome"])
        journal(user, "threshold.reviewed", "G6.10(c)" if outcome == Threshold.Review.NO_LONGER
                else "G6.10(a)", f"{locked.get_review_outcome_display()}: {reasons[:180]}",
                party_of(locked), subject=f"threshold:{locked.pk}", outcome=outcome)
    threshold.reviewed_at, threshold.review_outcome = now, outcome
    return review
