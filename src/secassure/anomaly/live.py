"""The live engine's sink into the quarantine desk (G6.1(a)(ii), G6.1(d)(i)), and its status.

``secassure adt live`` appends every QUARANTINE and DELETE decision, with the communication's
time, User ID, SRV and command, to the stream ``OUT:desk`` in the same transaction as the
decision itself.  ``secassure adt live-desk`` (this module's ``DeskSink``) reads that stream and
records the rows on the desk through ``quarantine.record_decisions`` (the one service the file
load uses too: the owner party notified once per batch), then moves its own position
(``OUT:desk:pos`` in Redis).  The store skips a communication already on the desk
(``communication_id`` is unique), so a sink killed between the database's commit and its
position's update adds nothing twice when it reads the same entries again.

``live_status`` reads the engine's status hash for the live page (``/adt/live/``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from django.conf import settings

from . import quarantine

DESK_DECISIONS = ("QUARANTINE", "DELETE")


def redis_url() -> str:
    """The platform's Redis (``SECASSURE_REDIS_URL``); empty when not configured."""
    return str(getattr(settings, "SECASSURE_REDIS_URL", "") or "")


def _text(fields: dict[bytes, bytes], name: str, limit: int) -> str:
    return fields.get(name.encode(), b"").decode("utf-8", "replace")[:limit]


def _row(fields: dict[bytes, bytes]) -> quarantine.DecisionRow:
    ts = datetime.fromisoformat(_text(fields, "ts", 40).replace("Z", "+00:00"))
    return quarantine.DecisionRow(_text(fields, "id", 120), ts.astimezone(UTC),
                       _text(fields, "user_id", 64), _text(fields, "srv", 12),
                       _text(fields, "command", 60), _text(fields, "decision", 20),
                       _text(fields, "reason", 120))


@dataclass
class DeskSink:
    """Reads ``OUT:desk`` from its own position and records the rows on the desk."""

    client: Any  # a redis.Redis
    output: str
    operator: Any  # the DCC person the loads are journaled as
    batch: int = 5000
    block_ms: int = 100

    @property
    def stream(self) -> str:
        return f"{self.output}:desk"

    @property
    def position_key(self) -> str:
        return f"{self.output}:desk:pos"

    def position(self) -> str:
        raw = self.client.get(self.position_key)
        return raw.decode() if raw else "0-0"

    def step(self) -> quarantine.Loaded | None:
        """Record one batch of desk decisions; None when there was none to read."""
        reply = self.client.xread({self.stream: self.position()}, count=self.batch,
                                  block=self.block_ms)
        entries: list[Any] = []
        for _, got in (reply.items() if isinstance(reply, dict) else reply or []):
            entries = got[0] if got and isinstance(got[0], list) else got
        if not entries:
            return None
        rows = [_row(fields) for _, fields in entries
                if fields.get(b"decision", b"").decode() in DESK_DECISIONS]
        loaded = quarantine.record_decisions(
            self.operator, quarantined_rows(rows) + deleted_rows(rows),
            label=f"live {self.output}")
        self.client.set(self.position_key, entries[-1][0])
        return loaded

    def run(self, stop: Any, idle_exit: float = 0.0) -> None:
        idle = time.monotonic()
        while not stop.is_set():
            if self.step() is not None:
                idle = time.monotonic()
            elif idle_exit and time.monotonic() - idle > idle_exit:
                return


def quarantined_rows(rows: list[quarantine.DecisionRow]) -> list[quarantine.DecisionRow]:
    """The QUARANTINE decisions: they wait on the desk for the User's instruction."""
    return [r for r in rows if r.decision == "QUARANTINE"]


def deleted_rows(rows: list[quarantine.DecisionRow]) -> list[quarantine.DecisionRow]:
    """The DELETE decisions (G6.1(d)(i)): recorded read-only on the desk by the same service
    (``record_decisions``); the place to change if deletions ever need their own handling."""
    return [r for r in rows if r.decision == "DELETE"]


@dataclass(frozen=True)
class LiveStatus:
    """What the live page shows; ``problem`` says why there is nothing to show."""

    configured: bool
    problem: str = ""
    engines: tuple[dict[str, str], ...] = ()


def live_status(url: str | None = None, timeout: float = 0.5) -> LiveStatus:
    """Every live engine's status hash (``*:status`` written by ``adt live`` each second);
    never raises: an unconfigured or unreachable Redis is a status too."""
    url = redis_url() if url is None else url
    if not url:
        return LiveStatus(False, "Redis is not configured (SECASSURE_REDIS_URL is not set).")
    try:
        client: Any = redis.Redis.from_url(url, socket_timeout=timeout,
                                      socket_connect_timeout=timeout)
        engines = []
        for key in sorted(client.scan_iter(match="*:status", count=1000))[:50]:
            raw = client.hgetall(key)
            if b"position" not in raw:
                continue
            fields = {k.decode(): v.decode("utf-8", "replace") for k, v in raw.items()}
            fields["output"] = key.decode("utf-8", "replace")[: -len(":status")]
            now_ms = int(time.time() * 1000)
            for name in ("updated", "checkpoint_at"):
                if fields.get(name, "").isdigit() and int(fields[name]):
                    fields[name + "_ago"] = f"{(now_ms - int(fields[name])) / 1000:.1f} s ago"
                    fields[name + "_utc"] = datetime.fromtimestamp(
                        int(fields[name]) / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            engines.append(fields)
    except (redis.RedisError, OSError, ValueError) as error:
        return LiveStatus(True, f"Redis is not reachable: {type(error).__name__}.")
    return LiveStatus(True, "" if engines else "No live engine has reported to this Redis.",
                      tuple(engines))
