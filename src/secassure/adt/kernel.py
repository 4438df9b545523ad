"""The compiled sliding-window counting kernel: per-key ring buffers of recent timestamps.

Why this shape: Threshold Anomaly Detection (G6.1(d), G6.3, G6.6(a)) needs, for every
communication and every threshold key it belongs to, the number of that key's communications in
(ts - N, ts].  The decision only asks whether that count exceeds the key's warning or quarantine
level, so a key never needs more than ``keep = max(quarantine, warning) + 1`` timestamps: once a key
holds ``keep`` timestamps inside the window, its count exceeds every level.  Each ring therefore
holds at most min(keep, events in the window) timestamps: memory is bounded by the keys and the
window, never by the length of the traffic.

Exceptions (G6.1(a)(i)) replace a key's levels from one time to another: ``keep`` is then one
more than the largest level the key ever has, and the row's last slot is a cursor into the
exceptions sorted by (key, from), the first of the key's that has not ended yet (-1: none left).
Timestamps never go backwards, so the cursor only moves forward, and a restored engine may start
it again at the key's first exception.

Layout: one int64 row of 8 per key (``st[k] = offset, capacity, head, size, keep, quarantine,
warning, exception cursor``: one cache line), rings in one int64 pool, in blocks of 2^c slots (c >=
2).  A full ring moves to a block twice as large; freed blocks go on a free list per size (the
list's next pointer is kept in the free block itself) and are reused before the pool's end is
touched.  When the pool's end is reached the caller enlarges it (``enlarge``: one sequential copy
into a new NumPy array; NumPy asks the kernel for huge pages, which roughly halves the cost of the
random per-key accesses), or, when most of the pool is dead (rings grown for a burst that has left
the window), rebuilds it from the live entries (``export_rings`` + ``import_rings``).  So memory
stays within a small multiple of the live window entries, each key holding at most min(keep,
window) of them. The per-key accesses are random, so the loop prefetches the key rows and ring
slots of the touches a few places ahead.

``aux = [pool_end, last_ts, room_needed, -, -, -, -, -, free_head[0..63]]``.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

OFF, CAP, HEAD, SIZE, KEEP, QLEV, WLEV, EXC = range(8)
WIDTH = 8
FREE = 8  # aux[FREE + c]: first free block of 2^c slots, -1 when none
AHEAD_ROW, AHEAD_SLOT = 8, 4  # prefetch distances (communications), tuned on the benchmark
# the intrinsic's name follows the IR's pointer type: opaque ``ptr`` (LLVM 17+) or typed ``i8*``
_PREFETCH = "llvm.prefetch.p0" if str(ir.IntType(8).as_pointer()) == "ptr" else "llvm.prefetch.p0i8"


@intrinsic
def _prefetch(typingctx, arr, idx):  # pragma: no cover - compiled
    """Hint the CPU to fetch ``arr[idx]`` (no fault if out of range: it is only a hint)."""
    sig = types.void(arr, idx)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, _PREFETCH)
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen


def new_state(warning: np.ndarray, quarantine: np.ndarray, ex_key: np.ndarray | None = None,
              ex_warning: np.ndarray | None = None,
              ex_quarantine: np.ndarray | None = None) -> np.ndarray:
    """Empty per-key rows for the given levels (-1 warning = none) and exceptions (sorted by
    key, then from)."""
    st = np.zeros((warning.shape[0], WIDTH), np.int64)
    keep = np.maximum(quarantine, warning) + 1
    st[:, EXC] = -1
    if ex_key is not None and ex_key.shape[0]:
        assert ex_warning is not None and ex_quarantine is not None
        ex_keep = np.maximum(ex_quarantine, ex_warning) + 1
        np.maximum.at(keep, ex_key, ex_keep)
        first = np.flatnonzero(np.r_[True, ex_key[1:] != ex_key[:-1]])
        st[ex_key[first], EXC] = first
    st[:, KEEP] = keep
    st[:, QLEV] = quarantine
    st[:, WLEV] = warning
    return st


@njit(cache=True, nogil=True)
def batch_touches(uidx, umap, sidx, smap, crit, enc, dense, pair_codes, nsrv, user_keys,
                  star_keys, tev, tkey, counts):  # pragma: no cover - compiled
    """List each communication's (communication, key) touches, grouped by key kind in the order
    (user, srv, critical), (user, srv, encrypted), (*, srv, critical), (*, srv, encrypted).

    Why grouped: keys are independent, so counting kind by kind in input order gives the same
    counts as communication by communication, with a tight loop and no empty slots.  User and srv
    arrive dictionary-encoded: code = map[idx]; every table ends with a -1 sentinel so index -1
    needs no branch.  A user key is at ``user_keys[u * nsrv + s]`` (dense) or at the position of
    that code in ``pair_codes`` (bisection).  ``tev``/``tkey`` are reused (4, n) arrays.
    """
    n = uidx.shape[0]
    npairs = pair_codes.shape[0]
    c0 = c1 = c2 = c3 = 0
    for i in range(n):
        u = umap[uidx[i]]
        s = smap[sidx[i]]
        ok = (u >= 0) & (s >= 0)
        row = np.int64(u) * nsrv + s if ok else np.int64(-1)
        if not dense and ok:
            j = np.searchsorted(pair_codes, row)
            row = j if (j < npairs and pair_codes[j] == row) else -1
        c = crit[i] != 0
        e = enc[i] != 0
        k0 = user_keys[row, 0] if c else -1
        k1 = user_keys[row, 1] if e else -1
        k2 = star_keys[s, 0] if c else -1
        k3 = star_keys[s, 1] if e else -1
        tev[0, c0] = i
        tkey[0, c0] = k0
        c0 += k0 >= 0
        tev[1, c1] = i
        tkey[1, c1] = k1
        c1 += k1 >= 0
        tev[2, c2] = i
        tkey[2, c2] = k2
        c2 += k2 >= 0
        tev[3, c3] = i
        tkey[3, c3] = k3
        c3 += k3 >= 0
    counts[0] = c0
    counts[1] = c1
    counts[2] = c2
    counts[3] = c3


@njit(cache=True, nogil=True)
def _log2(x):  # pragma: no cover - compiled
    c = 0
    while (np.int64(1) << c) < x:
        c += 1
    return c


@njit(cache=True, nogil=True)
def count_touches(ts, tev, tkey, counts, st, pool, aux, window, start_group, start,
                  out_q, out_qkey, out_w, out_wkey, ex_key, ex_from, ex_to, ex_w,
                  ex_q):  # pragma: no cover - compiled
    """Count the touches from (start_group, start) on, flagging level breaches (count > level).

    ``out_q[i]``/``out_w[i]`` become 1 when some key's count for communication i exceeds its
    quarantine/warning level; ``out_qkey``/``out_wkey`` keep the first such key (groups run in
    key-kind order), or ``-(e + 2)`` when exception e's level applied (G6.1(a)(i)).
    Returns ``group * width + touch`` where it stopped: ``4 * width`` when done;
    otherwise the pool is full and the caller enlarges it (``aux[2]`` slots needed) and resumes.
    """
    width = tev.shape[1]
    for g in range(start_group, 4):
        m = counts[g]
        for t in range(start if g == start_group else 0, m):
            if t + AHEAD_ROW < m:
                _prefetch(st, tkey[g, t + AHEAD_ROW] * WIDTH)
            if t + AHEAD_SLOT < m:
                kk = tkey[g, t + AHEAD_SLOT]
                pos = st[kk, HEAD] + st[kk, SIZE]
                if pos >= st[kk, CAP]:
                    pos -= st[kk, CAP]
                _prefetch(pool, st[kk, OFF] + pos)
                _prefetch(pool, st[kk, OFF] + st[kk, HEAD])
            i = tev[g, t]
            k = tkey[g, t]
            now = ts[i]
            lim = now - window
            off, cap, head, size = st[k, OFF], st[k, CAP], st[k, HEAD], st[k, SIZE]
            while size > 0 and pool[off + head] <= lim:  # left the window (ts - N, ts]
                head += 1
                if head == cap:
                    head = 0
                size -= 1
            if size == st[k, KEEP]:  # the oldest can no longer change any decision
                head += 1
                if head == cap:
                    head = 0
                size -= 1
            st[k, HEAD] = head
            st[k, SIZE] = size
            if size == cap:
                newcap = max(2 * cap, 4)
                cls = _log2(newcap)
                if aux[FREE + cls] < 0 and aux[0] + newcap > pool.shape[0]:
                    aux[2] = newcap
                    return g * width + t
                _move(k, st, pool, aux, newcap, cls)
                off, cap, head = st[k, OFF], st[k, CAP], st[k, HEAD]
            pos = head + size
            if pos >= cap:
                pos -= cap
            pool[off + pos] = now
            size += 1
            st[k, SIZE] = size
            ql = st[k, QLEV]
            wl = st[k, WLEV]
            tag = k
            e = st[k, EXC]
            if e >= 0:  # the key has exceptions not yet ended: is one in force at ``now``?
                while ex_to[e] <= now:
                    e += 1
                    if e == ex_key.shape[0] or ex_key[e] != k:
                        e = -1
                        break
                st[k, EXC] = e
                if e >= 0 and ex_from[e] <= now:
                    ql = ex_q[e]
                    wl = ex_w[e]
                    tag = -(e + 2)
            if size > ql and out_q[i] == 0:
                out_q[i] = 1
                out_qkey[i] = tag
            if size > wl and wl >= 0 and out_w[i] == 0:
                out_w[i] = 1
                out_wkey[i] = tag
    if ts.shape[0] > 0:
        aux[1] = ts[ts.shape[0] - 1]
    return 4 * width


@njit(cache=True, nogil=True)
def _move(k, st, pool, aux, newcap, cls):  # pragma: no cover - compiled
    """Move key k's full ring into a block of ``newcap`` slots (from the free list of its size,
    else from the pool's end: the caller checked there is room) and free its old block."""
    off, cap, head, size = st[k, OFF], st[k, CAP], st[k, HEAD], st[k, SIZE]
    base = aux[FREE + cls]
    if base >= 0:
        aux[FREE + cls] = pool[base]
    else:
        base = aux[0]
        aux[0] = base + newcap
    for j in range(size):
        pos = head + j
        if pos >= cap:
            pos -= cap
        pool[base + j] = pool[off + pos]
    if cap > 0:
        old = FREE + _log2(cap)
        pool[off] = aux[old]
        aux[old] = off
    st[k, OFF] = base
    st[k, CAP] = newcap
    st[k, HEAD] = 0


