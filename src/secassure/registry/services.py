"""Every change to the register: one function per business action, checked, atomic, journaled.

The register holds parties, their User Roles and User IDs, premises and sharing. An
interchange document also carries assessment history: `secassure.assurance.services.history`
imports the whole document, calling `save_parties` here for the register's part.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.db import transaction

from secassure.code.classification import Classification
from secassure.code.interchange import PartyRecord, RegisterFormatError, dump_register, parse_register
from secassure.code.permissions import Action
from secassure.core.journal.services import record
from secassure.core.permissions import require

from .models import Party, PartyRole, ResourceSharing, UserId
from .selectors import known_parties, party_records


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]


def save_party(actor, party: PartyRecord, reason: str) -> Party:
    """Create or replace one party from a form or the API (same checks as an import); its
    assessment history is not touched."""
    require(actor, Action.EDIT_REGISTER)
    parse_register({"parties": [_as_document(party)]}, **known_parties(excluding=party.id))
    with transaction.atomic():
        save_parties(actor, [party], reason)
        return Party.objects.get(party_id=party.id)


def _as_document(party: PartyRecord) -> dict:
    return dump_register([party])["parties"][0]


def save_parties(actor, records: list[PartyRecord], reason: str) -> ImportResult:
    """Create the parties of `records` or replace their register facts (roles, User IDs,
    premises, provider, sharing), journaling each party; their assessment history is left to
    the assurance app. Call inside a transaction, with records already parsed and checked."""
    require(actor, Action.EDIT_REGISTER)
    ids = [r.id for r in records]
    existing = {p.party_id: p for p in Party.objects.filter(party_id__in=ids)}
    before = {r.id: r for r in party_records([p.pk for p in existing.values()])}
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
    for rec, party in zip(records, parties):
        roles = PartyRole.objects.bulk_create(PartyRole(party=party, role=r.value)
                                              for r in rec.roles)
        role_rows = {row.role: row for row in roles}
        UserId.objects.bulk_create(UserId(party_role=role_rows[role.value], value=value)
                                   for role, values in rec.user_ids.items() for value in values)
        ResourceSharing.objects.bulk_create(ResourceSharing(party=party, partner=by_id[o])
                                            for o in rec.shares_resources_with)
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
    """The names of the register fields that changed (the journal keeps what, not the whole
    record; the assessment history is journaled by the assurance app)."""
    if old is None:
        return ["all"]
    return [field.name for field in dataclasses.fields(PartyRecord)
            if field.name != "assessments" and getattr(old, field.name) != getattr(new, field.name)]
