"""The list of assessments and what needs the SSC's attention at its next meeting."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from secassure.code.permissions import Action
from secassure.code.workflow import Stage
from secassure.core.permissions import require

from .. import selectors
from ..models import Category
from .common import parse_day, today

#: The attention page looks this far ahead for Follow-ups and progress reports due.
HORIZON = timedelta(days=28)


@login_required
def assessment_list(request):
    """Assessments you may see: the committee and the assessor all of them; a party its own
    and, for a Shared Resource User, its provider's (G10.8)."""
    chosen = {key: request.GET.get(key, "").strip() for key in ("stage", "category", "party")}
    found = selectors.assessments_for(request.user, **chosen)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    for a in page:  # G10.8: a provider's decisions are not a Shared Resource User's to read
        a.decisions_withheld = selectors.decisions_withheld(request.user, a)
    return render(request, "assurance/list.html", {
        "page": page, "chosen": chosen, "stages": list(Stage), "categories": Category.choices,
        "today": today(), "query": "&".join(f"{k}={v}" for k, v in chosen.items() if v)})


@dataclass(frozen=True)
class Row:
    """One line of the attention page: whose, what (a link), when, and whether it is late."""

    party: str
    url: str
    what: str
    when: object
    late: bool = False
    note: str = ""


def _assessment_row(a, section, now) -> Row:
    when = getattr(a, section.date_field)
    late = section.late and when is not None and when < now
    return Row(a.party.party_id, reverse("assessment", args=[a.pk]),
               f"{a.get_category_display()} #{a.pk}" + (" (initial)" if a.initial else ""),
               when, late, str(a.assessor or ""))


ROWS = {
    "steps": lambda s, now: Row(
        s.finding.assessment.party.party_id,
        reverse("assessment", args=[s.finding.assessment_id]) + f"#finding-{s.finding.number}",
        f"Finding {s.finding.number}: {s.description[:90]}", s.due, True,
        f"failure reported: {s.failure_reason[:60]}" if s.failure_reason else ""),
    "plans": lambda p, now: Row(p.assessment.party.party_id,
                                reverse("assessment", args=[p.assessment_id]),
                                f"Remediation Plan on {p.assessment.get_category_display()} "
                                f"#{p.assessment_id}", p.submitted_at, note=p.director_name),
    "defaults": lambda e, now: Row(e.party.party_id, reverse("default", args=[e.pk]),
                                   e.clauses, e.referred_on),
    "remedial": lambda e, now: Row(e.party.party_id, reverse("default", args=[e.pk]),
                                   e.clauses, e.decided_on),
    "appeals": lambda ap, now: Row(ap.decision.assessment.party.party_id,
                                   reverse("assessment", args=[ap.decision.assessment_id]),
                                   f"Appeal of: {ap.decision.get_kind_display()}", ap.lodged_on,
                                   note=ap.grounds[:90]),
}


@login_required
def attention(request):
    """The business of the SSC's next meeting and the Panel's decisions (G8.24-G8.29,
    G8.35-G8.36, G8.57-G8.60, G9.29, G9.33, G12.7(b)). `until` is the meeting's date."""
    require(request.user, Action.VIEW_ATTENTION)
    now = today()
    until = parse_day(request.GET.get("until"), now + HORIZON)
    found = selectors.attention(request.user, now, until)
    groups = []
    for title, keys in selectors.GROUPS:
        sections = []
        for key in keys:
            section, (records, total) = selectors.SECTIONS[key], found[key]
            row = ROWS.get(key) or (lambda a, now, section=section: _assessment_row(a, section,
                                                                                    now))
            sections.append((section, [row(r, now) for r in records], total))
        groups.append((title, sections, sum(total for _, _, total in sections)))
    return render(request, "assurance/attention.html", {
        "groups": groups, "today": now, "until": until, "limit": selectors.LIMIT,
        "total": sum(total for _, _, total in groups)})
