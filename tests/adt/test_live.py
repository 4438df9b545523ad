"""``secassure adt live``: the engine on a Redis Stream (issue 12 section 3, SEC G6.1, G6.6A).

A real ``redis-server`` (Debian's package) is started on a free port in a temporary directory;
without it these tests skip, saying why.  The reference is ``secassure adt run`` over the same
traffic: the live engine must leave on its output stream exactly the decisions of one
uninterrupted run, whatever kills it (``SIGKILL`` at random points, repeatedly).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis

from secassure.adt.cli import run_command
from secassure.adt.errors import InputError
from secassure.adt.live import Live, Options, fmt_id, load_config, parse_id

from .helpers import (
    iso,
    read_decisions,
    write_exceptions,
    write_limits,
    write_thresholds,
    write_traffic_csv,
)
from .reference import Comm

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="redis-server is not installed (apt-get install redis-server): the live engine's "
           "tests start their own server")

SEC = 1_000_000
BASE = 1_772_323_200_000_000  # 2026-03-01T00:00:00Z
WINDOW = 30
TH = [("u1", "1.1", "critical", 2, 4), ("u2", "1.1", "critical", None, 3),
      ("u1", "4.1", "encrypted", 1, 2), ("*", "1.1", "critical", 6, 9),
      ("*", "4.1", "encrypted", None, 5), ("u3", "6.2", "critical", 0, 1),
      ("*", "", "CC1", "critical", 1, 3)]
LIM = [("1.1", "0", "10"), ("6.2", None, "5")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redis")
    port = _free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def r(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.client_kill_filter(_type="normal", skipme=True)  # engines of earlier tests
    return client


def _traffic(n: int, seed: int) -> list[Comm]:
    """Traffic that crosses levels, limits and the window, with awkward ids."""
    rng = random.Random(seed)
    out, t = [], BASE
    for i in range(n):
        t += rng.choice([0, 0, 1, 10, 1000, 200_000, 2 * SEC])
        cmd = rng.random() < 0.05
        srv = "" if cmd else rng.choice(["1.1", "1.1", "4.1", "6.2", "8.1"])
        value = rng.choice([None, None, "3", "11", "-1", "5.0000000000000001", "0"])
        ident = rng.choice([f"c{i}", f"c,{i}", f'q"{i}', f"c {i}"])
        out.append(Comm(ident, t, rng.choice(["u1", "u2", "u3", "u4"]), srv,
                        rng.randint(0, 1), rng.randint(0, 1), rng.randint(0, 1),
                        None if cmd else value, "CC1" if cmd else None))
    return out


def _fields(c: Comm) -> dict[str, str]:
    f = {"id": c.id, "ts": iso(c.ts), "user_id": c.user, "srv": c.srv,
         "critical": str(c.critical), "encrypted": str(c.encrypted), "smets1": str(c.smets1),
         "value": c.value or ""}
    if c.command is not None:
        f["command"] = c.command
    return f


def _files(tmp: Path, th=TH) -> dict[str, str]:
    return {"thresholds": str(write_thresholds(tmp / "t.csv", th)),
            "limits": str(write_limits(tmp / "l.csv", LIM))}


def _adt_run(tmp: Path, comms: list[Comm], th=TH, name="d.csv") -> list[tuple]:
    files = _files(tmp, th)
    traffic = write_traffic_csv(tmp / "traffic.csv", comms)
    out = tmp / name
    assert run_command(["run", "--thresholds", files["thresholds"], "--limits",
                        files["limits"], "--traffic", str(traffic), "--out", str(out),
                        "--window-seconds", str(WINDOW)]) == 0
    return read_decisions(out)


def _output(r: redis.Redis, stream: str = "out") -> tuple[list[tuple], list[bytes]]:
    rows, ins = [], []
    for _, f in r.xrange(stream):
        rows.append((f[b"id"].decode(), f[b"decision"].decode(), int(f[b"warning"]),
                     f[b"reason"].decode()))
        ins.append(f[b"in"])
    return rows, ins


def _drain(live: Live) -> None:
    while live.step():
        pass


def _live(r: redis.Redis, url: str, tmp: Path, batch: int = 50) -> Live:
    files = _files(tmp)
    base = load_config(files["thresholds"], files["limits"], None)
    return Live(r, Options(url, "in", "out", batch=batch, block_ms=1,
                           window_seconds=WINDOW), base)


# ------------------------------------------------------------------ the stream format
def test_stream_decisions_are_adt_runs(r, redis_url, tmp_path):
    """One entry per communication in, one decision per communication out, with the input
    entry's id; byte for byte the decisions of ``adt run`` (ids with commas and quotes too)."""
    comms = _traffic(600, seed=1)
    pipe = r.pipeline(transaction=False)
    for c in comms:
        pipe.xadd("in", {**_fields(c), "producer_ts": "123"})  # other fields are ignored
    sent = pipe.execute()
    _drain(_live(r, redis_url, tmp_path))
    rows, ins = _output(r)
    assert rows == _adt_run(tmp_path, comms)
    assert ins == sent
    assert {d for _, d, _, _ in rows} == {"PROCESS", "QUARANTINE", "DELETE"}
    assert r.xlen("out:dead") == 0
    # the desk's stream: the QUARANTINE and DELETE decisions, with what the desk shows
    desk = [{k.decode(): v.decode() for k, v in f.items()} for _, f in r.xrange("out:desk")]
    want = [(row, c, s) for row, c, s in zip(rows, comms, sent, strict=True)
            if row[1] != "PROCESS"]
    assert len(desk) == len(want)
    for got, (row, c, s) in zip(desk, want, strict=True):
        assert got == {"id": c.id, "decision": row[1], "reason": row[3], "ts": iso(c.ts),
                       "user_id": c.user, "srv": c.srv, "command": c.command or "",
                       "in": s.decode()}


