"""``secassure adt run``: replay traffic through Anomaly Detection Thresholds (SEC G6).

    secassure adt run --thresholds T.csv [--limits L.csv] [--exceptions X.csv] --traffic F
                      --out D.csv [--window-seconds N] [--progress] [--state-in S] [--state-out S]

Writes ``id,decision,warning,reason`` per communication, in input order.  Exit status: 0 on success,
2 on bad input or usage, with one line on stderr naming the file, line and field (and no
decisions file left behind), so a refused threshold notification (G6.4(c)) or traffic extract
can be fixed without guessing.
"""

from __future__ import annotations

import argparse
import os
import sys

from .config import Exceptions, Limits, Thresholds
from .engine import Engine
from .errors import InputError
from .pipeline import replay
from .traffic import CHUNK_ROWS

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="secassure adt",
                                 description="Threshold Anomaly Detection (SEC Section G6)")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="replay traffic through thresholds, one decision per row")
    run.add_argument("--thresholds", required=True,
                     help="CSV user_id,srv[,command],counter,warning,quarantine")
    run.add_argument("--limits", help="CSV srv,min,max: data-value limits (G6.6(b))")
    run.add_argument("--exceptions", help="CSV user_id,srv[,command],counter,from,to,warning,"
                     "quarantine: other levels for a key from one time to another (G6.1(a)(i))")
    run.add_argument("--traffic", required=True, help="CSV or Parquet id,ts,user_id,srv,critical,"
                     "encrypted,smets1,value[,command]")
    run.add_argument("--out", required=True, help="decisions CSV to write (atomically)")
    run.add_argument("--window-seconds", type=_positive, default=86400,
                     help="count window N: (ts - N, ts] (default 86400)")
    run.add_argument("--progress", action="store_true", help="progress bar even if not a TTY")
    run.add_argument("--state-in", help="continue from counting state saved by --state-out")
    run.add_argument("--state-out", help="save the counting state after the run")
    run.add_argument("--chunk-rows", type=_positive, default=CHUNK_ROWS, help=argparse.SUPPRESS)
    return ap


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 0 < value <= 10**12:
        raise argparse.ArgumentTypeError(f"must be from 1 to 10**12: {text!r}")
    return value


def run_command(argv: list[str]) -> int:
    """Entry point for ``secassure adt ...``; returns the exit status (never calls exit)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0) and EXIT_BAD_INPUT
    try:
        return _run(args)
    except InputError as exc:
        print(f"secassure adt: error: {exc.one_line()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # e.g. an unreadable input or a full disk: not a data problem
        print(f"secassure adt: error: {exc}".replace("\n", " "), file=sys.stderr)
        return EXIT_FAILED


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def _check_outputs(args: argparse.Namespace) -> None:
    """An output never overwrites an input (or the other output): refuse before reading."""
    inputs = [("--thresholds", args.thresholds), ("--limits", args.limits),
              ("--exceptions", args.exceptions), ("--traffic", args.traffic)]
    outputs = [("--out", args.out), ("--state-out", args.state_out)]
    # the saved state may be continued in place (--state-in S --state-out S): it is read whole
    # before the run and replaced atomically after it
    for out_flag, out in outputs:
        others = [o for o in outputs if o[0] != out_flag]
        if out_flag == "--out":
            others.append(("--state-in", args.state_in))
        for in_flag, path in inputs + others:
            if out and path and _same_file(out, path):
                raise InputError(out, None, None, f"{out_flag} is the same file as {in_flag}: "
                                 "it would be overwritten; choose another path")


def _run(args: argparse.Namespace) -> int:
    _check_outputs(args)
    thresholds = Thresholds.load(args.thresholds)
    limits = Limits.load(args.limits) if args.limits else None
    exceptions = Exceptions.load(args.exceptions, thresholds) if args.exceptions else None
    engine = None
    if args.state_in:
        try:
            with open(args.state_in, "rb") as fh:
                engine = Engine.restore(thresholds, limits, fh.read(), exceptions)
        except (OSError, ValueError) as exc:
            raise InputError(args.state_in, None, None, f"cannot restore state: {exc}") from None
        if engine.window_us != args.window_seconds * 1_000_000:
            raise InputError(args.state_in, None, None, "state was counted with another window")
    progress = args.progress or sys.stderr.isatty()
    engine = replay(thresholds, limits, args.traffic, args.out, args.window_seconds, progress,
                    args.chunk_rows, engine, exceptions)
    if args.state_out:
        tmp = args.state_out + ".tmp"
        with open(tmp, "wb") as fh:
            fh.write(engine.state().to_bytes())
        os.replace(tmp, args.state_out)
    return EXIT_OK


def main() -> None:
    """Console entry (``python -m secassure.adt``)."""
    sys.exit(run_command(sys.argv[1:]))
