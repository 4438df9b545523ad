"""The production server: waitress, in one process or in several sharing one socket.

A Python process runs its Python code on one core at a time (the GIL), so one waitress
process, however many threads it has, cannot use a second core for the pages' CPU work. With
`workers` > 1 the socket is bound once and the process forks that many workers, each a waitress
server with its own threads on the shared socket (the kernel hands each connection to one of
them). The parent only watches: it stops the workers when told to stop, and stops them all if
one dies (the operator's supervisor starts the service again), and each worker leaves if the
parent is gone, so no orphan keeps the port.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from waitress import serve as waitress_serve

log = logging.getLogger("secassure.server")


def default_workers() -> int:
    """Two workers per core this process may run on, at most 8. The work of a page is CPU,
    but a browser or API client keeps its connection open and each connection stays with the
    worker that accepted it: with one worker per core, the clients of a busy moment are rarely
    shared evenly and one core idles while the other queues (benchmarks/load.py, 20 clients
    on 2 cores: 123 requests/s with 2 workers, 140 with 4, the machine 90% and 99% busy)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(2 * cores, 8))


def serve(application: Any, *, host: str, port: int, workers: int, threads: int,
          after_start: Callable[[], None] | None = None) -> int:
    """Serve `application` on host:port with `workers` processes of `threads` threads each;
    `after_start` runs once, in the parent, when the workers are up (background duties that
    must run once per server, not once per worker). Returns the exit status."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=1024)
    # A body larger than the limit is refused with 413 as its length is read, before it is
    # buffered (waitress would otherwise spool up to 1 GiB to disk before Django sees it).
    options = {"sockets": [listener], "threads": threads, "ident": "secassure",
               "connection_limit": 200,
               "max_request_body_size": settings.SECASSURE_MAX_REQUEST_BODY}
    if workers <= 1:
        if after_start is not None:
            after_start()
        waitress_serve(application, **options)
        return 0
    connections.close_all()  # a database connection must never be shared across a fork
    parent = os.getpid()
    children = {_fork_worker(application, options, parent) for _ in range(workers)}
    stopping = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        stopping.set()
        _terminate(children)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if after_start is not None:
        after_start()
    status = 0
    while children:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:  # pragma: no cover (PEP 475 retries wait on a signal)
            continue
        children.discard(pid)
        if not stopping.is_set():
            log.error("server worker %s stopped (status %s): stopping the server", pid,
                      os.waitstatus_to_exitcode(code))
            stopping.set()
            status = 1
            _terminate(children)
    return status


def _fork_worker(application: Any, options: dict[str, Any], parent: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    try:  # the worker: the parent decides when to stop (Ctrl-C reaches the whole group)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        threading.Thread(target=_leave_with, args=(parent,), name="parent-watch",
                         daemon=True).start()
        waitress_serve(application, **options)
    except BaseException:  # pragma: no cover (a worker never returns into the parent's code)
        logging.getLogger("secassure.server").exception("server worker failed")
        sys.stderr.flush()
        os._exit(1)
    os._exit(0)


def _leave_with(parent: int) -> None:
    """Stop this worker once its parent is gone (killed without a chance to stop us)."""
    while os.getppid() == parent:
        threading.Event().wait(1.0)
    os._exit(0)


def _terminate(children: set[int]) -> None:
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            children.discard(pid)
