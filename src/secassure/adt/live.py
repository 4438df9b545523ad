"""``secassure adt live``: the Threshold Anomaly Detection engine on a Redis Stream (G6.1).

The DCC runs anomaly detection on live traffic (issue 12, section 3).  This loop reads
communications from an input stream (one entry per communication, fields named as the traffic
CSV's columns), decides each with the same ``Engine`` and files as ``adt run``, and appends one
decision entry per communication to an output stream.  No Django here.

Streams and keys (``OUT`` is the output stream's name):

* input ``IN``: fields ``id, ts, user_id, srv, critical, encrypted, smets1, value`` and optional
  ``command``, values as in the traffic CSV (``ts`` ISO 8601 UTC; flags ``0``/``1``; ``value``
  empty or a finite decimal); other fields are ignored;
* output ``OUT``: ``id, decision, warning, reason`` exactly as ``adt run`` writes them, and
  ``in``: the input entry's id;
* ``OUT:desk``: the QUARANTINE and DELETE decisions again, with ``ts``, ``user_id``, ``srv``,
  ``command`` (what the quarantine desk shows), in the same transaction: the platform's sink
  (``secassure adt live-desk``) reads only these;
* dead letters ``OUT:dead`` (``--dead``): ``in``, ``reason`` (field and problem, the words of
  ``adt run``'s refusals) and the entry's fields; a malformed entry or one whose ``ts`` goes
  backwards is written there, counted (``dead`` in ``OUT:progress``) and passed over: the stream
  goes on (a file would be refused whole; a stream cannot be);
* ``OUT:progress`` (hash): ``pos``, the last input id whose decisions are on ``OUT``;
* ``OUT:checkpoint`` (hash): ``pos`` (the input id the state was counted up to), ``config``
  (the control entry whose files it was counted against, ``0`` for the command line's), ``at``
  (ms), ``slot`` and ``bytes``: the engine's counting state (``CountingState`` bytes) is in
  the list ``OUT:checkpoint:a`` or ``:b``, in pieces (``checkpoint``: Redis never stalls);
* control ``OUT:control`` (``--control``): new thresholds without a restart (G6.6A): fields
  ``thresholds`` (CSV text), optional ``limits`` and ``exceptions`` (CSV text; absent:
  unchanged, the exceptions checked again against the new thresholds), optional ``from`` (an
  input id: the change applies to entries with id >= from; absent or already passed: from the
  first entry after the engine's position when it reads it).  The point actually used is
  recorded in ``OUT:applied`` (control id -> first input id) in the same transaction as the
  decisions, so a restart applies it at the same place;
* ``OUT:status`` (hash, every second): position, lag, rate, last checkpoint (the live page).

Exactly once: each batch's decisions, desk entries, dead letters and ``progress.pos`` go to Redis
in ONE ``MULTI``/``EXEC``: Redis applies all or none.  After the batch has committed, at most once
a second (less often for a large state: see ``_checkpoint_behind``), the counting state is taken
and written by a thread, in pieces, then named with its position in one transaction, so a
checkpoint never runs ahead of the output.  On (re)start the engine restores the checkpoint,
reads the input again from the checkpoint's position and decides again; the engine is
deterministic, so the decisions of entries up to ``progress.pos`` are the ones already on
``OUT``: they are not appended again.  After
``kill -9`` anywhere the output holds exactly the decisions of one uninterrupted run.  The input
must keep the entries after the checkpoint's position (trim it only below
``OUT:checkpoint``'s ``pos``; ``--trim-input`` does so after each checkpoint).  One engine per
output stream: a second is refused.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import redis

from . import checkpoint, resp
from .config import Exceptions, Limits, Thresholds
from .engine import DECISIONS, NO_TS, Engine, TrafficBatch, _fingerprint
from .errors import InputError
from .state import CountingState
from .textcols import string_buffers
from .traffic import TRAFFIC_COLUMNS, Chunk, _parquet_chunk

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
FIELDS = (*TRAFFIC_COLUMNS, "command")
OUT_FIELDS = ("id", "decision", "warning", "reason", "in")
StreamId = tuple[int, int]
ZERO: StreamId = (0, 0)


# ------------------------------------------------------------------------------- stream ids
def parse_id(raw: bytes | str) -> StreamId:
    """``b"1700000000000-3"`` -> (1700000000000, 3); a bare ``ms`` is (ms, 0)."""
    text = raw.decode() if isinstance(raw, bytes) else raw
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def fmt_id(sid: StreamId) -> str:
    return f"{sid[0]}-{sid[1]}"


def after(sid: StreamId) -> StreamId:
    """The smallest id greater than ``sid``."""
    return (sid[0], sid[1] + 1)


# ---------------------------------------------------------------------------------- parsing
@dataclass
class Parsed:
    """A batch of entries: the valid ones as the engine's columns, the others as dead letters
    (entry index, reason)."""

    keep: np.ndarray  # indices of the valid entries, in order
    ids: pa.Array
    batch: TrafficBatch
    dead: list[tuple[int, str]]
    last_ts: int


def _columns(entries: Sequence[dict], names: Sequence[str]) -> dict[str, pa.Array]:
    """Binary columns of entries given as field dicts (tests, dead letters)."""
    return {name: pa.array([e.get(name.encode()) for e in entries], pa.binary())
            for name in names}


def _texts(cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """Binary columns as text; raises ``pa.ArrowInvalid`` when some value is not UTF-8."""
    return {k: v.cast(pa.string()) for k, v in cols.items()}


def _problem(cols: dict[str, pa.Array]) -> tuple[int, str] | None:
    """The first bad row and why, by ``adt run``'s own checks (None: all good)."""
    try:
        text = _texts(cols)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return -1, "not UTF-8 text"
    for name in TRAFFIC_COLUMNS:
        if text[name].null_count:
            row = int(np.flatnonzero(~np.asarray(text[name].is_valid()))[0])
            return row, f"field {name}: missing"
    try:
        _parquet_chunk("<stream>", pa.RecordBatch.from_pydict(text), 0)
    except InputError as exc:
        return int(exc.line or 1) - 1, f"field {exc.field}: {exc.message}"
    return None


