"""Shared test helpers: building engine inputs and writing CSV/Parquet files."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from secassure.adt import Decisions, Engine, Limits, Thresholds, TrafficBatch

from .reference import Comm


def engine_for(th_rows, lim_rows, window_s: int) -> Engine:
    th = Thresholds.from_rows([(u, s, c, "" if w is None else w, q) for u, s, c, w, q in th_rows])
    lim = Limits.from_rows(lim_rows) if lim_rows is not None else None
    return Engine(th, lim, window_s)


def batch_of(comms: list[Comm]) -> TrafficBatch:
    return TrafficBatch.from_rows([(c.ts, c.user, c.srv, c.critical, c.encrypted, c.smets1,
                                    c.value) for c in comms])


def as_triples(engine: Engine, dec: Decisions) -> list[tuple[str, int, str]]:
    labels = engine.key_labels().to_pylist()
    return [(name, int(w), labels[k] if k >= 0 else "")
            for name, w, k in zip(dec.names(), dec.warning.tolist(), dec.key.tolist(), strict=True)]


def iso(us: int) -> str:
    return str(np.datetime64(us, "us")) + "Z"


def write_thresholds(path: Path, rows) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["user_id", "srv", "counter", "warning", "quarantine"])
        for u, s, c, warn, q in rows:
            w.writerow([u, s, c, "" if warn is None else warn, q])
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
        w.writerow(["id", "ts", "user_id", "srv", "critical", "encrypted", "smets1", "value"])
        for c in comms:
            w.writerow([c.id, iso(c.ts), c.user, c.srv, c.critical, c.encrypted, c.smets1,
                        c.value or ""])
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
    })
    pq.write_table(table, path, row_group_size=max(row_group, 1))
    return path


def read_decisions(path: Path) -> list[tuple[str, str, int, str]]:
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "decision", "warning", "key"]
    return [(r[0], r[1], int(r[2]), r[3]) for r in rows[1:]]
