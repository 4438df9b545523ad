"""What every command-line module shares: the one-line refusal, the parser that exits with
status 2, Django set up on demand, reading JSON input.

Bad input never gives a traceback: a command raises `CommandError`, which the entry point
(`secassure.cli`) prints as one line on standard error, with exit status 2.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from secassure.code import inputs

USAGE_ERROR = 2
#: The longest refusal printed: a value quoted in it is cut short, never echoed whole.
LINE_LIMIT = 300
#: A username (django.contrib.auth's UnicodeUsernameValidator, and the field's length).
USERNAME = re.compile(r"[\w.@+-]{1,150}")


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """Usage errors as one line on standard error, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {one_line(message)}\n")


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
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise CommandError(f"{path}: not valid JSON: a number has too many digits") from None


def write_output(path: Path, content: bytes | str) -> None:
    """Write a command's output file whole or not at all: into a temporary file beside it,
    then renamed over it, so a failure (a directory, no such folder, no permission, a full
    disk) leaves nothing half-written and is refused in one line naming the file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_dir():
        raise CommandError(f"{path}: cannot write: Is a directory")
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent or Path("."),
                                                 prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise CommandError(f"{path}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(f"{path}: cannot write: {error.strerror}") from None


def not_text(argv: Sequence[str]) -> str | None:
    """The first argument that is not UTF-8 text (undecodable bytes arrive as lone
    surrogates), shown safely; None when all are text."""
    for argument in argv:
        if any("\ud800" <= character <= "\udfff" for character in argument):
            shown = argument.encode("utf-8", "backslashreplace").decode("ascii", "replace")
            return shown if len(shown) <= 40 else shown[:37] + "..."
    return None


def username(text: str) -> str:
    """An argparse type: a username as people are named (Django's rule: at most 150 letters,
    digits and @ . + - _)."""
    if not USERNAME.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{one_line(repr(text))[:40]} is not a username (1 to "
                                         "150 letters, digits and @ . + - _)")
    return text


def party_id(text: str) -> str:
    """An argparse type: a party id by the one rule of `secassure.code.inputs`."""
    try:
        return inputs.party_id(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def one_line(message: object) -> str:
    """A refusal as one printable line: white space folded, control characters shown
    escaped, at most LINE_LIMIT characters."""
    text = " ".join(str(message).split())
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)
    return text if len(text) <= LINE_LIMIT else text[:LINE_LIMIT - 3] + "..."


def fail(message: object) -> NoReturn:
    """Refuse with one line (white space folded)."""
    raise CommandError(" ".join(str(message).split()))
