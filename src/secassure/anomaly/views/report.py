"""The Anomaly Detection Report the DCC presents to the SSC (G6.8, G7.21(b); RED): a page and
a PDF for a period. Read by the SSC, the DCC and SECAS only: anyone else gets 404, as for a
record that does not exist."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..exports import pdf_response
from .charts import per_day_chart


def _day(request, field: str, default: date) -> date:
    text = request.GET.get(field, "")
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{field}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


def _context(request) -> tuple[dict[str, Any], int]:
    today = datetime.now(UTC).date()
    error = ""
    try:
        first = _day(request, "from", today - timedelta(days=30))
        last = _day(request, "to", today)
        if last < first:
            raise ValueError("to: before from")
    except ValueError as problem:
        error, first, last = str(problem), today - timedelta(days=30), today
    start = datetime.combine(first, time(), UTC)
    end = datetime.combine(last + timedelta(days=1), time(), UTC)
    report = selectors.anomaly_report(request.user, start, end)
    if report is None:
        raise Http404("No such page.")
    return {"report": report, "first": first, "last": last, "error": error,
            "per_day": per_day_chart(report.per_day)}, 400 if error else 200


@login_required
@require_GET
def report_page(request):
    """The report for `?from=YYYY-MM-DD&to=YYYY-MM-DD` (default: the last 30 days)."""
    context, status = _context(request)
    return render(request, "anomaly/report.html", context, status=status)


@login_required
@require_GET
def report_pdf(request):
    """The same report as a PDF, RED on every page."""
    context, status = _context(request)
    if status != 200:
        return render(request, "anomaly/report.html", context, status=status)
    return pdf_response(context, f"anomaly-detection-report-{context['first']}-"
                                 f"{context['last']}.pdf")