@njit(cache=True, nogil=True)
def expire_all(st, pool, lim):  # pragma: no cover - compiled
    """Drop every ring entry <= lim (it can never count again); returns the live entries."""
    live = 0
    for k in range(st.shape[0]):
        off, cap, head, size = st[k, OFF], st[k, CAP], st[k, HEAD], st[k, SIZE]
        while size > 0 and pool[off + head] <= lim:
            head += 1
            if head == cap:
                head = 0
            size -= 1
        st[k, HEAD] = head
        st[k, SIZE] = size
        live += size
    return live


def new_aux() -> np.ndarray:
    """Fresh ``aux``: empty pool, no timestamp yet, empty free lists."""
    aux = np.full(FREE + 64, -1, np.int64)
    aux[0] = 0
    aux[1] = np.iinfo(np.int64).min
    aux[2] = 0
    return aux


def enlarge(pool: np.ndarray, aux: np.ndarray, spare: np.ndarray | None = None) -> np.ndarray:
    """A pool twice as large (at least ``aux[2]`` more slots) holding the same blocks: ``spare``
    (memory already faulted in, see ``Engine``) when it is large enough."""
    used = int(aux[0])
    size = max(2 * pool.shape[0], used + 2 * int(aux[2]) + 4096)
    new = spare if spare is not None and spare.shape[0] >= size else np.empty(size, np.int64)
    new[:used] = pool[:used]
    aux[2] = 0
    return new


