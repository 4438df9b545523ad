"""Charts where people would rather look than read (G6.3, G6.1(a)(ii), G6.1(d)(i)): a key's
traffic against its threshold over time, and quarantines and deletions per day. Drawn on the
server as SVG from `secassure.code.charts` (no JavaScript), each with a title and a table.

Who sees what: a party's people their own User IDs' charts, the DCC and SECAS all; the SSC the
desk per day aggregated, without User IDs (`selectors.TRAFFIC_READERS`)."""
from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from secassure.adt.summary import SummaryError, read_traffic, summarise
from secassure.code.charts import bar_chart, line_chart
from secassure.code.classification import PersonKind
from secassure.code.permissions import Action
from secassure.core.permissions import can, require
from secassure.core.visibility import person_kind

from .. import selectors
from ..forms import TrafficSummaryForm
from ..services import REFUSALS
from ..services.desk import load_traffic_summary
from .common import first_error

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def per_day_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Chart (b): per day, quarantined and deleted stacked; the rows as its table."""
    days = [(row["day"].strftime("%d %b"), [("quarantined", row["quarantined"]),
                                            ("deleted", row["deleted"])]) for row in rows]
    return {"geometry": bar_chart(days), "rows": rows}


def traffic_chart(buckets: list, threshold: Any, exceptions: list) -> dict[str, Any]:
    """Chart (a): the peak windowed count per bucket, the threshold's warning and quarantine
    levels as lines, each exception while in force."""
    def seconds(moment: datetime) -> float:
        return (moment - EPOCH).total_seconds()

    series = [(seconds(b.starts), float(b.peak)) for b in buckets]
    levels = []
    if threshold is not None:
        levels.append(("quarantine", float(threshold.quarantine)))
        if threshold.warning is not None:
            levels.append(("warning", float(threshold.warning)))
    spans = [(f"exception {e.starts:%d %b}-{e.ends:%d %b}", seconds(e.starts), seconds(e.ends),
              float(e.quarantine)) for e in exceptions]
    step = max(1, len(buckets) // 6)
    labels = [(seconds(b.starts), b.starts.astimezone(UTC).strftime("%d %b %H:%M"))
              for b in buckets[::step]]
    return {"geometry": line_chart(series, levels, spans, labels), "buckets": buckets}


def _charts_page(request, status: int = 200, error: str = "", form: Any = None):
    user = request.user
    kind = person_kind(user)
    by_party = kind in (PersonKind.DCC, PersonKind.SECAS)
    days = request.GET.get("days", "")
    since = datetime.now(UTC) - timedelta(days=int(days) if days.isdigit()
                                          and 1 <= int(days) <= 366 else 30)
    rows = selectors.desk_per_day(user, since=since)
    return render(request, "anomaly/charts.html", {
        "keys": selectors.traffic_keys(user), "per_day": per_day_chart(rows),
        "party_rows": selectors.desk_per_day(user, since=since, by_party=True)
        if by_party else [],
        "aggregated": kind == PersonKind.SSC_MEMBER, "error": error,
        "can_load": can(user, Action.LOAD_QUARANTINE),
        "load_form": form or TrafficSummaryForm()}, status=status)


@login_required
@require_GET
def charts(request):
    """The charts page: the keys whose traffic the person may chart, and the desk per day."""
    return _charts_page(request)


@login_required
@require_POST
def load_summary(request):
    """The DCC loads a traffic summary computed from a traffic file (as `secassure adt summary
    TRAFFIC --load`): all or nothing; a bad file is 400 naming the line and field."""
    require(request.user, Action.LOAD_QUARANTINE)
    form = TrafficSummaryForm(request.POST, request.FILES)
    if not form.is_valid():
        return _charts_page(request, 400, first_error(form), form)
    data = form.cleaned_data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "traffic.csv"
        with open(path, "wb") as handle:
            for chunk in data["traffic"].chunks():
                handle.write(chunk)
        try:
            key, ts, keys = read_traffic(str(path))
        except SummaryError as error:
            return _charts_page(request, 400, str(error).replace(str(path), "traffic"), form)
    micro = 1_000_000
    found = summarise(key, ts, keys, data["window"] * micro, data["bucket"] * micro)
    try:
        loaded = load_traffic_summary(request.user, found, data["window"], data["bucket"],
                                      label=data["traffic"].name)
    except REFUSALS as error:
        return _charts_page(request, 400, str(error), form)
    messages.success(request, f"{loaded} traffic bucket{'s' if loaded != 1 else ''} loaded.")
    return redirect("adt-charts")


@login_required
@require_GET
def traffic(request):
    """One key's traffic against its threshold: `?user_id=&srv=` (or `command=`) `&counter=`.
    A key the person may not chart answers 404, as one that does not exist."""
    user = request.user
    wanted = {name: request.GET.get(name, "")[:64] for name in ("user_id", "srv", "command",
                                                                 "counter")}
    buckets = selectors.traffic_series(user, **wanted)
    if not buckets:
        raise Http404("No traffic summary for that key.")
    threshold = (selectors.key_threshold(user, wanted["user_id"], wanted["srv"],
                                         wanted["counter"]) if wanted["srv"] else None)
    exceptions = list(selectors.threshold_exceptions(user, threshold=threshold)) \
        if threshold is not None else []
    return render(request, "anomaly/chart_traffic.html", {
        "key": wanted, "chart": traffic_chart(buckets, threshold, exceptions),
        "threshold": threshold, "exceptions": exceptions, "window": buckets[0].window_seconds,
        "bucket": buckets[0].bucket_seconds})
