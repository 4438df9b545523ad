"""Redis's wire protocol (RESP2) for the live engine's hot path, without a Python object per field.

Why: at 100,000 communications a second a Python client spends its time making objects: a
stream entry of nine fields is nineteen strings to parse, and a decision appended with ``XADD``
is a command of thirteen parts to pack.  Here an ``XREAD`` reply is scanned by a compiled kernel
into token offsets, the fields become Arrow columns by gathering bytes, and the ``XADD`` commands
of a whole batch are rendered into one byte array.  Everything else (a few commands a second)
goes through redis-py.
"""

from __future__ import annotations

import socket
from urllib.parse import unquote, urlparse

import numpy as np
import pyarrow as pa
from numba import njit

ARRAY, BULK, NULL, SIMPLE, ERROR, INT = 0, 1, 2, 3, 4, 5


@njit(cache=True, nogil=True)
def _int_at(buf, p, end):  # pragma: no cover - compiled
    """Parse a signed decimal ending at CRLF; returns (value, position after CRLF) or (0, -1)."""
    neg = False
    if p < end and buf[p] == 45:
        neg = True
        p += 1
    v = 0
    while p < end and buf[p] != 13:
        v = v * 10 + (buf[p] - 48)
        p += 1
    if p + 1 >= end:
        return 0, -1
    return (-v if neg else v), p + 2


@njit(cache=True, nogil=True)
def scan(buf, end, p, t, pending, kind, a, b):  # pragma: no cover - compiled
    """Tokenise replies in ``buf[p:end]`` from token ``t`` on, until ``pending`` more values
    are complete: kind, a (count, or start of the text), b (length of the text).  Returns
    (p, t, pending, status): status 0 when done, -1 when the bytes stop inside a value (call
    again with more bytes and the returned state), -2 when the token arrays are full."""
    while pending > 0:
        if p >= end:
            return p, t, pending, -1
        if t >= kind.shape[0]:
            return p, t, pending, -2
        c = buf[p]
        if c == 42 or c == 36:  # * or $
            v, q = _int_at(buf, p + 1, end)
            if q < 0:
                return p, t, pending, -1
            if v < 0:
                kind[t] = NULL
                a[t] = 0
                b[t] = 0
                p = q
                pending -= 1
            elif c == 42:
                kind[t] = ARRAY
                a[t] = v
                b[t] = 0
                p = q
                pending += v - 1
            else:
                if q + v + 2 > end:
                    return p, t, pending, -1
                kind[t] = BULK
                a[t] = q
                b[t] = v
                p = q + v + 2
                pending -= 1
        else:
            q = p + 1
            while q + 1 < end and not (buf[q] == 13 and buf[q + 1] == 10):
                q += 1
            if q + 1 >= end:
                return p, t, pending, -1
            kind[t] = SIMPLE if c == 43 else (ERROR if c == 45 else INT)
            a[t] = p + 1
            b[t] = q - p - 1
            p = q + 2
            pending -= 1
        t += 1
    return p, t, pending, 0


@njit(cache=True, nogil=True)
def xread_layout(kind, a, b, ntok, streams, entries):  # pragma: no cover - compiled
    """An ``XREAD`` reply's shape: per stream (name token, first entry, entry count) in
    ``streams``; per entry (id token, first field token, field pairs) in ``entries``.
    Returns (streams, entries) counts, or (-1, -1) for an unexpected shape."""
    if ntok == 0 or kind[0] == NULL:
        return 0, 0
    ns = a[0]
    t = 1
    ne = 0
    for s in range(ns):
        if kind[t] != ARRAY or a[t] != 2:
            return -1, -1
        streams[s, 0] = t + 1
        t += 2
        n = a[t]
        streams[s, 1] = ne
        streams[s, 2] = n
        t += 1
        for _ in range(n):
            if kind[t] != ARRAY or a[t] != 2 or kind[t + 1] != BULK:
                return -1, -1
            entries[ne, 0] = t + 1
            t += 2
            if kind[t] == NULL:
                entries[ne, 1] = t + 1
                entries[ne, 2] = 0
                t += 1
            else:
                f = a[t] // 2
                entries[ne, 1] = t + 1
                entries[ne, 2] = f
                t += 1 + 2 * f
            ne += 1
    return ns, ne