@njit(cache=True, nogil=True)
def export_rings(st, pool, lim):  # pragma: no cover - compiled
    """Per-key live entries (> lim), oldest first: (sizes, concatenated timestamps)."""
    nk = st.shape[0]
    sizes = np.zeros(nk, np.int64)
    for k in range(nk):
        off, cap, head, size = st[k, OFF], st[k, CAP], st[k, HEAD], st[k, SIZE]
        for j in range(size):
            pos = head + j
            if pos >= cap:
                pos -= cap
            if pool[off + pos] > lim:
                sizes[k] += 1
    data = np.empty(sizes.sum(), np.int64)
    w = 0
    for k in range(nk):
        off, cap, head, size = st[k, OFF], st[k, CAP], st[k, HEAD], st[k, SIZE]
        for j in range(size):
            pos = head + j
            if pos >= cap:
                pos -= cap
            if pool[off + pos] > lim:
                data[w] = pool[off + pos]
                w += 1
    return sizes, data


def import_rings(st: np.ndarray, sizes: np.ndarray, data: np.ndarray,
                 extra: int = 0) -> tuple[np.ndarray, int]:
    """Load exported rings into rows ``st`` (blocks of 2^c >= 4 slots, packed, with room for
    ``extra`` more slots); returns (pool, pool_end)."""
    sizes = sizes.astype(np.int64)
    caps = np.zeros_like(sizes)
    for c in range(2, 63):
        caps[(caps == 0) & (sizes > 0) & (sizes <= (1 << c))] = 1 << c
        if not ((caps == 0) & (sizes > 0)).any():
            break
    ends = np.cumsum(caps)
    st[:, OFF] = ends - caps
    st[:, CAP] = caps
    st[:, HEAD] = 0
    st[:, SIZE] = sizes
    end = int(ends[-1]) if len(ends) else 0
    pool = np.empty(max(2 * (end + extra), 4096), np.int64)
    starts = np.cumsum(sizes) - sizes
    pool[np.repeat(st[:, OFF] - starts, sizes) + np.arange(data.shape[0])] = data
    return pool, end