BAD = [  # (fields changed, field named in the reason)
    ({"ts": "2026-03-01 10:00"}, "field ts"),
    ({"ts": None}, "field ts: missing"),
    ({"critical": "2"}, "field critical"),
    ({"smets1": ""}, "field smets1"),
    ({"value": "abc"}, "field value"),
    ({"value": "inf"}, "field value"),
    ({"user_id": ""}, "field user_id"),
    ({"id": None}, "field id: missing"),
    ({"srv": "", "command": ""}, "field srv"),
    ({"user_id": b"\xff\xfe"}, "not UTF-8"),
    ({"ts": iso(BASE - SEC)}, "ts goes backwards"),
]


@pytest.mark.parametrize(("change", "named"), BAD)
def test_malformed_entry_goes_to_dead_letters(r, redis_url, tmp_path, change, named):
    """A bad entry is not decided and does not stop the stream: it goes to ``OUT:dead`` with its
    input id and the reason (the words of ``adt run``'s refusal), it is counted, and every other
    entry is decided as ``adt run`` decides the good ones."""
    comms = _traffic(40, seed=2)
    pipe = r.pipeline(transaction=False)
    bad_at = 17
    for i, c in enumerate(comms):
        f: dict = _fields(c)
        if i == bad_at:
            for k, v in change.items():
                if v is None:
                    f.pop(k, None)
                else:
                    f[k] = v
        pipe.xadd("in", f)
    sent = pipe.execute()
    live = _live(r, redis_url, tmp_path, batch=10)
    _drain(live)
    dead = r.xrange("out:dead")
    assert len(dead) == 1
    assert dead[0][1][b"in"] == sent[bad_at]
    assert named in dead[0][1][b"reason"].decode()
    good = [c for i, c in enumerate(comms) if i != bad_at]
    rows, ins = _output(r)
    assert rows == _adt_run(tmp_path, good)
    assert ins == [s for i, s in enumerate(sent) if i != bad_at]
    assert int(r.hget("out:progress", "dead")) == 1
    assert r.hget("out:progress", "pos") == sent[-1]