@njit(cache=True, nogil=True)
def pick(buf, a, b, ent, first, n, names, name_off, out):  # pragma: no cover - compiled
    """``out[j, i]``: the token of field ``names[j]``'s value in entry ``first + i`` (-1: not
    there; the first occurrence wins)."""
    nn = name_off.shape[0] - 1
    for i in range(n):
        out[:, i] = -1
        f0 = ent[first + i, 1]
        for f in range(ent[first + i, 2]):
            kt = f0 + 2 * f
            ks, kl = a[kt], b[kt]
            for j in range(nn):
                s, e = name_off[j], name_off[j + 1]
                if e - s != kl or out[j, i] >= 0:
                    continue
                same = True
                for c in range(kl):
                    if buf[ks + c] != names[s + c]:
                        same = False
                        break
                if same:
                    out[j, i] = kt + 1
                    break


@njit(cache=True, nogil=True)
def gather(buf, a, b, toks):  # pragma: no cover - compiled
    """The texts of tokens ``toks`` (-1: missing, empty) as Arrow offsets and data."""
    n = toks.shape[0]
    off = np.empty(n + 1, np.int32)
    off[0] = 0
    total = 0
    for i in range(n):
        t = toks[i]
        if t >= 0:
            total += b[t]
        off[i + 1] = total
    data = np.empty(total, np.uint8)
    w = 0
    for i in range(n):
        t = toks[i]
        if t >= 0:
            s = a[t]
            for c in range(b[t]):
                data[w] = buf[s + c]
                w += 1
    return off, data


@njit(cache=True, nogil=True)
def parse_ids(buf, a, b, toks, ms, seq):  # pragma: no cover - compiled
    """Stream ids ``MS-SEQ`` of tokens ``toks``."""
    for i in range(toks.shape[0]):
        t = toks[i]
        s, e = a[t], a[t] + b[t]
        v = 0
        p = s
        while p < e and buf[p] != 45:
            v = v * 10 + (buf[p] - 48)
            p += 1
        ms[i] = v
        v = 0
        p += 1
        while p < e:
            v = v * 10 + (buf[p] - 48)
            p += 1
        seq[i] = v


@njit(cache=True, nogil=True)
def _digits(v):  # pragma: no cover - compiled
    n = 1
    while v >= 10:
        v //= 10
        n += 1
    return n


@njit(cache=True, nogil=True)
def _put_bulk(out, w, data, s, e):  # pragma: no cover - compiled
    n = e - s
    out[w] = 36
    w += 1
    d = _digits(n)
    v = n
    for j in range(d - 1, -1, -1):
        out[w + j] = 48 + v % 10
        v //= 10
    w += d
    out[w] = 13
    out[w + 1] = 10
    w += 2
    for j in range(s, e):
        out[w] = data[j]
        w += 1
    out[w] = 13
    out[w + 1] = 10
    return w + 2


@njit(cache=True, nogil=True)
def render_xadds(head, names, name_off, cols_off, cols_data, ncols, n):  # pragma: no cover
    """``n`` commands ``head`` + (name_j, value_j) for j < ncols: ``head`` is the packed
    ``*K XADD key *`` prefix; the values of column j are ``cols_data[j]`` between
    ``cols_off[j][i]`` and ``cols_off[j][i + 1]``."""
    total = 0
    for i in range(n):
        total += head.shape[0]
        for j in range(ncols):
            ln = cols_off[j][i + 1] - cols_off[j][i]
            nl = name_off[j + 1] - name_off[j]
            total += 1 + _digits(nl) + 2 + nl + 2 + 1 + _digits(ln) + 2 + ln + 2
    out = np.empty(total, np.uint8)
    w = 0
    for i in range(n):
        for j in range(head.shape[0]):
            out[w] = head[j]
            w += 1
        for j in range(ncols):
            w = _put_bulk(out, w, names, name_off[j], name_off[j + 1])
            w = _put_bulk(out, w, cols_data[j], cols_off[j][i], cols_off[j][i + 1])
    return out


def pack(*parts: bytes | str | int) -> bytes:
    """One command in RESP."""
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        raw = p if isinstance(p, bytes) else str(p).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
    return b"".join(out)


