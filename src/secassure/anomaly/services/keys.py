"""The parties' signing keys for signed files (G6.6A)."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from secassure.adt.signing import SignatureError, fingerprint
from secassure.code.classification import PersonKind
from secassure.core.retry import retried
from secassure.core.visibility import person_kind
from secassure.registry.models import Party

from ..models import (
    SigningKey,
)
from .base import (
    ThresholdError,
    journal,
    own_people,
    person_or_none,
)


@retried
def register_signing_key(user: Any, party: Party, public_pem: str) -> SigningKey:
    """The party registers its public key for signed files (G6.6A): only its own people; the
    registration is journaled under the party, whose people see it (notified)."""
    if not own_people(user, party):
        raise PermissionDenied(f"Only {party.party_id}'s own people register its signing key "
                               "(G6.4, G6.6A): the DCC and SECAS may revoke a key, never "
                               "register one for a party.")
    try:
        print_ = fingerprint(public_pem.encode())
    except SignatureError as error:
        raise ThresholdError(f"public_pem: {error}") from None
    if SigningKey.objects.filter(fingerprint=print_).exists():
        raise ThresholdError("public_pem: this key is already registered")
    with transaction.atomic():
        key = SigningKey.objects.create(party=party, public_pem=public_pem.strip() + "\n",
                                        fingerprint=print_, registered_by=person_or_none(user))
        journal(user, "key.registered", "G6.6A", f"signing key {print_[:16]}", party,
                subject=f"key:{key.pk}")
    return key


@retried
def revoke_signing_key(user: Any, key: SigningKey, reason: str) -> SigningKey:
    """Revoke a party's signing key: the party's own people, the DCC (which checks the files,
    G6.6A) or SECAS. Files signed with it are refused from then on. Journaled under the party,
    whose people see it (notified)."""
    kind = person_kind(user)
    if not (own_people(user, key.party) or kind in (PersonKind.DCC, PersonKind.SECAS)):
        raise PermissionDenied("Only the party's own people, the DCC or SECAS revoke a signing "
                               "key (G6.6A).")
    if not reason.strip():
        raise ThresholdError("reason: say why the key is revoked")
    with transaction.atomic():
        locked = SigningKey.objects.select_for_update().select_related("party").get(pk=key.pk)
        if not locked.active:
            raise ThresholdError("key: this key is already revoked")
        locked.active = False
        locked.save(update_fields=["active"])
        journal(user, "key.revoked", "G6.6A", reason.strip()[:500], locked.party,
                subject=f"key:{locked.pk}", fingerprint=locked.fingerprint[:16])
    return locked
