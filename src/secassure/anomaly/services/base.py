"""What the anomaly services share: their errors, the journal entry, and who is whose."""
from __future__ import annotations

from typing import Any

from secassure.code.classification import Classification
from secassure.code.workflow import PARTY_SIDE
from secassure.core.journal.services import record
from secassure.core.permissions import SystemActor
from secassure.core.visibility import person_kind
from secassure.registry.models import Party

from ..models import ServiceReferenceVariant, Threshold
from ..quarantine import QuarantineFileError


class SubmissionRefused(ValueError):
    """A signed file that was not applied; the message is the reason."""


class ThresholdError(ValueError):
    """A value the register does not accept; the message names the field."""


#: A refusal of the register or the desk, nothing changed: its page shows it (400), the API
#: answers 400 naming the field.
REFUSALS = (SubmissionRefused, ThresholdError, QuarantineFileError)


def journal(user: Any, action: str, clause: str, reason: str, party: Party | None = None,
            **details: Any) -> None:
    """Journal an anomaly action (AMBER), under the party whose people must see it."""
    record(user, f"anomaly.{action}", clause=clause, reason=reason, party=party,
           subject=details.pop("subject", ""), details=details,
           classification=Classification.AMBER)


def own_people(user: Any, party: Party) -> bool:
    """Whether `user` is one of `party`'s own people: its thresholds are the User's (G6.3-G6.4),
    so only they register its signing key or submit its signed files. The DCC receives the
    files (G6.4(c)) and SECAS keeps the register; neither acts in the party's name, and the
    server's operator at the command line names the person acting (`--as`)."""
    if isinstance(user, SystemActor):
        return False
    return person_kind(user) in PARTY_SIDE and user.party_id == party.pk


def person_or_none(user: Any) -> Any:
    """The person acting, or None for the server's console (recorded as nobody)."""
    return None if isinstance(user, SystemActor) else user


def party_of(threshold: Threshold) -> Party | None:
    return threshold.user_id.party_role.party if threshold.user_id else None


def srv_named(srv: str) -> ServiceReferenceVariant:
    variant = ServiceReferenceVariant.objects.filter(srv=srv).first()
    if variant is None:
        raise ThresholdError(f"srv: {srv!r} is not a Service Reference Variant")
    return variant


def check_levels(counter: str, warning: int | None, quarantine: int) -> None:
    if counter not in ("critical", "encrypted"):
        raise ThresholdError("counter: must be 'critical' or 'encrypted'")
    if quarantine is None or quarantine < 0:
        raise ThresholdError("quarantine: a whole number, 0 or more")
    if warning is not None and (warning < 0 or warning > quarantine):
        raise ThresholdError("warning: 0 or more, and not above the quarantine level")
