"""Loading the engine's decisions into the desk: QUARANTINE rows wait for the User's
instruction (G6.1(a)(ii)-(iii)); DELETE rows (a SMETS1 Service Request outside its SRV's
limits, deleted by the DCC, G6.1(d)(i)) are recorded read-only. The owner of every quarantined
and every deleted communication is notified securely: one notice per load per party, a
summary with counts behind the sign-in (G6.1(a)(ii), G6.1(d)(i)).

`record_decisions` is the one entry: the file load (`load_quarantine`, the desk's page, API
and `secassure adt load-quarantine`) and the live engine's sink call it with rows.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from secassure.accounts.models import Person
from secassure.code import inputs
from secassure.code.classification import Classification, PersonKind
from secassure.code.permissions import Action
from secassure.core.journal.services import record
from secassure.core.journal.words import counted
from secassure.core.permissions import require
from secassure.core.retry import exclusive, retried
from secassure.registry.models import Party, UserId

from .models import DeskNotice, QuarantinedCommunication

#: The decisions the desk takes from a run (`adt run` v2 output); PROCESS rows are skipped.
ON_THE_DESK = {"QUARANTINE": QuarantinedCommunication.Decision.QUARANTINE,
               "DELETE": QuarantinedCommunication.Decision.DELETE}
DECISIONS = ("PROCESS", "QUARANTINE", "DELETE")
#: Who of a party is told (its own people; never the DCC's people as the party's).
NOTIFIED_KINDS = (PersonKind.PARTY_REP.value, PersonKind.TRIAGE_OPERATOR.value)


class QuarantineFileError(ValueError):
    """A problem in a traffic or decisions file, naming the file, line and field."""


@dataclass(frozen=True)
class DecisionRow:
    """One decision of the engine about one communication (`adt run` v2 and `adt live`)."""
    id: str
    ts: datetime
    user_id: str
    srv: str
    command: str
    decision: str   # PROCESS, QUARANTINE or DELETE
    reason: str = ""


@dataclass(frozen=True)
class Loaded:
    """What a load added: new communications on the desk, and the notices sent."""
    quarantined: int
    deleted: int
    notices: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.quarantined + self.deleted


def load_quarantine(user: Any, traffic: Path, decisions: Path, label: str = "") -> int:
    """Add every QUARANTINE and DELETE decision of a run (`secassure adt run`) to the desk;
    the number of communications added (see `load_decisions`)."""
    return load_decisions(user, traffic, decisions, label).total


def load_decisions(user: Any, traffic: Path, decisions: Path, label: str = "") -> Loaded:
    """Add every QUARANTINE and DELETE decision of a run to the desk, with the User ID, SRV (or
    command) and time from the traffic and the engine's reason; notify each owner once.
    Communications already on the desk are skipped; the load is all or nothing."""
    require(user, Action.LOAD_QUARANTINE)
    chosen: dict[str, tuple[str, str]] = {}
    for line, row in _rows(decisions, ("id", "decision")):
        decision = (row.get("decision") or "").strip()
        if decision not in DECISIONS:
            raise QuarantineFileError(f"{decisions}, line {line}, field 'decision': "
                                      f"{decision!r} is not PROCESS, QUARANTINE or DELETE")
        if decision in ON_THE_DESK:
            reason_field = "reason" if "reason" in row else "key"
            chosen[_field(row, "id", 120, decisions, line)] = \
                (decision, _field(row, reason_field, 120, decisions, line))
    rows: list[DecisionRow] = []
    for line, row in _rows(traffic, ("id", "ts", "user_id", "srv")):
        if row["id"] not in chosen:
            continue
        srv = _field(row, "srv", 12, traffic, line)
        command = _field(row, "command", 60, traffic, line)
        if not srv and not command:
            raise QuarantineFileError(f"{traffic}, line {line}, field 'srv': empty, and no "
                                      "command (G6.6(c))")
        decision, reason = chosen.pop(row["id"])
        rows.append(DecisionRow(row["id"], _timestamp(row["ts"], traffic, line),
                                _field(row, "user_id", 64, traffic, line), srv,
                                "" if srv else command, decision, reason))
    if chosen:
        raise QuarantineFileError(f"{traffic}: communication {sorted(chosen)[0]!r} is "
                                  "quarantined or deleted in the decisions but not in the traffic")
    return record_decisions(user, rows, label)


def record_decisions(user: Any, rows: Iterable[DecisionRow], label: str = "") -> Loaded:
    """Record the engine's QUARANTINE and DELETE decisions on the desk (PROCESS rows are
    skipped) and notify each owner party once, with counts (G6.1(a)(ii), G6.1(d)(i)). The
    one service of the file load and of the live engine's sink: all or nothing; a
    communication already on the desk is skipped, so a repeated load adds and notifies nothing.
    """
    require(user, Action.LOAD_QUARANTINE)
    wanted: dict[str, DecisionRow] = {}
    for row in rows:
        if row.decision not in DECISIONS:
            raise QuarantineFileError(f"{row.id}: decision {row.decision!r} is not PROCESS, "
                                      "QUARANTINE or DELETE")
        if row.decision in ON_THE_DESK:
            wanted.setdefault(row.id, row)
    return _store(user, wanted, label)


@retried
def _store(user: Any, wanted: dict[str, DecisionRow], label: str) -> Loaded:
    """Add the communications not yet on the desk, in one transaction; two loads of the same
    run at once queue on one lock, so the second finds the first's and adds none."""
    with transaction.atomic():
        exclusive("anomaly.quarantine.load")
        known = set(QuarantinedCommunication.objects.filter(
            communication_id__in=list(wanted)).values_list("communication_id", flat=True))
        fresh = [row for cid, row in wanted.items() if cid not in known]
        ids = {u.value: u for u in UserId.objects.filter(
            value__in={r.user_id for r in fresh}).select_related("party_role__party")}
        by_party: dict[Party, list[DecisionRow]] = defaultdict(list)
        for row in fresh:
            if row.user_id in ids:
                by_party[ids[row.user_id].party_role.party].append(row)
        notices = {party: _notice(party, party_rows, label)
                   for party, party_rows in sorted(by_party.items(), key=lambda p: p[0].pk)}
        new = [_communication(row, ids.get(row.user_id), notices) for row in fresh]
        QuarantinedCommunication.objects.bulk_create(new, batch_size=2000)
        quarantined = sum(1 for c in new if c.decision == "quarantine")
        deleted = len(new) - quarantined
        source = f" from {label}" if label else ""
        record(user, "anomaly.quarantine.loaded", clause="G6.1(a)(ii)",
               reason=counted(quarantined, "quarantined communication",
                              "quarantined communications") + f" loaded{source}"
               + (f"; {counted(deleted, 'deletion', 'deletions')} (G6.1(d)(i))"
                  if deleted else ""),
               details={"loaded": quarantined, "deleted": deleted,
                        "skipped": len(wanted) - len(new)},
               classification=Classification.AMBER)
        for party, notice in notices.items():
            record(user, "anomaly.desk.notified", clause="G6.1(d)(i)" if notice.deleted
                   else "G6.1(a)(ii)", party=party, subject=f"desk_notice:{notice.pk}",
                   reason=f"{party.party_id} notified: {notice.quarantined} quarantined, "
                          f"{notice.deleted} deleted",
                   details={"quarantined": notice.quarantined, "deleted": notice.deleted},
                   classification=Classification.AMBER)
        transaction.on_commit(lambda: _mail([*notices.values()]))
    return Loaded(quarantined, deleted, tuple(n.pk for n in notices.values()))