def test_exceptions_decide_as_in_adt_run(r, redis_url, tmp_path):
    """``--exceptions`` (G6.1(a)(i)): the exception's levels apply from ``from`` to ``to`` and
    the reason says so (``:exception``), as in ``adt run``."""
    comms = _traffic(800, seed=7)
    ex = write_exceptions(tmp_path / "x.csv", [
        ("u1", "1.1", "", "critical", iso(comms[100].ts), iso(comms[500].ts), 0, 1),
        ("*", "4.1", "", "encrypted", iso(comms[200].ts), iso(comms[700].ts), "", 1)])
    pipe = r.pipeline(transaction=False)
    for c in comms:
        pipe.xadd("in", _fields(c))
    pipe.execute()
    files = _files(tmp_path)
    base = load_config(files["thresholds"], files["limits"], str(ex))
    _drain(Live(r, Options(redis_url, "in", "out", batch=64, block_ms=1,
                           window_seconds=WINDOW), base))
    traffic = write_traffic_csv(tmp_path / "traffic.csv", comms)
    assert run_command(["run", "--thresholds", files["thresholds"], "--limits",
                        files["limits"], "--exceptions", str(ex), "--traffic", str(traffic),
                        "--out", str(tmp_path / "d.csv"), "--window-seconds", str(WINDOW)]) == 0
    rows, _ = _output(r)
    assert rows == read_decisions(tmp_path / "d.csv")
    assert any(reason.endswith(":exception") for _, _, _, reason in rows)


def test_one_engine_per_output_stream(r, redis_url, tmp_path):
    """A second engine on the same output stream would append every decision twice: it is
    refused, naming the other's connection."""
    first = _live(r, redis_url, tmp_path)
    with pytest.raises(InputError, match="another live engine writes this output stream"):
        _live(r, redis_url, tmp_path)
    assert first.step() == 0  # the first goes on


def test_stream_ids():
    assert parse_id(b"1700000000000-3") == (1700000000000, 3)
    assert parse_id("5") == (5, 0)
    assert fmt_id((7, 2)) == "7-2"
    assert parse_id("10-0") > parse_id("9-99")


# ------------------------------------------------------------------ exactly once
def _popen(redis_url: str, files: dict[str, str], *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "secassure.adt.live", "--redis", redis_url, "--input", "in",
           "--output", "out", "--thresholds", files["thresholds"], "--limits", files["limits"],
           "--window-seconds", str(WINDOW), "--batch", "97", "--block-ms", "20",
           "--checkpoint-seconds", "0.3", *extra]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


TH_NEW = [("u1", "1.1", "critical", 1, 2), ("u2", "1.1", "critical", None, 3),
          ("*", "1.1", "critical", 5, 7), ("*", "4.1", "encrypted", None, 4),
          ("u3", "6.2", "critical", 0, 1), ("*", "", "CC1", "critical", 1, 3),
          ("u4", "8.1", "critical", None, 0)]


def test_kill_9_at_random_points_gives_one_runs_decisions(r, redis_url, tmp_path):
    """SIGKILL the live engine at random points while traffic is appended and a threshold
    change (G6.6A) is pending; restart it each time.  The output stream ends up holding exactly
    the decisions of one uninterrupted run: none lost, none duplicated, in input order; before
    the change point by the old thresholds, from it by the new ones."""
    rng = random.Random(12)
    comms = _traffic(12_000, seed=3)
    files = _files(tmp_path)
    point = 7000
    ids = [f"{1_000_000 + i}-0" for i in range(len(comms))]  # explicit ids: a known point
    new_th = write_thresholds(tmp_path / "t_new.csv", TH_NEW).read_bytes()
    r.xadd("out:control", {"thresholds": new_th, "from": ids[point]})

    def produce() -> None:
        p = r.pipeline(transaction=False)
        for i in range(0, len(comms), 400):
            if stop.is_set():
                return
            for j in range(i, min(i + 400, len(comms))):
                p.xadd("in", _fields(comms[j]), id=ids[j])
            p.execute()
            time.sleep(rng.uniform(0.25, 0.65))  # appended all through the kills

    stop = threading.Event()
    producer = threading.Thread(target=produce)
    producer.start()
    seen = []
    try:
        for _ in range(7):
            proc = _popen(redis_url, files, "--trim-input")
            deadline = time.monotonic() + 60  # started (imports done) and deciding: it says so
            while r.hget("out:status", "pid") != str(proc.pid).encode() and \
                    time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 1.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            seen.append((r.xlen("out"), r.hget("out:progress", "pos"),
                         r.hget("out:checkpoint", "pos")))
    except BaseException:
        stop.set()
        raise
    finally:
        producer.join()
    proc = _popen(redis_url, files, "--exit-when-idle", "1.0")
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err.decode()
    rows, ins = _output(r)
    expected = _adt_run(tmp_path, comms)[:point] + \
        _adt_run(tmp_path, comms, TH_NEW, "d_new.csv")[point:]
    assert len(ins) == len(set(ins)) == len(comms)
    assert [i.decode() for i in ins] == ids
    assert rows == expected
    # the kills fell mid-stream, and some of them between a checkpoint and the last commit
    # (so a restart decided entries again and had to leave them off the output)
    assert any(0 < n < len(comms) for n, _, _ in seen)
    assert any(c is not None and p is not None and parse_id(c) < parse_id(p)
               for _, p, c in seen), seen
    assert r.hget("out:applied", r.xrange("out:control")[0][0]) == ids[point].encode()
    assert r.hget("out:checkpoint", "config") == r.xrange("out:control")[0][0]
    # --trim-input trimmed the input below the checkpoints (never what a restart had to read)
    assert r.xlen("in") < len(comms)


