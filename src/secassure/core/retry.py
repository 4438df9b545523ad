"""A transaction that loses a race to another writer is run again, a few times (issue 8, "No
lost write").

The services lock only the rows an action changes, in one order (the journal head last), so
writers queue instead of deadlocking; yet a database may still end a transaction that lost a
race: PostgreSQL with a deadlock or a serialization failure, SQLite with "database is locked"
once its busy timeout has passed. Such a transaction changed nothing (it was rolled back), so
running the whole action again is safe, and it sees the winner's change: a refusal then says
why (the status is already set, the Follow-up is already booked). Refusals are never run
again: only the errors `lost_race` names are.

Only the outermost transaction can be run again: inside another transaction (a test, an import
that calls a service) the wrapped function is called once and the caller's own retry, if any,
takes the whole.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

#: How many times an action is tried in all, and the longest pause between two tries.
ATTEMPTS = 5
LONGEST_PAUSE = 0.5
#: PostgreSQL's SQLSTATEs of a transaction that lost a race: serialization failure, deadlock.
RACE_STATES = frozenset({"40001", "40P01"})
#: SQLite's result codes of a database another connection holds.
BUSY = frozenset({"SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED",
                  "SQLITE_LOCKED_SHAREDCACHE"})

log = logging.getLogger("secassure.retry")


def lost_race(error: BaseException) -> bool:
    """Whether `error` ended a transaction only because another one won a race for the same
    rows (or the same database): nothing was changed, and trying again may succeed."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in RACE_STATES:
        return True
    if getattr(cause, "sqlite_errorname", None) in BUSY:
        return True
    message = str(error).lower()
    return "database is locked" in message or "database table is locked" in message


def exclusive(name: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Inside a transaction: wait until no other transaction holds `name`, then hold it until
    this one ends. For actions that add rows another writer may be adding at the same moment
    (loading the same file twice): the second sees the first's rows instead of colliding with
    them. PostgreSQL takes a transaction-level advisory lock; SQLite's writers already queue
    (IMMEDIATE transactions take the write lock when they begin)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("exclusive() holds its lock until the transaction ends: call it "
                           "inside one")
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big",
                             signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def run_retried(action: Callable[[], T], using: str = DEFAULT_DB_ALIAS) -> T:
    """`action()`, run again (at most `ATTEMPTS` times in all, after a short random pause that
    grows) while it fails only because it lost a race; called once when already inside a
    transaction, which cannot be run again from here."""
    if connections[using].in_atomic_block:
        return action()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return action()
        except OperationalError as error:
            if attempt == ATTEMPTS or not lost_race(error):
                raise
            log.warning("lost a race (%s); trying again (%d of %d)",
                        str(error).strip().splitlines()[0], attempt + 1, ATTEMPTS)
        time.sleep(random.uniform(0, min(LONGEST_PAUSE, 0.02 * 2 ** attempt)))
    raise AssertionError("unreachable")  # pragma: no cover


def retried(function: F) -> F:
    """Decorate a service (a function that makes its own transaction) so that a transaction
    that lost a race is run again (`run_retried`)."""
    @functools.wraps(function)
    def retrying(*args: Any, **kwargs: Any) -> Any:
        return run_retried(lambda: function(*args, **kwargs))
    return retrying  # type: ignore[return-value]


__all__ = ["ATTEMPTS", "exclusive", "lost_race", "retried", "run_retried"]
