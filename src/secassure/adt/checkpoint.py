"""Where ``adt live`` keeps its checkpoint in Redis, written in pieces so Redis never stalls.

The counting state is large (12 MB for 16,000 busy keys over a day's window; see
``benchmarks/ADT_BENCHMARKS.md``).  Written as one ``HSET`` it held Redis's single thread for
about 10 ms, once a second, and every append and decision waited behind it: the largest part
of the live engine's p99 latency.  So the state goes to Redis as a list of pieces of at most
``PIECE`` bytes, one ``RPUSH`` per round trip (Redis serves the other clients between them),
into one of two slots; then ONE ``MULTI``/``EXEC`` points the checkpoint hash at the slot
together with the position and the thresholds it was counted against.

* ``OUT:checkpoint`` (hash): ``pos``, ``config``, ``at`` (ms), ``slot`` (``OUT:checkpoint:a``
  or ``:b``), ``bytes`` (the state's length);
* ``OUT:checkpoint:a`` / ``:b`` (lists): the state's bytes in pieces, in order.

A kill at any point leaves the hash naming a whole slot: the slot being written is never the
one named, and is emptied (``DEL``) before it is written again.  A checkpoint written by an
older engine, with the state inline in the hash (field ``state``), is still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import redis

from . import resp
from .state import CountingState

PIECE = 1 << 20  # bytes per RPUSH: about 0.3 ms of Redis's time each
SLOTS = ("a", "b")


def _pieces(views: list[memoryview], size: int) -> Iterator[list[memoryview]]:
    """The concatenation of ``views`` cut into runs of at most ``size`` bytes (no copies)."""
    run: list[memoryview] = []
    room = size
    for v in views:
        while len(v):
            take = v[:room]
            run.append(take)
            v = v[len(take):]
            room -= len(take)
            if not room:
                yield run
                run, room = [], size
    if run:
        yield run


def write(wire: resp.Wire, key: str, state: CountingState, pos: str, config: str,
          at_ms: int) -> str:
    """Write the state into the slot the hash does not name (asked of Redis, not remembered:
    a switch whose reply was lost still counts), then switch the hash to it with the position,
    in one transaction.  Returns the slot written."""
    named = wire.call(resp.pack(b"HGET", key, b"slot"), 1)
    _ok(named)
    first = f"{key}:{SLOTS[0]}"
    slot = f"{key}:{SLOTS[1]}" if named.ntok and named.kind[0] == resp.BULK and \
        named.text(0) == first.encode() else first
    views = state.buffers()
    total = sum(len(v) for v in views)
    _ok(wire.call(resp.pack(b"DEL", slot), 1))
    name = slot.encode()
    for run in _pieces(views, PIECE):
        n = sum(len(v) for v in run)
        wire.sock.sendall(b"*3\r\n$5\r\nRPUSH\r\n$%d\r\n%s\r\n$%d\r\n" % (len(name), name, n))
        for v in run:
            wire.sock.sendall(v)
        wire.sock.sendall(b"\r\n")
        _ok(wire.read(1))
    tx = [resp.pack(b"MULTI"),
          resp.pack(b"HSET", key, b"slot", slot, b"bytes", total, b"pos", pos, b"config",
                    config, b"at", at_ms),
          resp.pack(b"HDEL", key, b"state"),
          resp.pack(b"EXEC")]
    _ok(wire.call(b"".join(tx), len(tx)))
    return slot


def read(client: Any, key: str) -> dict[str, Any]:
    """The checkpoint's fields as text, and ``state`` as bytes (absent: no checkpoint yet).
    Raises ``ValueError`` when the slot named does not hold the state's length."""
    got = {k.decode(): v for k, v in client.hgetall(key).items()}
    out: dict[str, Any] = {k: v.decode() for k, v in got.items() if k != "state"}
    if "slot" in out:
        blob = b"".join(client.lrange(out["slot"], 0, -1))
        if len(blob) != int(out.get("bytes", -1)):
            raise ValueError(f"{out['slot']} holds {len(blob)} bytes, not the "
                             f"{out.get('bytes')} the checkpoint names")
        out["state"] = blob
    elif "state" in got:
        out["state"] = got["state"]
    return out


def _ok(rep: resp.Replies) -> None:
    errors = rep.errors()
    if errors:
        raise redis.ResponseError(errors[0].decode(errors="replace"))
