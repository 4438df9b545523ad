"""Loading the engine's quarantined communications into the desk (G6.1(a)(ii))."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from secassure.code import inputs
from secassure.code.classification import Classification
from secassure.code.permissions import Action
from secassure.core.journal.services import record
from secassure.core.journal.words import counted
from secassure.core.permissions import require
from secassure.core.retry import exclusive, retried
from secassure.registry.models import UserId

from .models import QuarantinedCommunication


class QuarantineFileError(ValueError):
    """A problem in a traffic or decisions file, naming the file, line and field."""


def load_quarantine(user: Any, traffic: Path, decisions: Path, label: str = "") -> int:
    """Add every QUARANTINE decision of a run (`secassure adt run`) to the desk, with the
    User ID, SRV and time from the traffic. Communications already on the desk are skipped;
    the load is all or nothing."""
    require(user, Action.LOAD_QUARANTINE)
    quarantined: dict[str, str] = {}
    for line, row in _rows(decisions, ("id", "decision")):
        if row["decision"] == "QUARANTINE":
            quarantined[_field(row, "id", 120, decisions, line)] = \
                _field(row, "reason" if "reason" in row else "key", 120, decisions, line)
    wanted: dict[str, tuple[datetime, str, str]] = {}
    for line, row in _rows(traffic, ("id", "ts", "user_id", "srv")):
        if row["id"] in quarantined:
            wanted[row["id"]] = (_timestamp(row["ts"], traffic, line),
                                 _field(row, "user_id", 64, traffic, line),
                                 _field(row, "srv", 12, traffic, line))
    missing = set(quarantined) - set(wanted)
    if missing:
        raise QuarantineFileError(f"{traffic}: communication {sorted(missing)[0]!r} is "
                                  "quarantined in the decisions but not in the traffic")
    return _store(user, wanted, quarantined, label)


@retried
def _store(user: Any, wanted: dict[str, tuple[datetime, str, str]], quarantined: dict[str, str],
           label: str) -> int:
    """Add the communications not yet on the desk, in one transaction; two loads of the same
    run at once queue on one lock, so the second finds the first's and adds none."""
    with transaction.atomic():
        exclusive("anomaly.quarantine.load")
        known = set(QuarantinedCommunication.objects.filter(
            communication_id__in=list(wanted)).values_list("communication_id", flat=True))
        ids = {u.value: u for u in UserId.objects.filter(
            value__in={v[1] for v in wanted.values()})}
        new = [QuarantinedCommunication(communication_id=cid, ts=ts, user_id=ids.get(uid),
                                        user_id_value=uid, srv=srv, key=quarantined[cid])
               for cid, (ts, uid, srv) in wanted.items() if cid not in known]
        QuarantinedCommunication.objects.bulk_create(new, batch_size=2000)
        record(user, "anomaly.quarantine.loaded", clause="G6.1(a)(ii)",
               reason=counted(len(new), "quarantined communication", "quarantined communications")
               + f" loaded{' from ' + label if label else ''}",
               details={"loaded": len(new), "skipped": len(wanted) - len(new)},
               classification=Classification.AMBER)
    return len(new)


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = open(path, newline="", encoding="utf-8")  # noqa: SIM115 (closed just below)
    except OSError as error:
        raise QuarantineFileError(f"{path}: cannot read: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise QuarantineFileError(f"{path}, line 1: missing column {missing[0]!r}")
            yield from enumerate(reader, start=2)
        except UnicodeDecodeError as error:
            raise QuarantineFileError(f"{path}: not UTF-8 text (byte {error.start})") from None
        except csv.Error as error:  # a field over the limit, a NUL, a broken quote
            raise QuarantineFileError(f"{path}, line {max(reader.line_num, 1)}: {error}") \
                from None


def _field(row: dict[str, Any], name: str, limit: int, path: Path, line: int) -> str:
    """One field of a row, by the platform's rule for a one-line name of `limit`
    characters (a row too short for it has none)."""
    try:
        return inputs.name(row.get(name) or "", limit)
    except ValueError as error:
        raise QuarantineFileError(f"{path}, line {line}, field {name!r}: {error}") from None


def _timestamp(text: str | None, path: Path, line: int) -> datetime:
    try:
        return datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        raise QuarantineFileError(f"{path}, line {line}, field 'ts': {text!r} is not an ISO "
                                  "8601 time") from None
