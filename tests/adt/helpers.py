"""Shared test helpers: building engine inputs and writing CSV/Parquet files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from secassure.adt import Decisions, Engine, Exceptions, Limits, Thresholds, TrafficBatch
from secassure.adt.writer import DecisionWriter

from .reference import Comm


def engine_for(th_rows, lim_rows, window_s: int, ex_rows=None) -> Engine:
    th = Thresholds.from_rows([(*r[:-2], "" if r[-2] is None else r[-2], r[-1])
                               for r in th_rows])
    lim = Limits.from_rows(lim_rows) if lim_rows is not None else None
    ex = Exceptions.from_rows(ex_rows, th) if ex_rows else None
    return Engine(th, lim, window_s, ex)


def batch_of(comms: list[Comm]) -> TrafficBatch:
    with_command = any(c.command is not None for c in comms)
    return TrafficBatch.from_rows([(c.ts, c.user, c.srv, c.critical, c.encrypted, c.smets1,
                                    c.value, *([c.command] if with_command else []))
                                   for c in comms])


def as_triples(engine: Engine, dec: Decisions) -> list[tuple[str, int, str]]:
    """(decision, warning, reason) as ``adt run`` writes them."""
    buf = io.BytesIO()
    DecisionWriter(buf, engine).write(
        pa.array([str(i) for i in range(len(dec.decision))], pa.string()), dec)
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode())))[1:]
    return [(r[1], int(r[2]), r[3]) for r in rows]


def iso(us: int) -> str:
    return str(np.datetime64(us, "us")) + "Z"


def write_thresholds(path: Path, rows) -> Path:
    """5-tuples (no command column) or 6-tuples (with one)."""
    with_command = any(len(r) == 6 for r in rows)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["user_id", "srv", *(["command"] if with_command else []), "counter",
                    "warning", "quarantine"])
        for r in rows:
            r = r if len(r) == 6 or not with_command else (r[0], r[1], "", *r[2:])
            w.writerow([*r[:-2], "" if r[-2] is None else r[-2], r[-1]])
    return path


def write_exceptions(path: Path, rows) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["user_id", "srv", "command", "counter", "from", "to", "warning",
                    "quarantine"])
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    return path


def write_limits(path: Path, rows) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["srv", "min", "max"])
        for s, lo, hi in rows:
            w.writerow([s, lo or "", hi or ""])
    return path


def write_traffic_csv(path: Path, comms: list[Comm]) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        with_command = any(c.command is not None for c in comms)
        w.writerow(["id", "ts", "user_id", "srv", "critical", "encrypted", "smets1", "value",
                    *(["command"] if with_command else [])])
        for c in comms:
            w.writerow([c.id, iso(c.ts), c.user, c.srv, c.critical, c.encrypted, c.smets1,
                        c.value or "", *([c.command or ""] if with_command else [])])
    return path


def write_traffic_parquet(path: Path, comms: list[Comm], row_group: int = 7) -> Path:
    table = pa.table({
        "id": pa.array([c.id for c in comms], pa.string()),
        "ts": pa.array([c.ts for c in comms], pa.timestamp("us", tz="UTC")),
        "user_id": pa.array([c.user for c in comms], pa.string()),
        "srv": pa.array([c.srv for c in comms], pa.string()),
        "critical": pa.array([c.critical for c in comms], pa.int8()),
        "encrypted": pa.array([c.encrypted for c in comms], pa.int8()),
        "smets1": pa.array([c.smets1 for c in comms], pa.int8()),
        "value": pa.array([c.value for c in comms], pa.string()),
        **({"command": pa.array([c.command for c in comms], pa.string())}
           if any(c.command is not None for c in comms) else {}),
    })
    pq.write_table(table, path, row_group_size=max(row_group, 1))
    return path


def read_decisions(path: Path) -> list[tuple[str, str, int, str]]:
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "decision", "warning", "reason"]
    return [(r[0], r[1], int(r[2]), r[3]) for r in rows[1:]]
