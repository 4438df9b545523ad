#!/usr/bin/env python3
"""The two Quick-start commands, needing nothing but Python 3.11+ and the package registries.

    python3 dev.py run [--port N]     create .venv, then run the platform with the demo register
    python3 dev.py test [pytest args] create .venv, then run the whole test suite
    python3 dev.py bench SCRIPT [args] run a benchmark of benchmarks/ (adds DuckDB to .venv)

Both first make sure `.venv` holds exactly the locked dependencies (uv.lock) and the
package itself, so that afterwards the command line is at `.venv/bin/secassure`.
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
    if sys.version_info < (3, 11):
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
        args = [str(venv_bin("pytest")), *rest]
    return subprocess.call(args, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
