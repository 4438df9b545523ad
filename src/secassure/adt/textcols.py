"""Strict, vectorised parsing of text columns (timestamps, 0/1 flags, numbers) from Arrow strings.

Why our own parsers rather than Arrow's casts: the engine must read ``ts`` *exactly* to the
microsecond (a count window of (ts - N, ts] is decided by a single microsecond at its edge), must
refuse anything that is not a timestamp, a flag or a number, and must say *which row* is bad.
Arrow's casts fail a whole column without a row number and accept ``nan``/``inf``; these numba
kernels walk the Arrow offsets and bytes directly, at hundreds of millions of bytes a second,
and return the index of the first bad row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import njit


def string_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (rebased to the slice) and the byte buffer of an Arrow (large_)string array.

    Null entries are treated as empty strings (the CSV reader produces no nulls).
    """
    otype: type
    if pa.types.is_large_string(arr.type):
        otype = np.int64
    elif pa.types.is_string(arr.type):
        otype = np.int32
    else:
        raise TypeError(f"not a string array: {arr.type}")
    bufs = arr.buffers()
    n = len(arr)
    offsets = np.frombuffer(bufs[1], dtype=otype, count=arr.offset + n + 1)[arr.offset:]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    if arr.null_count:
        valid = np.asarray(arr.is_valid())
        starts = offsets[:-1].copy()
        lens = np.where(valid, np.diff(offsets), 0)
        offsets = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        data = _gather(data, starts.astype(np.int64), lens.astype(np.int64), int(offsets[-1]))
    return offsets.astype(np.int64, copy=False), data


@njit(cache=True, nogil=True)
def _gather(data, starts, lens, total):  # pragma: no cover - compiled
    out = np.empty(total, np.uint8)
    p = 0
    for i in range(starts.shape[0]):
        for j in range(lens[i]):
            out[p] = data[starts[i] + j]
            p += 1
    return out


@njit(cache=True, nogil=True)
def _days_from_civil(y, m, d):  # pragma: no cover - compiled
    # Howard Hinnant's algorithm: proleptic Gregorian date to days since 1970-01-01.
    if m <= 2:
        y -= 1
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    mp = m - 3 if m > 2 else m + 9
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@njit(cache=True, nogil=True)
def _digits(data, p, n):  # pragma: no cover - compiled
    v = 0
    for j in range(n):
        c = data[p + j]
        if c < 48 or c > 57:
            return -1
        v = v * 10 + (c - 48)
    return v


@njit(cache=True, nogil=True)
def parse_ts_kernel(offsets, data, out):  # pragma: no cover - compiled
    """Parse ISO 8601 timestamps into int64 microseconds since the epoch (UTC).

    Accepted: ``YYYY-MM-DD(T|t| )HH:MM:SS[.f{1,9}][Z|z|+HH:MM|-HH:MM|+HHMM|+HH]``; no zone
    means UTC; digits beyond the microsecond must be zero.  Returns the index of the first bad
    row, or -1.
    """
    mdays = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    for i in range(out.shape[0]):
        p = offsets[i]
        e = offsets[i + 1]
        if e - p < 19:
            return i
        y = _digits(data, p, 4)
        mo = _digits(data, p + 5, 2)
        d = _digits(data, p + 8, 2)
        hh = _digits(data, p + 11, 2)
        mi = _digits(data, p + 14, 2)
        ss = _digits(data, p + 17, 2)
        sep = data[p + 10]
        if (y < 0 or mo < 1 or mo > 12 or d < 1 or hh < 0 or hh > 23 or mi < 0 or mi > 59
                or ss < 0 or ss > 59 or data[p + 4] != 45 or data[p + 7] != 45
                or data[p + 13] != 58 or data[p + 16] != 58
                or not (sep == 84 or sep == 116 or sep == 32)):
            return i
        leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
        dim = mdays[mo - 1] + (1 if (mo == 2 and leap) else 0)
        if d > dim:
            return i
        q = p + 19
        frac = 0
        if q < e and data[q] == 46:  # '.'
            q += 1
            nd = 0
            while q < e and 48 <= data[q] <= 57:
                c = data[q] - 48
                if nd < 6:
                    frac = frac * 10 + c
                elif c != 0:
                    return i  # finer than a microsecond
                nd += 1
                q += 1
            if nd == 0 or nd > 9:
                return i
            for _ in range(6 - min(nd, 6)):
                frac *= 10
        off_us = 0
        if q < e:
            c = data[q]
            if (c == 90 or c == 122) and q + 1 == e:  # Z
                q = e
            elif c == 43 or c == 45:  # + or -
                rest = e - q - 1
                if rest == 2:
                    oh = _digits(data, q + 1, 2)
                    om = 0
                elif rest == 4:
                    oh = _digits(data, q + 1, 2)
                    om = _digits(data, q + 3, 2)
                elif rest == 5 and data[q + 3] == 58:
                    oh = _digits(data, q + 1, 2)
                    om = _digits(data, q + 4, 2)
                else:
                    return i
                if oh < 0 or om < 0 or oh > 23 or om > 59:
                    return i
                off_us = (oh * 60 + om) * 60 * 1000000
                if c == 45:
                    off_us = -off_us
                q = e
            else:
                return i
        days = _days_from_civil(y, mo, d)
        out[i] = ((days * 24 + hh) * 60 + mi) * 60 * 1000000 + ss * 1000000 + frac - off_us
    return -1


