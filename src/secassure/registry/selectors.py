"""Queries over the register that views, the API and the command line share.

Each function runs a fixed number of queries whatever the size of the register. The register
knows parties, roles, User IDs, premises and sharing; their assessment history belongs to the
assurance app (`secassure.assurance.selectors.register_records` adds it).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Value

from secassure.code.classification import Classification
from secassure.code.interchange import PartyRecord
from secassure.code.roles import UserRole
from secassure.core.visibility import visibility_q

from .models import Party, PartyRole, ResourceSharing, UserId


def visible_parties(user: Any) -> QuerySet[Party]:
    """The parties `user` may see, with their roles (two queries)."""
    return (Party.objects.visible_to(user).select_related("resource_provider")
            .prefetch_related(Prefetch("roles", queryset=PartyRole.objects.order_by("id"))))


def parties_with_visible_business(user: Any, level: Classification = Classification.RED
                                  ) -> QuerySet[Party]:
    """Parties whose business of `level` (assessments are RED) `user` may see."""
    return (Party.objects.annotate(_level=Value(level.value))
            .filter(visibility_q(user, "id", classification_field="_level")))


def known_parties(excluding: str | None = None) -> dict:
    """What `parse_register` needs to know of the parties already in the register: their ids
    and their providers (one query)."""
    rows = Party.objects.exclude(party_id=excluding or "").values_list(
        "party_id", "resource_provider__party_id")
    providers = dict(rows)
    return {"known_ids": set(providers), "known_providers": providers}


def party_records(party_ids: list[int] | None = None) -> list[PartyRecord]:
    """The register's parties as interchange records without their assessment history, in
    register order (four queries). The DCC is not in the interchange format."""
    return list(party_records_by_pk(party_ids).values())


def party_records_by_pk(party_ids: list[int] | None = None, *, with_user_ids: bool = True
                        ) -> dict[int, PartyRecord]:
    """`party_records`, keyed by each party's database key (in register order); without their
    User IDs (one query fewer) where only the schedule is wanted."""
    parties = Party.objects.select_related("resource_provider").order_by("id")
    if party_ids is not None:
        parties = parties.filter(id__in=party_ids)
    only = {} if party_ids is None else {"party_id__in": party_ids}
    roles: dict[int, list[UserRole]] = defaultdict(list)
    user_ids: dict[int, list[tuple[UserRole, str]]] = defaultdict(list)
    sharing: dict[int, list[str]] = defaultdict(list)
    for party_id, role in PartyRole.objects.filter(**only).order_by("id").values_list(
            "party_id", "role"):
        roles[party_id].append(UserRole(role))
    for party_id, role, value in UserId.objects.filter(
            **({} if party_ids is None else {"party_role__party_id__in": party_ids})
    ).order_by("id").values_list("party_role__party_id", "party_role__role", "value"
                                 ) if with_user_ids else ():
        user_ids[party_id].append((UserRole(role), value))
    for party_id, partner in ResourceSharing.objects.filter(**only).order_by("id").values_list(
            "party_id", "partner__party_id"):
        sharing[party_id].append(partner)
    return {p.pk: _record(p, roles[p.id], user_ids[p.id], sharing[p.id]) for p in parties}


def _record(party: Party, roles: list[UserRole], user_ids: list[tuple[UserRole, str]],
            sharing: list[str]) -> PartyRecord:
    grouped: dict[UserRole, list[str]] = {}
    for role, value in user_ids:
        grouped.setdefault(role, []).append(value)
    return PartyRecord(
        id=party.party_id, name=party.name, roles=tuple(roles),
        domestic_premises=party.domestic_premises,
        non_domestic_premises=party.non_domestic_premises,
        shares_resources_with=tuple(sharing),
        resource_provider=party.resource_provider.party_id if party.resource_provider else None,
        assessments=(),
        user_ids={role: tuple(values) for role, values in grouped.items()})


def size_relatives(party: Party) -> list[int]:
    """The pks of the parties one party's assessment size depends on: itself, those it shares
    resources with (G8.43, G8.46), its provider and the Users a provider serves (G8.63)."""
    related = {party.pk}
    sharing = ResourceSharing.objects.filter(Q(party=party) | Q(partner=party))
    for a, b in sharing.values_list("party_id", "partner_id"):
        related.update((a, b))
    providers = [pk for pk in (party.pk, party.resource_provider_id) if pk]
    related.update(providers)
    related.update(Party.objects.filter(resource_provider__in=providers).values_list(
        "pk", flat=True))
    return sorted(related)
