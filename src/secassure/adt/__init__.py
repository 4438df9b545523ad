"""Threshold Anomaly Detection (SEC Section G6): counting engine, file readers and the CLI.

Public API::

    from secassure.adt import Thresholds, Limits, Engine, TrafficBatch
    eng = Engine(Thresholds.load("T.csv"), Limits.load("L.csv"), window_seconds=86400)
    decisions = eng.process(batch)              # per-chunk, NumPy in / NumPy out
    blob = eng.state().to_bytes()               # counting state as a value
    eng2 = Engine.restore(thresholds, limits, blob)

CLI: ``secassure adt run ...`` (``secassure.adt.cli.run_command``) or ``python -m secassure.adt``.
"""

from importlib import import_module

#: Where each public name lives. Imported on first use, so that `secassure.adt.signing` (used
#: by the web app) does not pay for NumPy and Numba.
_PUBLIC = {"Exceptions": "config", "Limits": "config", "Thresholds": "config",
           "DECISIONS": "engine", "Decisions": "engine", "Engine": "engine",
           "TrafficBatch": "engine",
           "TrafficOrderError": "engine", "InputError": "errors", "CountingState": "state"}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
