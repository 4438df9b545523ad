"""User Security Self-Assessments: done by the User, reviewed by the User CIO (G8.18, G8.50)."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from secassure.code.classification import PersonKind
from secassure.code.workflow import Act

from .. import notify
from ..models import Assessment, Decision
from .base import AssuranceError, begin, decide, journal, move, performs, require_person, today


@performs(Act.SUBMIT_SELF_ASSESSMENT)
def submit_self_assessment(user: Any, assessment: Assessment, outcome: str) -> Assessment:
    """The party documents the outcome of its User Security Self-Assessment and submits it
    for review (G8.50(b)); the self-assessment is complete on that day."""
    require_person(user, Act.SUBMIT_SELF_ASSESSMENT, assessment)
    if not outcome.strip():
        raise AssuranceError("outcome: document the outcome of the self-assessment (G8.50(b))")
    with transaction.atomic():
        assessment, rule = begin(user, Act.SUBMIT_SELF_ASSESSMENT, assessment)
        move(assessment, rule, self_assessment=outcome.strip(), completed=today())
        journal(user, assessment, Act.SUBMIT_SELF_ASSESSMENT, rule.clause,
                "self-assessment submitted for review")
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "a self-assessment awaits review", kinds=[PersonKind.CIO_ASSESSOR],
        include_party=False))
    return assessment


@performs(Act.REVIEW_SELF_ASSESSMENT)
def review_self_assessment(user: Any, assessment: Assessment, review: str) -> Assessment:
    """The User CIO reviews the self-assessment (G8.18)."""
    require_person(user, Act.REVIEW_SELF_ASSESSMENT, assessment)
    if not review.strip():
        raise AssuranceError("review: record the review of the self-assessment (G8.18)")
    with transaction.atomic():
        assessment, rule = begin(user, Act.REVIEW_SELF_ASSESSMENT, assessment)
        engaged = {} if assessment.assessor_id else {"assessor": user}  # G8.18: the reviewer
        move(assessment, rule, self_assessment_review=review.strip(), **engaged)
        journal(user, assessment, Act.REVIEW_SELF_ASSESSMENT, rule.clause, "reviewed")
    transaction.on_commit(lambda: notify.assessment_event(
        assessment, "a reviewed self-assessment awaits the SSC",
        kinds=[PersonKind.SSC_MEMBER, PersonKind.SECAS]))
    return assessment


@performs(Act.NOTE_SELF_ASSESSMENT)
def note_self_assessment(user: Any, assessment: Assessment, note: str = "") -> Assessment:
    """The SSC notes the reviewed self-assessment (G7.20)."""
    with transaction.atomic():
        assessment, rule = begin(user, Act.NOTE_SELF_ASSESSMENT, assessment)
        move(assessment, rule)
        decide(user, assessment, Decision.Kind.SELF_ASSESSMENT_NOTED, rule.clause,
               note or "noted", value="noted")
    return assessment
