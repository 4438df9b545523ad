"""`secassure adt keygen|sign|submit|export|load-quarantine|coverage`: the thresholds register
on the command line, for Users without the web form. (`secassure adt run`, the engine, lives
in `secassure.adt.cli`.)

Bad input gives one line on standard error and exit status 2; nothing is half-written.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from secassure.core.cli import (
    USAGE_ERROR,
    CommandError,
    Parser,
    not_text,
    one_line,
    party_id,
    setup_django,
    username,
    write_output,
)
from secassure.core.journal.words import counted

from .cli_consultation import HANDLERS as CONSULTATION_HANDLERS
from .cli_consultation import add_commands as add_consultation_commands


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="secassure adt", description="Anomaly Detection Thresholds (G6)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    sub.add_parser("run", help="replay traffic through thresholds (see `secassure adt run -h`)")
    sub.add_parser("live", help="the engine on a Redis Stream, decisions exactly once (see "
                                "`secassure adt live -h`)")
    keygen = sub.add_parser("keygen", help="make an ECDSA P-256 key pair for signing files")
    keygen.add_argument("--out", type=Path, required=True,
                        help="private key file to write (the public key goes to OUT.pub)")
    sign = sub.add_parser("sign", help="sign a threshold file or exit-quarantine instruction")
    sign.add_argument("file", type=Path)
    sign.add_argument("--key", type=Path, required=True, help="your private key (PEM)")
    sign.add_argument("--out", type=Path, help="signature file (default FILE.sig)")
    acting = "the person acting: one of the party's own people (G6.4, G6.6A)"
    submit = sub.add_parser("submit", help="apply a signed file to the register (G6.6A)")
    submit.add_argument("file", type=Path)
    submit.add_argument("--signature", type=Path, help="default FILE.sig")
    submit.add_argument("--as", dest="acting", type=username, help=acting)
    register = sub.add_parser("register-key", help="register a party's public key (G6.6A)")
    register.add_argument("party", type=party_id)
    register.add_argument("public_key", type=Path)
    register.add_argument("--as", dest="acting", type=username, help=acting)
    revoke = sub.add_parser("revoke-key", help="revoke a party's signing key (G6.6A)")
    revoke.add_argument("party", type=party_id)
    revoke.add_argument("fingerprint", help="the key's SHA-256 fingerprint (or its start)")
    revoke.add_argument("--reason", required=True)
    revoke.add_argument("--as", dest="acting", type=username, required=True,
                        help="the person acting: the party's own people, the DCC or SECAS")
    export = sub.add_parser("export", help="the register's thresholds (and limits) as the "
                                           "engine's CSV files")
    export.add_argument("--thresholds", type=Path, required=True)
    export.add_argument("--limits", type=Path)
    export.add_argument("--exceptions", type=Path,
                        help="the exceptions held (G6.1(a)(i)), for `adt run --exceptions`")
    load = sub.add_parser("load-quarantine", help="put a run's quarantined and deleted "
                                                  "communications on the desk; notify owners")
    load.add_argument("--traffic", type=Path, required=True)
    load.add_argument("--decisions", type=Path, required=True)
    redis_help = "Redis URL (default SECASSURE_REDIS_URL, else redis://127.0.0.1:6379/0)"
    desk = sub.add_parser("live-desk", help="put the live engine's quarantines and deletions "
                                            "on the desk as they come (G6.1(a)(ii), G6.1(d)(i))")
    desk.add_argument("--output", required=True, help="the live engine's output stream")
    desk.add_argument("--redis", help=redis_help)
    desk.add_argument("--exit-when-idle", type=float, default=0.0, help=argparse.SUPPRESS)
    publish = sub.add_parser("live-publish", help="send the register's thresholds, limits "
                                                  "and exceptions to a live engine (G6.6A)")
    publish.add_argument("--output", required=True, help="the live engine's output stream")
    publish.add_argument("--redis", help=redis_help)
    publish.add_argument("--from", dest="start", help="the input stream id from which the "
                         "new thresholds apply (default: the engine's next entry)")
    summary = sub.add_parser("summary", help="per key and hour, communications and the peak "
                                             "windowed count, for the charts (G6.3)")
    summary.add_argument("traffic", type=Path, help="a traffic CSV, as `adt run` reads it")
    summary.add_argument("--window", type=int, default=86400,
                         help="the counting window in seconds, as `adt run --window-seconds`")
    summary.add_argument("--bucket", type=int, default=3600, help="bucket in seconds")
    summary.add_argument("--out", type=Path, help="write the summary CSV here")
    summary.add_argument("--load", action="store_true",
                         help="load it into the register for the charts (the DCC)")
    coverage = sub.add_parser("coverage", help="mandatory thresholds each User ID lacks (G6.3)")
    coverage.add_argument("party", nargs="?", type=party_id,
                          help="a party id (default: every party)")
    add_consultation_commands(sub)  # G6.7(b)-G6.10
    return parser


def run_command(argv: list[str]) -> int:
    garbled = not_text(argv)
    if garbled is not None:  # bytes that are not UTF-8: no command can take them
        print(f"secassure adt: error: argument {garbled} is not UTF-8 text", file=sys.stderr)
        return USAGE_ERROR
    if argv[:1] == ["run"]:
        from secassure.adt.cli import run_command as run_engine
        return run_engine(argv)
    if argv[:1] == ["live"]:
        from secassure.adt.live import main as run_live
        return run_live(argv[1:])
    args = _parser().parse_args(argv)
    try:
        return _HANDLERS[args.command](args)
    except CommandError as error:
        print(f"secassure adt {args.command}: error: {one_line(error)}", file=sys.stderr)
        return USAGE_ERROR


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror}") from None


def _write_new(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a file that must not exist yet (keys are never overwritten)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise CommandError(f"{path}: already exists; not overwritten") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot write: {error.strerror}") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _keygen(args) -> int:
    from secassure.adt.signing import fingerprint, generate_key
    private, public = generate_key()
    public_path = args.out.with_name(args.out.name + ".pub")
    if public_path.exists():
        raise CommandError(f"{public_path}: already exists; not overwritten")
    _write_new(args.out, private, 0o600)
    _write_new(public_path, public)
    print(f"private key {args.out} (keep it secret), public key {public_path} (register it "
          f"with SECAS or the DCC); fingerprint {fingerprint(public)}", file=sys.stderr)
    return 0


def _sign(args) -> int:
    from secassure.adt.signing import SignatureError, sign
    try:
        signature = sign(_read(args.file), _read(args.key))
    except SignatureError as error:
        raise CommandError(f"{args.key}: {error}") from None
    out = args.out or args.file.with_name(args.file.name + ".sig")
    write_output(out, signature)
    print(f"signature written to {out}", file=sys.stderr)
    return 0


def _submit(args) -> int:
    content = _read(args.file)
    signature_path = args.signature or args.file.with_name(args.file.name + ".sig")
    signature = _read(signature_path) if signature_path.exists() or args.signature else b""
    setup_django()
    from django.core.exceptions import PermissionDenied

    from secassure.anomaly.services import SubmissionRefused, submit_signed_file
    try:
        submission = submit_signed_file(_acting(args.acting), content, signature)
    except (SubmissionRefused, PermissionDenied) as error:
        raise CommandError(f"{args.file}: refused: {error}") from None
    print(f"{args.file}: applied ({submission.get_kind_display()}, id {submission.identifier})",
          file=sys.stderr)
    return 0


def _acting(name: str | None):
    """The person named by --as: the console acts as a person, never in a party's name by
    itself (G6.4, G6.6A); without --as the services refuse it as they refuse SECAS."""
    from secassure.accounts.models import Person
    from secassure.core.permissions import SYSTEM
    if name is None:
        return SYSTEM
    person = Person.objects.filter(username=name, is_active=True).select_related(
        "party").first()
    if person is None:
        raise CommandError(f"--as: no active person {name!r}")
    return person


def _revoke_key(args) -> int:
    setup_django()
    from django.core.exceptions import PermissionDenied

    from secassure.anomaly.models import SigningKey
    from secassure.anomaly.services import ThresholdError, revoke_signing_key
    keys = list(SigningKey.objects.filter(party__party_id=args.party,
                                          fingerprint__startswith=args.fingerprint.lower())[:2])
    if len(keys) != 1:
        raise CommandError(f"{args.party}: {'no' if not keys else 'more than one'} key "
                           f"starts {args.fingerprint!r}")
    try:
        key = revoke_signing_key(_acting(args.acting), keys[0], args.reason)
    except (ThresholdError, PermissionDenied) as error:
        raise CommandError(f"{args.party}: {error}") from None
    print(f"revoked key {key.fingerprint} of {args.party}", file=sys.stderr)
    return 0


def _register_key(args) -> int:
    public = _read(args.public_key).decode("ascii", "replace")
    setup_django()
    from django.core.exceptions import PermissionDenied

    from secassure.adt.signing import SignatureError, fingerprint
    from secassure.anomaly.services import ThresholdError, register_signing_key
    from secassure.registry.models import Party
    party = Party.objects.filter(party_id=args.party).first()
    if party is None:
        raise CommandError(f"no party has id {args.party!r}")
    try:
        fingerprint(public.encode())  # the file first: what it holds, whoever runs this
    except SignatureError as error:
        raise CommandError(f"{args.public_key}: public_pem: {error}") from None
    try:
        key = register_signing_key(_acting(args.acting), party, public)
    except (ThresholdError, PermissionDenied) as error:
        raise CommandError(f"{args.public_key}: {error}") from None
    print(f"registered key {key.fingerprint} for {party.party_id}", file=sys.stderr)
    return 0


def _export(args) -> int:
    setup_django()
    from secassure.anomaly.selectors import exceptions_csv, limits_csv, thresholds_csv
    for path, text in ((args.thresholds, thresholds_csv()),
                       (args.limits, limits_csv() if args.limits else None),
                       (args.exceptions, exceptions_csv() if args.exceptions else None)):
        if path is not None and text is not None:
            write_output(path, text)
    return 0


def _load(args) -> int:
    setup_django()
    from secassure.accounts.models import Person
    from secassure.anomaly.quarantine import QuarantineFileError, load_decisions
    operator = Person.objects.filter(kind="dcc", is_active=True).first()
    if operator is None:
        raise CommandError("no DCC person is registered to load the desk as "
                       "(add one: secassure user NAME --kind dcc)")
    try:
        loaded = load_decisions(operator, args.traffic, args.decisions,
                                label=str(args.decisions))
    except QuarantineFileError as error:
        raise CommandError(str(error)) from None
    print(counted(loaded.quarantined, "quarantined communication",
                  "quarantined communications") + " loaded, "
          + counted(loaded.deleted, "deletion", "deletions") + " (G6.1(d)(i)), "
          + counted(len(loaded.notices), "owner notified", "owners notified"), file=sys.stderr)
    return 0


def _redis(args):
    import redis

    from secassure.anomaly.live import redis_url
    return redis.Redis.from_url(args.redis or redis_url() or "redis://127.0.0.1:6379/0")


def _live_desk(args) -> int:
    setup_django()
    import signal
    import threading

    from secassure.accounts.models import Person
    from secassure.anomaly.live import DeskSink
    operator = Person.objects.filter(kind="dcc", is_active=True).first()
    if operator is None:
        raise CommandError("no DCC person is registered to load the desk as "
                           "(add one: secassure user NAME --kind dcc)")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    DeskSink(_redis(args), args.output, operator).run(stop, args.exit_when_idle)
    return 0


def _live_publish(args) -> int:
    setup_django()
    from secassure.anomaly.selectors import exceptions_csv, limits_csv, thresholds_csv
    fields = {"thresholds": thresholds_csv(), "limits": limits_csv(),
              "exceptions": exceptions_csv()}
    if args.start:
        fields["from"] = args.start
    entry = _redis(args).xadd(f"{args.output}:control", fields)
    print(f"published the register's thresholds to {args.output}:control as {entry.decode()}",
          file=sys.stderr)
    return 0


def _summary(args) -> int:
    from secassure.adt.summary import SummaryError, read_traffic, summarise
    if args.window < 1 or args.bucket < 60:
        raise CommandError("--window: at least 1 second; --bucket: at least 60 seconds")
    try:
        key, ts, keys = read_traffic(str(args.traffic))
    except SummaryError as error:
        raise CommandError(str(error)) from None
    micro = 1_000_000
    found = summarise(key, ts, keys, args.window * micro, args.bucket * micro)
    if args.out is not None:
        import csv
        import io
        from datetime import UTC, datetime, timedelta
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["user_id", "srv", "command", "counter", "bucket_start",
                         "communications", "peak"])
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        for k, start, count, peak in zip(found.key.tolist(), found.start.tolist(),
                                         found.count.tolist(), found.peak.tolist(),
                                         strict=True):
            moment = epoch + timedelta(microseconds=start)
            writer.writerow([*keys[k], moment.strftime("%Y-%m-%dT%H:%M:%SZ"), count, peak])
        write_output(args.out, out.getvalue())
    if args.load:
        setup_django()
        from secassure.accounts.models import Person
        from secassure.anomaly.services import ThresholdError
        from secassure.anomaly.services.desk import load_traffic_summary
        operator = Person.objects.filter(kind="dcc", is_active=True).first()
        if operator is None:
            raise CommandError("no DCC person is registered to load as")
        try:
            loaded = load_traffic_summary(operator, found, args.window, args.bucket,
                                          label=str(args.traffic))
        except ThresholdError as error:
            raise CommandError(str(error)) from None
        print(counted(loaded, "traffic bucket", "traffic buckets") + " loaded", file=sys.stderr)
    return 0


def _coverage(args) -> int:
    setup_django()
    from secassure.anomaly.selectors import coverage
    from secassure.registry.models import Party
    parties = Party.objects.filter(party_id=args.party) if args.party else Party.objects.all()
    if args.party and not parties.exists():
        raise CommandError(f"no party has id {args.party!r}")
    for party in parties.order_by("id"):
        for gap in coverage(party):
            print(f"{party.party_id}\t{gap.user_id}\t{gap.role.value}\t{gap.required.srv}\t"
                  f"{gap.required.counter}\t{gap.problem}\t{gap.required.clause}")
    return 0


_HANDLERS = {"keygen": _keygen, "sign": _sign, "submit": _submit,
             "register-key": _register_key, "revoke-key": _revoke_key, "export": _export,
             "load-quarantine": _load, "coverage": _coverage,
             "summary": _summary, "live-desk": _live_desk,
             "live-publish": _live_publish, **CONSULTATION_HANDLERS}
