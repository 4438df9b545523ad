"""`secassure cpl verify-hash|list` and `secassure notices export|remind`: CPL entries' firmware
hashes and notices on the command line.

`cpl verify-hash --entry ID --firmware FILE` holds a firmware image against the SHA-256 its
CPL entry records (seed 000: "a CPL entry with an incorrect hash value"): exit 0 and a
`match` line when they agree, exit 1 and a `MISMATCH` line naming both digests when they do
not, exit 2 and one line on standard error for bad input (no such entry, unreadable file).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from secassure.core.cli import (
    USAGE_ERROR,
    CommandError,
    Parser,
    not_text,
    one_line,
    setup_django,
    write_output,
)

MISMATCH = 1


def _entry_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:
        raise argparse.ArgumentTypeError(f"{one_line(repr(text))[:40]} is not an entry id "
                                         "(a whole number from 1)")
    return int(text)


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{one_line(repr(text))[:40]} is not a date "
                                         "(YYYY-MM-DD)") from None


def _cpl_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="secassure cpl", description="CPL entries and firmware hashes (G7.20)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    verify = sub.add_parser("verify-hash", help="check a firmware image against its CPL "
                                                "entry's SHA-256")
    verify.add_argument("--entry", type=_entry_id, required=True, metavar="ID")
    verify.add_argument("--firmware", type=Path, required=True, metavar="FILE")
    sub.add_parser("list", help="the CPL entries with their hashes")
    return parser


def _notices_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="secassure notices", description="Notices to the SSC")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    export = sub.add_parser("export", help="every notice as CSV or JSON (for SECAS)")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    remind = sub.add_parser("remind", help="send the reminders of what notices owe")
    remind.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD",
                        help="the day to remind as of (default: today; run daily by cron)")
    return parser


def run_cpl(argv: list[str]) -> int:
    return _run("cpl", _cpl_parser(), argv)


def run_notices(argv: list[str]) -> int:
    return _run("notices", _notices_parser(), argv)


def _run(name: str, parser: argparse.ArgumentParser, argv: list[str]) -> int:
    garbled = not_text(argv)
    if garbled is not None:
        print(f"secassure {name}: error: argument {garbled} is not UTF-8 text", file=sys.stderr)
        return USAGE_ERROR
    args = parser.parse_args(argv)
    try:
        return _HANDLERS[(name, args.command)](args)
    except CommandError as error:
        print(f"secassure {name} {args.command}: error: {one_line(error)}", file=sys.stderr)
        return USAGE_ERROR


def _verify_hash(args: argparse.Namespace) -> int:
    if not args.firmware.is_file():
        raise CommandError(f"{args.firmware}: no such file")
    setup_django()
    from .models import CplEntry
    from .services import verify_firmware
    entry = CplEntry.objects.filter(pk=args.entry).first()
    if entry is None:
        raise CommandError(f"--entry {args.entry}: no such CPL entry")
    try:
        check = verify_firmware(entry, args.firmware)
    except OSError as error:
        raise CommandError(f"{args.firmware}: cannot read: {error.strerror}") from None
    if check.matches:
        print(f"match: {args.firmware} has the SHA-256 recorded for CPL entry {entry.pk} "
              f"({entry}): {check.found}")
        return 0
    print(f"MISMATCH: {args.firmware} has SHA-256 {check.found}; CPL entry {entry.pk} "
          f"({entry}) records {check.expected}")
    return MISMATCH


def _list(args: argparse.Namespace) -> int:
    setup_django()
    from .models import CplEntry
    for entry in CplEntry.objects.all():
        expiry = entry.certificate_expires or (f"lifetime, renew {entry.certificate_renewal}"
                                               if entry.certificate_renewal else "")
        print(f"{entry.pk}\t{entry.manufacturer}\t{entry.model_hex}\t{entry.firmware_version}"
              f"\t{entry.firmware_sha256}\t{expiry}")
    return 0


def _export(args: argparse.Namespace) -> int:
    setup_django()
    from secassure.core.permissions import SYSTEM

    from .exports import as_csv, as_json
    from .selectors import notices
    found = notices(SYSTEM).order_by("id")
    text = as_csv(found) if args.format == "csv" else as_json(found)
    if args.out:
        write_output(args.out, text)
    else:
        sys.stdout.write(text)
    return 0


def _remind(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from .reminders import send_notice_reminders
    sent = send_notice_reminders(args.as_of or timezone.localdate())
    print(f"reminders sent to {len(sent)} people", file=sys.stderr)
    return 0


_HANDLERS = {("cpl", "verify-hash"): _verify_hash, ("cpl", "list"): _list,
             ("notices", "export"): _export, ("notices", "remind"): _remind}
