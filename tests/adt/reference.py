"""A slow, obvious reference for Threshold Anomaly Detection decisions (tests only).

Straight from the contract, one communication at a time, scanning every earlier row: no
windows, no rings, no batching.  If this and the engine disagree, the engine is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Comm:
    id: str
    ts: int  # microseconds since the epoch
    user: str
    srv: str
    critical: int
    encrypted: int
    smets1: int
    value: str | None  # decimal text, None when empty


def ts_us(text: str) -> int:
    """ISO 8601 text to microseconds, by the standard library (independent of the engine)."""
    t = text.replace("Z", "+00:00").replace("z", "+00:00")
    dt = datetime.fromisoformat(t)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def belongs(c: Comm, key: tuple[str, str, str]) -> bool:
    user, srv, counter = key
    flag = c.critical if counter == "critical" else c.encrypted
    return c.srv == srv and flag == 1 and (user == "*" or user == c.user)


def decide(thresholds: list[tuple[str, str, str, int | None, int]],
           limits: list[tuple[str, str | None, str | None]] | None,
           comms: list[Comm], window_s: int) -> list[tuple[str, int, str]]:
    """(decision, warning, deciding key label) per communication, in input order."""
    lim = {srv: (lo, hi) for srv, lo, hi in (limits or [])}
    order = {"critical": 0, "encrypted": 1}
    out = []
    for i, c in enumerate(comms):
        if c.smets1 == 1 and c.value is not None and c.srv in lim:
            lo, hi = lim[c.srv]
            v = Decimal(c.value)
            if (lo is not None and v < Decimal(lo)) or (hi is not None and v > Decimal(hi)):
                out.append(("DELETE", 0, f"limits/{c.srv}"))
                continue
        hits_q, hits_w = [], []
        for user, srv, counter, warning, quarantine in thresholds:
            key = (user, srv, counter)
            if not belongs(c, key):
                continue
            count = sum(1 for j in range(i + 1)
                        if belongs(comms[j], key) and comms[j].ts > c.ts - window_s * 1_000_000)
            rank = (user == "*", order[counter])  # user keys first, critical before encrypted
            label = f"{user}/{srv}/{counter}"
            if count > quarantine:
                hits_q.append((rank, label))
            if warning is not None and count > warning:
                hits_w.append((rank, label))
        if hits_q:
            out.append(("QUARANTINE", 0, min(hits_q)[1]))
        elif hits_w:
            out.append(("PROCESS", 1, min(hits_w)[1]))
        else:
            out.append(("PROCESS", 0, ""))
    return out


def decide_bisect(thresholds, limits, comms: list[Comm],
                  window_s: int) -> list[tuple[str, int, str]]:
    """The same rule with per-key sorted lists and bisection, for streams too long to rescan.

    Still obvious: a key's list holds the timestamps of its communications so far (input order is
    time order), and the count is how many of them are > ts - N.
    """
    from bisect import bisect_right

    lim = {srv: (lo, hi) for srv, lo, hi in (limits or [])}
    order = {"critical": 0, "encrypted": 1}
    seen: dict[tuple[str, str, str], list[int]] = {}
    by_srv: dict[str, list] = {}
    for user, srv, counter, warning, quarantine in thresholds:
        by_srv.setdefault(srv, []).append((user, srv, counter, warning, quarantine))
    out = []
    for c in comms:
        hits_q, hits_w = [], []
        for user, srv, counter, warning, quarantine in by_srv.get(c.srv, []):
            key = (user, srv, counter)
            if not belongs(c, key):
                continue
            times = seen.setdefault(key, [])
            times.append(c.ts)
            count = len(times) - bisect_right(times, c.ts - window_s * 1_000_000)
            rank = (user == "*", order[counter])
            label = f"{user}/{srv}/{counter}"
            if count > quarantine:
                hits_q.append((rank, label))
            if warning is not None and count > warning:
                hits_w.append((rank, label))
        if c.smets1 == 1 and c.value is not None and c.srv in lim:
            lo, hi = lim[c.srv]
            v = Decimal(c.value)
            if (lo is not None and v < Decimal(lo)) or (hi is not None and v > Decimal(hi)):
                out.append(("DELETE", 0, f"limits/{c.srv}"))
                continue
        if hits_q:
            out.append(("QUARANTINE", 0, min(hits_q)[1]))
        elif hits_w:
            out.append(("PROCESS", 1, min(hits_w)[1]))
        else:
            out.append(("PROCESS", 0, ""))
    return out
