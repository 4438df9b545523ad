"""Writing to the journal, checking its chain, and signing checkpoints of its head."""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import connection, transaction
from django.utils import timezone

from secassure.code.classification import Classification

from . import keys
from .models import CURRENT_SCHEME, GENESIS, JournalEntry, JournalHead


def record(actor: Any, action: str, *, reason: str = "", clause: str = "", party: Any = None,
           subject: str = "", details: dict | None = None,
           classification: Classification = Classification.AMBER) -> JournalEntry:
    """Append one entry. Call inside the transaction of the change it records: the head row
    is locked last, so the chain never forks and the lock is held as briefly as possible.

    Last means after every other lock the transaction will need, including the ones a
    foreign key takes: on PostgreSQL a row inserted with a foreign key (the entry's party and
    actor, the change's own rows) takes a key-share lock on the row it names when the check
    runs, at commit. Taken then, while the head is held, it would wait for a transaction that
    holds that row (a party being edited) and waits for the head: a deadlock. So the checks
    due so far are run now, and the entry's own rows are key-share locked, before the head."""
    key = keys.chain_key()
    with transaction.atomic():
        _before_the_head(party, actor)
        head, _ = JournalHead.objects.select_for_update().get_or_create(pk=1)
        entry = JournalEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_label(actor), action=action, clause=clause, reason=reason,
            party=party, subject=subject, details=details or {},
            classification=Classification(classification).value,
            previous_hash=head.last_hash, scheme=CURRENT_SCHEME)
        entry.entry_hash = entry.compute_hash(key)
        entry.save()
        JournalHead.objects.filter(pk=1).update(last_hash=entry.entry_hash)
        return entry


def _before_the_head(*rows: Any) -> None:
    """On PostgreSQL: run the foreign-key checks deferred so far (their key-share locks are
    taken now) and key-share lock `rows` (model instances; others are skipped), which the
    entry will name. SQLite locks the whole database for a writer: nothing to do there."""
    if connection.vendor != "postgresql":
        return
    connection.check_constraints()  # SET CONSTRAINTS ALL IMMEDIATE, then DEFERRED again
    with connection.cursor() as cursor:
        for row in rows:
            meta, pk = getattr(row, "_meta", None), getattr(row, "pk", None)
            if meta is None or pk is None:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(meta.db_table)} "
                           f"WHERE {connection.ops.quote_name(meta.pk.column)} = %s "
                           "FOR KEY SHARE", [pk])


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    problem: str


def verify(checkpoints: Path | None = None) -> list[ChainProblem]:
    """Walk the chain in order; every break is reported with the entry where it shows. The
    chain is also held against every signed checkpoint (`checkpoints`, by default
    `keys.checkpoint_dir()`): an entry a checkpoint names must still be there with the hash
    it had, so removing the newest entries or recomputing the chain is found."""
    key = keys.chain_key()
    points, problems = _read_checkpoints(checkpoints or keys.checkpoint_dir())
    previous, keyed, last_id = GENESIS, False, 0
    entries = JournalEntry.objects.select_related("party").order_by("id").iterator(
        chunk_size=2000)
    for entry in entries:
        if entry.previous_hash != previous:
            problems.append(ChainProblem(entry.id, "does not follow the entry before it "
                                                   "(an entry was removed or reordered)"))
        code = entry.party.party_id if entry.party else None
        if entry.compute_hash(key, code) != entry.entry_hash:
            problems.append(ChainProblem(entry.id, "its content does not match its hash "
                                                   "(it was altered)"))
        if entry.scheme == 1 and keyed:
            problems.append(ChainProblem(entry.id, "an unkeyed entry after keyed ones (the "
                                                   "chain was rewritten without its key)"))
        for name, point in points.pop(entry.id, []):
            if point["hash"] != entry.entry_hash:
                problems.append(ChainProblem(entry.id, f"differs from checkpoint {name} of "
                                                       f"{point['at']} (the chain was "
                                                       "rewritten)"))
        keyed = keyed or entry.scheme != 1
        previous, last_id = entry.entry_hash, entry.id
    head = JournalHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        problems.append(ChainProblem(0, "the newest entries are missing (the chain ends early)"))
    for entry_id, named in sorted(points.items()):  # checkpoints of entries no longer there
        for name, point in named:
            problems.append(ChainProblem(entry_id, f"checkpoint {name} of {point['at']} names "
                                                   f"entry {entry_id}, which is not in the "
                                                   f"journal (it ends at {last_id}: entries "
                                                   "were removed)"))
    return problems


def _read_checkpoints(directory: Path) -> tuple[dict[int, list[tuple[str, dict]]],
                                                list[ChainProblem]]:
    """The signed checkpoints by the entry they name; unreadable or forged ones as problems."""
    points: dict[int, list[tuple[str, dict]]] = {}
    problems = []
    public = keys.signing_key().public_key()
    for path in sorted(directory.glob("checkpoint-*.json")) if directory.is_dir() else []:
        try:
            point = _checked(json.loads(path.read_text(encoding="utf-8")), public)
            points.setdefault(int(point["entry"]), []).append((path.name, point))
        except (ValueError, KeyError, TypeError, InvalidSignature, UnicodeDecodeError):
            problems.append(ChainProblem(0, f"checkpoint {path.name}: unreadable or its "
                                            "signature does not verify"))
    return points, problems


def _checked(signed: dict, public: Ed25519PublicKey) -> dict:
    body = signed["checkpoint"]
    public.verify(base64.b64decode(signed["signature"], validate=True), _canonical(body))
    return body


def _canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def checkpoint(directory: Path | None = None) -> Path | None:
    """Sign the head of the chain (its newest entry's id and hash) into a file outside the
    database; None when the journal is empty. Run it regularly (`secassure journal
    checkpoint`, e.g. every hour from cron; `serve` does it every 15 minutes)."""
    newest = JournalEntry.objects.order_by("-id").values("id", "entry_hash").first()
    if newest is None:
        return None
    body = {"entry": newest["id"], "hash": newest["entry_hash"],
            "count": JournalEntry.objects.count(), "at": timezone.now().isoformat()}
    signature = keys.signing_key().sign(_canonical(body))
    target = directory or keys.checkpoint_dir()
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"checkpoint-{newest['id']:012d}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"checkpoint": body, "signature":
                                     base64.b64encode(signature).decode()}, indent=1))
    os.replace(temporary, path)
    return path
