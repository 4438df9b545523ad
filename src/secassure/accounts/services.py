"""People and their API tokens: adding, changing and removing them, from the command line or the
admin. A person's kind is their privilege (it decides what they may see and do), so every
change is checked by one rule and journaled in the transaction that makes it."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from secassure.code.classification import PersonKind
from secassure.code.permissions import Action
from secassure.core.journal.services import record
from secassure.core.permissions import SYSTEM, require
from secassure.registry.models import Party

from .models import PARTY_KINDS, Person


class PersonError(ValueError):
    """A change to a person that the rules refuse (the message says which rule)."""


@dataclass(frozen=True)
class PersonDetails:
    """What SECAS keeps about a person: their identity, their kind and party (their
    privilege) and their access."""

    username: str
    kind: str
    party: Party | None = None
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False
    is_demo: bool = False


#: The details that decide what a person may see and do: the journal keeps their values.
PRIVILEGES = ("username", "kind", "party", "is_active", "is_staff", "is_superuser", "is_demo")


def add_person(username: str, kind: str, party_id: str | None, password: str, *,
               actor: Any = SYSTEM, reason: str = "") -> Person:
    """Add a person of `kind`; a party representative or triage operator acts for the party
    `party_id` (other kinds act for none, and `party_id` is ignored for them)."""
    _require_manager(actor)
    kind = _kind(kind)
    if Person.objects.filter(username=username).exists():
        raise PersonError(f"a person named {username!r} already exists")
    party = None
    if kind.value in PARTY_KINDS:
        if not party_id:
            raise PersonError(f"a {kind.label} needs --party")
        party = Party.objects.filter(party_id=party_id).first()
        if party is None:
            raise PersonError(f"no party has id {party_id!r}")
    person = Person(username=username, kind=kind.value, party=party)
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise PersonError("password: " + " ".join(error.messages)) from None
    person.set_password(password)
    with transaction.atomic():
        person.save()
        record(actor, "accounts.person.added", reason=reason or f"{kind.label} added",
               party=party, subject=f"person:{username}")
    return person


def check_person(details: PersonDetails, person: Person | None = None,
                 actor: Any = None) -> None:
    """Raise `PersonError` unless `details` may describe a person (`person`, changed by
    `actor`): a kind the platform knows; a party for the kinds that act for one (and none
    for the others, but the DCC's people, who may act for the DCC); the admin (staff or
    superuser) for SECAS only, since the admin shows every record; a username nobody else
    has; and nobody taking their own access away."""
    kind = _kind(details.kind)
    _check_party(kind, details.party)
    if (details.is_staff or details.is_superuser) and kind is not PersonKind.SECAS:
        raise PersonError(f"only SECAS uses the admin: a {kind.label} cannot be staff or a "
                          "superuser")
    if not details.username.strip():
        raise PersonError("username: a person needs one")
    others = Person.objects.filter(username=details.username)
    if person is not None:
        others = others.exclude(pk=person.pk)
    if others.exists():
        raise PersonError(f"a person named {details.username!r} already exists")
    if person is not None and getattr(actor, "pk", None) == person.pk and (
            kind.value != person.kind or any(getattr(person, name) and not getattr(details, name)
                                             for name in ("is_active", "is_staff",
                                                          "is_superuser"))):
        raise PersonError("you cannot change your own kind or take away your own access")


def change_person(actor: Any, person: Person, details: PersonDetails, reason: str) -> Person:
    """Change a person's details, kind, party or access (checked by `check_person`);
    journaled with the privileges before and after."""
    _require_manager(actor)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        check_person(details, person, actor)
        changed = [f.name for f in fields(PersonDetails)
                   if getattr(person, f.name) != getattr(details, f.name)]
        if not changed:
            return person
        before = {name: _plain(getattr(person, name)) for name in PRIVILEGES
                  if name in changed}
        for name in changed:
            setattr(person, name, getattr(details, name))
        person.save()
        record(actor, "accounts.person.changed", reason=reason, party=person.party,
               subject=f"person:{person.username}",
               details={"changed": changed,
                        "privileges": {name: [old, _plain(getattr(person, name))]
                                       for name, old in before.items()}})
    return person


def set_password(actor: Any, person: Person, password: str | None, reason: str) -> Person:
    """Set a person's password (checked by the password rules), or with None turn signing in
    by password off; journaled, the password never."""
    _require_manager(actor)
    if password is not None:
        try:
            validate_password(password, person)
        except ValidationError as error:
            raise PersonError("password: " + " ".join(error.messages)) from None
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if password is None:
            person.set_unusable_password()
        else:
            person.set_password(password)
        person.save(update_fields=["password"])
        record(actor, "accounts.person.password_set" if password is not None
               else "accounts.person.password_disabled", reason=reason, party=person.party,
               subject=f"person:{person.username}")
    return person


def remove_person(actor: Any, person: Person, reason: str) -> None:
    """Remove a person who has left no trace (a person the journal or a record names stays:
    make them inactive instead)."""
    _require_manager(actor)
    if getattr(actor, "pk", None) == person.pk:
        raise PersonError("you cannot remove yourself")
    with transaction.atomic():
        person = (Person.objects.select_for_update(of=("self",)).select_related("party")
                  .get(pk=person.pk))
        try:
            person.delete()
        except ProtectedError:
            raise PersonError(f"{person.username} is named by records the platform keeps; "
                              "make them inactive instead") from None
        record(actor, "accounts.person.removed", reason=reason, party=person.party,
               subject=f"person:{person.username}", details={"kind": person.kind})


def api_token(username: str, *, actor: Any = SYSTEM) -> str:
    """A person's API token, issued (and journaled) if they have none or theirs expired."""
    person = Person.objects.filter(username=username).first()
    if person is None:
        raise LookupError(f"no person named {username!r}")
    if getattr(actor, "pk", None) != person.pk:
        _require_manager(actor)
    with transaction.atomic():
        token, created = Token.objects.select_for_update().get_or_create(user=person)
        reason = "API token issued"
        if not created and token_expired(token):
            token.delete()
            token = Token.objects.create(user=person)
            created, reason = True, "API token issued (the previous one had expired)"
        if created:
            record(actor, "accounts.token.issued", reason=reason,
                   party=person.party, subject=f"person:{username}")
    return token.key


