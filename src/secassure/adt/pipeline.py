"""Running a whole replay: read chunks ahead on a thread, decide, write, with progress.

Why a read-ahead thread: the machine has two cores; Arrow's decoding and our parsing kernels
release the GIL, so reading chunk i+1 overlaps deciding and writing chunk i.  The engine itself
stays single-threaded (its state is sequential by nature: counts depend on input order).
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterator
from typing import TypeVar

from .config import Exceptions, Limits, Thresholds
from .engine import Engine
from .traffic import CHUNK_ROWS, read_traffic, total_hint
from .writer import DecisionWriter, atomic_output

T = TypeVar("T")
_END = object()


def read_ahead(it: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Iterate ``it`` on a background thread, ``depth`` items ahead; re-raises its errors here."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def work() -> None:
        try:
            for item in it:
                while not stop.is_set():
                    try:
                        q.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put((_END, None))
        except BaseException as exc:  # handed to the consumer
            q.put((_END, exc))

    th = threading.Thread(target=work, name="adt-read-ahead", daemon=True)
    th.start()
    try:
        while True:
            item, exc = q.get()
            if exc is not None:
                raise exc
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        th.join(timeout=5)


class WriteBehind:
    """Renders and writes decisions on a background thread (both release the GIL), so writing
    chunk i overlaps deciding chunk i+1; errors surface on the next ``put`` or on exit."""

    def __init__(self, writer: DecisionWriter, depth: int = 2) -> None:
        self.writer = writer
        self.q: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="adt-write-behind", daemon=True)

    def _work(self) -> None:
        while True:
            item = self.q.get()
            if item is _END:
                return
            if self.error is None:
                try:
                    self.writer.write(*item)
                except BaseException as exc:  # handed to the producer
                    self.error = exc

    def put(self, ids, decisions) -> None:
        if self.error is not None:
            raise self.error
        self.q.put((ids, decisions))

    def __enter__(self) -> WriteBehind:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.q.put(_END)
        self.thread.join()
        if self.error is not None and exc_info[0] is None:
            raise self.error


def replay(thresholds: Thresholds, limits: Limits | None, traffic: str, out: str,
           window_seconds: int = 86400, progress: bool = False, chunk_rows: int = CHUNK_ROWS,
           engine: Engine | None = None, exceptions: Exceptions | None = None) -> Engine:
    """Replay ``traffic`` into the decisions CSV ``out`` (atomically); returns the engine so its
    counting state can be saved.  Raises ``InputError`` on bad input (no output is left)."""
    eng = engine if engine is not None else Engine(thresholds, limits, window_seconds, exceptions)
    bar = _Progress(traffic) if progress else None
    ok = False
    try:
        chunks = read_traffic(traffic, chunk_rows, bar.position if bar else None, eng.last_ts)
        with atomic_output(out) as fh:
            writer = DecisionWriter(fh, eng)
            with WriteBehind(writer) as behind:
                for chunk in read_ahead(chunks):
                    behind.put(chunk.ids, eng.process(chunk.batch))
                    if bar:
                        bar.rows(len(chunk.batch))
        ok = True
    finally:
        if bar:
            bar.close(ok)
    return eng


class _Progress:
    """A rich progress bar on stderr: communications decided out of the total (exact for
    Parquet; for CSV estimated from the bytes the reader has consumed so far), time left."""

    def __init__(self, traffic: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        self.size, unit = total_hint(traffic)
        self.exact = unit == "rows"
        self.progress = Progress(TextColumn("adt run"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("communications"), TimeElapsedColumn(),
                                 TimeRemainingColumn(), console=Console(file=sys.stderr))
        self.task = self.progress.add_task("replay", total=self.size if self.exact else None)
        self.progress.start()
        self._total: int | None = self.size if self.exact else None
        self._done = 0

    def position(self, rows: int, pos: int) -> None:
        """Called by the reader (on its thread): rows read so far, position in the file."""
        if not self.exact and pos > 0:
            self._total = int(rows * self.size / pos)

    def rows(self, n: int) -> None:
        self._done += n
        total = max(self._total, self._done) if self._total is not None else None
        self.progress.update(self.task, completed=self._done, total=total)

    def close(self, finished: bool) -> None:
        if finished:
            self.progress.update(self.task, completed=self._done, total=self._done)
        self.progress.stop()
