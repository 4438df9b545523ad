"""The `secassure` command line. It calls the same services and rules as the web app.

Bad input never gives a traceback: the command prints one line naming what is wrong and
where, and exits with status 2.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from secassure.core.cli import (
    USAGE_ERROR,
    CommandError,
    Parser,
    migrate,
    not_text,
    one_line,
    party_id,
    read_json,
    setup_django,
    username,
    write_output,
)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    garbled = not_text(argv)
    if garbled is not None:  # bytes that are not UTF-8: no command can take them
        print(f"secassure: error: argument {garbled} is not UTF-8 text", file=sys.stderr)
        return USAGE_ERROR
    if argv[:1] == ["adt"]:
        from secassure.anomaly.cli import run_command
        return run_command(argv[1:])
    if argv[:1] == ["cpl"]:
        from secassure.notices.cli import run_cpl
        return run_cpl(argv[1:])
    if argv[:1] == ["notices"]:
        from secassure.notices.cli import run_notices
        return run_notices(argv[1:])
    if argv[:1] == ["committee"]:
        from secassure.committee.cli import run_committee
        return run_committee(argv[1:])
    if argv[:1] == ["manage"]:
        setup_django(check_schema=False)
        from django.core.management import execute_from_command_line
        execute_from_command_line(["secassure manage", *argv[1:]])
        return 0
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args) or 0
    except CommandError as error:
        print(f"secassure {args.command}: error: {one_line(error)}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="secassure", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=Parser)

    serve = sub.add_parser("serve", help="run the platform (creates the database if needed)")
    serve.add_argument("--demo", action="store_true",
                       help="load the demo register into an empty database; enable demo logins")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--workers", type=_count, default=None,
                       help="server processes sharing the port (default: two per core, at "
                            "most 8)")
    serve.add_argument("--threads", type=_count, default=8,
                       help="threads per server process (default: 8)")
    serve.set_defaults(handler=_serve)

    schedule = sub.add_parser("schedule", help="which assessment each party owes next")
    schedule.add_argument("--input", type=Path, help="a register in the JSON interchange "
                                                     "format (default: the database)")
    schedule.add_argument("--as-of", required=True, type=_as_of, metavar="YYYY-MM-DD")
    schedule.set_defaults(handler=_schedule)

    load = sub.add_parser("import", help="load parties from a JSON interchange file "
                                         "(all or nothing)")
    load.add_argument("file", type=Path)
    load.add_argument("--reason", default="register import")
    load.set_defaults(handler=_import)

    dump = sub.add_parser("export", help="write the register in the JSON interchange format")
    dump.add_argument("--output", type=Path, help="file to write (default: standard output)")
    dump.set_defaults(handler=_export)

    migrating = sub.add_parser("migrate", help="create or update the database schema (no "
                                               "other command does, except serve and demo)")
    migrating.set_defaults(handler=_migrate)

    demo = sub.add_parser("demo", help="load the demo register into an empty database")
    demo.set_defaults(handler=_demo)

    journal = sub.add_parser("journal", help="the journal of decisions")
    journal.add_argument("action", choices=["verify", "checkpoint"],
                         help="verify: check the chain and the signed checkpoints; "
                              "checkpoint: sign the chain's head into a file outside the "
                              "database")
    journal.set_defaults(handler=_journal)

    user = sub.add_parser("user", help="add a person (the password is read from standard input)")
    user.add_argument("username", type=username)
    user.add_argument("--kind", required=True, choices=[
        "secas", "ssc_member", "panel_member", "cio_assessor", "dcc_assessor", "dcc",
        "triage_operator", "party_rep"])
    user.add_argument("--party", type=party_id,
                      help="party id, for representatives and triage operators")
    user.set_defaults(handler=_user)

    token = sub.add_parser("token", help="print (creating if needed) a person's API token")
    token.add_argument("username", type=username)
    token.set_defaults(handler=_token)

    publish = sub.add_parser("publish", help="the committee's publications, as Markdown")
    publications = publish.add_subparsers(dest="publication", required=True,
                                          metavar="PUBLICATION", parser_class=Parser)
    headlines = publications.add_parser("headlines", help="the SSC's public headlines of a "
                                                          "meeting (WHITE)")
    headlines.add_argument("--input", type=Path, metavar="MEETING.json")
    headlines.add_argument("--meeting", type=int, metavar="ID",
                           help="instead of --input: a meeting recorded in the database")
    monthly = publications.add_parser("monthly-report", help="the monthly Panel Sub-Committee "
                                                             "report")
    monthly.add_argument("--input", type=Path, metavar="MONTH.json")
    monthly.add_argument("--month", metavar="YYYY-MM",
                         help="instead of --input: a month recorded in the database")
    monthly.add_argument("--appendix", action="store_true",
                         help="print its confidential Appendix A (RED) instead")
    for publication in (headlines, monthly):
        publication.add_argument("--output", type=Path,
                                 help="file to write (default: standard output)")
        publication.set_defaults(handler=_publish)

    from secassure.assurance.cli import add_commands
    add_commands(sub)

    sub.add_parser("adt", help="Anomaly Detection Thresholds (see `secassure adt --help`)")
    sub.add_parser("cpl", help="CPL entries and firmware hashes (see `secassure cpl --help`)")
    sub.add_parser("notices", help="notices to the SSC: export, reminders (see `secassure "
                                   "notices --help`)")
    sub.add_parser("committee", help="committee reminders and calendars (see `secassure "
                                     "committee --help`)")
    sub.add_parser("manage", help="Django's management commands (migrate, createsuperuser, ...)")
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count from 1 to 64")
    return int(text)


def _as_of(text: str) -> date:
    from secassure.code.dates import parse_iso_date
    from secassure.code.inputs import in_range
    try:
        return in_range(parse_iso_date(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _schedule(args) -> int:
    from secassure.code.interchange import RegisterFormatError, parse_register
    from secassure.code.schedule import schedule_document
    if args.input is not None:
        try:
            records = parse_register(read_json(args.input))
        except RegisterFormatError as error:
            raise CommandError(f"{args.input}: {error}") from None
        document = schedule_document([r.facts() for r in records], args.as_of)
    else:
        setup_django()
        from secassure.assurance.selectors import register_schedule
        document = {"as_of": args.as_of.isoformat(),
                    "parties": [e.as_json() for e in register_schedule(args.as_of)]}
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def _import(args) -> int:
    document = read_json(args.file)
    setup_django()
    from secassure.assurance.services import import_register
    from secassure.code.interchange import RegisterFormatError
    from secassure.core.permissions import SYSTEM
    try:
        result = import_register(SYSTEM, document, reason=args.reason)
    except RegisterFormatError as error:
        raise CommandError(f"{args.file}: {error}") from None
    print(f"imported {len(result.created) + len(result.updated)} parties "
          f"({len(result.created)} new, {len(result.updated)} replaced)", file=sys.stderr)
    return 0


def _export(args) -> int:
    setup_django()
    from secassure.assurance.selectors import register_records
    from secassure.code.interchange import dump_register
    text = json.dumps(dump_register(register_records()), indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_output(args.output, text)
    return 0


def _publish(args) -> int:
    """A publication from an input file: Markdown, or one line naming the field or the item
    that names a party, and nothing printed."""
    from secassure.code import publications
    recorded = getattr(args, "meeting", None) if args.publication == "headlines" else getattr(
        args, "month", None)
    other = "--meeting ID" if args.publication == "headlines" else "--month YYYY-MM"
    if (args.input is None) == (recorded is None):
        raise CommandError(f"the following arguments are required: --input (or {other})"
                           if recorded is None else f"give --input or {other}, not both")
    if args.input is None:  # a recorded meeting or month: the committee's, from the database
        from secassure.committee.cli import publication_lines
        lines = publication_lines(args.publication, meeting=getattr(args, "meeting", None),
                                  month=getattr(args, "month", None),
                                  appendix=getattr(args, "appendix", False))
        return _print(args, lines)
    document = read_json(args.input)
    try:
        if args.publication == "headlines":
            lines = publications.render_headlines(publications.parse_meeting(document))
        elif args.appendix:
            lines = publications.render_appendix(publications.parse_month(document))
        else:
            lines = publications.render_report(publications.parse_month(document))
    except publications.PublicationError as error:
        raise CommandError(f"{args.input}: {error}") from None
    return _print(args, lines)


def _print(args, lines: list[str]) -> int:
    text = "\n".join(lines) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_output(args.output, text)
    return 0


def _migrate(args) -> int:
    migrate()
    print("database schema up to date", file=sys.stderr)
    return 0


def _demo(args) -> int:
    migrate()
    from secassure.demo import load_demo
    if not load_demo():
        raise CommandError("the register is not empty; the demo loads only into an empty one")
    print("demo register loaded; demo logins use the password 'demo'", file=sys.stderr)
    return 0


def _journal(args) -> int:
    setup_django()
    from secassure.core.journal.services import checkpoint, verify
    if args.action == "checkpoint":
        written = checkpoint()
        print(f"checkpoint written: {written}" if written else "the journal is empty",
              file=sys.stderr)
        return 0
    problems = verify()
    for problem in problems:
        print(f"entry {problem.entry_id}: {problem.problem}")
    if problems:
        return 1
    print("journal intact")
    return 0


def _user(args) -> int:
    setup_django()
    from secassure.accounts.services import add_person
    from secassure.code.interchange import RegisterFormatError
    password = sys.stdin.readline().rstrip("\n")
    try:
        add_person(args.username, args.kind, args.party, password)
    except (RegisterFormatError, ValueError) as error:
        raise CommandError(str(error)) from None
    print(f"added {args.username}", file=sys.stderr)
    return 0


def _token(args) -> int:
    setup_django()
    from secassure.accounts.services import api_token
    try:
        print(api_token(args.username))
    except LookupError as error:
        raise CommandError(str(error)) from None
    return 0


def _serve(args) -> int:
    if args.demo:
        os.environ["SECASSURE_DEMO"] = "1"
    migrate()
    from django.conf import settings

    from secassure.web.server import default_workers, serve
    from secassure.web.wsgi import application
    if args.demo:
        from secassure.demo import DEMO_STAFF, load_demo
        if load_demo():
            print("loaded the demo register", file=sys.stderr)
        print("demo logins (password 'demo'): " + ", ".join(DEMO_STAFF)
              + ", and rep-<party id> for each demo party", file=sys.stderr)
    workers = args.workers or default_workers()
    print(f"secassure on http://{args.host}:{args.port}/ (database: "
          f"{settings.DATABASES['default']['NAME']}; {workers} "
          f"process{'es' if workers != 1 else ''} of {args.threads} threads)", file=sys.stderr)
    return serve(application, host=args.host, port=args.port, workers=workers,
                 threads=args.threads, after_start=lambda: _checkpoint_every(15 * 60))


def _checkpoint_every(seconds: int) -> None:
    """While the server runs, sign the journal's head into a checkpoint now and then (when
    it has moved), so cutting off the newest entries is caught by `journal verify`."""
    import logging
    import threading

    from django.db import connection

    from secassure.core.journal.models import JournalEntry
    from secassure.core.journal.services import checkpoint

    def loop(last: int | None = None) -> None:
        while True:
            try:
                newest = JournalEntry.objects.order_by("-id").values_list("id", flat=True).first()
                if newest is not None and newest != last:
                    checkpoint()
                    last = newest
            except Exception:  # keep serving; the operator sees why in the log
                logging.getLogger("secassure.journal").exception("journal checkpoint failed")
            finally:
                connection.close()
            stop.wait(seconds)
    stop = threading.Event()
    threading.Thread(target=loop, name="journal-checkpoints", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
