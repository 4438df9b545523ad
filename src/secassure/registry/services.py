"""Every change to the register: one function per business action, checked, atomic, journaled."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from secassure.accounts.permissions import require
from secassure.assurance.models import Assessment
from secassure.code.classification import Classification
from secassure.code.interchange import (PartyRecord, RegisterFormatError, dump_register,
                                         parse_register)
from secassure.code.permissions import Action
from secassure.code.workflow import Stage
from secassure.journal.services import record

from .models import Party, PartyRole, ResourceSharing, UserId
from .selectors import register_records


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]


def import_register(actor, document: object, reason: str = "register import") -> ImportResult:
    """Load an interchange document: all of it or, on the first problem, none of it.

    Parties already in the register are replaced by the document's version (their roles, User
    IDs, sharing and assessment history); parties not named in it are left as they are.
    """
    require(actor, Action.EDIT_REGISTER)
    known = set(Party.objects.values_list("party_id", flat=True))
    records = parse_register(document, known_ids=known)
    with transaction.atomic():
        return _apply(actor, records, reason)


def save_party(actor, record: PartyRecord, reason: str) -> Party:
    """Create or replace one party from a form or the API (same checks as an import)."""
    require(actor, Action.EDIT_REGISTER)
    known = Party.objects.exclude(party_id=record.id).values_list("party_id", flat=True)
    parse_register({"parties": [_as_document(record)]}, known_ids=known)
    with transaction.atomic():
        _apply(actor, [record], reason)
        return Party.objects.get(party_id=record.id)


def _as_document(record: PartyRecord) -> dict:
    return dump_register([record])["parties"][0]


def _apply(actor, records: list[PartyRecord], reason: str) -> ImportResult:
    ids = [r.id for r in records]
    existing = {p.party_id: p for p in Party.objects.filter(party_id__in=ids)}
    before = {r.id: r for r in register_records([p.id for p in existing.values()])}
    _check_user_ids_free(records)
    created = []
    for rec in records:
        party = existing.get(rec.id) or Party(party_id=rec.id)
        if party.pk is None:
            created.append(rec.id)
        party.name = rec.name
        party.domestic_premises = rec.domestic_premises
        party.non_domestic_premises = rec.non_domestic_premises
        party.ssc_next_category = rec.ssc_next_category.value if rec.ssc_next_category else ""
        party.resource_provider = None
        party.save()
        existing[rec.id] = party
    by_id = existing | {p.party_id: p for p in Party.objects.filter(
        party_id__in={r.resource_provider for r in records if r.resource_provider}
        | {o for r in records for o in r.shares_resources_with})}
    parties = [by_id[r.id] for r in records]
    for rec, party in zip(records, parties):
        if rec.resource_provider:
            party.resource_provider = by_id[rec.resource_provider]
            party.save(update_fields=["resource_provider"])
    PartyRole.objects.filter(party__in=parties).delete()
    ResourceSharing.objects.filter(party__in=parties).delete()
    # History is replaced; assessments run on the platform (with their reports, responses
    # and decisions) are kept, and history that repeats one of them is not added twice.
    Assessment.objects.filter(party__in=parties, stage=Stage.RECORDED.value).delete()
    worked = set(Assessment.objects.filter(party__in=parties, completed__isnull=False)
                 .values_list("party_id", "category", "completed"))
    for rec, party in zip(records, parties):
        roles = PartyRole.objects.bulk_create(PartyRole(party=party, role=r.value)
                                              for r in rec.roles)
        role_rows = {row.role: row for row in roles}
        UserId.objects.bulk_create(UserId(party_role=role_rows[role.value], value=value)
                                   for role, values in rec.user_ids.items() for value in values)
        ResourceSharing.objects.bulk_create(ResourceSharing(party=party, partner=by_id[o])
                                            for o in rec.shares_resources_with)
        Assessment.objects.bulk_create(
            Assessment(party=party, category=a.type.value, completed=a.completed,
                       initial=a.initial,
                       assurance_status=a.assurance_status.value if a.assurance_status else "",
                       status_set=a.status_set) for a in rec.assessments
            if (party.pk, a.type.value, a.completed) not in worked)
        old = before.get(rec.id)
        record(actor, "registry.party.created" if old is None else "registry.party.replaced",
               reason=reason, clause="G1.5", party=party, subject=f"party:{rec.id}",
               details={"changed": _changes(old, rec)},
               classification=Classification.AMBER)
    return ImportResult(created=created, updated=[r.id for r in records if r.id not in created])


def _check_user_ids_free(records: list[PartyRecord]) -> None:
    wanted = {v: r.id for r in records for values in r.user_ids.values() for v in values}
    taken = UserId.objects.filter(value__in=list(wanted)).exclude(
        party_role__party__party_id__in=[r.id for r in records]).values_list(
        "value", "party_role__party__party_id")
    for value, owner in taken:
        raise RegisterFormatError(f"User ID {value!r} is already used by party {owner}",
                                  f'"{wanted[value]}"', "user_ids")


def _changes(old: PartyRecord | None, new: PartyRecord) -> list[str]:
    """The names of the fields that changed (the journal keeps what, not the whole record)."""
    if old is None:
        return ["all"]
    return [name for name in PartyRecord.__dataclass_fields__
            if getattr(old, name) != getattr(new, name)]
