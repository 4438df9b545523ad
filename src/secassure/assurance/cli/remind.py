"""`secassure remind`: the reminders of `secassure.assurance.reminders`, for a daily job."""
from __future__ import annotations

import json
import sys
from contextlib import redirect_stdout

from secassure.core.cli import CommandError, setup_django
from secassure.core.journal.words import counted


def remind(args) -> int:
    """Send today's reminders. Without --json the e-mails of the console backend are the
    output (standard output) and a summary goes to standard error; with --json the summary
    is the output and the e-mails go to standard error."""
    from secassure.code.dates import parse_iso_date
    from secassure.code.inputs import in_range
    as_of = None
    if args.as_of:
        try:
            as_of = in_range(parse_iso_date(args.as_of))
        except ValueError as error:
            raise CommandError(f"--as-of: {error}") from None
    setup_django()
    from django.utils import timezone

    from secassure.assurance.reminders import send_reminders
    as_of = as_of or timezone.localdate()
    if args.json:
        with redirect_stdout(sys.stderr):
            outcome = send_reminders(as_of, args.days, force=args.force)
        json.dump(outcome.as_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        outcome = send_reminders(as_of, args.days, force=args.force)
    items = sum(map(len, outcome.sent.values()))
    print(f"reminded {counted(len(outcome.sent), 'person', 'people')} of "
          f"{counted(items, 'item', 'items')} due by "
          f"{outcome.horizon}" + (f"; {len(outcome.skipped)} already reminded today"
                                  if outcome.skipped else ""), file=sys.stderr)
    return 0
