"""Streaming readers for traffic files (CSV or Parquet), validated chunk by chunk.

Why streaming: a replay is tens of millions of communications; memory must be bounded by the
chunk, the keys and the window, not by the file.  CSV is read by Arrow's streaming reader as exact
text (ids are kept byte for byte), Parquet by ``iter_batches``.  Each chunk is validated with
vectorised kernels; on the first bad value the reader raises ``InputError`` naming the file, the
physical line (CSV) or row (Parquet) and the field, so an operator can fix the extract
(G6.1(a)(ii)-(iii) notifications must be about real communications).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import textcols
from .csvio import (
    RowHandler,
    bad_shape_error,
    csv_reader_options,
    physical_line,
    read_header,
    require_columns,
)
from .engine import TrafficBatch
from .errors import InputError, show

TRAFFIC_COLUMNS = ("id", "ts", "user_id", "srv", "critical", "encrypted", "smets1", "value")
COMMAND = "command"  # optional: the command of a row with srv empty (G6.6(c))
ALL_COLUMNS = (*TRAFFIC_COLUMNS, COMMAND)
FLAGS = ("critical", "encrypted", "smets1")
PARQUET_MAGIC = b"PAR1"
CHUNK_ROWS = 1 << 19  # measured: smaller chunks bound memory; larger ones are no faster


@dataclass
class Chunk:
    """A validated chunk: the ids (Arrow strings, kept exactly) and the engine's columns."""

    ids: pa.Array
    batch: TrafficBatch
    start: int  # 0-based index of the chunk's first record in the file
    parquet: bool  # locate errors by row (Parquet) or by physical line (CSV)


class _Problems:
    """Collects (row, column order, field, message) and keeps the earliest."""

    def __init__(self) -> None:
        self.best: tuple[int, int, str, str] | None = None

    def add(self, row: int, field: str, message: str) -> None:
        cand = (row, ALL_COLUMNS.index(field), field, message)
        if self.best is None or cand < self.best:
            self.best = cand


