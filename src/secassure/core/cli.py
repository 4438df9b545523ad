"""What every command-line module shares: the one-line refusal, the parser that exits with
status 2, Django set up on demand, reading JSON input.

Bad input never gives a traceback: a command raises `CommandError`, which the entry point
(`secassure.cli`) prints as one line on standard error, with exit status 2.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import NoReturn

USAGE_ERROR = 2


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """Usage errors as one line on standard error, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def setup_django(*, check_schema: bool = True) -> None:
    """Load Django for a command that reads or writes the database. It never migrates: the
    schema changes only when asked (`secassure migrate`) or when `serve` starts; a database
    whose schema is missing or behind is refused with one line saying so."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secassure.web.settings")
    import django
    django.setup()
    if check_schema and pending_migrations():
        raise CommandError("the database schema is missing or out of date: run "
                           "`secassure migrate` first")


def pending_migrations() -> int:
    """How many migrations the database still lacks (0 when up to date)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate() -> None:
    """Bring the database schema up to date (quietly)."""
    setup_django(check_schema=False)
    from django.core.management import call_command
    call_command("migrate", interactive=False, verbosity=0)


def read_json(path: Path) -> object:
    """A JSON file's content; a CommandError naming the file and the place it is broken."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: not UTF-8 text (byte {error.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: not valid JSON: {error.msg} at line {error.lineno} "
                           f"column {error.colno}") from None
    except RecursionError:
        raise CommandError(f"{path}: not valid JSON: nested too deeply") from None


def fail(message: object) -> NoReturn:
    """Refuse with one line (white space folded)."""
    raise CommandError(" ".join(str(message).split()))
