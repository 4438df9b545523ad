"""Checking an action against the permission table, for services, views and the API."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from secassure.code.permissions import Action, allowed

from .visibility import person_kind


@dataclass(frozen=True)
class SystemActor:
    """The operator at the server's command line (import, demo load): trusted like SECAS."""

    name: str = "system"
    pk = None
    is_authenticated = True

    def get_username(self) -> str:
        return self.name


SYSTEM = SystemActor()


def can(user, action: Action) -> bool:
    if isinstance(user, SystemActor):
        return True
    return allowed(person_kind(user), action)


def require(user, action: Action) -> None:
    """Raise PermissionDenied (HTTP 403) unless `user` may perform `action`."""
    if not can(user, action):
        raise PermissionDenied(f"You are not allowed to {action.value.replace('_', ' ')}.")
