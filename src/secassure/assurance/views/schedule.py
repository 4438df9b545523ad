"""The schedule page (G8.33-G8.47, G8.63, G12.6-G12.8) and the party page's assurance panel."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from secassure.code.dates import parse_iso_date
from secassure.code.tracks import Track
from secassure.registry.models import Party
from secassure.registry.selectors import parties_with_visible_business

from .. import selectors

SORTS = {
    "due": lambda row: (row[1].due is None, row[1].due or date.max, row[0].party_id),
    "party": lambda row: row[0].party_id,
    "track": lambda row: (row[1].track.value, row[0].party_id),
    "next": lambda row: (row[1].next.value, row[0].party_id),
}


def as_of(request: HttpRequest) -> date:
    try:
        return parse_iso_date(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    on = as_of(request)
    booked = selectors.open_bookings()  # a booking stands in for the party's "next"
    rows = [(party, entry, booked.get(party.pk))
            for party, entry in selectors.schedule_for(request.user, on)]
    track = request.GET.get("track", "")
    if track in {t.value for t in Track}:
        rows = [row for row in rows if row[1].track.value == track]
    if request.GET.get("overdue"):
        rows = [row for row in rows if row[1].overdue]
    sort = request.GET.get("sort", "due")
    descending = sort.startswith("-")
    rows.sort(key=SORTS.get(sort.lstrip("-"), SORTS["due"]), reverse=descending)
    return render(request, "assurance/schedule.html", {
        "rows": rows, "as_of": on, "sort": sort, "track": track, "tracks": list(Track),
        "overdue_only": bool(request.GET.get("overdue")),
        "overdue_count": sum(1 for _, e, _ in rows if e.overdue)})


def party_panel(request: HttpRequest, party: Party, on: date) -> dict[str, Any]:
    """The party page's assurance section: its next assessment (for those who see its RED
    business), its assessments, its provider's (G10.8) and whether it may triage (G12.7)."""
    sees_business = parties_with_visible_business(request.user).filter(pk=party.pk).exists()
    return {"schedule": selectors.seen_by(request.user, selectors.party_schedule(party, on))
            if sees_business else None,
            "assurance": selectors.party_assurance(request.user, party)}
