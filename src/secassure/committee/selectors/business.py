"""The assurance business a meeting took: the workflow's decisions dated on its day, found by
their date, and attached to it by an explicit link that can be moved (`BusinessLink`)."""
from __future__ import annotations

from collections import Counter
from typing import Any

from secassure.assurance.models import Decision, ProgressReport, RemediationPlan

from ..models import Body, BusinessLink, Meeting

#: The decision-taking body of the workflow behind each committee.
_DECIDES_FOR = {Body.SSC: Decision.Body.SSC, Body.PANEL: Decision.Body.PANEL}


def unattached_business(meeting: Meeting) -> tuple[list[Decision], list[RemediationPlan],
                                                     list[ProgressReport]]:
    """The workflow's decisions of the meeting's body taken on its date (the journal dates each
    with `decided_at`), the Remediation Plans it approved that day, and (the SSC) the progress
    reports on approved Remediation Plans received by that day that no meeting has noted yet;
    none attached to a meeting yet."""
    body = _DECIDES_FOR.get(Body(meeting.body))
    if body is None:
        return [], [], []
    decisions = list(Decision.objects.filter(
        body=body, decided_at__date=meeting.date, meeting_link__isnull=True)
        .select_related("assessment").order_by("pk"))
    if body != Decision.Body.SSC:   # the SSC approves Remediation Plans and notes progress
        return decisions, [], []
    plans = list(RemediationPlan.objects.filter(
        status=RemediationPlan.Status.APPROVED, decided_at__date=meeting.date,
        meeting_link__isnull=True).order_by("pk"))
    approved = RemediationPlan.objects.filter(status=RemediationPlan.Status.APPROVED)
    progress = list(ProgressReport.objects.filter(
        reported_at__date__lte=meeting.date, meeting_link__isnull=True,
        assessment__in=approved.values("assessment")).order_by("pk"))
    return decisions, plans, progress


def attached_business(meeting: Meeting) -> Any:
    return (BusinessLink.objects.filter(meeting=meeting)
            .select_related("decision__assessment__party", "plan__assessment__party",
                            "progress__assessment__party")
            .order_by("pk"))


#: The headlines' kind of business (issue 10) for each workflow decision kind.
_HEADLINE_KIND = {Decision.Kind.ASSURANCE_STATUS: "assurance_status",
                  Decision.Kind.COMPLIANCE_STATUS: "compliance_status",
                  Decision.Kind.SELF_ASSESSMENT_NOTED: "ssa_noted"}


def headline_business(meeting: Meeting) -> list[dict[str, str]]:
    """The meeting's attached business in the publications' terms: kind, category, party."""
    rows = []
    for link in attached_business(meeting):
        if link.decision is not None:
            kind = _HEADLINE_KIND.get(Decision.Kind(link.decision.kind))
            if kind is None:
                continue
            assessment = link.decision.assessment
        elif link.plan is not None:
            kind, assessment = "remediation_plan_approved", link.plan.assessment
        else:
            kind, assessment = "remediation_plan_progress", link.progress.assessment
        rows.append({"kind": kind, "category": assessment.category,
                     "party": assessment.party.party_id, "date": str(meeting.date)})
    return rows


def business_counts(meeting: Meeting) -> Counter[tuple[str, str]]:
    """How many of each (kind, category) the meeting took."""
    return Counter((r["kind"], r["category"]) for r in headline_business(meeting))
