"""The traffic summary the DCC loads for the charts (`secassure adt summary`): per key (User
ID, SRV or command, counter) and time bucket, the number of communications and the peak
windowed count, counted as `adt run` counts: a communication's count is the number of its key's
communications with ts in (ts - window, ts], up to and including itself in input order.

Pure NumPy over arrays; `read_traffic` turns a traffic CSV into them.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

COUNTERS = ("critical", "encrypted")


class SummaryError(ValueError):
    """A problem in the traffic, naming the file, line and field."""


@dataclass(frozen=True)
class Summary:
    """One row per (key, bucket) with traffic: `key` indexes `keys`; `start` is the bucket's
    start (microseconds since the epoch, UTC)."""
    keys: list[tuple[str, str, str, str]]   # (user_id, srv, command, counter)
    key: np.ndarray
    start: np.ndarray
    count: np.ndarray
    peak: np.ndarray


def windowed_counts(key: np.ndarray, ts: np.ndarray, window: int) -> np.ndarray:
    """Per communication (in input order, ts non-decreasing), its key's count in (ts - window,
    ts] up to itself: the engine's count."""
    if key.size == 0:
        return np.zeros(0, np.int64)
    order = np.argsort(key, kind="stable")           # by key, input order within a key
    k, t = key[order].astype(np.int64), ts[order].astype(np.int64)
    span = int(t.max() - t.min()) + window + 1
    if (int(k.max()) + 1) * span >= 2**62:   # the composite key would overflow int64
        raise SummaryError("too many keys over too long a time for one summary: split the "
                           "traffic by time")
    base = t.min()
    composite = k * span + (t - base)
    lower = np.searchsorted(composite, k * span + (t - base) - window, side="right")
    counts = np.empty_like(k)
    counts[order] = np.arange(k.size) - lower + 1
    return counts


def summarise(key: np.ndarray, ts: np.ndarray, keys: list[tuple[str, str, str, str]],
              window: int, bucket: int) -> Summary:
    """Per (key, bucket): communications and the peak windowed count. `ts`, `window` and
    `bucket` in microseconds; buckets start at multiples of `bucket` since the epoch."""
    counts = windowed_counts(key, ts, window)
    index = ts.astype(np.int64) // bucket
    first = int(index.min()) if index.size else 0
    width = (int(index.max()) - first + 1) if index.size else 1
    # one integer per (key, bucket): a 1-D unique, much faster than a unique of pairs
    unique, inverse = np.unique(key.astype(np.int64) * width + (index - first),
                                return_inverse=True)
    inverse = inverse.reshape(-1)
    number = np.bincount(inverse, minlength=unique.size)
    peak = np.zeros(unique.size, np.int64)
    np.maximum.at(peak, inverse, counts)
    return Summary(keys, unique // width, (unique % width + first) * bucket, number, peak)


def read_traffic(path: str) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str, str, str]]]:
    """A traffic CSV (`adt run`'s columns; `command` optional) as (key, ts in microseconds,
    keys): a row counts for its `critical` key and its `encrypted` key where the flag is 1."""
    index: dict[tuple[str, str, str, str], int] = {}
    keys_out: list[int] = []
    times: list[str] = []
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("ts", "user_id", "srv", "critical", "encrypted")
                       if c not in (reader.fieldnames or [])]
            if missing:
                raise SummaryError(f"{path}, line 1: missing column {missing[0]!r}")
            for line, row in enumerate(reader, start=2):
                srv, command = (row.get("srv") or "").strip(), (row.get("command") or "").strip()
                if not srv and not command:
                    raise SummaryError(f"{path}, line {line}, field 'srv': empty, and no command")
                for counter in COUNTERS:
                    flag = (row.get(counter) or "").strip()
                    if flag not in ("0", "1"):
                        raise SummaryError(f"{path}, line {line}, field {counter!r}: not 0 or 1")
                    if flag == "1":
                        key = ((row.get("user_id") or "").strip(), srv,
                               "" if srv else command, counter)
                        keys_out.append(index.setdefault(key, len(index)))
                        times.append((row.get("ts") or "").strip().removesuffix("Z"))
    except OSError as error:
        raise SummaryError(f"{path}: cannot read: {error.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise SummaryError(f"{path}: {error}") from None
    try:
        ts = np.array(times, dtype="datetime64[us]").astype(np.int64)
    except ValueError as error:
        raise SummaryError(f"{path}, field 'ts': {error}") from None
    if ts.size and np.any(np.diff(ts) < 0):
        raise SummaryError(f"{path}, field 'ts': goes backwards")
    return np.array(keys_out, np.int64), ts, list(index)
