"""What every notice service shares: who may file or decide, refusals, the journal entry."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from secassure.code.classification import PARTY_SIDE, Classification, PersonKind
from secassure.core.journal.services import record
from secassure.core.permissions import SystemActor
from secassure.core.visibility import person_kind
from secassure.registry.models import Party


class NoticeError(ValueError):
    """Input the Code does not allow (HTTP 400, exit 2); nothing is written."""


class NoticeConflict(ValueError):
    """An action the notice's state does not allow (HTTP 409)."""


#: Who decides on a notice for the SSC: its members; SECAS records what the SSC noted at a
#: meeting (it runs the meetings) and files on a party's behalf.
SSC_DECIDES = frozenset({PersonKind.SSC_MEMBER})
SSC_RECORDS = frozenset({PersonKind.SSC_MEMBER, PersonKind.SECAS})


def now() -> Any:
    return timezone.now()


def today() -> Any:
    return timezone.localdate()


def is_system(user: Any) -> bool:
    return isinstance(user, SystemActor)


def require_filer(user: Any, party: Party, what: str, clause: str) -> None:
    """PermissionDenied unless `user` acts for `party` (its own people; the DCC's people for
    the DCC) or is SECAS filing on its behalf."""
    if is_system(user):
        return
    kind = person_kind(user)
    if kind == PersonKind.SECAS:
        return
    if kind in PARTY_SIDE and getattr(user, "party_id", None) == party.pk:
        return
    raise PermissionDenied(f"{what}: only the party's own people, or SECAS on its behalf, "
                           f"may file this ({clause}).")


def require_ssc(user: Any, what: str, clause: str, kinds: frozenset[PersonKind] = SSC_DECIDES
                ) -> None:
    if is_system(user) or person_kind(user) in kinds:
        return
    who = " or ".join(sorted(k.label for k in kinds))
    raise PermissionDenied(f"{what}: only {who} may do this ({clause}).")


def journal(user: Any, action: str, *, clause: str, party: Party | None, subject: str,
            reason: str = "", **details: Any) -> None:
    """One journal entry, RED (notices are RED business), in the caller's transaction."""
    record(user, action, clause=clause, party=party, subject=subject, reason=reason,
           details=details, classification=Classification.RED)


def required(value: Any, name: str, clause: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise NoticeError(f"{name}: required ({clause})")
