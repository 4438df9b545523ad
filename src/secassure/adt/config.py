"""Anomaly Detection Thresholds and SMETS1 data-value limits, loaded into arrays.

Legal basis (SEC Section G6):
* G6.3(a)(i)/G6.6(a)(i): a threshold on the count of Critical Commands and critical SMETS1 Service
  Requests per Service Reference Variant (``counter = critical``);
* G6.3(a)(ii)/G6.6(a)(ii): a threshold on the count of Service Requests whose SMETS2+ responses
  would be Encrypted (``counter = encrypted``);
* a User's thresholds are per User ID (G6.3), the DCC's across all Users (``user_id = *``, G6.6(a));
* G6.4A: a level of zero is legal and quarantines every such communication;
* G6.6(c): a threshold on the count of each Critical Command not related to an SRV: a row with
  ``srv`` empty and ``command`` set (the optional ``command`` column; the DCC's, ``user_id = *``,
  ``counter = critical``), counted like any other key;
* G6.6(b) and G6.1(d): data-value minimum/maximum per SRV (the limits file);
* G6.1(a)(i): exceptions to a threshold (the exceptions file): other levels for a key from one
  time to another.

Why arrays: the engine's hot path is a compiled kernel that looks keys up by integer codes; the
1.2 M-key file is validated column-wise (no Python object per threshold) and turned into lookup
tables once.
"""

from __future__ import annotations

import bisect
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
OPTIONAL_COMMAND = "command"
EXCEPTION_COLUMNS = ("user_id", "srv", "counter", "from", "to", "warning", "quarantine")
LIMIT_COLUMNS = ("srv", "min", "max")
COUNTERS = ("critical", "encrypted")
DENSE_LIMIT = 1 << 25  # user x srv table entries beyond which pairs are looked up by bisection


