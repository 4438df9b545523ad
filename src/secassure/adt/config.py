"""Anomaly Detection Thresholds and SMETS1 data-value limits, loaded into arrays.

Legal basis (SEC Section G6):
* G6.3(a)(i)/G6.6(a)(i): a threshold on the count of Critical Commands and critical SMETS1 Service
  Requests per Service Reference Variant (``counter = critical``);
* G6.3(a)(ii)/G6.6(a)(ii): a threshold on the count of Service Requests whose SMETS2+ responses
  would be Encrypted (``counter = encrypted``);
* a User's thresholds are per User ID (G6.3), the DCC's across all Users (``user_id = *``, G6.6(a));
* G6.4A: a level of zero is legal and quarantines every such communication;
* G6.6(b) and G6.1(d)(i): data-value minimum/maximum for SMETS1 Service Requests (the limits file).

Why arrays: the engine's hot path is a compiled kernel that looks keys up by integer codes; the
1.2 M-key file is validated column-wise (no Python object per threshold) and turned into lookup
tables once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import textcols
from .csvio import physical_line, read_small_csv
from .errors import InputError, show

THRESHOLD_COLUMNS = ("user_id", "srv", "counter", "warning", "quarantine")
LIMIT_COLUMNS = ("srv", "min", "max")
COUNTERS = ("critical", "encrypted")
DENSE_LIMIT = 1 << 25  # user x srv table entries beyond which pairs are looked up by bisection


@dataclass(frozen=True)
class Thresholds:
    """Threshold keys (u, s, c) in file order; key k is row k of the thresholds file.

    ``key_user`` is -1 for the DCC's ``*`` keys; ``warning`` is -1 where no warning level is set.
    ``star_keys[s, c]`` gives the DCC key (or -1) for srv code s and counter c.  User keys are
    found in ``user_keys[row, c]``: with a dense user x srv table (``dense``) the row is
    ``u * len(srvs) + s``; otherwise (too many users x srvs) it is the position of that code in
    the sorted ``pair_codes``.  ``star_keys`` and ``user_keys`` end with a -1 sentinel row, so
    that the compiled lookups index them with -1 for "none" without a branch.
    """

    users: pa.Array
    srvs: pa.Array
    key_user: np.ndarray
    key_srv: np.ndarray
    key_counter: np.ndarray
    warning: np.ndarray
    quarantine: np.ndarray
    star_keys: np.ndarray
    pair_codes: np.ndarray
    user_keys: np.ndarray
    dense: bool
    labels: pa.Array

    @property
    def nkeys(self) -> int:
        return int(self.key_user.shape[0])

    def fingerprint(self) -> bytes:
        """A digest of the keys and levels, so saved counting state is only restored onto the
        thresholds it was counted for."""
        h = hashlib.sha256()
        for a in (self.key_counter, self.warning, self.quarantine):
            h.update(np.ascontiguousarray(a).tobytes())
        for arr in (self.labels,):
            offsets, data = textcols.string_buffers(arr)
            h.update(offsets.tobytes())
            h.update(data.tobytes())
        return h.digest()

    @classmethod
    def from_rows(cls, rows: list[tuple], path: str = "<thresholds>") -> Thresholds:
        """Build from (user_id, srv, counter, warning, quarantine) tuples (None or "" = empty)."""
        cols: list = list(zip(*rows, strict=True)) if rows else [[] for _ in THRESHOLD_COLUMNS]
        table = pa.table({name: pa.array(["" if v is None else str(v) for v in col], pa.string())
                          for name, col in zip(THRESHOLD_COLUMNS, cols, strict=True)})
        return cls.from_table(table, path, None)

    @classmethod
    def load(cls, path: str) -> Thresholds:
        """Read and validate a thresholds CSV (``user_id,srv,counter,warning,quarantine``)."""
        return cls.from_table(read_small_csv(path, THRESHOLD_COLUMNS), path, path)

    @classmethod
    def from_table(cls, table: pa.Table, path: str, csv_path: str | None) -> Thresholds:
        cols = {n: _trimmed(table.column(n)) for n in THRESHOLD_COLUMNS}
        problems: list[tuple[int, str, str]] = []
        user, srv = cols["user_id"], cols["srv"]
        _first(problems, pc.equal(pc.utf8_length(user), 0), "user_id", "empty user_id")
        _first(problems, pc.equal(pc.utf8_length(srv), 0), "srv", "empty srv")
        counter = pc.utf8_lower(cols["counter"])
        ccode = np.asarray(pc.fill_null(pc.index_in(counter, pa.array(COUNTERS)), -1))
        ccode = ccode.astype(np.int8)
        bad = np.flatnonzero(ccode < 0)
        if bad.size:
            problems.append((int(bad[0]), "counter", "must be 'critical' or 'encrypted', got "
                             + show(cols["counter"][int(bad[0])].as_py())))
        levels, levels_ok = {}, True
        for name, allow_empty in (("warning", True), ("quarantine", False)):
            vals, i, why = textcols.parse_levels(cols[name], allow_empty)
            if i >= 0:
                text = show(cols[name][i].as_py())
                msg = {1: f"not a non-negative integer: {text}", 2: f"negative level: {text}",
                       3: f"level too large: {text}"}[why]
                problems.append((i, name, msg))
                levels_ok = False
            levels[name] = vals
        if levels_ok:
            warn, quar = levels["warning"], levels["quarantine"]
            above = np.flatnonzero((warn >= 0) & (warn > quar))
            if above.size:
                i = int(above[0])
                problems.append((i, "warning", f"warning level {int(warn[i])} is above the "
                                               f"quarantine level {int(quar[i])}"))
        if not problems:
            problems.extend(_duplicates(user, srv, ccode))
        if problems:
            i, field, msg = min(problems)
            line = physical_line(csv_path, i) if csv_path else i + 2
            raise InputError(path, line, field, msg)
        return _build(user, srv, ccode, levels["warning"], levels["quarantine"])


def _trimmed(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return pc.utf8_trim_whitespace(arr.cast(pa.string()))


def _first(problems: list, mask: pa.Array, field: str, msg: str) -> None:
    idx = np.flatnonzero(np.asarray(mask, dtype=bool))
    if idx.size:
        problems.append((int(idx[0]), field, msg))


def _duplicates(user: pa.Array, srv: pa.Array, ccode: np.ndarray) -> list[tuple[int, str, str]]:
    """The first row (in file order) whose (user_id, srv, counter) repeats an earlier row."""
    u = pc.dictionary_encode(user)
    s = pc.dictionary_encode(srv)
    ui = np.asarray(u.indices, np.int64)
    si = np.asarray(s.indices, np.int64)
    code = (ui * max(len(s.dictionary), 1) + si) * 2 + ccode
    order = np.argsort(code, kind="stable")
    sc = code[order]
    dup = np.flatnonzero(sc[1:] == sc[:-1])
    if not dup.size:
        return []
    later = order[dup + 1]
    i = int(later.min())
    first = int(order[dup[np.argmin(later)]])
    return [(i, "user_id,srv,counter",
             f"duplicate threshold key {user[i].as_py()}/{srv[i].as_py()}/{COUNTERS[ccode[i]]} "
             f"(first set on data row {first + 1})")]


def _build(user: pa.Array, srv: pa.Array, ccode: np.ndarray, warning: np.ndarray,
           quarantine: np.ndarray) -> Thresholds:
    star = np.asarray(pc.equal(user, "*"), dtype=bool)
    users = pc.unique(user.filter(pa.array(~star))) if len(user) else pa.array([], pa.string())
    srvs = pc.unique(srv) if len(srv) else pa.array([], pa.string())
    kuser = np.asarray(pc.fill_null(pc.index_in(user, users), -1), np.int32)
    ksrv = np.asarray(pc.fill_null(pc.index_in(srv, srvs), -1), np.int32)
    nsrv, nusers = len(srvs), len(users)
    keys = np.arange(len(kuser), dtype=np.int32)
    star_keys = np.full((nsrv + 1, 2), -1, np.int32)
    star_keys[ksrv[star], ccode[star]] = keys[star]
    pm = ~star
    pcode = kuser[pm].astype(np.int64) * max(nsrv, 1) + ksrv[pm]
    dense = nusers * nsrv <= DENSE_LIMIT
    if dense:
        pair_codes = np.zeros(0, np.int64)
        user_keys = np.full((nusers * nsrv + 1, 2), -1, np.int32)
        user_keys[pcode, ccode[pm]] = keys[pm]
    else:
        pair_codes, inverse = np.unique(pcode, return_inverse=True)
        user_keys = np.full((len(pair_codes) + 1, 2), -1, np.int32)
        user_keys[inverse, ccode[pm]] = keys[pm]
    labels = pc.binary_join_element_wise(user, srv, pa.array(COUNTERS).take(pa.array(ccode)), "/")
    return Thresholds(users=users, srvs=srvs, key_user=kuser, key_srv=ksrv,
                      key_counter=ccode, warning=warning, quarantine=quarantine,
                      star_keys=star_keys, pair_codes=pair_codes, user_keys=user_keys,
                      dense=dense, labels=labels)


@dataclass(frozen=True)
class Limits:
    """Data-value limits per srv for SMETS1 Service Requests (G6.6(b)); a value outside them is
    deleted (G6.1(d)(i)).  Missing bounds are -inf/+inf; the exact decimal texts are kept to settle
    values that equal a bound after rounding to float64."""

    srvs: pa.Array
    lo: np.ndarray
    hi: np.ndarray
    lo_text: list[Decimal | None]
    hi_text: list[Decimal | None]
    long: np.ndarray  # a bound has more than 15 digits: ties with it are settled as decimals

    @classmethod
    def empty(cls) -> Limits:
        return cls(pa.array([], pa.string()), np.zeros(0), np.zeros(0), [], [], np.zeros(0, bool))

    @classmethod
    def from_rows(cls, rows: list[tuple], path: str = "<limits>") -> Limits:
        """Build from (srv, min, max) tuples (None or "" = no bound)."""
        cols: list = list(zip(*rows, strict=True)) if rows else [[] for _ in LIMIT_COLUMNS]
        table = pa.table({name: pa.array(["" if v is None else str(v) for v in col], pa.string())
                          for name, col in zip(LIMIT_COLUMNS, cols, strict=True)})
        return cls.from_table(table, path, None)

    @classmethod
    def load(cls, path: str) -> Limits:
        """Read and validate a limits CSV (``srv,min,max``)."""
        return cls.from_table(read_small_csv(path, LIMIT_COLUMNS), path, path)

    @classmethod
    def from_table(cls, table: pa.Table, path: str, csv_path: str | None) -> Limits:
        cols = {n: _trimmed(table.column(n)) for n in LIMIT_COLUMNS}
        problems: list[tuple[int, str, str]] = []
        srv = cols["srv"]
        _first(problems, pc.equal(pc.utf8_length(srv), 0), "srv", "empty srv")
        bounds = {}
        for name, inf in (("min", -np.inf), ("max", np.inf)):
            vals, present, i = textcols.parse_numbers(cols[name])
            if i >= 0:
                problems.append((i, name, "not a finite number: " + show(cols[name][i].as_py())))
            else:
                bounds[name] = (np.where(present, vals, inf), present)
        if len(bounds) == 2:
            above = np.flatnonzero(bounds["min"][0] > bounds["max"][0])
            if above.size:
                i = int(above[0])
                problems.append((i, "min", f"min {cols['min'][i].as_py()} is above max "
                                           f"{cols['max'][i].as_py()}"))
        s = pc.dictionary_encode(srv)
        idx = np.asarray(s.indices, np.int64)
        order = np.argsort(idx, kind="stable")
        dup = np.flatnonzero(idx[order][1:] == idx[order][:-1])
        if dup.size:
            i = int(order[dup + 1].min())
            problems.append((i, "srv", f"duplicate limits for srv {srv[i].as_py()!r}"))
        if problems:
            i, field, msg = min(problems)
            line = physical_line(csv_path, i) if csv_path else i + 2
            raise InputError(path, line, field, msg)
        texts = {n: [Decimal(t) if t else None for t in cols[n].to_pylist()]
                 for n in ("min", "max")}
        pairs = zip(cols["min"].to_pylist(), cols["max"].to_pylist(), strict=True)
        long = np.array([max(_ndigits(a), _ndigits(b)) > 15 for a, b in pairs], bool)
        return cls(srvs=srv, lo=bounds["min"][0], hi=bounds["max"][0], lo_text=texts["min"],
                   hi_text=texts["max"], long=long)


def _ndigits(text: str | None) -> int:
    return sum(ch.isdigit() for ch in text or "")