def _chunk(cols: dict[str, pa.Array]) -> Chunk | None:
    """The batch as the engine's columns, or None when some entry is bad."""
    if any(cols[name].null_count for name in TRAFFIC_COLUMNS):
        return None
    try:
        return _parquet_chunk("<stream>", pa.RecordBatch.from_pydict(_texts(cols)), 0)
    except (InputError, pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def parse_entries(entries: Sequence[dict], last_ts: int) -> Parsed:
    """Validate and convert one batch of input entries (field dicts of bytes)."""
    names = FIELDS if any(b"command" in e for e in entries) else TRAFFIC_COLUMNS
    return parse_columns(_columns(entries, names), len(entries), last_ts)


def parse_columns(cols: dict[str, pa.Array], n: int, last_ts: int) -> Parsed:
    """Validate and convert one batch of input entries given as binary columns (null: the
    field is missing); ``command`` may be left out."""
    if "command" in cols and cols["command"].null_count == n:
        cols = {k: v for k, v in cols.items() if k != "command"}
    bad: dict[int, str] = {}
    chunk = _chunk(cols)  # the whole batch at once: the common case, all good
    if chunk is None:  # rare: check each entry alone, to pass over the bad ones
        for i in range(n):
            one = _problem({k: v.slice(i, 1) for k, v in cols.items()})
            if one is not None:
                bad[i] = one[1]
    good = np.array([i for i in range(n) if i not in bad], np.int64) if bad else \
        np.arange(n, dtype=np.int64)
    if chunk is None:
        if not good.size:
            return Parsed(good, pa.array([], pa.string()), TrafficBatch.from_rows([]),
                          sorted(bad.items()), last_ts)
        take = pa.array(good)
        cols = {k: v.take(take) for k, v in cols.items()}
        chunk = _parquet_chunk("<stream>", pa.RecordBatch.from_pydict(_texts(cols)), 0)
    ts = chunk.batch.ts
    # ts goes backwards: below the last accepted one (a dropped entry never raises the maximum)
    prior = np.maximum.accumulate(np.concatenate([[last_ts], ts]))[:-1]
    back = np.flatnonzero(ts < prior)
    if back.size:
        for j in back.tolist():
            bad[int(good[j])] = (f"field ts: ts goes backwards: {_iso(int(ts[j]))} is before "
                                 f"{_iso(int(prior[j]))}, the previous communication's")
        ok = np.flatnonzero(ts >= prior)
        good = good[ok]
        take = pa.array(ok)
        b = chunk.batch
        batch = TrafficBatch(ts[ok], b.user.take(take), b.srv.take(take), b.critical[ok],
                             b.encrypted[ok], b.smets1[ok], b.value[ok],
                             b.value_source.take(take) if b.value_source is not None else None,
                             b.command.take(take) if b.command is not None else None)
        ids = chunk.ids.take(take)
    else:
        batch, ids = chunk.batch, chunk.ids
    last = int(batch.ts[-1]) if len(batch) else last_ts
    return Parsed(good, ids, batch, sorted(bad.items()), last)


def _iso(us: int) -> str:
    return str(np.datetime64(us, "us")) + "Z"


# ---------------------------------------------------------------------------- configuration
@dataclass
class Config:
    """The files the engine decides by, and the control entry they came from (``0``: the
    command line's)."""

    thresholds: Thresholds
    limits: Limits | None
    exceptions: Exceptions | None
    version: str = "0"
    texts: dict[str, bytes] = field(default_factory=dict)


def load_config(thresholds: str, limits: str | None, exceptions: str | None) -> Config:
    th = Thresholds.load(thresholds)
    lim = Limits.load(limits) if limits else None
    ex = Exceptions.load(exceptions, th) if exceptions else None
    return Config(th, lim, ex)


def config_from_texts(texts: dict[bytes, bytes], current: Config | None,
                      version: str) -> Config:
    """A control entry's files (CSV texts); ``limits``/``exceptions`` left out stay as in
    ``current``.  Raises ``InputError`` naming the field and line."""
    if b"thresholds" not in texts:
        raise InputError("control", None, "thresholds", "missing: the new thresholds file")
    with tempfile.TemporaryDirectory(prefix="adt-live-") as tmp:
        def path(name: str) -> str | None:
            raw = texts.get(name.encode())
            if raw is None:
                raw = current.texts.get(name) if current is not None else None
            if raw is None:
                return None
            p = os.path.join(tmp, name + ".csv")
            with open(p, "wb") as fh:
                fh.write(raw)
            return p
        th_path = path("thresholds")
        assert th_path is not None
        th = Thresholds.load(th_path)
        lim_path = path("limits")
        lim = Limits.load(lim_path) if lim_path else (current.limits if current else None)
        ex_path = path("exceptions")
        ex = Exceptions.load(ex_path, th) if ex_path else None
        if ex_path is None and current is not None and current.exceptions is not None \
                and len(current.exceptions):
            raise InputError("control", None, "exceptions", "the exceptions in force name the "
                             "old thresholds' keys: send the exceptions file with the change")
    kept = {k.decode(): v for k, v in texts.items() if k in (b"thresholds", b"limits",
                                                             b"exceptions")}
    if current is not None:
        for k in ("limits",):
            if k not in kept and k in current.texts:
                kept[k] = current.texts[k]
    return Config(th, lim, ex, version, kept)


def carry(engine: Engine, new: Config) -> Engine:
    """An engine counting by the new files that continues the old one's counts (G6.6A).

    A key of the new thresholds with the same User ID, target and counter as an old key keeps
    the old key's timestamps still in the window (so communications before the change still
    count); a new key starts at zero.  A key keeps at most ``max(level) + 1`` timestamps
    (``kernel``): where the new levels are lower the newest are kept (exact); where they are
    higher and the old key was full (count above its old top level), its count reads low until
    the communications it could not keep would have left the window: it can only err towards
    PROCESS, for at most one window after the change, and only on keys whose levels rose.
    """
    old = engine.state()
    old_labels = engine.thresholds.labels.cast(pa.string())
    th = new.thresholds
    ex = new.exceptions if new.exceptions is not None else Exceptions.empty()
    fresh = Engine(th, new.limits, 1, ex)
    keep = fresh._st[:, 4]  # kernel KEEP column: max level + 1
    where = np.asarray(pc.fill_null(pc.index_in(th.labels.cast(pa.string()), old_labels), -1),
                       np.int64)
    starts = np.concatenate([[0], np.cumsum(old.sizes)])
    sizes = np.zeros(th.nkeys, np.int64)
    parts = []
    for k in np.flatnonzero(where >= 0).tolist():
        j = int(where[k])
        n = min(int(old.sizes[j]), int(keep[k]))
        if n:
            sizes[k] = n
            parts.append(old.data[int(starts[j + 1]) - n: int(starts[j + 1])])
    data = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    state = CountingState(_fingerprint(th, ex), old.window_us, old.last_ts, old.rows, sizes,
                          data)
    return Engine.restore(th, new.limits, state, ex)


# ------------------------------------------------------------------------------------- loop
@dataclass
class Options:
    redis_url: str
    input: str
    output: str
    dead: str | None = None
    control: str | None = None
    batch: int = 10_000
    block_ms: int = 100
    checkpoint_seconds: float = 1.0
    window_seconds: int = 86400
    linger_ms: float = 0.0
    trim_input: bool = False


@dataclass
class Pending:
    start: StreamId  # the first input id the change applies to
    entry: str       # the control entry's id
    config: Config | None
    refused: str | None = None
    recorded: bool = False


def _key(opts: Options, what: str) -> str:
    return f"{opts.output}:{what}"


def _decode(reply) -> list:
    """XREAD's reply as [(stream name, entries)] under RESP2 or RESP3."""
    if not reply:
        return []
    if isinstance(reply, dict):
        return [(k, v[0] if v and isinstance(v[0], list) else v) for k, v in reply.items()]
    return [(k, v) for k, v in reply]


class Live:
    """The live engine: restore, then ``step()`` batch by batch."""

    def __init__(self, client: Any, opts: Options, base: Config) -> None:
        self.r = client  # a redis.Redis (its replies are loosely typed): the few commands
        name = f"adt-live:{opts.output}"  # one engine per output stream, or decisions twice
        other = next((c for c in client.client_list() if c.get("name") == name), None)
        if other is not None:
            raise InputError(opts.output, None, None, "another live engine writes this output "
                             f"stream (Redis client {other.get('addr')}); stop it first")
        self.wire = resp.Wire(opts.redis_url, name=name)  # the hot path: XREAD, MULTI/EXEC
        self.opts = opts
        self.dead = opts.dead or _key(opts, "dead")
        self.control = opts.control or _key(opts, "control")
        progress = {k.decode(): v for k, v in self.r.hgetall(_key(opts, "progress")).items()}
        self.committed: StreamId = parse_id(progress.get("pos", b"0-0"))
        self.decided = int(progress.get("decided", 0))
        self.dead_count = int(progress.get("dead", 0))
        try:
            ckpt = checkpoint.read(self.r, _key(opts, "checkpoint"))
        except ValueError as exc:
            raise InputError(_key(opts, "checkpoint"), None, "slot", str(exc)) from None
        version = ckpt.get("config", "0")
        self.config = base if version == "0" else self._control_config(version, base)
        if "state" in ckpt:
            try:
                self.engine = Engine.restore(self.config.thresholds, self.config.limits,
                                             ckpt["state"], self.config.exceptions)
            except ValueError as exc:
                raise InputError(_key(opts, "checkpoint"), None, "state", f"{exc}; the "
                                 "checkpoint was counted against other files: start with "
                                 "those, or on new output streams") from None
            if self.engine.window_us != opts.window_seconds * 1_000_000:
                raise InputError(_key(opts, "checkpoint"), None, "state",
                                 "counted with another window")
            self.pos: StreamId = parse_id(ckpt["pos"])
            self.ckpt_at = int(ckpt.get("at", "0")) / 1000
        else:
            self.engine = Engine(self.config.thresholds, self.config.limits,
                                 opts.window_seconds, self.config.exceptions)
            self.pos = ZERO
            self.ckpt_at = 0.0
        applied = {k.decode(): v.decode()
                   for k, v in self.r.hgetall(_key(opts, "applied")).items()}
        self.applied = applied
        self.pending: list[Pending] = []
        self.ctl_pos = version if version != "0" else "0-0"
        self._read_control(self.r.xrange(self.control, f"({self.ctl_pos}")
                           if version != "0" else self.r.xrange(self.control))
        self.next_ckpt = 0.0  # the first batch is followed by a checkpoint
        self._ckpt_thread: threading.Thread | None = None
        self._ckpt_name = f"{name}:checkpoint"
        self._ckpt_wire: resp.Wire | None = resp.Wire(opts.redis_url, name=self._ckpt_name)
        self.ckpt_error: Exception | None = None
        self.rate_mark = (time.monotonic(), self.decided)
        self.rate = 0.0
        self.status_at = 0.0

    # -- control entries (threshold changes, G6.6A) -----------------------------------------
    def _control_config(self, version: str, base: Config) -> Config:
        entries = self.r.xrange(self.control, version, version)
        if not entries:
            raise InputError(self.control, None, None, f"control entry {version} (the "
                             "checkpoint's thresholds) is gone from the control stream")
        return config_from_texts(entries[0][1], base, version)

    def _read_control(self, entries: list) -> None:
        for eid, fields in entries:
            entry = eid.decode()
            self.ctl_pos = entry
            rec = self.applied.get(entry)
            if rec is not None and rec.startswith("refused"):
                continue
            if rec is not None:
                start, recorded = parse_id(rec), True
            else:
                want = parse_id(fields[b"from"]) if fields.get(b"from") else ZERO
                start, recorded = max(want, after(self.committed)), False
            prev = self.pending[-1].config if self.pending else self.config
            try:
                cfg = config_from_texts(fields, prev, entry)
            except (InputError, ValueError) as exc:
                self.pending.append(Pending(start, entry, None, str(exc), recorded))
                continue
            self.pending.append(Pending(start, entry, cfg, None, recorded))
        self.pending.sort(key=lambda p: p.start)

    # -- one batch ---------------------------------------------------------------------------
    def step(self) -> int:
        """Read and decide one batch; returns the number of input entries read.  A short batch
        is followed by a pause up to ``linger_ms`` after its start, so that under a steady flow
        each batch carries a few ms of traffic: a batch has a fixed cost (about 3 ms of CPU,
        measured at 50,000 a second) that tiny batches would pay hundreds of times a second."""
        start = time.monotonic()
        n = self._step()
        if 0 < n < self.opts.batch:
            pause = self.opts.linger_ms / 1000 - (time.monotonic() - start)
            if pause > 0:
                time.sleep(pause)
        return n

    def _step(self) -> int:
        w = self.wire
        rep = w.call(resp.pack(b"XREAD", b"COUNT", self.opts.batch, b"BLOCK", self.opts.block_ms,
                               b"STREAMS", self.opts.input, self.control, fmt_id(self.pos),
                               self.ctl_pos), 1)
        streams, ents = _layout(rep)
        first = n = 0
        for name_tok, e0, cnt in streams:
            if rep.text(name_tok) == self.control.encode():
                self._read_control([(rep.text(int(ents[e, 0])), _fields_of(rep, ents, e))
                                    for e in range(e0, e0 + cnt)])
            else:
                first, n = e0, cnt
        if not n:
            self._status(force=False)
            return 0
        batch = _input_batch(rep, ents, first, n)
        ms, seq = batch.ms, batch.seq
        tx = _Tx()
        i = 0
        while i < n:
            while self.pending and self.pending[0].start <= (int(ms[i]), int(seq[i])):
                self._apply(self.pending.pop(0), tx)  # a change point: new files from here
            stop = n
            if self.pending:
                stop = i + 1 + int(np.count_nonzero(~_at_or_after(
                    ms[i + 1:], seq[i + 1:], self.pending[0].start)))
            self._decide(batch, i, stop, tx)
            i = stop
        last = (int(ms[-1]), int(seq[-1]))
        if last > self.committed:
            self.committed = last
            tx.add(b"HSET", _key(self.opts, "progress"), b"pos", fmt_id(last), b"decided",
                   self.decided, b"dead", self.dead_count)
        self.pos = last
        self._commit(tx)
        if time.monotonic() >= self.next_ckpt:
            self._checkpoint_behind()
        self._status(force=False)
        return n

    def _commit(self, tx: _Tx) -> None:
        """One MULTI/EXEC: Redis applies every command of the batch, or none."""
        if not tx.count:
            return
        rep = self.wire.call(b"".join([_MULTI, *tx.parts, _EXEC]), tx.count + 2)
        errors = rep.errors()
        if errors or rep.kind[tx.count + 1] == resp.NULL:
            raise redis.ResponseError("transaction refused: " + (
                errors[0].decode(errors="replace") if errors else "EXEC aborted"))

    def _decide(self, b: _Batch, i: int, stop: int, tx: _Tx) -> None:
        parsed = parse_columns({k: v.slice(i, stop - i) for k, v in b.cols.items()},
                               stop - i, self.engine.last_ts)
        c = self.committed
        emit = _at_or_after(b.ms[i:stop], b.seq[i:stop], after(c))  # not yet on the output
        if len(parsed.batch):
            dec = self.engine.process(parsed.batch)
            keep = parsed.keep[emit[parsed.keep]]
            if keep.size:
                rows = _decision_columns(self.engine, parsed.ids, dec)
                sel = pa.array(np.flatnonzero(emit[parsed.keep]))
                out = [rows[k].take(sel) if keep.size != len(parsed.keep) else rows[k]
                       for k in ("id", "decision", "warning", "reason")]
                in_ids = b.in_ids.slice(i, stop - i).take(pa.array(keep))
                out.append(in_ids)
                tx.raw(_xadds(self.opts.output.encode(), out, _OUT_NAMES, _OUT_OFF),
                       int(keep.size))
                self.decided += int(keep.size)
                self._to_desk(b, i, keep, out, tx)
        for j, reason in parsed.dead:
            if emit[j]:
                e = b.first + i + j
                fields = [b"in", b.rep.text(int(b.ents[e, 0])), b"reason", reason.encode()]
                for k, v in _fields_of(b.rep, b.ents, e).items():
                    if k not in (b"in", b"reason"):
                        fields += [k, v]
                tx.add(b"XADD", self.dead, b"*", *fields)
                self.dead_count += 1

    def _to_desk(self, b: _Batch, i: int, keep: np.ndarray, out: list[pa.Array],
                 tx: _Tx) -> None:
        """QUARANTINE and DELETE decisions also go to ``OUT:desk`` (few), with what the desk
        shows of the communication, so the platform's sink reads only those (G6.1(a)(ii),
        G6.1(d)(i))."""
        desk = np.flatnonzero(np.asarray(pc.not_equal(out[1], "PROCESS"), bool))
        if not desk.size:
            return
        sel = pa.array(desk)
        rows = pa.array(keep[desk] + i)
        cols = [out[0].take(sel), out[1].take(sel), out[3].take(sel)]
        for name in ("ts", "user_id", "srv", "command"):
            cols.append(pc.fill_null(b.cols[name].take(rows), b"").cast(pa.string()))
        cols.append(out[4].take(sel))
        tx.raw(_xadds(_key(self.opts, "desk").encode(), cols, _DESK_NAMES, _DESK_OFF),
               int(desk.size))

    def _apply(self, change: Pending, tx: _Tx) -> None:
        """Switch to a control entry's files from its start on (counts carried)."""
        if not change.recorded:
            value = fmt_id(change.start) if change.refused is None else \
                "refused: " + change.refused
            tx.add(b"HSET", _key(self.opts, "applied"), change.entry, value)
            self.applied[change.entry] = value
            if change.refused is not None:
                tx.add(b"XADD", self.dead, b"*", b"in", change.entry, b"reason", change.refused,
                       b"control", self.control)
                self.dead_count += 1
        if change.config is None:
            return
        self.engine = carry(self.engine, change.config)
        self.config = change.config

    def _snapshot(self) -> tuple[CountingState, str, str]:
        """The counting state with the input id it was counted up to (already committed: the
        batch's transaction came first, so a checkpoint never runs ahead of the output)."""
        return self.engine.state(), fmt_id(self.pos), self.config.version

    def _write_checkpoint(self, snap: tuple[CountingState, str, str]) -> None:
        """The state in pieces, then position, thresholds and the state's slot in ONE
        transaction: Redis applies them together (``checkpoint``)."""
        ms = int(time.time() * 1000)
        if self._ckpt_wire is None:
            self._ckpt_wire = resp.Wire(self.opts.redis_url, name=self._ckpt_name)
        try:
            checkpoint.write(self._ckpt_wire, _key(self.opts, "checkpoint"), snap[0], snap[1],
                             snap[2], ms)
            if self.opts.trim_input:  # a restart reads only after the checkpoint's position
                self._ckpt_wire.call(resp.pack(b"XTRIM", self.opts.input, b"MINID", b"~",
                                               snap[1]), 1)
        except BaseException:
            self._ckpt_wire.close()  # replies may be pending: the next one starts afresh
            self._ckpt_wire = None
            raise
        self.ckpt_at = ms / 1000

    def _checkpoint_behind(self) -> None:
        """Take the state now (between batches) and write it on a thread of its own, so the
        batches go on meanwhile; the next one is due ``checkpoint_seconds`` later, or 100 times
        what taking this one cost, whichever is later (a large state is written less often,
        so it never takes more than about 1% of the engine's time)."""
        if self._ckpt_thread is not None and self._ckpt_thread.is_alive():
            return
        t0 = time.monotonic()
        snap = self._snapshot()
        cost = time.monotonic() - t0
        self.next_ckpt = t0 + max(self.opts.checkpoint_seconds, 100 * cost)

        def write() -> None:
            try:
                self._write_checkpoint(snap)
            except (redis.RedisError, OSError) as exc:  # the next one will try again
                self.ckpt_error = exc

        self._ckpt_thread = threading.Thread(target=write, name="adt-live-checkpoint",
                                             daemon=True)
        self._ckpt_thread.start()

    def checkpoint_now(self) -> None:
        if self._ckpt_thread is not None:
            self._ckpt_thread.join()
        self._write_checkpoint(self._snapshot())

    def _status(self, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self.status_at < 1.0:
            return
        t0, d0 = self.rate_mark
        if now > t0:
            self.rate = (self.decided - d0) / (now - t0)
        self.rate_mark = (now, self.decided)
        self.status_at = now
        try:
            info = self.r.xinfo_stream(self.opts.input)
        except redis.ResponseError:
            info = {}
        last = parse_id(info.get("last-generated-id", b"0-0")) if info else ZERO
        added = int(info.get("entries-added", 0) or 0) if info else 0
        behind = max(added - self.decided - self.dead_count, 0) if last > self.pos else 0
        self.r.hset(_key(self.opts, "status"), mapping={
            "position": fmt_id(self.pos), "input_last": fmt_id(last),
            "lag_entries": behind, "lag_ms": max(last[0] - self.pos[0], 0),
            "rate": f"{self.rate:.0f}", "decided": self.decided, "dead": self.dead_count,
            "checkpoint_at": int(self.ckpt_at * 1000), "config": self.config.version,
            "updated": int(time.time() * 1000), "pid": os.getpid()})


_MULTI = resp.pack(b"MULTI")
_EXEC = resp.pack(b"EXEC")
_NAMES = np.frombuffer("".join(FIELDS).encode(), np.uint8)
_NAME_OFF = np.concatenate([[0], np.cumsum([len(f) for f in FIELDS])]).astype(np.int64)
_OUT_NAMES = np.frombuffer("".join(OUT_FIELDS).encode(), np.uint8)
_OUT_OFF = np.concatenate([[0], np.cumsum([len(f) for f in OUT_FIELDS])]).astype(np.int64)
DESK_FIELDS = ("id", "decision", "reason", "ts", "user_id", "srv", "command", "in")
_DESK_NAMES = np.frombuffer("".join(DESK_FIELDS).encode(), np.uint8)
_DESK_OFF = np.concatenate([[0], np.cumsum([len(f) for f in DESK_FIELDS])]).astype(np.int64)


class _Tx:
    """The packed commands of one transaction."""

    def __init__(self) -> None:
        self.parts: list[bytes | memoryview] = []
        self.count = 0

    def add(self, *parts: bytes | str | int) -> None:
        self.parts.append(resp.pack(*parts))
        self.count += 1

    def raw(self, packed: np.ndarray, count: int) -> None:
        self.parts.append(packed.data)
        self.count += count


@dataclass
class _Batch:
    """One ``XREAD`` reply's input entries: tokens, ids and binary columns."""

    rep: resp.Replies
    ents: np.ndarray
    first: int
    ms: np.ndarray
    seq: np.ndarray
    cols: dict[str, pa.Array]
    in_ids: pa.Array


def _at_or_after(ms: np.ndarray, seq: np.ndarray, sid: StreamId) -> np.ndarray:
    """Per id: id >= sid."""
    return (ms > sid[0]) | ((ms == sid[0]) & (seq >= sid[1]))


def _fields_of(rep: resp.Replies, ents: np.ndarray, e: int) -> dict[bytes, bytes]:
    f0, nf = int(ents[e, 1]), int(ents[e, 2])
    return {rep.text(f0 + 2 * k): rep.text(f0 + 2 * k + 1) for k in range(nf)}


def _layout(rep: resp.Replies) -> tuple[list[list[int]], np.ndarray]:
    """An XREAD reply's streams (name token, first entry, entries) and entries (id token,
    first field token, fields)."""
    if rep.errors():
        raise redis.ResponseError(rep.errors()[0].decode(errors="replace"))
    streams = np.empty((2, 3), np.int64)
    ents = np.empty((max(rep.ntok // 3, 1), 3), np.int64)
    ns, _ = resp.xread_layout(rep.kind, rep.a, rep.b, rep.ntok, streams, ents)
    if ns < 0:
        raise redis.ResponseError("unexpected XREAD reply")
    return streams[:ns].tolist(), ents


def _input_batch(rep: resp.Replies, ents: np.ndarray, first: int, n: int) -> _Batch:
    """The input stream's ``n`` entries from ``first`` on: ids and binary columns."""
    id_toks = ents[first:first + n, 0].copy()
    ms = np.empty(n, np.int64)
    seq = np.empty(n, np.int64)
    resp.parse_ids(rep.buf, rep.a, rep.b, id_toks, ms, seq)
    picked = np.empty((len(FIELDS), n), np.int64)
    resp.pick(rep.buf, rep.a, rep.b, ents, first, n, _NAMES, _NAME_OFF, picked)
    cols = {name: resp.binary_column(rep.buf, rep.a, rep.b, picked[j])
            for j, name in enumerate(FIELDS)}
    in_ids = resp.binary_column(rep.buf, rep.a, rep.b, id_toks).cast(pa.string())
    return _Batch(rep, ents, first, ms, seq, cols, in_ids)


def warm_up(config: Config, window_seconds: int) -> None:
    """Run every compiled path of a batch once, on a made-up XREAD reply of two
    communications, with a throwaway engine; nothing is sent to Redis.  The kernels load
    (from numba's cache) at their first call: without this the first batch after a (re)start
    took about 70 ms, and the traffic that queued meanwhile waited for it."""
    entries = [[b"1-1", [b"id", b"w1", b"ts", b"2026-01-01T00:00:00Z", b"user_id", b"w",
                         b"srv", b"1.1", b"critical", b"1", b"encrypted", b"0", b"smets1", b"1",
                         b"value", b"1"]],
               [b"1-2", [b"id", b"w2", b"ts", b"2026-01-01T00:00:01Z", b"user_id", b"w",
                         b"srv", b"", b"critical", b"1", b"encrypted", b"1", b"smets1", b"0",
                         b"value", b"", b"command", b"w"]]]
    rep = resp.parse(resp.encode([[b"in", entries]]), 1)
    streams, ents = _layout(rep)
    batch = _input_batch(rep, ents, streams[0][1], streams[0][2])
    parsed = parse_columns(batch.cols, 2, NO_TS)
    engine = Engine(config.thresholds, config.limits, window_seconds, config.exceptions)
    dec = engine.process(parsed.batch)
    rows = _decision_columns(engine, parsed.ids, dec)
    out = [rows[k] for k in ("id", "decision", "warning", "reason")] + [batch.in_ids]
    _xadds(b"warm", out, _OUT_NAMES, _OUT_OFF)
    engine.state().buffers()


def _decision_columns(engine: Engine, ids: pa.Array, dec) -> dict[str, pa.Array]:
    """id, decision, warning, reason as text columns, as ``adt run`` writes them (its writer's
    ``render_kernel``, unquoted): ``reason`` is ``limit``, or the deciding key's label, the
    level exceeded and ``:exception`` where an exception's level applied, or empty."""
    n = len(dec.decision)
    decision = _WORDS.take(pa.array(dec.decision.astype(np.int32)))
    warning = _FLAGS.take(pa.array(dec.warning.astype(np.int32)))
    key = dec.key
    exc = dec.exception if dec.exception is not None else np.full(n, -1, np.int32)
    rows = np.flatnonzero(key >= 0)
    if not rows.size:
        return {"id": ids, "decision": decision, "warning": warning,
                "reason": pa.array([""] * n, pa.string())}
    th, ex = engine.thresholds, engine.exceptions
    k, e, d = key[rows], exc[rows], dec.decision[rows]
    lim = k >= th.nkeys
    kk = np.where(lim, 0, k)
    quarantine = d == 1
    level = np.where(quarantine, th.quarantine[kk], th.warning[kk]).astype(np.int64)
    if len(ex):
        ee = np.maximum(e, 0)
        level = np.where(e >= 0, np.where(quarantine, ex.quarantine[ee], ex.warning[ee]), level)
    text = pc.binary_join_element_wise(
        th.labels.cast(pa.string()).take(pa.array(kk)),
        _LEVEL_WORDS.take(pa.array(quarantine.astype(np.int32))),
        pa.array(level).cast(pa.string()),
        _EXC_WORDS.take(pa.array((e >= 0).astype(np.int32))), "")
    text = pc.if_else(pa.array(lim), pa.scalar("limit"), text)
    pos = np.zeros(n, np.int32)
    pos[rows] = np.arange(1, rows.size + 1, dtype=np.int32)
    reason = pa.concat_arrays([pa.array([""], pa.string()), text]).take(pa.array(pos))
    return {"id": ids, "decision": decision, "warning": warning, "reason": reason}


_WORDS = pa.array(list(DECISIONS), pa.string())
_FLAGS = pa.array(["0", "1"], pa.string())
_LEVEL_WORDS = pa.array([":warning>", ":quarantine>"], pa.string())
_EXC_WORDS = pa.array(["", ":exception"], pa.string())


def _xadds(stream: bytes, cols: list[pa.Array], names: np.ndarray,
           offsets: np.ndarray) -> np.ndarray:
    """``XADD stream * name_0 col_0[i] name_1 col_1[i] ...`` per row, packed."""
    head = np.frombuffer(b"*%d\r\n" % (3 + 2 * len(cols)) + resp.pack(b"XADD", stream, b"*")[4:],
                         np.uint8)
    bufs = [string_buffers(c) for c in cols]
    return resp.render_xadds(head, names, offsets, tuple(o for o, _ in bufs),
                             tuple(d for _, d in bufs), len(cols), len(cols[0]))


# -------------------------------------------------------------------------------------- CLI
def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="secassure adt live", description="the engine on a Redis "
                                 "Stream: decisions exactly once (SEC G6.1)")
    ap.add_argument("--thresholds", required=True)
    ap.add_argument("--limits")
    ap.add_argument("--exceptions")
    ap.add_argument("--redis", default=os.environ.get("SECASSURE_REDIS_URL",
                                                      "redis://127.0.0.1:6379/0"))
    ap.add_argument("--input", required=True, help="input stream (communications)")
    ap.add_argument("--output", required=True, help="output stream (decisions)")
    ap.add_argument("--dead", help="dead-letter stream (default OUTPUT:dead)")
    ap.add_argument("--control", help="control stream for threshold changes "
                    "(default OUTPUT:control)")
    ap.add_argument("--batch", type=int, default=10_000, help="entries per read (default 10000)")
    ap.add_argument("--block-ms", type=int, default=100, help="wait for entries (default 100)")
    ap.add_argument("--checkpoint-seconds", type=float, default=1.0)
    ap.add_argument("--linger-ms", type=float, default=10.0, help="after a short batch, wait "
                    "until this long after its start before reading again (default 10)")
    ap.add_argument("--window-seconds", type=int, default=86400)
    ap.add_argument("--trim-input", action="store_true", help="after each checkpoint, trim "
                    "the input stream below its position (XTRIM MINID ~): Redis's memory then "
                    "holds what is not yet counted, not the whole history")
    ap.add_argument("--exit-when-idle", type=float, default=0.0, help=argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_BAD_INPUT
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    opts = Options(args.redis, args.input, args.output, args.dead, args.control, args.batch,
                   args.block_ms, args.checkpoint_seconds, args.window_seconds,
                   args.linger_ms, args.trim_input)
    try:
        base = load_config(args.thresholds, args.limits, args.exceptions)
        for name, p in (("thresholds", args.thresholds), ("limits", args.limits),
                        ("exceptions", args.exceptions)):
            if p:
                with open(p, "rb") as fh:
                    base.texts[name] = fh.read()
        live = Live(redis.Redis.from_url(args.redis), opts, base)
        warm_up(live.config, opts.window_seconds)
        idle_since = time.monotonic()
        while not stop.is_set():
            if live.step():
                idle_since = time.monotonic()
            elif args.exit_when_idle and time.monotonic() - idle_since > args.exit_when_idle:
                break
        live.checkpoint_now()
        live._status(force=True)
    except InputError as exc:
        print(f"secassure adt live: error: {exc.one_line()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (redis.ConnectionError, OSError) as exc:
        print(f"secassure adt live: error: {exc}".replace("\n", " "), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