def is_parquet(path: str) -> bool:
    """Parquet by magic bytes (the extension is not trusted)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def total_hint(path: str) -> tuple[int, str]:
    """(total, unit) for a progress bar: rows for Parquet, bytes for CSV."""
    if is_parquet(path):
        return pq.ParquetFile(path).metadata.num_rows, "rows"
    return os.path.getsize(path), "bytes"


def read_traffic(path: str, chunk_rows: int = CHUNK_ROWS,
                 position: Callable[[int, int], None] | None = None,
                 after: int = np.iinfo(np.int64).min) -> Iterator[Chunk]:
    """Yield validated chunks of a traffic file, in order, checking ``ts`` across chunks too
    (and against ``after``, the last ts of a restored counting state).  ``position(rows, pos)``
    is told the rows read so far and the position in the file (rows for Parquet, bytes for CSV).
    """
    if not os.path.exists(path):
        raise InputError(path, None, None, "no such file")
    reader = _parquet_chunks if is_parquet(path) else _csv_chunks
    last = after
    for chunk in reader(path, chunk_rows, position):
        ts = chunk.batch.ts
        if len(ts):
            last = _check_order(path, chunk, last)
        yield chunk


def _check_order(path: str, chunk: Chunk, last: int) -> int:
    ts = chunk.batch.ts
    bad = -1
    if ts[0] < last:
        bad = 0
    else:
        back = np.flatnonzero(ts[1:] < ts[:-1])
        if back.size:
            bad = int(back[0]) + 1
    if bad >= 0:
        prev = last if bad == 0 else int(ts[bad - 1])
        raise _located(path, chunk.start + bad, "ts", "ts goes backwards: "
                       f"{_iso(int(ts[bad]))} is before {_iso(prev)}, the previous communication's",
                       chunk.parquet)
    return int(ts[-1])


def _iso(us: int) -> str:
    return str(np.datetime64(us, "us")) + "Z"


def _located(path: str, record: int, field: str, message: str, parquet: bool) -> InputError:
    if parquet:
        return InputError(path, record + 1, field, message, unit="row")
    return InputError(path, physical_line(path, record), field, message)


# ---------------------------------------------------------------------------------------- CSV
def _csv_chunks(path: str, chunk_rows: int,
                position: Callable[[int, int], None] | None) -> Iterator[Chunk]:
    header = read_header(path)
    require_columns(path, header, TRAFFIC_COLUMNS)
    columns = ALL_COLUMNS if COMMAND in header else TRAFFIC_COLUMNS
    handler = RowHandler()
    # CSV is read in blocks of bytes, not rows: a block of 32 bytes a row (about half a chunk of
    # typical rows) keeps the reader's read-ahead small
    read, parse, conv = csv_reader_options(columns, block_size=max(chunk_rows * 32, 1024),
                                           handler=handler)
    conv.column_types = {**conv.column_types, "user_id": pa.dictionary(pa.int32(), pa.string()),
                         "srv": pa.dictionary(pa.int32(), pa.string())}
    if COMMAND in header:
        conv.column_types[COMMAND] = pa.dictionary(pa.int32(), pa.string())
    start = consumed = 0
    with open(path, "rb") as fh:
        try:
            reader = pacsv.open_csv(fh, read_options=read, parse_options=parse,
                                    convert_options=conv)
            for rb in reader:
                chunk = _csv_chunk(path, rb, start)
                start += rb.num_rows
                if position is not None:  # Arrow reads far ahead: estimate what was consumed
                    consumed += _text_bytes(rb)
                    position(start, consumed)
                yield chunk
        except pa.ArrowInvalid as exc:
            if handler.text is not None:
                raise bad_shape_error(path, handler) from None
            raise InputError(path, None, None, f"unreadable CSV: {exc}"[:300]) from None


def _text_bytes(rb: pa.RecordBatch) -> int:
    """About how many bytes of CSV text a batch of text columns came from (for progress)."""
    total = rb.num_rows * rb.num_columns  # delimiters and line ends
    for col in rb.columns:
        if pa.types.is_dictionary(col.type):
            lengths = np.asarray(pc.utf8_length(col.dictionary), np.int64)
            total += int(lengths[np.asarray(col.indices.fill_null(0))].sum())
        else:
            total += len(col.buffers()[2] or b"") if col.offset == 0 else 0
    return total


def _csv_chunk(path: str, rb: pa.RecordBatch, start: int) -> Chunk:
    col = {name: rb.column(name) for name in rb.schema.names}
    probs = _Problems()
    ts, bad = textcols.parse_ts(col["ts"])
    if bad >= 0:
        probs.add(bad, "ts", "not an ISO 8601 UTC timestamp (to the microsecond): "
                  + show(col["ts"][bad].as_py()))
    flags = {}
    for name in FLAGS:
        flags[name], bad = textcols.parse_flags(col[name])
        if bad >= 0:
            probs.add(bad, name, "must be 0 or 1, got " + show(col[name][bad].as_py()))
    value, _, bad = textcols.parse_numbers(col["value"])
    if bad >= 0:
        probs.add(bad, "value", "not a finite number: " + show(col["value"][bad].as_py()))
    empty = _first_empty(col["user_id"])
    if empty >= 0:
        probs.add(empty, "user_id", "empty user_id: every communication needs one")
    _check_target(col["srv"], col.get(COMMAND), probs)
    if probs.best is not None:
        row, _, field, msg = probs.best
        raise _located(path, start + row, field, msg, False)
    batch = TrafficBatch(ts, col["user_id"], col["srv"], flags["critical"], flags["encrypted"],
                         flags["smets1"], value, col["value"], col.get(COMMAND))
    return Chunk(col["id"], batch, start, False)


def _check_target(srv: pa.Array, command: pa.Array | None, probs: _Problems) -> None:
    """Every communication names its SRV, or (srv empty) its command (G6.6(c))."""
    if command is None:
        empty = _first_empty(srv)
        if empty >= 0:
            probs.add(empty, "srv", "empty srv: every communication needs one")
        return
    both = pc.and_(_empty_mask(srv), _empty_mask(command))
    found = np.flatnonzero(np.asarray(both, dtype=bool))
    if found.size:
        probs.add(int(found[0]), "srv", "empty srv and command: a communication names its "
                  "SRV, or with srv empty its command (G6.6(c))")


# ------------------------------------------------------------------------------------ Parquet
def _parquet_chunks(path: str, chunk_rows: int,
                    position: Callable[[int, int], None] | None) -> Iterator[Chunk]:
    try:
        # pre_buffer=False: with Arrow's default the reader keeps every row group it has read
        # cached for the life of the file, so memory would grow with the traffic's length
        pf = pq.ParquetFile(path, pre_buffer=False)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(path, None, None, f"unreadable Parquet: {exc}"[:300]) from None
    names = pf.schema_arrow.names
    for name in TRAFFIC_COLUMNS:
        if name not in names:
            raise InputError(path, None, name, f"missing column {name!r} (file has {names})")
    columns = ALL_COLUMNS if COMMAND in names else TRAFFIC_COLUMNS
    dict_cols = [c for c in ("user_id", "srv", COMMAND) if c in columns
                 if pa.types.is_string(pf.schema_arrow.field(c).type)
                 or pa.types.is_large_string(pf.schema_arrow.field(c).type)]
    if dict_cols:
        pf = pq.ParquetFile(path, read_dictionary=dict_cols, pre_buffer=False)
    start = 0
    for rb in pf.iter_batches(batch_size=chunk_rows, columns=list(columns)):
        chunk = _parquet_chunk(path, rb, start)
        start += rb.num_rows
        if position is not None:
            position(start, start)
        yield chunk


def _parquet_chunk(path: str, rb: pa.RecordBatch, start: int) -> Chunk:
    col = {name: rb.column(name) for name in rb.schema.names}
    probs = _Problems()
    ts = _pq_ts(col["ts"], probs)
    flags = {name: _pq_flag(name, col[name], probs) for name in FLAGS}
    value, source = _pq_value(col["value"], probs)
    text = {name: _pq_text(name, col[name], probs) for name in ("id", "user_id", "srv", COMMAND)
            if name in col}
    _check_target(text["srv"], text.get(COMMAND), probs)
    if probs.best is not None:
        row, _, field, msg = probs.best
        raise _located(path, start + row, field, msg, True)
    ids = text["id"]
    if pa.types.is_dictionary(ids.type):
        ids = ids.dictionary.take(ids.indices)
    if not pa.types.is_string(ids.type):
        ids = ids.cast(pa.string())
    batch = TrafficBatch(ts, text["user_id"], text["srv"], flags["critical"],
                         flags["encrypted"], flags["smets1"], value, source, text.get(COMMAND))
    return Chunk(ids, batch, start, True)


def _pq_text(name: str, arr: pa.Array, probs: _Problems) -> pa.Array:
    """An identifier column as text: strings as they are, integers as their digits; nulls,
    empty texts and other types (lists, floats, binary...) refused."""
    t = arr.type
    value_type = t.value_type if pa.types.is_dictionary(t) else t
    if not (pa.types.is_string(value_type) or pa.types.is_large_string(value_type)
            or pa.types.is_integer(value_type)):
        probs.add(0, name, f"unsupported type {t} (need text)")
        return pa.array([""] * len(arr), pa.string())
    if not pa.types.is_dictionary(t) and not pa.types.is_string(t):
        arr = arr.cast(pa.string())
    if name in ("srv", COMMAND):  # may be empty, not both (``_check_target``)
        return pc.fill_null(arr, "") if arr.null_count and not pa.types.is_dictionary(t) else arr
    missing = _first_null(arr) if name == "id" else _first_empty(arr)
    if missing >= 0:
        probs.add(missing, name, f"empty {name}: every communication needs one")
    return arr


def _first_empty(arr: pa.Array) -> int:
    """The first row whose text is null or empty (-1 if none)."""
    text = arr.dictionary.take(arr.indices) if pa.types.is_dictionary(arr.type) else arr
    empty = pc.or_kleene(pc.is_null(text), pc.equal(pc.utf8_length(text.cast(pa.string())), 0))
    found = np.flatnonzero(np.asarray(empty.fill_null(True), dtype=bool))
    return int(found[0]) if found.size else -1


def _empty_mask(arr: pa.Array) -> np.ndarray:
    """Per row: the text is null or empty."""
    if pa.types.is_dictionary(arr.type):
        d = arr.dictionary.cast(pa.string())
        dempty = np.asarray(pc.equal(pc.utf8_length(d), 0).fill_null(True), dtype=bool)
        idx = np.asarray(arr.indices.fill_null(-1)).astype(np.int64)
        return np.append(dempty, True)[idx]
    text = arr.cast(pa.string())
    return np.asarray(pc.or_kleene(pc.is_null(text), pc.equal(pc.utf8_length(text), 0))
                      .fill_null(True), dtype=bool)


def _first_null(arr: pa.Array) -> int:
    if not arr.null_count:
        return -1
    return int(np.flatnonzero(~np.asarray(arr.is_valid()))[0])


def _pq_ts(arr: pa.Array, probs: _Problems) -> np.ndarray:
    null = _first_null(arr)
    if null >= 0:
        probs.add(null, "ts", "empty timestamp")
    if pa.types.is_timestamp(arr.type):
        try:
            us = arr.cast(pa.timestamp("us", tz=arr.type.tz), safe=True)
        except pa.ArrowInvalid:
            ns = np.asarray(arr.cast(pa.int64()).fill_null(0))
            scale = {"s": 1, "ms": 1, "us": 1, "ns": 1000}[arr.type.unit]
            bad = int(np.flatnonzero(ns % scale)[0]) if scale > 1 else 0
            probs.add(bad, "ts", "timestamp finer than a microsecond")
            return np.zeros(len(arr), np.int64)
        return np.asarray(us.cast(pa.int64()).fill_null(0), np.int64)
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        ts, bad = textcols.parse_ts(arr)
        if bad >= 0:
            probs.add(bad, "ts", "not an ISO 8601 UTC timestamp (to the microsecond): "
                      + show(arr[bad].as_py()))
        return ts
    probs.add(0, "ts", f"unsupported type {arr.type} (need a timestamp or ISO 8601 text)")
    return np.zeros(len(arr), np.int64)


def _pq_flag(name: str, arr: pa.Array, probs: _Problems) -> np.ndarray:
    null = _first_null(arr)
    if null >= 0:
        probs.add(null, name, "empty flag: must be 0 or 1")
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        vals, bad = textcols.parse_flags(arr.fill_null("0"))
        if bad >= 0:
            probs.add(bad, name, "must be 0 or 1, got " + show(arr[bad].as_py()))
        return vals
    if pa.types.is_boolean(t) or pa.types.is_integer(t):
        vals = np.asarray(arr.cast(pa.int64()).fill_null(0)) if not pa.types.is_int8(t) and \
            not pa.types.is_uint8(t) else np.asarray(arr.fill_null(0))
        wrong = np.flatnonzero((vals != 0) & (vals != 1))
        if wrong.size:
            i = int(wrong[0])
            probs.add(i, name, "must be 0 or 1, got " + show(arr[i].as_py()))
        return vals.astype(np.uint8, copy=False)
    probs.add(0, name, f"unsupported type {t} (need 0/1)")
    return np.zeros(len(arr), np.uint8)


def _pq_value(arr: pa.Array, probs: _Problems) -> tuple[np.ndarray, pa.Array | None]:
    t = arr.type
    if pa.types.is_floating(t):
        vals = np.asarray(arr.cast(pa.float64()).fill_null(np.nan), np.float64)
        present = np.asarray(arr.is_valid(), dtype=bool)
        wrong = np.flatnonzero(present & ~np.isfinite(vals))  # NaN or infinity sent as a value
        if wrong.size:
            probs.add(int(wrong[0]), "value", "not a finite number: "
                      + show(arr[int(wrong[0])].as_py()))
        return vals, None
    if pa.types.is_integer(t) or pa.types.is_decimal(t):
        return np.asarray(arr.cast(pa.float64()).fill_null(np.nan), np.float64), arr
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        vals, _, bad = textcols.parse_numbers(arr.fill_null(""))
        if bad >= 0:
            probs.add(bad, "value", "not a finite number: " + show(arr[bad].as_py()))
        return vals, arr
    if pa.types.is_null(t):
        return np.full(len(arr), np.nan), None
    probs.add(0, "value", f"unsupported type {t} (need a number)")
    return np.zeros(len(arr), np.float64), None


__all__ = ["CHUNK_ROWS", "Chunk", "TRAFFIC_COLUMNS", "is_parquet", "read_traffic", "total_hint"]
