"""The visibility rule of `secassure.code.classification`, applied inside the database query.

Every model that holds confidential business has a `classification` field and declares how it
reaches a party (`VISIBILITY_PARTY_PATH`) and whether G10.8 shares it with the Users of a
Shared Resource Provider (`SHARED_WITH_RESOURCE_USERS`). `Model.objects.visible_to(user)`
filters by this one rule; nothing filters lists in Python.
"""
from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Prefetch, Q

from secassure.code.classification import DRAFT_READERS, VISIBILITY, PersonKind, Scope


def person_kind(user) -> PersonKind | None:
    """The kind of a request's user; None for the anonymous public. A superuser without a
    kind is treated as the secretariat."""
    if user is None or not user.is_authenticated:
        return None
    if getattr(user, "kind", ""):
        return PersonKind(user.kind)
    return PersonKind.SECAS if user.is_superuser else PersonKind.PARTY_REP


def visibility_q(user, party_path: str, shared_with_resource_users: bool = False,
                 classification_field: str = "classification") -> Q:
    """The filter that keeps exactly the records `user` may see."""
    rules = VISIBILITY[person_kind(user)]
    every = [level.value for level, scope in rules.items() if scope == Scope.ALL]
    own = [level.value for level, scope in rules.items() if scope == Scope.OWN]
    if len(every) == len(rules) == 4:
        return Q()
    allowed = Q(**{f"{classification_field}__in": every}) if every else Q(pk__in=[])
    party_id = getattr(user, "party_id", None)
    if own and party_id is not None:
        mine = Q(**{party_path: party_id})
        if shared_with_resource_users:
            providers = apps.get_model("registry", "Party").objects.filter(
                pk=party_id, resource_provider__isnull=False).values("resource_provider")
            mine |= Q(**{f"{party_path}__in": providers})
        allowed |= Q(**{f"{classification_field}__in": own}) & mine
    return allowed


def draft_q(user, published_path: str | None) -> Q:
    """Drafts (a report not yet issued) are for their drafters only."""
    if published_path is None or person_kind(user) in DRAFT_READERS:
        return Q()
    return Q(**{f"{published_path}__isnull": False})


class ClassifiedQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ClassifiedQuerySet:
        """The records `user` may see: the one rule above, as a filter of this query."""
        model = self.model
        return self.filter(
            visibility_q(user, model.VISIBILITY_PARTY_PATH,
                         getattr(model, "SHARED_WITH_RESOURCE_USERS", False)),
            draft_q(user, getattr(model, "VISIBILITY_DRAFT_PATH", None)))


def visible_prefetch(user: Any, lookup: str, queryset: ClassifiedQuerySet | type[models.Model],
                     to_attr: str | None = None) -> Prefetch:
    """A prefetch of the classified records behind `lookup` that keeps only those `user` may
    see: `queryset` (a query of a classified model, or the model itself) is filtered by
    `visible_to(user)` here, so a nested list can never bypass the rule. The records land in
    `to_attr` (default `visible_<lookup>`), never in the unfiltered related manager's cache."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    return Prefetch(lookup, queryset.visible_to(user),
                    to_attr=to_attr or f"visible_{lookup.rsplit('__', 1)[-1]}")