@dataclass(frozen=True)
class Thresholds:
    """Threshold keys (u, t, c) in file order; key k is row k of the thresholds file.

    The target t of a key is its SRV or, for a Critical Command not related to an SRV (G6.6(c)),
    its command: target codes 0 .. len(srvs)-1 are SRVs, len(srvs) + j is ``commands[j]``.
    ``key_user`` is -1 for the DCC's ``*`` keys; ``warning`` is -1 where no warning level is set.
    ``star_keys[t, c]`` gives the DCC key (or -1) for target code t and counter c.  User keys are
    found in ``user_keys[row, c]``: with a dense user x target table (``dense``) the row is
    ``u * ntargets + t``; otherwise (too many users x targets) it is the position of that code in
    the sorted ``pair_codes``.  ``star_keys`` and ``user_keys`` end with a -1 sentinel row, so
    that the compiled lookups index them with -1 for "none" without a branch.
    """

    users: pa.Array
    srvs: pa.Array
    commands: pa.Array
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

    @property
    def ntargets(self) -> int:
        return len(self.srvs) + len(self.commands)

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

    def target_codes(self, srv: pa.Array, command: pa.Array | None) -> np.ndarray:
        """Target code per row: the SRV's when ``srv`` is set, else the command's (-1: none)."""
        srv = _trimmed(srv)
        scode = np.asarray(pc.fill_null(pc.index_in(srv, self.srvs), -1), np.int32) \
            if len(self.srvs) else np.full(len(srv), -1, np.int32)
        if command is None:
            return scode
        cmd = _trimmed(command)
        ccode = np.asarray(pc.fill_null(pc.index_in(cmd, self.commands), -1), np.int32) \
            if len(self.commands) else np.full(len(cmd), -1, np.int32)
        ccode = np.where(ccode >= 0, ccode + len(self.srvs), -1).astype(np.int32)
        no_srv = np.asarray(pc.fill_null(pc.equal(pc.utf8_length(srv), 0), True), bool)
        return np.where(no_srv, ccode, scode).astype(np.int32)

    def lookup(self, user: pa.Array, target: np.ndarray, ccode: np.ndarray) -> np.ndarray:
        """The key index of each (user_id, target code, counter code), -1 where none."""
        user = _trimmed(user)
        star = np.asarray(pc.fill_null(pc.equal(user, "*"), False), bool)
        ucode = np.asarray(pc.fill_null(pc.index_in(user, self.users), -1), np.int64) \
            if len(self.users) else np.full(len(user), -1, np.int64)
        out = np.full(len(user), -1, np.int32)
        ok = target >= 0
        c = ccode.astype(np.int64)
        s = np.flatnonzero(star & ok)
        out[s] = self.star_keys[target[s], c[s]]
        u = np.flatnonzero(~star & ok & (ucode >= 0))
        row = ucode[u] * max(self.ntargets, 1) + target[u]
        if not self.dense:
            j = np.searchsorted(self.pair_codes, row)
            found = (j < len(self.pair_codes)) & (self.pair_codes[np.minimum(
                j, max(len(self.pair_codes) - 1, 0))] == row) if len(self.pair_codes) else \
                np.zeros(len(row), bool)
            row = np.where(found, j, -1)
        out[u] = self.user_keys[row, c[u]]
        return out

    @classmethod
    def from_rows(cls, rows: list[tuple], path: str = "<thresholds>") -> Thresholds:
        """Build from (user_id, srv, counter, warning, quarantine) tuples, or (user_id, srv,
        command, counter, warning, quarantine) ones (None or "" = empty)."""
        names = THRESHOLD_COLUMNS if not rows or len(rows[0]) == 5 else \
            ("user_id", "srv", OPTIONAL_COMMAND, "counter", "warning", "quarantine")
        cols: list = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
        table = pa.table({name: pa.array(["" if v is None else str(v) for v in col], pa.string())
                          for name, col in zip(names, cols, strict=True)})
        return cls.from_table(table, path, None)

    @classmethod
    def load(cls, path: str) -> Thresholds:
        """Read and validate a thresholds CSV (``user_id,srv,counter,warning,quarantine``, and
        optionally ``command``)."""
        return cls.from_table(read_small_csv(path, THRESHOLD_COLUMNS, (OPTIONAL_COMMAND,)),
                              path, path)

    @classmethod
    def from_table(cls, table: pa.Table, path: str, csv_path: str | None) -> Thresholds:
        cols = {n: _trimmed(table.column(n)) for n in THRESHOLD_COLUMNS}
        command = _optional_column(table, OPTIONAL_COMMAND)
        problems: list[tuple[int, str, str]] = []
        user, srv = cols["user_id"], cols["srv"]
        no_srv = pc.equal(pc.utf8_length(srv), 0)
        no_cmd = pc.equal(pc.utf8_length(command), 0)
        _first(problems, pc.equal(pc.utf8_length(user), 0), "user_id", "empty user_id")
        _first(problems, pc.and_(no_srv, no_cmd), "srv",
               "empty srv (a threshold names an SRV, or a command with srv empty, G6.6(c))")
        _first(problems, pc.and_(pc.invert(no_srv), pc.invert(no_cmd)), OPTIONAL_COMMAND,
               "both srv and command set: a command's threshold (G6.6(c)) leaves srv empty")
        counter = pc.utf8_lower(cols["counter"])
        ccode = np.asarray(pc.fill_null(pc.index_in(counter, pa.array(COUNTERS)), -1))
        ccode = ccode.astype(np.int8)
        bad = np.flatnonzero(ccode < 0)
        if bad.size:
            problems.append((int(bad[0]), "counter", "must be 'critical' or 'encrypted', got "
                             + show(cols["counter"][int(bad[0])].as_py())))
        levels, problem = _levels(cols)
        problems.extend(problem)
        if not problems:
            problems.extend(_duplicates(user, srv, command, ccode))
        if problems:
            i, field, msg = min(problems)
            line = physical_line(csv_path, i) if csv_path else i + 2
            raise InputError(path, line, field, msg)
        return _build(user, srv, command, ccode, levels["warning"], levels["quarantine"])


def _optional_column(table: pa.Table, name: str) -> pa.Array:
    """A column the file may leave out (trimmed text), empty texts when it does."""
    if name in table.column_names:
        return _trimmed(table.column(name))
    return pa.array([""] * table.num_rows, pa.string())


def _levels(cols: dict[str, pa.Array]) -> tuple[dict[str, np.ndarray], list]:
    """Parse ``warning`` (may be empty) and ``quarantine``; warning at most quarantine."""
    levels, problems = {}, []
    for name, allow_empty in (("warning", True), ("quarantine", False)):
        vals, i, why = textcols.parse_levels(cols[name], allow_empty)
        if i >= 0:
            text = show(cols[name][i].as_py())
            msg = {1: f"not a non-negative integer: {text}", 2: f"negative level: {text}",
                   3: f"level too large: {text}"}[why]
            problems.append((i, name, msg))
        levels[name] = vals
    if not problems:
        warn, quar = levels["warning"], levels["quarantine"]
        above = np.flatnonzero((warn >= 0) & (warn > quar))
        if above.size:
            i = int(above[0])
            problems.append((i, "warning", f"warning level {int(warn[i])} is above the "
                                           f"quarantine level {int(quar[i])}"))
    return levels, problems


