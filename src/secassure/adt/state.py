"""The engine's counting state as a value: saved, shipped and restored between runs.

Why: Threshold Anomaly Detection runs over a continuous stream of communications, so a replay
split into pieces (days, files, restarts) must give exactly the decisions of one run.  The state
holds, per threshold key, the timestamps still inside the window (at most max(level) + 1 of them,
see ``kernel``), the window length, the last timestamp seen (so ``ts`` may not go backwards across
pieces) and a fingerprint of the thresholds it was counted against (a state is meaningless for
other keys or levels; amended thresholds, G6.6A/G6.10(c), start a new count).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

MAGIC = b"SECADT01"
_HEAD = struct.Struct("<8s32sqqqq")  # magic, fingerprint, window_us, last_ts, rows, nkeys


@dataclass(frozen=True)
class CountingState:
    """A snapshot of the sliding-window counts: ``sizes[k]`` live timestamps of key k, all keys'
    timestamps concatenated (oldest first) in ``data``."""

    fingerprint: bytes
    window_us: int
    last_ts: int
    rows: int
    sizes: np.ndarray
    data: np.ndarray

    def to_bytes(self) -> bytes:
        """Serialise (little-endian, self-describing header, then the two int64 arrays)."""
        return b"".join(self.buffers())

    def buffers(self) -> list[memoryview]:
        """``to_bytes`` as three byte views (header, sizes, data), without copying the arrays:
        what a writer sends piece by piece."""
        head = _HEAD.pack(MAGIC, self.fingerprint, self.window_us, self.last_ts, self.rows,
                          int(self.sizes.shape[0]))
        arrays = (np.ascontiguousarray(a, "<i8") for a in (self.sizes, self.data))
        return [memoryview(head), *(a.data.cast("B") for a in arrays)]

    @classmethod
    def from_bytes(cls, blob: bytes) -> CountingState:
        """Parse bytes made by ``to_bytes``; refuses anything else."""
        if len(blob) < _HEAD.size:
            raise ValueError("not a secassure ADT state: too short")
        magic, fp, window, last, rows, nk = _HEAD.unpack_from(blob, 0)
        if magic != MAGIC:
            raise ValueError("not a secassure ADT state: bad magic")
        sizes = np.frombuffer(blob, "<i8", count=nk, offset=_HEAD.size).astype(np.int64)
        total = int(sizes.sum())
        if len(blob) != _HEAD.size + 8 * (nk + total) or (sizes < 0).any():
            raise ValueError("corrupt secassure ADT state: length mismatch")
        data = np.frombuffer(blob, "<i8", count=total, offset=_HEAD.size + 8 * nk).astype(np.int64)
        return cls(fp, window, last, rows, sizes, data)
