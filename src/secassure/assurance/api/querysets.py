"""The queries the assurance API, the command line and the exports share.

Every one starts from `Model.objects.visible_to(user)` (the one visibility rule,
`secassure.core.visibility`), including the nested lists, so what a person reads over
the API, in an export or at the command line is exactly what the rule lets them see: a draft
report's findings only to the assessor (G8.22-G8.23), a Shared Resource Provider's report,
response, steps and progress to its Shared Resource Users (G10.8). Each runs a fixed number
of queries whatever the number of records.
"""
from __future__ import annotations

from django.db.models import Prefetch

from secassure.core.visibility import person_kind
from secassure.code.classification import DRAFT_READERS
from secassure.core.journal.models import JournalEntry

from ..models import (Appeal, Assessment, Decision, EventOfDefault, EvidenceFile, Finding,
                      FindingAnswer, ProgressReport, RemediationPlan, Step)


def assessments(user):
    return (Assessment.objects.visible_to(user)
            .select_related("party", "assessor", "compliance_status")
            .prefetch_related("roles"))


def evidence(user):
    return EvidenceFile.objects.visible_to(user).select_related("uploaded_by").order_by("id")


def answers(user):
    return FindingAnswer.objects.visible_to(user).select_related("finding").order_by(
        "finding__number")


def steps(user):
    return Step.objects.visible_to(user).select_related("finding").order_by(
        "finding__number", "id")


def findings(user):
    """Findings with their evidence files, the party's answer and the steps."""
    return (Finding.objects.visible_to(user).order_by("assessment_id", "number")
            .prefetch_related(Prefetch("files", evidence(user), to_attr="visible_files"),
                              Prefetch("answer", FindingAnswer.objects.visible_to(user),
                                       to_attr="visible_answer"),
                              Prefetch("steps", steps(user), to_attr="visible_steps")))


def progress_reports(user):
    return ProgressReport.objects.visible_to(user).select_related("reported_by")


def decisions(user):
    return Decision.objects.visible_to(user).select_related("decided_by")


def appeals(user):
    return Appeal.objects.visible_to(user).select_related("decision", "lodged_by")


def remediation_plans(user):
    return RemediationPlan.objects.visible_to(user).select_related("submitted_by",
                                                                   "decided_by")


def events_of_default(user):
    return (EventOfDefault.objects.visible_to(user)
            .select_related("party", "referred_by", "decided_by")
            .prefetch_related("affected"))


#: Journal entries that carry a draft report's content (a finding's title, a file's name).
DRAFT_ACTIONS = ["assurance.record_finding", "assurance.attach_evidence"]


def journal_entries(user, assessment: Assessment):
    """The journal entries about `assessment` and its Events of Default that `user` may see.
    While the report is a draft, the entries that name its findings are for its drafters
    only, like the findings themselves (G8.22-G8.23)."""
    subjects = [f"assessment:{assessment.pk}"] + [
        f"event_of_default:{pk}" for pk in
        events_of_default(user).filter(assessment=assessment).values_list("pk", flat=True)]
    entries = JournalEntry.objects.visible_to(user).filter(subject__in=subjects)
    if assessment.report_issued_at is None and person_kind(user) not in DRAFT_READERS:
        entries = entries.exclude(action__in=DRAFT_ACTIONS)
    return entries.order_by("id")


def assessment_record(user):
    """Assessments with every record the detail view shows (appeals: see `with_appeals`)."""
    return assessments(user).prefetch_related(
        Prefetch("findings", findings(user), to_attr="visible_findings"),
        Prefetch("progress_reports", progress_reports(user).order_by("id"),
                 to_attr="visible_progress_reports"),
        Prefetch("decisions", decisions(user).order_by("id"), to_attr="visible_decisions"),
        Prefetch("remediation_plans", remediation_plans(user).order_by("id"),
                 to_attr="visible_plans"),
        Prefetch("follow_ups", Assessment.objects.visible_to(user).order_by("id"),
                 to_attr="visible_follow_ups"))


def with_appeals(user, assessment: Assessment) -> Assessment:
    """Attach the appeals of `assessment`'s decisions that `user` may see (one query)."""
    assessment.visible_appeals = list(
        appeals(user).filter(decision__assessment=assessment).order_by("id"))
    return assessment