# ------------------------------------------------------------------ threshold changes
def test_threshold_change_without_restart(r, redis_url, tmp_path):
    """A control entry's thresholds apply from its ``from`` id on, while the engine runs: the
    decisions before are by the old levels, from it by the new ones; counts carry over for the
    keys that stay (a lowered level counts the communications before the change too), a new key
    counts from the change.  The point used is recorded."""
    comms = _traffic(3000, seed=4)
    pipe = r.pipeline(transaction=False)
    for c in comms:
        pipe.xadd("in", _fields(c))
    sent = pipe.execute()
    live = _live(r, redis_url, tmp_path, batch=200)
    live.step()  # running, then the change arrives with a point ahead of the engine
    point = 1234
    new_th = write_thresholds(tmp_path / "t_new.csv", TH_NEW).read_bytes()
    ctl = r.xadd("out:control", {"thresholds": new_th, "from": sent[point]})
    _drain(live)
    rows, _ = _output(r)
    expected = _adt_run(tmp_path, comms)[:point] + \
        _adt_run(tmp_path, comms, TH_NEW, "d_new.csv")[point:]
    assert rows == expected
    assert rows[:point] != _adt_run(tmp_path, comms, TH_NEW, "d_new.csv")[:point]
    assert r.hget("out:applied", ctl) == sent[point]


def test_refused_threshold_change_keeps_the_old(r, redis_url, tmp_path):
    """A control entry whose thresholds file is bad is refused (a dead letter naming the line
    and field) and the engine goes on with the thresholds in force."""
    comms = _traffic(300, seed=5)
    r.xadd("out:control", {"thresholds": b"user_id,srv,counter,warning,quarantine\n"
                                          b"u1,1.1,critical,5,x\n"})
    pipe = r.pipeline(transaction=False)
    for c in comms:
        pipe.xadd("in", _fields(c))
    pipe.execute()
    _drain(_live(r, redis_url, tmp_path))
    rows, _ = _output(r)
    assert rows == _adt_run(tmp_path, comms)
    dead = r.xrange("out:dead")
    assert len(dead) == 1 and b"quarantine" in dead[0][1][b"reason"]
    assert r.hget("out:applied", r.xrange("out:control")[0][0]).startswith(b"refused")


def test_status_hash(r, redis_url, tmp_path):
    """The engine's status (read by the live page): position, lag, rate, last checkpoint."""
    comms = _traffic(500, seed=6)
    pipe = r.pipeline(transaction=False)
    for c in comms:
        pipe.xadd("in", _fields(c))
    sent = pipe.execute()
    live = _live(r, redis_url, tmp_path, batch=100)
    live.step()
    status = r.hgetall("out:status")
    assert status[b"position"] == sent[99]
    assert int(status[b"lag_entries"]) == 400
    _drain(live)
    live.checkpoint_now()
    live._status(force=True)
    status = r.hgetall("out:status")
    assert status[b"position"] == sent[-1] and int(status[b"lag_entries"]) == 0
    assert int(status[b"checkpoint_at"]) > 0
    assert os.getpid() == int(status[b"pid"])