@njit(cache=True, nogil=True)
def parse_flag_kernel(offsets, data, out):  # pragma: no cover - compiled
    """Parse ``0``/``1`` into uint8; returns the index of the first other value, or -1."""
    for i in range(out.shape[0]):
        p = offsets[i]
        if offsets[i + 1] - p != 1:
            return i
        c = data[p]
        if c == 48:
            out[i] = 0
        elif c == 49:
            out[i] = 1
        else:
            return i
    return -1


@njit(cache=True, nogil=True)
def check_number_kernel(offsets, data, present):  # pragma: no cover - compiled
    """Check the decimal-number grammar ``[+-]digits[.digits][(e|E)[+-]digits]`` (empty = absent).

    Sets ``present[i]``; returns the index of the first malformed row, or -1.  ``nan``, ``inf``,
    hex and embedded spaces are refused: a data value limit (G6.6(b)) compares real numbers.
    """
    for i in range(present.shape[0]):
        p = offsets[i]
        e = offsets[i + 1]
        if p == e:
            present[i] = 0
            continue
        present[i] = 1
        if data[p] == 43 or data[p] == 45:
            p += 1
        nd = 0
        while p < e and 48 <= data[p] <= 57:
            p += 1
            nd += 1
        if p < e and data[p] == 46:
            p += 1
            while p < e and 48 <= data[p] <= 57:
                p += 1
                nd += 1
        if nd == 0:
            return i
        if p < e and (data[p] == 101 or data[p] == 69):
            p += 1
            if p < e and (data[p] == 43 or data[p] == 45):
                p += 1
            ne = 0
            while p < e and 48 <= data[p] <= 57:
                p += 1
                ne += 1
            if ne == 0:
                return i
        if p != e:
            return i
    return -1


def parse_ts(arr: pa.Array) -> tuple[np.ndarray, int]:
    """Parse a string column of timestamps; returns (microseconds, first bad index or -1)."""
    offsets, data = string_buffers(arr)
    out = np.empty(len(arr), np.int64)
    return out, int(parse_ts_kernel(offsets, data, out))


def parse_flags(arr: pa.Array) -> tuple[np.ndarray, int]:
    """Parse a string column of 0/1 flags; returns (uint8 values, first bad index or -1)."""
    offsets, data = string_buffers(arr)
    out = np.empty(len(arr), np.uint8)
    return out, int(parse_flag_kernel(offsets, data, out))


def parse_numbers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, int]:
    """Parse a string column of optional numbers.

    Returns (float64 values with NaN where absent, presence mask, first bad index or -1); a
    number too large for float64 (it would be infinite) is bad too.  The
    conversion itself is Arrow's (correctly rounded); the grammar check is ours.
    """
    offsets, data = string_buffers(arr)
    present = np.empty(len(arr), np.uint8)
    bad = int(check_number_kernel(offsets, data, present))
    if bad >= 0:
        return np.empty(0), present, bad
    mask = present.view(bool)
    if not mask.any():
        return np.full(len(arr), np.nan), mask, -1
    vals = np.full(len(arr), np.nan)
    sub = arr.filter(pa.array(mask))
    vals[mask] = sub.cast(pa.float64()).to_numpy(zero_copy_only=False)
    infinite = np.flatnonzero(mask & ~np.isfinite(vals))  # e.g. 1e400: beyond float64
    if infinite.size:
        return np.empty(0), present, int(infinite[0])
    return vals, mask, -1


MAX_LEVEL = 10**18  # far above any real threshold; keeps level + 1 and sums inside int64


@njit(cache=True, nogil=True)
def parse_level_kernel(offsets, data, out, allow_empty):  # pragma: no cover - compiled
    """Parse non-negative integer levels into int64 (-1 for empty when allowed).

    Returns (index of first bad row or -1, reason): 1 malformed or empty, 2 negative, 3 too large
    (above ``MAX_LEVEL``).
    """
    for i in range(out.shape[0]):
        p = offsets[i]
        e = offsets[i + 1]
        if p == e:
            if allow_empty:
                out[i] = -1
                continue
            return i, 1
        neg = False
        if data[p] == 43 or data[p] == 45:
            neg = data[p] == 45
            p += 1
        if p == e:
            return i, 1
        v = 0
        big = False
        for q in range(p, e):
            c = data[q]
            if c < 48 or c > 57:
                return i, 1
            if v > MAX_LEVEL:
                big = True
            else:
                v = v * 10 + (c - 48)
        if neg and (v != 0 or big):
            return i, 2
        if big or v > MAX_LEVEL:
            return i, 3
        out[i] = v
    return -1, 0


def parse_levels(arr: pa.Array, allow_empty: bool) -> tuple[np.ndarray, int, int]:
    """Parse a column of threshold levels; returns (int64 levels, first bad index, reason)."""
    offsets, data = string_buffers(arr)
    out = np.empty(len(arr), np.int64)
    bad, why = parse_level_kernel(offsets, data, out, allow_empty)
    return out, int(bad), int(why)
