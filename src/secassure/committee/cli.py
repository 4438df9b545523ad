"""`secassure publish headlines --meeting ID` and `secassure publish monthly-report --month
YYYY-MM [--appendix]`: the publications of a recorded meeting or month, from the database,
rendered by the same code as from a file (`code.publications`).

`secassure committee reminders --as-of DATE` sends (and prints) the reminders of papers due
and actions overdue; `secassure committee calendar --person USERNAME` prints a person's iCal
feed. Bad input: one line on standard error, exit 2."""
from __future__ import annotations

import argparse
import sys
from datetime import date

from secassure.core.cli import (
    USAGE_ERROR,
    CommandError,
    Parser,
    one_line,
    setup_django,
    username,
)


def publication_lines(publication: str, *, meeting: int | None = None,
                      month: str | None = None, appendix: bool = False) -> list[str]:
    """The Markdown lines; CommandError (exit 2, one line) naming what is wrong."""
    setup_django()
    # Django's models load only once it is set up (above): these imports must follow it.
    from secassure.code.publications import PublicationError

    from . import publications
    from .models import Meeting
    try:
        if publication == "headlines":
            found = Meeting.objects.filter(pk=meeting).first()
            if found is None:
                raise CommandError(f"--meeting: no meeting {meeting} is recorded")
            return publications.headlines(found)
        return publications.monthly_report(month or "", appendix=appendix)
    except PublicationError as error:
        where = f"meeting {meeting}" if publication == "headlines" else f"month {month}"
        raise CommandError(f"{where}: {error}") from None


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{one_line(repr(text))[:40]} is not a date "
                                         "(YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="secassure committee", description="The committees (G7)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    remind = sub.add_parser("reminders", help="papers due within 7 days, actions overdue")
    remind.add_argument("--as-of", type=_as_of, required=True, metavar="YYYY-MM-DD")
    calendar = sub.add_parser("calendar", help="a person's iCal feed of meetings and due dates")
    calendar.add_argument("--person", type=username, required=True, metavar="USERNAME")
    return parser


def run_committee(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        setup_django()
        # Django's models load only once it is set up (above): these imports must follow it.
        from secassure.accounts.models import Person
        from secassure.core.permissions import SYSTEM

        from .selectors.calendar import ical_feed
        from .services import send_reminders
        if args.command == "reminders":
            for reminder in send_reminders(SYSTEM, today=args.as_of):
                print(f"{reminder.due}\t{reminder.to}\t{reminder.what}")
            return 0
        person = Person.objects.filter(username=args.person).first()
        if person is None:
            raise CommandError(f"--person: no person {args.person!r}")
        sys.stdout.buffer.write(ical_feed(person))
        return 0
    except CommandError as error:
        print(f"secassure committee: error: {one_line(error)}", file=sys.stderr)
        return USAGE_ERROR
