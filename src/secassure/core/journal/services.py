"""Writing to and checking the journal."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from secassure.code.classification import Classification

from .models import GENESIS, JournalEntry, JournalHead


def record(actor, action: str, *, reason: str = "", clause: str = "", party=None,
           subject: str = "", details: dict | None = None,
           classification: Classification = Classification.AMBER) -> JournalEntry:
    """Append one entry. Call inside the transaction of the change it records."""
    with transaction.atomic():
        head, _ = JournalHead.objects.select_for_update().get_or_create(pk=1)
        entry = JournalEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_label(actor), action=action, clause=clause, reason=reason,
            party=party, subject=subject, details=details or {},
            classification=Classification(classification).value,
            previous_hash=head.last_hash)
        entry.entry_hash = entry.compute_hash(party.party_id if party else None)
        entry.save()
        JournalHead.objects.filter(pk=1).update(last_hash=entry.entry_hash)
        return entry


def _label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    problem: str


def verify() -> list[ChainProblem]:
    """Walk the chain in order; every break is reported with the entry where it shows."""
    problems, previous = [], GENESIS
    entries = JournalEntry.objects.select_related("party").order_by("id").iterator(
        chunk_size=2000)
    for entry in entries:
        if entry.previous_hash != previous:
            problems.append(ChainProblem(entry.id, "does not follow the entry before it "
                                                   "(an entry was removed or reordered)"))
        if entry.compute_hash(entry.party.party_id if entry.party else None) != entry.entry_hash:
            problems.append(ChainProblem(entry.id, "its content does not match its hash "
                                                   "(it was altered)"))
        previous = entry.entry_hash
    head = JournalHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        problems.append(ChainProblem(0, "the newest entries are missing (the chain ends early)"))
    return problems
