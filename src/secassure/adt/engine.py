"""The Threshold Anomaly Detection engine: batches of communications in, decisions out.

Rules (SEC Section G6; the Threshold Anomaly Detection Procedures, G6.1):
* a communication belongs to key (u, t, c) when its target is t (its srv; with srv empty, its
  command: a Critical Command not related to an SRV, G6.6(c)), its flag c (critical: G6.3(a)(i),
  G6.6(a)(i); encrypted: G6.3(a)(ii), G6.6(a)(ii)) is 1, and u is its User ID or ``*`` (the
  DCC's threshold across all Users, G6.6(a));
* its count for a key is the number of that key's communications with ts in (ts - N, ts], taken in
  input order up to and including itself; every communication counts, whatever its decision;
* a key's levels are the threshold's, or an exception's where from <= ts < to (G6.1(a)(i));
* DELETE a SMETS1 Service Request whose data value lies outside its srv's limits (G6.6(b),
  G6.1(d)(i)); otherwise QUARANTINE any other communication whose value lies outside them (a
  Signed Pre-Command, G6.6(b), G6.1(d)(ii)), whatever the counts, or when some count exceeds
  that key's quarantine level (G6.1(d)(ii); a level of 0 quarantines every communication,
  G6.4A); otherwise PROCESS, with the warning flag when some count exceeds that key's warning
  level;
* communications of no threshold key are processed.

The engine is a library: ``Engine(thresholds, limits).process(batch)`` works on NumPy/Arrow
columns of a chunk, never on Python objects per communication; its counting state is a value
(``state()``, ``Engine.restore``) so any split of the stream gives the decisions of one run.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import kernel
from .config import Exceptions, Limits, Thresholds
from .state import CountingState

PROCESS, QUARANTINE, DELETE = 0, 1, 2
DECISIONS = ("PROCESS", "QUARANTINE", "DELETE")
# The contract reads "otherwise PROCESS, with warning 1 when any count exceeds ...": the warning
# flag belongs to processed communications; a quarantined or deleted one carries warning 0.
WARN_ONLY_WHEN_PROCESSED = True
NO_TS = np.iinfo(np.int64).min
#: Pools smaller than this (slots: 1 MB) are enlarged without a spare: faulting in costs little.
SPARE_FROM = 1 << 17


class TrafficOrderError(ValueError):
    """``ts`` went backwards at batch row ``row`` (0-based)."""

    def __init__(self, row: int, ts: int, previous: int) -> None:
        self.row, self.ts, self.previous = row, ts, previous
        super().__init__(f"ts goes backwards at row {row}: {ts} < {previous}")


@dataclass
class TrafficBatch:
    """One chunk of communications as columns.

    ``ts``: int64 microseconds since the epoch (UTC), non-decreasing; ``user``/``srv``: Arrow
    string or dictionary arrays; flags: uint8 0/1; ``value``: float64, NaN where empty;
    ``value_source``: the exact values (Arrow string/integer/decimal) used to settle a value that
    equals a limit after rounding to float64, or None when ``value`` is exact.
    """

    ts: np.ndarray
    user: pa.Array
    srv: pa.Array
    critical: np.ndarray
    encrypted: np.ndarray
    smets1: np.ndarray
    value: np.ndarray
    value_source: pa.Array | None = None
    command: pa.Array | None = None  # the command, for rows with srv empty (G6.6(c))

    def __len__(self) -> int:
        return int(self.ts.shape[0])

    def slice(self, start: int, stop: int) -> TrafficBatch:
        """Rows [start, stop) as a batch (no copies)."""
        vs = self.value_source.slice(start, stop - start) if self.value_source is not None else None
        cmd = self.command.slice(start, stop - start) if self.command is not None else None
        return TrafficBatch(self.ts[start:stop], self.user.slice(start, stop - start),
                            self.srv.slice(start, stop - start), self.critical[start:stop],
                            self.encrypted[start:stop], self.smets1[start:stop],
                            self.value[start:stop], vs, cmd)

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> TrafficBatch:
        """From (ts_us, user_id, srv, critical, encrypted, smets1, value-or-None) tuples, with
        an eighth element, the command (None or ""), when rows may name one (G6.6(c))."""
        width = len(rows[0]) if rows else 7
        cols: list = list(zip(*rows, strict=True)) if rows else [[]] * width
        cmd = pa.array(["" if v is None else v for v in cols[7]], pa.string()) \
            if width > 7 else None
        return cls(np.asarray(cols[0], np.int64), pa.array(cols[1], pa.string()),
                   pa.array(["" if v is None else v for v in cols[2]], pa.string()),
                   np.asarray(cols[3], np.uint8),
                   np.asarray(cols[4], np.uint8), np.asarray(cols[5], np.uint8),
                   np.array([np.nan if v is None else float(v) for v in cols[6]], np.float64),
                   pa.array([None if v is None else str(v) for v in cols[6]], pa.string()), cmd)


@dataclass
class Decisions:
    """Per communication: ``decision`` (0 PROCESS, 1 QUARANTINE, 2 DELETE), ``warning`` (0/1),
    ``key``: the deciding threshold key index, ``nkeys + limits row`` for a value outside the
    limits (DELETE or QUARANTINE), or -1; and ``exception``: the index (in ``Exceptions``) of
    the exception whose level decided, or -1."""

    decision: np.ndarray
    warning: np.ndarray
    key: np.ndarray
    exception: np.ndarray | None = None

    def names(self) -> list[str]:
        """Decision names (for tests and small outputs)."""
        return [DECISIONS[d] for d in self.decision.tolist()]


def encoded(arr: pa.Array, values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised string -> position in ``values`` as (idx, map): code[i] = map[idx[i]], with
    idx -1 for null and map -1 for strings not in ``values``; ``map`` ends with a -1 sentinel so
    that map[-1] = -1.

    Dictionary arrays (Parquet's usual encoding of user_id/srv, and how the CSV reader is asked
    to read them) are mapped through their small dictionary only.
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        dvals = arr.dictionary.cast(values.type) if len(values) else arr.dictionary
        dmap = np.asarray(pc.fill_null(pc.index_in(dvals, values), -1), np.int32) \
            if len(values) else np.full(len(arr.dictionary), -1, np.int32)
        idx = np.asarray(pc.fill_null(arr.indices, -1)).astype(np.int32, copy=False)
        return idx, np.append(dmap, np.int32(-1))
    if len(values) == 0:
        return np.full(len(arr), -1, np.int32), np.full(1, -1, np.int32)
    idx = np.asarray(pc.fill_null(pc.index_in(arr, values), -1), np.int32)
    return idx, np.append(np.arange(len(values), dtype=np.int32), np.int32(-1))


def codes(arr: pa.Array, values: pa.Array) -> np.ndarray:
    """Vectorised string -> position in ``values`` (int32, -1 when absent or null)."""
    idx, cmap = encoded(arr, values)
    return cmap[idx]


class Engine:
    """Replays communications through Anomaly Detection Thresholds, keeping per-key counts."""

    def __init__(self, thresholds: Thresholds, limits: Limits | None = None,
                 window_seconds: int = 86400, exceptions: Exceptions | None = None) -> None:
        if window_seconds <= 0:
            raise ValueError("window_seconds must be positive")
        self.thresholds = thresholds
        self.limits = limits if limits is not None else Limits.empty()
        self.exceptions = exceptions if exceptions is not None else Exceptions.empty()
        self.window_us = int(window_seconds) * 1_000_000
        ex = self.exceptions
        self._st = kernel.new_state(thresholds.warning, thresholds.quarantine, ex.key,
                                    ex.warning, ex.quarantine)
        # the compiled kernel indexes ``ex_key[e]`` without a length check on an empty table
        self._ex = (ex.key, ex.start, ex.end, ex.warning, ex.quarantine) if len(ex) else \
            (np.full(1, -1, np.int32), *(np.zeros(1, np.int64) for _ in range(4)))
        self._pool = np.empty(2 * thresholds.nkeys + 4096, np.int64)
        self._aux = kernel.new_aux()
        self._spare: tuple[threading.Thread, list[np.ndarray]] | None = None
        self.rows = 0
        self.compactions = 0
        self._buf: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def last_ts(self) -> int:
        return int(self._aux[1])

    def process(self, batch: TrafficBatch) -> Decisions:
        """Decide one chunk (in input order), advancing the counting state."""
        n = len(batch)
        if n == 0:
            return Decisions(np.zeros(0, np.int8), np.zeros(0, np.int8), np.zeros(0, np.int32),
                             np.zeros(0, np.int32))
        ts = np.ascontiguousarray(batch.ts, np.int64)
        if ts[0] < self._aux[1]:
            raise TrafficOrderError(0, int(ts[0]), int(self._aux[1]))
        back = np.flatnonzero(ts[1:] < ts[:-1])
        if back.size:
            r = int(back[0]) + 1
            raise TrafficOrderError(r, int(ts[r]), int(ts[r - 1]))
        th = self.thresholds
        uidx, umap = encoded(batch.user, th.users)
        sidx, smap = self._targets(batch)
        tev, tkey, counts = self._scratch(n)
        kernel.batch_touches(uidx, umap, sidx, smap, _u8(batch.critical), _u8(batch.encrypted),
                             th.dense, th.pair_codes, max(th.ntargets, 1), th.user_keys,
                             th.star_keys, tev, tkey, counts)
        q = np.zeros(n, np.uint8)
        w = np.zeros(n, np.uint8)
        qkey = np.full(n, -1, np.int32)
        wkey = np.full(n, -1, np.int32)
        width = tev.shape[1]
        pos = 0
        while True:
            pos = kernel.count_touches(ts, tev, tkey, counts, self._st, self._pool, self._aux,
                                       self.window_us, pos // width, pos % width, q, qkey, w,
                                       wkey, *self._ex)
            if pos == 4 * width:
                break
            self._make_room(int(ts[0]) - self.window_us)
        self.rows += n
        self._prepare_spare()
        outside, lrow = self._outside_limits(batch)
        delete = outside & (batch.smets1 != 0)
        decision = np.where(delete, DELETE, np.where(outside, QUARANTINE, q)).astype(np.int8)
        tag = np.where(q == 1, qkey, wkey)
        exc = np.where(tag <= -2, -(tag + 2), -1).astype(np.int32)
        if len(self.exceptions):
            tag = np.where(exc >= 0, self.exceptions.key[np.maximum(exc, 0)], tag)
        key = np.where(outside, th.nkeys + lrow, tag).astype(np.int32)
        exc[outside] = -1
        warn = w.astype(np.int8)
        if WARN_ONLY_WHEN_PROCESSED:
            warn[decision != PROCESS] = 0
            none = (decision == PROCESS) & (warn == 0)
            key[none] = -1
            exc[none] = -1
        return Decisions(decision, warn, key, exc)

    def _targets(self, batch: TrafficBatch) -> tuple[np.ndarray, np.ndarray]:
        """(idx, map) of each row's target code: its srv's, or with srv empty its command's
        (G6.6(c)); without a command column, the srv's alone (dictionary-mapped, cheap)."""
        th = self.thresholds
        if batch.command is None or len(th.commands) == 0:
            return encoded(batch.srv, th.srvs)
        sidx, smap = encoded(batch.srv, th.srvs)
        scode = smap[sidx]
        cmd = codes(batch.command, th.commands)
        srv = batch.srv.combine_chunks() if isinstance(batch.srv, pa.ChunkedArray) else batch.srv
        if pa.types.is_dictionary(srv.type):
            dempty = np.asarray(pc.equal(pc.utf8_length(srv.dictionary.cast(pa.string())), 0),
                                bool)
            no_srv = np.append(dempty, True)[sidx]
        else:
            no_srv = np.asarray(pc.fill_null(pc.equal(pc.utf8_length(srv), 0), True), bool)
        code = np.where(no_srv, np.where(cmd >= 0, cmd + len(th.srvs), -1), scode)
        ident = np.append(np.arange(th.ntargets, dtype=np.int32), np.int32(-1))
        return code.astype(np.int32), ident

    def _make_room(self, lim: int) -> None:
        """The pool is full.  If most of it is dead (rings grown for a past burst, blocks on free
        lists), rebuild it from the live entries (> lim: no communication still to be counted in
        this batch is earlier than its first row); otherwise enlarge it."""
        live = int(kernel.expire_all(self._st, self._pool, lim))
        if 4 * (live + int(self._aux[2])) < int(self._aux[0]):
            need = int(self._aux[2])
            sizes, data = kernel.export_rings(self._st, self._pool, lim)
            self._pool, used = kernel.import_rings(self._st, sizes, data, extra=need)
            last = int(self._aux[1])
            self._aux = kernel.new_aux()
            self._aux[0], self._aux[1] = used, last
            self.compactions += 1
        else:
            self._pool = kernel.enlarge(self._pool, self._aux, self._take_spare())

    def _prepare_spare(self) -> None:
        """Once the pool is three quarters full, fault in the next one (twice as large) on a
        thread.  The first write to fresh memory is what enlarging costs: about 1 ms a MB on
        this machine, so 40 ms for a 37 MB pool, during which no batch is decided (the live
        engine's latency); copied into memory already faulted in, the same takes a few ms.
        The spare is not the engine's state: counting never waits for it."""
        if self._spare is not None or 4 * int(self._aux[0]) < 3 * self._pool.shape[0] or \
                self._pool.shape[0] < SPARE_FROM:
            return
        holder: list[np.ndarray] = []

        def fault_in(size: int = 2 * self._pool.shape[0]) -> None:
            spare = np.empty(size, np.int64)
            spare[::512] = 0  # one write a 4 KiB page (NumPy lets go of the GIL meanwhile)
            holder.append(spare)

        thread = threading.Thread(target=fault_in, name="adt-pool-spare", daemon=True)
        thread.start()
        self._spare = (thread, holder)

    def _take_spare(self) -> np.ndarray | None:
        """The spare pool if it is ready (never waited for), and forget it."""
        if self._spare is None:
            return None
        thread, holder = self._spare
        self._spare = None
        return holder[0] if not thread.is_alive() and holder else None

    def _scratch(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Touch lists for one batch, in buffers reused between batches (fresh pages cost more
        than the work done in them)."""
        if self._buf is None or self._buf[0].shape[0] < 4 * n:
            m = 4 * max(n, 1024)
            self._buf = (np.empty(m, np.int32), np.empty(m, np.int32))
        return (self._buf[0][: 4 * n].reshape(4, n), self._buf[1][: 4 * n].reshape(4, n),
                np.zeros(4, np.int64))

    def _outside_limits(self, batch: TrafficBatch) -> tuple[np.ndarray, np.ndarray]:
        """Communications whose value is outside their srv's limits (G6.6(b)): a SMETS1
        Service Request's is deleted (G6.1(d)(i)), any other's quarantined (G6.1(d)(ii))."""
        n = len(batch)
        lim = self.limits
        if len(lim.srvs) == 0 or n == 0:
            return np.zeros(n, bool), np.zeros(n, np.int32)
        lrow = codes(batch.srv, lim.srvs)
        v = batch.value
        cand = np.flatnonzero(~np.isnan(v) & (lrow >= 0))
        out = np.zeros(n, bool)
        if cand.size:
            r, x = lrow[cand], v[cand]
            lo, hi = lim.lo[r], lim.hi[r]
            out[cand] = (x < lo) | (x > hi)
            tie = np.flatnonzero((x == lo) | (x == hi))
            if tie.size and batch.value_source is not None:
                self._settle_ties(batch.value_source, cand[tie], r[tie], out)
        return out, lrow

    def _settle_ties(self, source: pa.Array, rows: np.ndarray, lrows: np.ndarray,
                     out: np.ndarray) -> None:
        """Values equal to a bound once rounded to float64: exact only if both have at most 15
        digits (two different decimals of <= 15 significant digits never round to the same
        double), otherwise compare as decimals.  Vectorised, so values sitting exactly on a
        limit (common: a minimum of 0) stay cheap."""
        texts = source.take(pa.array(rows)).cast(pa.string())
        digits = np.asarray(pc.fill_null(pc.count_substring_regex(texts, "[0-9]"), 99))
        slow = np.flatnonzero((digits > 15) | self.limits.long[lrows])
        for j in slow.tolist():
            out[int(rows[j])] = _outside_exact(texts[j].as_py(), self.limits, int(lrows[j]))

    def state(self) -> CountingState:
        """The counting state as a value (only timestamps still inside the window are kept)."""
        last = int(self._aux[1])
        lim = last - self.window_us if last != NO_TS else NO_TS
        sizes, data = kernel.export_rings(self._st, self._pool, lim)
        return CountingState(_fingerprint(self.thresholds, self.exceptions), self.window_us,
                             last, self.rows, sizes, data)

    @classmethod
    def restore(cls, thresholds: Thresholds, limits: Limits | None,
                saved: bytes | CountingState, exceptions: Exceptions | None = None) -> Engine:
        """An engine that continues from a saved state; the thresholds (and exceptions, which
        change how many timestamps a key keeps) must be the same ones."""
        st = CountingState.from_bytes(saved) if isinstance(saved, (bytes, bytearray)) else saved
        ex = exceptions if exceptions is not None else Exceptions.empty()
        if st.fingerprint != _fingerprint(thresholds, ex) or \
                st.sizes.shape[0] != thresholds.nkeys:
            raise ValueError("saved state was counted against different thresholds "
                             "or exceptions")
        eng = cls(thresholds, limits, 1, ex)
        eng.window_us = st.window_us
        eng._pool, used = kernel.import_rings(eng._st, st.sizes, st.data)
        eng._aux = kernel.new_aux()
        eng._aux[0] = used
        eng._aux[1] = st.last_ts
        eng.rows = st.rows
        return eng

    def key_labels(self) -> pa.Array:
        """Text for each ``Decisions.key`` value >= 0: ``user/srv/counter`` for threshold keys,
        ``limits/srv`` for limit rows."""
        lim = pc.binary_join_element_wise("limits", self.limits.srvs, "/") \
            if len(self.limits.srvs) else pa.array([], pa.string())
        return pa.concat_arrays([self.thresholds.labels.cast(pa.string()), lim.cast(pa.string())])


def _fingerprint(thresholds: Thresholds, exceptions: Exceptions) -> bytes:
    """The thresholds' digest, combined with the exceptions' when there are any (so a state
    saved without exceptions keeps its fingerprint)."""
    fp = thresholds.fingerprint()
    if not len(exceptions):
        return fp
    return hashlib.sha256(fp + exceptions.fingerprint()).digest()


def _u8(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, np.uint8)


def _outside_exact(raw: object, lim: Limits, row: int) -> bool:
    """Exact decimal comparison for a value equal to a bound once rounded to float64."""
    x = Decimal(str(raw))
    lo, hi = lim.lo_text[row], lim.hi_text[row]
    return (lo is not None and x < lo) or (hi is not None and x > hi)
