"""Notices as CSV or JSON for SECAS (the same rows for the page, the API and the CLI)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from .models import Notice

COLUMNS = ["id", "party", "kind", "clause", "state", "title", "event_on", "filed_at",
           "complete_by", "completed_on", "operational_on", "provider", "noted_at_meeting",
           "classification"]


def rows(notices: Iterable[Notice]) -> list[dict[str, Any]]:
    return [{"id": n.pk, "party": n.party.party_id, "kind": n.kind, "clause": n.clause,
             "state": n.state, "title": n.title, "event_on": n.event_on.isoformat(),
             "filed_at": n.filed_at.isoformat(),
             "complete_by": n.complete_by.isoformat() if n.complete_by else "",
             "completed_on": n.completed_on.isoformat() if n.completed_on else "",
             "operational_on": n.operational_on.isoformat() if n.operational_on else "",
             "provider": n.provider.party_id if n.provider else "",
             "noted_at_meeting": n.noted_at_meeting, "classification": n.classification}
            for n in notices]


def as_csv(notices: Iterable[Notice]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(notices):
        # a cell that a spreadsheet would run as a formula is quoted as text
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v)
                         for k, v in row.items()})
    return out.getvalue()


def as_json(notices: Iterable[Notice]) -> str:
    return json.dumps(rows(notices), indent=1)
