#!/usr/bin/env python3
"""The two Quick-start commands, needing nothing but Python 3.11+ and the package registries.

    python3 dev.py run [--port N]     create .venv, then run the platform with the demo register
    python3 dev.py test [pytest args] create .venv, run the gates, then the whole test suite
    python3 dev.py bench SCRIPT [args] run a benchmark of benchmarks/ (adds DuckDB to .venv)

Each first makes sure `.venv` holds exactly the locked dependencies (uv.lock) and the
package itself, so that afterwards the command line is at `.venv/bin/secassure`.

`test` runs the gates first: `ruff check` (lint and import order) and `mypy` (types; every
service and selector fully typed), both configured in pyproject.toml. SECASSURE_GATES says
how: `1` (the default) fails on any problem, `report` prints the problems and goes on to the
tests, `0` skips the gates. Without pytest arguments the suite runs on every core
(pytest-xdist, `-n auto`); with arguments they go to pytest as they are.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
UV_VERSION = "0.13.8"


def venv_bin(name: str) -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / scripts / f"{name}{suffix}"


def ensure_environment(*extras: str) -> None:
    """Create .venv and sync it to uv.lock (fast when nothing changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on any python3 first)
        sys.exit(f"secassure needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not venv_bin("python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if not venv_bin("uv").exists():
        subprocess.run(
            [str(venv_bin("python")), "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"],
            check=True,
        )
    env = dict(os.environ, UV_PROJECT_ENVIRONMENT=str(VENV), UV_PYTHON=str(venv_bin("python")))
    subprocess.run(
        [str(venv_bin("uv")), "sync", "--frozen", "--quiet",
         *(arg for extra in ("test", *extras) for arg in ("--extra", extra))],
        cwd=ROOT, env=env, check=True,
    )


#: The gates, as commands in .venv/bin; their configuration is in pyproject.toml.
GATES = (("ruff", ("check", ".")), ("mypy", ()))


def run_gates(mode: str) -> int:
    """Run every gate; 0 when all pass or when `mode` is `report` (problems printed only)."""
    if mode == "0":
        return 0
    if mode not in {"1", "report"}:
        print(f"SECASSURE_GATES must be 1, report or 0, not {mode!r}", file=sys.stderr)
        return 2
    failed = [name for name, args in GATES
              if subprocess.call([str(venv_bin(name)), *args], cwd=ROOT) != 0]
    if not failed:
        return 0
    if mode == "report":
        print(f"gates: {' and '.join(failed)} found problems (SECASSURE_GATES=report: "
              "going on to the tests)", file=sys.stderr)
        return 0
    print(f"gates: {' and '.join(failed)} found problems; fix them, or run with "
          "SECASSURE_GATES=report to see the tests anyway", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"} or argv == ["bench"]:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment(*(["bench"] if command == "bench" else []))
    if command == "run":
        args = [str(venv_bin("secassure")), "serve", "--demo", *rest]
    elif command == "bench":
        args = [str(venv_bin("python")), str(ROOT / "benchmarks" / rest[0]), *rest[1:]]
    else:
        gates = run_gates(os.environ.get("SECASSURE_GATES", "1"))
        if gates:
            return gates
        args = [str(venv_bin("pytest")), *(rest or ["-n", "auto"])]
    return subprocess.call(args, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
