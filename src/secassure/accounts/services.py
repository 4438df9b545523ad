"""Adding people and issuing API tokens (from the command line or the admin)."""
from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from secassure.code.classification import PersonKind
from secassure.core.journal.services import record

from .models import PARTY_KINDS, Person
from secassure.core.permissions import SYSTEM


def add_person(username: str, kind: str, party_id: str | None, password: str) -> Person:
    from secassure.registry.models import Party
    kind = PersonKind(kind)
    if Person.objects.filter(username=username).exists():
        raise ValueError(f"a person named {username!r} already exists")
    party = None
    if kind.value in PARTY_KINDS:
        if not party_id:
            raise ValueError(f"a {kind.label} needs --party")
        party = Party.objects.filter(party_id=party_id).first()
        if party is None:
            raise ValueError(f"no party has id {party_id!r}")
    person = Person(username=username, kind=kind.value, party=party)
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise ValueError("password: " + " ".join(error.messages)) from None
    person.set_password(password)
    with transaction.atomic():
        person.save()
        record(SYSTEM, "accounts.person.added", reason=f"{kind.label} added", party=party,
               subject=f"person:{username}")
    return person


def api_token(username: str) -> str:
    person = Person.objects.filter(username=username).first()
    if person is None:
        raise LookupError(f"no person named {username!r}")
    token, created = Token.objects.get_or_create(user=person)
    if created:
        record(SYSTEM, "accounts.token.issued", reason="API token issued", party=person.party,
               subject=f"person:{username}")
    return token.key
