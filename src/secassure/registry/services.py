"""Every change to the register: one function per business action, checked, atomic, journaled.

The register holds parties, their User Roles and User IDs, premises and sharing. An
interchange document also carries assessment history: `secassure.assurance.services.history`
imports the whole document, calling `save_parties` here for the register's part.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from secassure.code.classification import Classification
from secassure.code.interchange import (
    PartyRecord,
    RegisterFormatError,
    dump_register,
    parse_register,
)
from secassure.code.permissions import Action
from secassure.code.roles import UserRole
from secassure.core.deletion import taken_along
from secassure.core.journal.services import record
from secassure.core.permissions import require

from .models import Party, PartyRole, ResourceSharing, UserId
from .selectors import known_parties, party_records


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]


def save_party(actor: Any, party: PartyRecord, reason: str) -> Party:
    """Create or replace one party from a form or the API (same checks as an import); its
    assessment history is not touched."""
    require(actor, Action.EDIT_REGISTER)
    check_party(party)
    with transaction.atomic():
        save_parties(actor, [party], reason)
        return Party.objects.get(party_id=party.id)


def check_party(party: PartyRecord) -> None:
    """The checks `save_party` makes before it writes (a form checks its input with them):
    raise `RegisterFormatError` if the register would refuse `party`."""
    parse_register({"parties": [_as_document(party)]}, **known_parties(excluding=party.id))
    _check_user_ids_free([party])
    _check_one_dcc([party])


def _as_document(party: PartyRecord) -> dict:
    return dump_register([party])["parties"][0]


def save_parties(actor: Any, records: list[PartyRecord], reason: str) -> ImportResult:
    """Create the parties of `records` or replace their register facts (roles, User IDs,
    premises, provider, sharing), journaling each party; their assessment history is left to
    the assurance app. Call inside a transaction, with records already parsed and checked."""
    require(actor, Action.EDIT_REGISTER)
    ids = [r.id for r in records]
    existing = {p.party_id: p for p in Party.objects.filter(party_id__in=ids)}
    before = {r.id: r for r in party_records([p.pk for p in existing.values()])}
    _check_user_ids_free(records)
    _check_one_dcc(records)
    created = []
    for rec in records:
        party = existing.get(rec.id) or Party(party_id=rec.id)
        if party.pk is None:
            created.append(rec.id)
        facts = {"name": rec.name, "domestic_premises": rec.domestic_premises,
                 "non_domestic_premises": rec.non_domestic_premises,
                 "is_dcc": UserRole.DCC in rec.roles}  # the DCC is the party with role dcc
        changed = [name for name, value in facts.items() if getattr(party, name) != value]
        for name in changed:
            setattr(party, name, facts[name])
        if party.pk is None or changed:  # a party whose facts stay is not written at all
            party.save()
        existing[rec.id] = party
    by_id = existing | {p.party_id: p for p in Party.objects.filter(
        party_id__in={r.resource_provider for r in records if r.resource_provider}
        | {o for r in records for o in r.shares_resources_with})}
    parties = [by_id[r.id] for r in records]
    for rec, party in zip(records, parties, strict=True):
        provider = by_id[rec.resource_provider].pk if rec.resource_provider else None
        if party.resource_provider_id != provider:
            party.resource_provider_id = provider
            party.save(update_fields=["resource_provider", "updated"])
    for rec, party in zip(records, parties, strict=True):
        _upsert_roles_and_user_ids(party, rec)
        ResourceSharing.objects.filter(party=party).exclude(
            partner__party_id__in=rec.shares_resources_with).delete()
        kept = set(ResourceSharing.objects.filter(party=party).values_list(
            "partner__party_id", flat=True))
        ResourceSharing.objects.bulk_create(ResourceSharing(party=party, partner=by_id[o])
                                            for o in rec.shares_resources_with if o not in kept)
        old = before.get(rec.id)
        changes = _changes(old, rec)
        if changes:  # an unchanged party is not journaled: nothing happened to it
            record(actor, "registry.party.created" if old is None else "registry.party.replaced",
                   reason=reason, clause="G1.5", party=party, subject=f"party:{rec.id}",
                   details={"changed": changes}, classification=Classification.AMBER)
    return ImportResult(created=created, updated=[r.id for r in records if r.id not in created])


def _upsert_roles_and_user_ids(party: Party, rec: PartyRecord) -> None:
    """Make the party's roles and User IDs those of `rec`, keeping the rows that stay (and
    what refers to them: thresholds, test statuses, quarantines, assessment scope). A role or
    User ID that goes is removed only when nothing else refers to it; otherwise the change is
    refused, naming what would be lost."""
    wanted = {role.value: list(rec.user_ids.get(role, ())) for role in rec.roles}
    rows = {row.role: row for row in PartyRole.objects.filter(party=party)}
    ids = list(UserId.objects.filter(party_role__party=party).select_related("party_role"))
    going_ids = [u for u in ids if u.value not in wanted.get(u.party_role.role, [])]
    going_roles = [row for role, row in rows.items() if role not in wanted]
    for what, doomed, allowed in (("User ID", going_ids, ()),
                                  ("role", going_roles, (UserId,))):
        lost = taken_along(doomed, allowed)
        if lost:
            names = ", ".join(sorted(str(getattr(d, "value", None) or d.role) for d in doomed))
            raise RegisterFormatError(f"removing {what} {names} would also remove "
                                      f"{', '.join(lost)}; remove those first",
                                      f'"{rec.id}"', "user_ids" if what == "User ID" else "roles")
    UserId.objects.filter(pk__in=[u.pk for u in going_ids]).delete()
    PartyRole.objects.filter(pk__in=[r.pk for r in going_roles]).delete()
    for role in wanted:
        if role not in rows:
            rows[role] = PartyRole.objects.create(party=party, role=role)
    have = {(u.party_role.role, u.value) for u in ids if u not in going_ids}
    UserId.objects.bulk_create(UserId(party_role=rows[role], value=value)
                               for role, values in wanted.items() for value in values
                               if (role, value) not in have)


def _check_one_dcc(records: list[PartyRecord]) -> None:
    """There is one DCC (role dcc): a document may not name a second, nor take the role off
    the DCC by giving it to another party."""
    named = [r.id for r in records if UserRole.DCC in r.roles]
    other = Party.objects.filter(is_dcc=True).exclude(party_id__in=[r.id for r in records])
    dcc = other.values_list("party_id", flat=True).first()
    if named and dcc is not None:
        raise RegisterFormatError(f"the DCC is already in the register as {dcc}: there is one "
                                  "DCC", f'"{named[0]}"', "roles")


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


def classify_party(actor: Any, party: Party, classification: Classification,
                   reason: str) -> Party:
    """Set the classification of a party's register entry (who may see it, by the one
    visibility rule); journaled with the level before and after."""
    require(actor, Action.EDIT_REGISTER)
    classification = Classification(classification)
    with transaction.atomic():
        party = Party.objects.select_for_update().get(pk=party.pk)
        before = party.classification
        if before == classification.value:
            return party
        party.classification = classification.value
        party.save(update_fields=["classification", "updated"])
        record(actor, "registry.party.classified", reason=reason, party=party,
               subject=f"party:{party.party_id}",
               details={"changed": {"classification": [before, classification.value]}})
    return party


def check_user_id(party_role: PartyRole, value: str, replacing: UserId | None = None) -> None:
    """Raise `RegisterFormatError` unless the party of `party_role` may use User ID `value` in
    that role (instead of `replacing`): the checks of `save_party`, on the party's record as
    it would be (the role is one the party holds, the ID is well formed and no other party
    uses it)."""
    party = party_role.party
    if replacing is not None and replacing.party_role.party_id != party.pk:
        raise RegisterFormatError("a User ID stays with the party that uses it; remove it and "
                                  "add it to the other party", f'"{party.party_id}"', "user_ids")
    check_party(_with_user_id(party, UserRole(party_role.role), value, replacing))


def _with_user_id(party: Party, role: UserRole, value: str,
                  replacing: UserId | None) -> PartyRecord:
    found = party_records([party.pk])
    if not found:
        raise RegisterFormatError("the DCC is not a User: it has no User IDs in the register",
                                  f'"{party.party_id}"', "user_ids")
    user_ids = {r: tuple(v for v in values if replacing is None or v != replacing.value)
                for r, values in found[0].user_ids.items()}
    user_ids[role] = (*user_ids.get(role, ()), value)
    return dataclasses.replace(found[0], user_ids=user_ids)


def add_user_id(actor: Any, party_role: PartyRole, value: str, reason: str) -> UserId:
    """A User ID a party uses in one of its User Roles (its thresholds are set per User ID,
    G6.3)."""
    require(actor, Action.EDIT_REGISTER)
    with transaction.atomic():
        check_user_id(party_role, value)
        row = UserId.objects.create(party_role=party_role, value=value)
        _journal_user_id(actor, "added", row, reason, {"user_id": value,
                                                       "role": party_role.role})
    return row


def change_user_id(actor: Any, user_id: UserId, *, party_role: PartyRole, value: str,
                   reason: str) -> UserId:
    """Correct a User ID or the role it is used in; its thresholds stay with it."""
    require(actor, Action.EDIT_REGISTER)
    with transaction.atomic():
        row = UserId.objects.select_for_update().select_related("party_role").get(
            pk=user_id.pk)
        check_user_id(party_role, value, replacing=row)
        changed = {name: [old, new] for name, old, new in [
            ("user_id", row.value, value), ("role", row.party_role.role, party_role.role)]
            if old != new}
        row.party_role, row.value = party_role, value
        row.save()
        _journal_user_id(actor, "changed", row, reason, {"user_id": value, "changed": changed})
    return row


def remove_user_id(actor: Any, user_id: UserId, reason: str) -> None:
    """Remove a User ID the party no longer uses, with the thresholds and test statuses kept
    for it; refused while records it cannot lose (quarantined communications) refer to it."""
    require(actor, Action.EDIT_REGISTER)
    with transaction.atomic():
        row = UserId.objects.select_for_update().select_related("party_role__party").get(
            pk=user_id.pk)
        try:
            _, deleted = row.delete()
        except ProtectedError as error:
            kinds = sorted({o._meta.verbose_name_plural for o in error.protected_objects})
            raise RegisterFormatError(f"User ID {row.value!r} is still referred to by "
                                      f"{', '.join(kinds)}", f'"{row.party_role.party.party_id}"',
                                      "user_ids") from None
        _journal_user_id(actor, "removed", row, reason, {
            "user_id": row.value, "role": row.party_role.role,
            "also_removed": {label: n for label, n in deleted.items()
                             if label != UserId._meta.label}})


def _journal_user_id(actor: Any, what: str, row: UserId, reason: str, details: dict) -> None:
    party = row.party_role.party
    record(actor, f"registry.user_id.{what}", reason=reason, clause="G6.3", party=party,
           subject=f"party:{party.party_id}", details=details)


def set_resource_provider(actor: Any, party: Party, provider: Party | None, *, reason: str,
                          clause: str = "G10.2") -> Party:
    """Change the Shared Resource Provider whose Shared Resources `party` uses (G10.2): the
    register's link, which the schedule (G8.63) and who sees a provider's papers (G10.7-G10.8)
    follow. The notices app calls it when the SSC has the User's notice of the change."""
    if provider is not None and (provider.pk == party.pk or not provider.roles.filter(
            role=UserRole.SHARED_RESOURCE_PROVIDER.value).exists()):
        raise RegisterFormatError(f"{getattr(provider, 'party_id', provider)} is not a Shared "
                                  "Resource Provider", party=party.party_id,
                                  field="resource_provider")
    with transaction.atomic():
        party = Party.objects.select_for_update().get(pk=party.pk)
        before = party.resource_provider.party_id if party.resource_provider else None
        party.resource_provider = provider
        party.save(update_fields=["resource_provider", "updated"])
        after = provider.party_id if provider else None
        record(actor, "registry.party.provider_changed", reason=reason, clause=clause,
               party=party, subject=f"party:{party.party_id}",
               details={"changed": {"resource_provider": [before, after]}})
    return party
