"""The live engine's checkpoint, written in pieces (``secassure.adt.checkpoint``), and its
warm-up.

The state goes to Redis piece by piece into one of two slots, then one transaction points the
checkpoint at the slot with the position (exactly once, issue 12 section 3): a restart must
continue from a whole state whatever was half-written, and read a checkpoint an older engine
left with the state inline.
"""

from __future__ import annotations

import numpy as np
import pytest
import redis

from secassure.adt import checkpoint, resp
from secassure.adt.errors import InputError
from secassure.adt.live import Live, Options, load_config, warm_up
from secassure.adt.state import CountingState

from .test_live import (  # noqa: F401 (fixtures)
    WINDOW,
    _adt_run,
    _drain,
    _fields,
    _files,
    _live,
    _output,
    _traffic,
    r,
    redis_url,
)
from .test_live import pytestmark as needs_redis

pytestmark = needs_redis


def _state(n: int) -> CountingState:
    rng = np.random.default_rng(n)
    sizes = rng.integers(0, 5, n)
    return CountingState(b"f" * 32, 30_000_000, 7, 9, sizes,
                         rng.integers(0, 1 << 60, int(sizes.sum())))


@pytest.mark.parametrize("n", [0, 1, 3, 200_000])  # 200,000 keys: several 1 MiB pieces
def test_a_state_goes_in_pieces_and_comes_back_whole(r, redis_url, n):  # noqa: F811
    state = _state(n)
    wire = resp.Wire(redis_url)
    first = checkpoint.write(wire, "out:checkpoint", state, "5-1", "0", 123)
    second = checkpoint.write(wire, "out:checkpoint", _state(n + 1), "6-0", "0", 124)
    assert {first, second} == {"out:checkpoint:a", "out:checkpoint:b"}  # the other slot
    got = checkpoint.read(r, "out:checkpoint")
    assert got["pos"] == "6-0" and got["slot"] == second and got["at"] == "124"
    assert got["state"] == _state(n + 1).to_bytes()
    pieces = r.lrange(second, 0, -1)
    assert max(len(p) for p in pieces) <= checkpoint.PIECE
    if n == 200_000:
        assert len(pieces) > 1


def test_a_half_written_slot_is_never_the_one_read(r, redis_url):  # noqa: F811
    """A kill while the pieces go out leaves the checkpoint naming the whole slot before."""
    wire = resp.Wire(redis_url)
    whole = _state(10)
    slot = checkpoint.write(wire, "out:checkpoint", whole, "5-1", "0", 1)
    other = "out:checkpoint:b" if slot.endswith(":a") else "out:checkpoint:a"
    r.rpush(other, b"half a state")  # what a kill mid-write leaves behind
    assert checkpoint.read(r, "out:checkpoint")["state"] == whole.to_bytes()
    # the next write empties that slot first, and the reply to a switch is not trusted:
    # the slot named is asked of Redis each time
    again = checkpoint.write(resp.Wire(redis_url), "out:checkpoint", _state(11), "6-1", "0", 2)
    assert again == other
    assert checkpoint.read(r, "out:checkpoint")["state"] == _state(11).to_bytes()


def test_a_slot_that_does_not_hold_the_state_is_refused_naming_it(r, redis_url,  # noqa: F811
                                                                  tmp_path):
    live = _live(r, redis_url, tmp_path)
    r.xadd("in", _fields(_traffic(1, seed=3)[0]))
    _drain(live)
    live.checkpoint_now()
    slot = r.hget("out:checkpoint", "slot")
    r.rpop(slot)
    r.client_kill_filter(_type="normal", skipme=True)
    with pytest.raises(InputError, match="out:checkpoint.*slot.*holds"):
        _live(r, redis_url, tmp_path)


def test_a_checkpoint_with_the_state_inline_is_still_read(r, redis_url, tmp_path):  # noqa: F811
    """An engine of the last version kept the state in the hash itself (field ``state``)."""
    comms = _traffic(300, seed=4)
    for c in comms[:150]:
        r.xadd("in", _fields(c))
    live = _live(r, redis_url, tmp_path)
    _drain(live)
    live.checkpoint_now()
    state = checkpoint.read(r, "out:checkpoint")["state"]
    r.delete("out:checkpoint:a", "out:checkpoint:b")
    r.hdel("out:checkpoint", "slot", "bytes")
    r.hset("out:checkpoint", "state", state)  # as the older engine left it
    r.client_kill_filter(_type="normal", skipme=True)
    for c in comms[150:]:
        r.xadd("in", _fields(c))
    _drain(_live(r, redis_url, tmp_path))
    assert _output(r)[0] == _adt_run(tmp_path, comms)
    assert r.hget("out:checkpoint", "state") is None  # the next checkpoint went to a slot


def test_the_warm_up_touches_nothing(r, redis_url, tmp_path):  # noqa: F811
    files = _files(tmp_path)
    config = load_config(files["thresholds"], files["limits"], None)
    live = Live(r, Options(redis_url, "in", "out", window_seconds=WINDOW), config)
    before = sorted(r.keys("*"))
    warm_up(live.config, WINDOW)
    assert sorted(r.keys("*")) == before
    comms = _traffic(50, seed=5)
    for c in comms:
        r.xadd("in", _fields(c))
    _drain(live)
    assert _output(r)[0] == _adt_run(tmp_path, comms)


def test_redis_refusing_a_piece_is_an_error_not_a_checkpoint(r, redis_url):  # noqa: F811
    r.set("out:checkpoint", "a string, not a hash")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        checkpoint.write(resp.Wire(redis_url), "out:checkpoint", _state(2), "1-0", "0", 1)