def token_expired(token: Token) -> bool:
    """Whether `token` was issued more than SECASSURE_TOKEN_DAYS days ago (it is then refused;
    `secassure token` or /api/token/ issues a fresh one)."""
    return token.created < timezone.now() - timedelta(days=settings.SECASSURE_TOKEN_DAYS)


def revoke_token(actor: Any, username: str, reason: str) -> None:
    """Revoke a person's API token (it stops working at once); journaled."""
    _require_manager(actor)
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user__username=username).delete()
        if deleted:
            person = Person.objects.select_related("party").get(username=username)
            record(actor, "accounts.token.revoked", reason=reason, party=person.party,
                   subject=f"person:{username}")


def reset_second_factor(actor: Any, person: Person, reason: str) -> int:
    """SECAS removes a person's authenticator (lost, replaced, or feared copied): their
    sessions are no longer verified, and their next sign-in enrols a new one (if they must use
    one). Journaled with the reason, which is required; returns how many were removed."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise PersonError("reason: say why the second factor is reset")
    with transaction.atomic():
        person = (Person.objects.select_for_update(of=("self",)).select_related("party")
                  .get(pk=person.pk))
        removed, _ = TOTPDevice.objects.filter(user_id=person.pk).delete()
        record(actor, "accounts.mfa.reset", reason=reason, party=person.party,
               subject=f"person:{person.username}", details={"authenticators": removed})
    return removed


def _require_manager(actor: Any) -> None:
    """SECAS keeps the register, and who acts for its parties with it (the operator at the
    server's command line is trusted like SECAS)."""
    require(actor, Action.EDIT_REGISTER)


def _kind(value: str) -> PersonKind:
    try:
        return PersonKind(value)
    except ValueError:
        known = ", ".join(k.value for k in PersonKind)
        raise PersonError(f"kind: {value!r} is not a kind of person (one of {known})") from None


def _check_party(kind: PersonKind, party: Party | None) -> None:
    if kind.value in PARTY_KINDS:
        if party is None:
            raise PersonError(f"party: a {kind.label} acts for a party; choose it")
    elif party is not None and not (kind is PersonKind.DCC and party.is_dcc):
        raise PersonError(f"party: a {kind.label} does not act for a party"
                          + (" (a DCC person may act for the DCC only)"
                             if kind is PersonKind.DCC else ""))


def _plain(value: object) -> object:
    if isinstance(value, Party):
        return value.party_id
    return value
