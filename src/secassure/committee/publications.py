"""The publications from the database (issue 10): the SSC's headlines of a recorded meeting and
the monthly report of a recorded month, as the documents the pure renderers of
`code.publications` take (the same contract as `secassure publish ... --input`)."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from secassure.assurance.models import Decision, RemediationPlan
from secassure.code import publications
from secassure.code.publications.headlines import CATEGORIES as HEADLINE_CATEGORIES
from secassure.code.publications.monthly import CATEGORIES as MONTHLY_CATEGORIES
from secassure.registry.models import Party

from .models import AgendaItem, Body, Meeting, MeetingDecision
from .selectors.business import headline_business


def _parties() -> list[dict[str, str]]:
    """The parties a publication must not name: every User in the register. The DCC is not
    among them: the SSC's headlines name it as a presenter (seed 000: "The DCC presented ...")."""
    return [{"id": p.party_id, "name": p.name}
            for p in Party.objects.filter(is_dcc=False).order_by("party_id")
            .only("party_id", "name")]


def headlines_document(meeting: Meeting) -> dict[str, Any]:
    """The meeting's MEETING.json: its business counted from the decisions attached to it, its
    matters arising (decisions recorded without an item), its published agenda items."""
    later = (Meeting.objects.filter(body=meeting.body, title=meeting.title,
                                    date__gt=meeting.date).order_by("date").first())
    items = (AgendaItem.objects.filter(meeting=meeting, parent__isnull=True, publish=True)
             .order_by("number"))
    matters = MeetingDecision.objects.filter(meeting=meeting, item__isnull=True).order_by("pk")
    return {
        "number": meeting.number, "date": str(meeting.date),
        "next_meeting": str(later.date if later else meeting.date),
        "further_information_url": meeting.further_information_url
        or "https://smartenergycodecompany.co.uk/sec/security-sub-committee/",
        "parties": _parties(),
        "business": [{k: v for k, v in row.items() if k != "date"}
                     for row in headline_business(meeting)
                     if row["category"] in HEADLINE_CATEGORIES[row["kind"]]],
        "matters_arising": [{"text": m.text, "classification": m.classification}
                            for m in matters],
        "agenda": [{"number": i.number, "title": i.title, "headline": i.headline,
                    "classification": i.classification, "publish": True} for i in items],
    }


def headlines(meeting: Meeting) -> list[str]:
    """The headlines' Markdown lines (PublicationError naming the item that names a party)."""
    if meeting.body != Body.SSC:
        raise publications.PublicationError("meeting: headlines are the SSC's")
    return publications.render_headlines(publications.parse_meeting(
        headlines_document(meeting)))


def _month_range(month: tuple[int, int]) -> tuple[date, date]:
    year, number = month
    start = date(year, number, 1)
    end = date(year + number // 12, number % 12 + 1, 1)
    return start, end


#: The monthly report's kinds for the workflow's decisions.
_MONTHLY_KIND = {Decision.Kind.ASSURANCE_STATUS: "assurance_status",
                 Decision.Kind.COMPLIANCE_STATUS: "compliance_status",
                 Decision.Kind.SELF_ASSESSMENT_NOTED: "ssa_reviewed"}


def monthly_document(month: str, *, issued: date | None = None) -> dict[str, Any]:
    """The month's MONTH.json: the SSC's and the Panel's status decisions, the self-assessments
    noted and the Remediation Plans (with their Directors' Letters) approved in the month."""
    start, end = _month_range(publications.common.month(month))
    rows = []
    decisions = (Decision.objects.filter(kind__in=list(_MONTHLY_KIND), effective__gte=start,
                                         effective__lt=end)
                 .select_related("assessment__party"))
    for d in decisions:
        rows.append({"kind": _MONTHLY_KIND[Decision.Kind(d.kind)],
                     "category": d.assessment.category if d.kind != "self_assessment_noted"
                     else "SSA", "date": str(d.effective),
                     "party": d.assessment.party.party_id, "outcome": d.value or "noted"})
    plans = RemediationPlan.objects.filter(
        status=RemediationPlan.Status.APPROVED, decided_at__date__gte=start,
        decided_at__date__lt=end).select_related("assessment__party")
    for p in plans:
        rows.append({"kind": "directors_letter_approved", "category": p.assessment.category,
                     "date": str(timezone.localdate(p.decided_at)),
                     "party": p.assessment.party.party_id, "outcome": "approved"})
    for row in rows:  # a letter of another category is counted without one
        if row["kind"] == "directors_letter_approved" and row["category"] not in (
                MONTHLY_CATEGORIES["directors_letter_approved"]):
            row["category"] = None
    rows = [r for r in rows if r["category"] in MONTHLY_CATEGORIES[r["kind"]]]
    return {"month": month, "date": str(issued or timezone.localdate()),
            "parties": _parties(), "decisions": rows, "highlights": []}


def monthly_report(month: str, *, appendix: bool = False) -> list[str]:
    report = publications.parse_month(monthly_document(month))
    return (publications.render_appendix(report) if appendix
            else publications.render_report(report))