def _trimmed(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary.take(arr.indices)
    return pc.utf8_trim_whitespace(pc.fill_null(arr.cast(pa.string()), ""))


def _first(problems: list, mask: pa.Array, field: str, msg: str) -> None:
    idx = np.flatnonzero(np.asarray(mask, dtype=bool))
    if idx.size:
        problems.append((int(idx[0]), field, msg))


def _targets(srv: pa.Array, command: pa.Array) -> pa.Array:
    """One text per row naming its target: the SRV, or ``command:NAME`` (G6.6(c))."""
    no_srv = pc.equal(pc.utf8_length(srv), 0)
    return pc.if_else(no_srv, pc.binary_join_element_wise("command", command, ":"), srv)


def _duplicates(user: pa.Array, srv: pa.Array, command: pa.Array,
                ccode: np.ndarray) -> list[tuple[int, str, str]]:
    """The first row (in file order) whose (user_id, srv or command, counter) repeats an
    earlier row."""
    target = _targets(srv, command)
    u = pc.dictionary_encode(user)
    s = pc.dictionary_encode(target)
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
             f"duplicate threshold key {user[i].as_py()}/{target[i].as_py()}/"
             f"{COUNTERS[ccode[i]]} (first set on data row {first + 1})")]


def _build(user: pa.Array, srv: pa.Array, command: pa.Array, ccode: np.ndarray,
           warning: np.ndarray, quarantine: np.ndarray) -> Thresholds:
    star = np.asarray(pc.equal(user, "*"), dtype=bool)
    is_cmd = np.asarray(pc.equal(pc.utf8_length(srv), 0), dtype=bool)
    users = pc.unique(user.filter(pa.array(~star))) if len(user) else pa.array([], pa.string())
    srvs = pc.unique(srv.filter(pa.array(~is_cmd))) if len(srv) else pa.array([], pa.string())
    commands = pc.unique(command.filter(pa.array(is_cmd))) if len(command) else \
        pa.array([], pa.string())
    kuser = np.asarray(pc.fill_null(pc.index_in(user, users), -1), np.int32)
    ksrv = np.asarray(pc.fill_null(pc.index_in(srv, srvs), -1), np.int32)
    kcmd = np.asarray(pc.fill_null(pc.index_in(command, commands), -1), np.int32)
    ksrv = np.where(is_cmd, kcmd + len(srvs), ksrv).astype(np.int32)
    nt, nusers = len(srvs) + len(commands), len(users)
    keys = np.arange(len(kuser), dtype=np.int32)
    star_keys = np.full((nt + 1, 2), -1, np.int32)
    star_keys[ksrv[star], ccode[star]] = keys[star]
    pm = ~star
    pcode = kuser[pm].astype(np.int64) * max(nt, 1) + ksrv[pm]
    dense = nusers * nt <= DENSE_LIMIT
    if dense:
        pair_codes = np.zeros(0, np.int64)
        user_keys = np.full((nusers * nt + 1, 2), -1, np.int32)
        user_keys[pcode, ccode[pm]] = keys[pm]
    else:
        pair_codes, inverse = np.unique(pcode, return_inverse=True)
        user_keys = np.full((len(pair_codes) + 1, 2), -1, np.int32)
        user_keys[inverse, ccode[pm]] = keys[pm]
    labels = pc.binary_join_element_wise(user, _targets(srv, command),
                                         pa.array(COUNTERS).take(pa.array(ccode)), "/")
    return Thresholds(users=users, srvs=srvs, commands=commands, key_user=kuser, key_srv=ksrv,
                      key_counter=ccode, warning=warning, quarantine=quarantine,
                      star_keys=star_keys, pair_codes=pair_codes, user_keys=user_keys,
                      dense=dense, labels=labels)