def _notice(party: Party, rows: list[DecisionRow], label: str) -> DeskNotice:
    deleted = sum(1 for r in rows if r.decision == "DELETE")
    return DeskNotice.objects.create(
        party=party, quarantined=len(rows) - deleted, deleted=deleted,
        first_ts=min(r.ts for r in rows), last_ts=max(r.ts for r in rows), label=label[:200])


def _communication(row: DecisionRow, user_id: UserId | None,
                   notices: dict[Party, DeskNotice]) -> QuarantinedCommunication:
    delete = row.decision == "DELETE"
    return QuarantinedCommunication(
        communication_id=row.id, ts=row.ts, user_id=user_id, user_id_value=row.user_id,
        srv=row.srv, command="" if row.srv else row.command, key=row.reason,
        decision=ON_THE_DESK[row.decision],
        status=QuarantinedCommunication.Status.DCC_DELETED if delete
        else QuarantinedCommunication.Status.PENDING,
        notice=notices.get(user_id.party_role.party) if user_id else None)


def _mail(notices: list[DeskNotice]) -> None:
    """An e-mail to each notified party's own people saying where to look; the details stay
    behind the sign-in (the notice on the desk)."""
    messages = []
    for notice in notices:
        recipients = sorted(set(Person.objects.filter(
            party=notice.party, kind__in=NOTIFIED_KINDS, is_active=True)
            .exclude(email="").values_list("email", flat=True)))
        body = ("The DCC has quarantined or deleted communications of your User IDs "
                "(SEC G6.1(a)(ii), G6.1(d)(i)).\n\nSign in to secassure and open the quarantine "
                "desk to read the notice. This message carries no details.")
        messages += [(f"[secassure] {notice.party.party_id}: notice from the quarantine desk",
                      body, settings.DEFAULT_FROM_EMAIL, [r]) for r in recipients]
    if messages:
        send_mass_mail(messages, fail_silently=True)


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = open(path, newline="", encoding="utf-8")  # noqa: SIM115 (closed just below)
    except OSError as error:
        raise QuarantineFileError(f"{path}: cannot read: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise QuarantineFileError(f"{path}, line 1: missing column {missing[0]!r}")
            yield from enumerate(reader, start=2)
        except UnicodeDecodeError as error:
            raise QuarantineFileError(f"{path}: not UTF-8 text (byte {error.start})") from None
        except csv.Error as error:  # a field over the limit, a NUL, a broken quote
            raise QuarantineFileError(f"{path}, line {max(reader.line_num, 1)}: {error}") \
                from None


def _field(row: dict[str, Any], name: str, limit: int, path: Path, line: int) -> str:
    """One field of a row, by the platform's rule for a one-line name of `limit`
    characters (a row too short for it has none)."""
    try:
        return inputs.name(row.get(name) or "", limit)
    except ValueError as error:
        raise QuarantineFileError(f"{path}, line {line}, field {name!r}: {error}") from None


def _timestamp(text: str | None, path: Path, line: int) -> datetime:
    try:
        moment = datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        raise QuarantineFileError(f"{path}, line {line}, field 'ts': {text!r} is not an ISO "
                                  "8601 time") from None
    if moment.utcoffset() is None:
        raise QuarantineFileError(f"{path}, line {line}, field 'ts': {text!r} has no time "
                                  "zone (ISO 8601 UTC)")
    return moment
