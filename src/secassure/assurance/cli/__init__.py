"""`secassure assessment ...` and `secassure remind`: the assurance workflow on the command line.

Run by an operator on the server, each assessment command acts `--as` a named person, whose
permissions apply exactly as on the web and over the API: the same services, the same
visibility rule, the same input serializers. The commands of the workflow's actions are made
from their declarations in `secassure.code.workflow` (`actions`). Bad input, a refusal or a
record the person may not see: one line on standard error naming what is wrong, exit status
2, nothing written.
`--json` prints what the API would answer.
"""
from __future__ import annotations

import argparse

from secassure.core.cli import username

from .actions import ACTION_COMMANDS
from .commands import DEFAULTS, READING
from .remind import remind
from .runner import Command, run_command

#: Every assessment command: reading, one per declared workflow action, Events of Default.
COMMANDS: list[Command] = [*READING, *ACTION_COMMANDS, *DEFAULTS]


def add_commands(sub) -> None:
    """Add the assurance subcommands to the `secassure` parser (`sub` from add_subparsers)."""
    assessment = sub.add_parser(
        "assessment", help="the assurance workflow: list, show, book and act on assessments",
        description="The assurance workflow, acting --as a named person whose permissions "
                    "apply exactly as on the web.")
    actions = assessment.add_subparsers(dest="action", required=True, metavar="ACTION",
                                        parser_class=type(assessment))
    for command in COMMANDS:
        parser = actions.add_parser(command.name, help=command.help,
                                    description=command.help)
        if command.target:
            parser.add_argument("id", type=_positive, metavar=command.target.upper() + "_ID")
        for names, options in command.arguments:
            parser.add_argument(*names, **options)
        parser.add_argument("--as", dest="actor", required=True, metavar="USERNAME",
                            type=username, help="the person acting (their permissions apply)")
        parser.add_argument("--json", action="store_true", help="print JSON (as the API)")
        parser.set_defaults(handler=run_command(command))

    reminders = sub.add_parser("remind", help="e-mail reminders of what falls due (G8.24, "
                                              "G8.28, G8.29, G8.40)")
    reminders.add_argument("--as-of", metavar="YYYY-MM-DD", help="default: today")
    reminders.add_argument("--days", type=_natural, default=14,
                           help=f"remind of what falls due within N days (default 14, at most "
                                f"{MAX_DAYS:,})")
    reminders.add_argument("--force", action="store_true",
                           help="remind people already reminded today")
    reminders.add_argument("--json", action="store_true", help="print what was sent as JSON")
    reminders.set_defaults(handler=remind)


#: The furthest ahead `remind --days` looks: ten years (beyond it no date is meaningful).
MAX_DAYS = 3660
#: The largest id a record can have (a 64-bit key, as on PostgreSQL).
MAX_ID = 2**63 - 1


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not an id (a positive number)")
    return int(text)


def _natural(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number of days (0 to "
                                         f"{MAX_DAYS:,})")
    return int(text)