def binary_column(buf: np.ndarray, a: np.ndarray, b: np.ndarray, toks: np.ndarray) -> pa.Array:
    """An Arrow binary array of the tokens' texts, null where ``toks`` is -1."""
    off, data = gather(buf, a, b, toks)
    n = toks.shape[0]
    validity = None
    missing = toks < 0
    if missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(pa.binary(), n, [validity, pa.py_buffer(off),
                                                  pa.py_buffer(data)],
                                 null_count=int(missing.sum()))


def encode(value: bytes | list) -> bytes:
    """A reply as Redis writes it in RESP2 (bulk strings and arrays): the warm-up's canned
    XREAD reply."""
    if isinstance(value, list):
        return b"*%d\r\n" % len(value) + b"".join(encode(v) for v in value)
    return b"$%d\r\n%s\r\n" % (len(value), value)


def parse(data: bytes, replies: int) -> Replies:
    """``replies`` complete replies held in ``data``, tokenised as ``Wire.read`` does."""
    view = np.frombuffer(data, np.uint8)
    cap = max(len(data), 16)  # a token takes at least 3 bytes
    kind = np.empty(cap, np.int8)
    a = np.empty(cap, np.int64)
    b = np.empty(cap, np.int64)
    p, t, pending, status = scan(view, len(data), 0, 0, replies, kind, a, b)
    if status != 0:
        raise ValueError("not complete RESP replies")
    return Replies(view[:p].copy(), kind, a, b, t)


class Replies:
    """Tokens of complete replies read from a socket (``buf`` holds their bytes)."""

    def __init__(self, buf: np.ndarray, kind: np.ndarray, a: np.ndarray, b: np.ndarray,
                 ntok: int) -> None:
        self.buf, self.kind, self.a, self.b, self.ntok = buf, kind, a, b, ntok

    def text(self, t: int) -> bytes:
        return bytes(self.buf[self.a[t]: self.a[t] + self.b[t]])

    def errors(self) -> list[bytes]:
        return [self.text(t) for t in np.flatnonzero(self.kind[: self.ntok] == ERROR).tolist()]


class Wire:
    """A plain socket to Redis for the hot path: send packed commands, read replies whole."""

    def __init__(self, url: str, timeout: float = 60.0, name: str = "") -> None:
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname or "127.0.0.1", u.port or 6379),
                                             timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray(1 << 20)
        self.pending = b""
        self.cap = 1 << 16  # tokens: grows to the largest reply seen
        cmds = []
        if u.password:
            cmds.append(pack(b"AUTH", *(x.encode() for x in
                                        ([unquote(u.username)] if u.username else [])),
                             unquote(u.password).encode()))
        db = (u.path or "/0").strip("/") or "0"
        cmds.append(pack(b"SELECT", db.encode()))
        if name:
            cmds.append(pack(b"CLIENT", b"SETNAME", name.encode()))
        got = self.call(b"".join(cmds), len(cmds))
        if got.errors():
            raise ConnectionError(f"redis refused: {got.errors()[0]!r}")

    def call(self, packed: bytes, replies: int) -> Replies:
        self.sock.sendall(packed)
        return self.read(replies)

    def read(self, replies: int) -> Replies:
        end = len(self.pending)
        if end > len(self.buf):
            self.buf = bytearray(2 * end)
        self.buf[:end] = self.pending
        cap = self.cap
        kind = np.empty(cap, np.int8)
        a = np.empty(cap, np.int64)
        b = np.empty(cap, np.int64)
        p, t, pending = 0, 0, replies
        while True:
            view = np.frombuffer(self.buf, np.uint8)
            p, t, pending, status = scan(view, end, p, t, pending, kind, a, b)
            if status == -2:
                cap *= 4
                self.cap = cap
                kind, a, b = (np.concatenate([x, np.empty(cap - x.shape[0], x.dtype)])
                              for x in (kind, a, b))
                continue
            if status == 0:
                self.pending = bytes(self.buf[p:end])
                return Replies(view[:p].copy(), kind, a, b, t)
            if end == len(self.buf):
                del view
                self.buf.extend(bytes(len(self.buf)))
            with memoryview(self.buf) as mv:
                got = self.sock.recv_into(mv[end:])
            if not got:
                raise ConnectionError("redis closed the connection")
            end += got

    def close(self) -> None:
        self.sock.close()
