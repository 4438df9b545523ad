"""A slow, obvious reference for Threshold Anomaly Detection decisions (tests only).

Straight from the contract (the second version, issue 12 section 1), one communication at a
time, scanning every earlier row: no windows, no rings, no batching, no codes.  If this and the
engine disagree, the engine is wrong.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ORDER = {"critical": 0, "encrypted": 1}


@dataclass(frozen=True)
class Comm:
    id: str
    ts: int  # microseconds since the epoch
    user: str
    srv: str  # "" for a Critical Command not related to an SRV (G6.6(c))
    critical: int
    encrypted: int
    smets1: int
    value: str | None  # decimal text, None when empty
    command: str | None = None


def ts_us(text: str) -> int:
    """ISO 8601 text to microseconds, by the standard library (independent of the engine)."""
    t = text.replace("Z", "+00:00").replace("z", "+00:00")
    dt = datetime.fromisoformat(t)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def target(srv: str | None, command: str | None) -> str:
    """What a key or a communication is about: its SRV, or with srv empty its command."""
    return srv if srv else f"command:{command}"


def keys_of(thresholds: list[tuple]) -> list[tuple[str, str, str, int | None, int]]:
    """(user, target, counter, warning, quarantine) from 5-tuples (user, srv, counter, warning,
    quarantine) or 6-tuples (user, srv, command, counter, warning, quarantine)."""
    out = []
    for row in thresholds:
        if len(row) == 5:
            user, srv, counter, warning, quarantine = row
            command = None
        else:
            user, srv, command, counter, warning, quarantine = row
        out.append((user, target(srv, command), counter, warning, quarantine))
    return out


def belongs(c: Comm, key: tuple[str, str, str]) -> bool:
    user, tgt, counter = key
    flag = c.critical if counter == "critical" else c.encrypted
    return target(c.srv, c.command) == tgt and flag == 1 and (user == "*" or user == c.user)


def levels_at(key: tuple[str, str, str], warning: int | None, quarantine: int, ts: int,
              exceptions: list[tuple] | None) -> tuple[int | None, int, bool]:
    """The key's levels at ts: an exception's where from <= ts < to (G6.1(a)(i))."""
    for user, srv, command, counter, start, end, w, q in exceptions or []:
        if (user, target(srv, command), counter) == key and ts_us(start) <= ts < ts_us(end):
            return (None if w in (None, "") else int(w)), int(q), True
    return warning, quarantine, False


def _outside(c: Comm, lim: dict) -> bool:
    if c.value is None or not c.srv or c.srv not in lim:
        return False
    lo, hi = lim[c.srv]
    v = Decimal(c.value)
    return (lo is not None and v < Decimal(lo)) or (hi is not None and v > Decimal(hi))


def _decide(thresholds, limits, comms, window_s, exceptions, count) -> list[tuple[str, int, str]]:
    lim = {srv: (lo, hi) for srv, lo, hi in (limits or [])}
    by_target: dict[str, list] = {}
    for k in keys_of(thresholds):
        by_target.setdefault(k[1], []).append(k)
    out = []
    for i, c in enumerate(comms):
        hits_q, hits_w = [], []
        for user, tgt, counter, warning, quarantine in by_target.get(target(c.srv, c.command), []):
            key = (user, tgt, counter)
            if not belongs(c, key):
                continue
            n = count(i, c, key)
            w, q, exc = levels_at(key, warning, quarantine, c.ts, exceptions)
            rank = (user == "*", ORDER[counter])  # user keys first, critical before encrypted
            tail = ":exception" if exc else ""
            label = f"{user}/{tgt}/{counter}"
            if n > q:
                hits_q.append((rank, f"{label}:quarantine>{q}{tail}"))
            if w is not None and n > w:
                hits_w.append((rank, f"{label}:warning>{w}{tail}"))
        if _outside(c, lim):  # G6.6(b): DELETE (SMETS1, G6.1(d)(i)), else QUARANTINE
            out.append(("DELETE" if c.smets1 == 1 else "QUARANTINE", 0, "limit"))
        elif hits_q:
            out.append(("QUARANTINE", 0, min(hits_q)[1]))
        elif hits_w:
            out.append(("PROCESS", 1, min(hits_w)[1]))
        else:
            out.append(("PROCESS", 0, ""))
    return out


def decide(thresholds, limits, comms: list[Comm], window_s: int,
           exceptions: list[tuple] | None = None) -> list[tuple[str, int, str]]:
    """(decision, warning, reason) per communication, in input order, rescanning every earlier
    communication for each count."""
    n_us = window_s * 1_000_000

    def count(i: int, c: Comm, key: tuple[str, str, str]) -> int:
        return sum(1 for j in range(i + 1) if belongs(comms[j], key) and comms[j].ts > c.ts - n_us)

    return _decide(thresholds, limits, comms, window_s, exceptions, count)


def decide_bisect(thresholds, limits, comms: list[Comm], window_s: int,
                  exceptions: list[tuple] | None = None) -> list[tuple[str, int, str]]:
    """The same rule with per-key sorted lists and bisection, for streams too long to rescan.

    Still obvious: a key's list holds the timestamps of its communications so far (input order is
    time order), and the count is how many of them are > ts - N.
    """
    seen: dict[tuple[str, str, str], list[int]] = {}
    n_us = window_s * 1_000_000

    def count(i: int, c: Comm, key: tuple[str, str, str]) -> int:
        times = seen.setdefault(key, [])
        times.append(c.ts)
        return len(times) - bisect_right(times, c.ts - n_us)

    return _decide(thresholds, limits, comms, window_s, exceptions, count)