@dataclass(frozen=True)
class Exceptions:
    """Exceptions to thresholds (G6.1(a)(i)): for key ``key[e]`` and a communication with
    ``start[e] <= ts < end[e]`` (microseconds, UTC), the levels ``warning[e]`` (-1: none) and
    ``quarantine[e]`` replace the threshold's; counting is unchanged.  Sorted by (key, start);
    one key's exceptions never overlap."""

    key: np.ndarray
    start: np.ndarray
    end: np.ndarray
    warning: np.ndarray
    quarantine: np.ndarray

    def __len__(self) -> int:
        return int(self.key.shape[0])

    @classmethod
    def empty(cls) -> Exceptions:
        z = np.zeros(0, np.int64)
        return cls(np.zeros(0, np.int32), z, z, z, z)

    def fingerprint(self) -> bytes:
        h = hashlib.sha256()
        for a in (self.key, self.start, self.end, self.warning, self.quarantine):
            h.update(np.ascontiguousarray(a).tobytes())
        return h.digest()

    @classmethod
    def from_rows(cls, rows: list[tuple], thresholds: Thresholds,
                  path: str = "<exceptions>") -> Exceptions:
        """From (user_id, srv, command, counter, from, to, warning, quarantine) tuples."""
        names = ("user_id", "srv", OPTIONAL_COMMAND, "counter", "from", "to", "warning",
                 "quarantine")
        cols: list = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
        table = pa.table({name: pa.array(["" if v is None else str(v) for v in col], pa.string())
                          for name, col in zip(names, cols, strict=True)})
        return cls.from_table(table, thresholds, path, None)

    @classmethod
    def load(cls, path: str, thresholds: Thresholds) -> Exceptions:
        """Read and validate an exceptions CSV (``user_id,srv,command,counter,from,to,warning,
        quarantine``; ``command`` may be left out)."""
        return cls.from_table(read_small_csv(path, EXCEPTION_COLUMNS, (OPTIONAL_COMMAND,)),
                              thresholds, path, path)

    @classmethod
    def from_table(cls, table: pa.Table, thresholds: Thresholds, path: str,
                   csv_path: str | None) -> Exceptions:
        cols = {n: _trimmed(table.column(n)) for n in EXCEPTION_COLUMNS}
        command = _optional_column(table, OPTIONAL_COMMAND)
        problems: list[tuple[int, str, str]] = []
        user, srv = cols["user_id"], cols["srv"]
        no_srv = pc.equal(pc.utf8_length(srv), 0)
        no_cmd = pc.equal(pc.utf8_length(command), 0)
        _first(problems, pc.equal(pc.utf8_length(user), 0), "user_id", "empty user_id")
        _first(problems, pc.and_(no_srv, no_cmd), "srv", "empty srv (and no command)")
        _first(problems, pc.and_(pc.invert(no_srv), pc.invert(no_cmd)), OPTIONAL_COMMAND,
               "both srv and command set: a command's key leaves srv empty")
        counter = pc.utf8_lower(cols["counter"])
        ccode = np.asarray(pc.fill_null(pc.index_in(counter, pa.array(COUNTERS)), -1))
        ccode = ccode.astype(np.int8)
        bad = np.flatnonzero(ccode < 0)
        if bad.size:
            problems.append((int(bad[0]), "counter", "must be 'critical' or 'encrypted', got "
                             + show(cols["counter"][int(bad[0])].as_py())))
        times = {}
        for name in ("from", "to"):
            ts, i = textcols.parse_ts(cols[name])
            if i >= 0:
                problems.append((i, name, "not an ISO 8601 UTC timestamp (to the microsecond): "
                                 + show(cols[name][i].as_py())))
            times[name] = ts
        levels, problem = _levels(cols)
        problems.extend(problem)
        if not problems:
            after = np.flatnonzero(times["to"] <= times["from"])
            if after.size:
                i = int(after[0])
                problems.append((i, "to", f"{cols['to'][i].as_py()} is not after from "
                                          f"{cols['from'][i].as_py()}: [from, to) is empty"))
        key = np.zeros(0, np.int32)
        if not problems:
            target = thresholds.target_codes(srv, command)
            key = thresholds.lookup(user, target, ccode)
            none = np.flatnonzero(key < 0)
            if none.size:
                i = int(none[0])
                what = f"{user[i].as_py()}/{_targets(srv, command)[i].as_py()}/" \
                       f"{COUNTERS[ccode[i]]}"
                problems.append((i, "user_id,srv,counter", f"no threshold for key {what}: an "
                                 "exception belongs to a threshold (G6.1(a)(i))"))
        if not problems:
            problems.extend(_overlaps(key, times["from"], times["to"], csv_path))
        if problems:
            i, field, msg = min(problems)
            line = physical_line(csv_path, i) if csv_path else i + 2
            raise InputError(path, line, field, msg)
        order = np.lexsort((times["from"], key))
        return cls(key[order].astype(np.int32), times["from"][order].astype(np.int64),
                   times["to"][order].astype(np.int64),
                   levels["warning"][order].astype(np.int64),
                   levels["quarantine"][order].astype(np.int64))


def _overlaps(key: np.ndarray, start: np.ndarray, end: np.ndarray,
              csv_path: str | None) -> list[tuple[int, str, str]]:
    """The first row (in file order) whose [from, to) overlaps an earlier row's of its key."""
    seen: dict[int, list[tuple[int, int, int]]] = {}
    for i in range(len(key)):
        k, a, b = int(key[i]), int(start[i]), int(end[i])
        spans = seen.setdefault(k, [])
        j = bisect.bisect_left(spans, (a, b, i))
        for other in spans[max(j - 1, 0):j + 1]:
            if other[0] < b and a < other[1]:
                first = physical_line(csv_path, other[2]) if csv_path else other[2] + 2
                return [(i, "from", f"[from, to) overlaps the exception on line {first} for "
                                    "the same key: one key's exceptions may not overlap")]
        spans.insert(j, (a, b, i))
    return []


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
