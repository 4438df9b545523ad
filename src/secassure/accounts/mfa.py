"""A person's second factor: a TOTP authenticator (django-otp's `TOTPDevice`), whether they are
asked for its code (`code.mfa`, SECASSURE_MFA), enrolling it and checking a code.

django-otp's throttling stays on: after a wrong code the device refuses every code, the right
one too, for 1, 2, 4, 8... seconds (OTP_TOTP_THROTTLE_FACTOR). Every refused code is journaled
(`accounts.mfa.failed`, the person and where, never the code); an enrolment is journaled
(`accounts.mfa.enrolled`). SECAS resets a person's second factor with
`services.reset_second_factor`.
"""
from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from secassure.code.mfa import SecondFactor, second_factor
from secassure.core.journal.services import record
from secassure.core.permissions import SYSTEM

from .models import Person
from .signin import client_address

#: What the authenticator app shows: the issuer and the person's username.
ISSUER = "secassure"
_SIX_DIGITS = re.compile(r"[0-9]{6}")


def must_use(person: Any) -> bool:
    """Whether `person` must sign in with a second factor (`code.mfa.second_factor`)."""
    staff = bool(getattr(person, "is_staff", False) or getattr(person, "is_superuser", False))
    return second_factor(getattr(person, "kind", None), staff=staff) is SecondFactor.REQUIRED


def may_enrol(person: Any) -> bool:
    """Whether `person` may enrol an authenticator by choice."""
    return second_factor(getattr(person, "kind", None)) is SecondFactor.OPTIONAL and not (
        must_use(person))


def device_of(person: Any) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they have enrolled one."""
    return TOTPDevice.objects.filter(user_id=person.pk, confirmed=True).order_by("pk").first()


def asks_for_code(person: Any) -> bool:
    """Whether signing in as `person` takes a code: the second factor is on (SECASSURE_MFA)
    and they must use one, or have enrolled one."""
    if not settings.SECASSURE_MFA or not getattr(person, "is_authenticated", False):
        return False
    return must_use(person) or device_of(person) is not None


def pending_device(person: Person) -> TOTPDevice:
    """The authenticator being enrolled (not yet confirmed by a code): the same secret on every
    visit of the enrolment page until it is confirmed."""
    with transaction.atomic():
        device = (TOTPDevice.objects.filter(user_id=person.pk, confirmed=False)
                  .order_by("pk").first())
        if device is None:
            device = TOTPDevice.objects.create(user=person, name="authenticator",
                                               confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The device's secret in base32, as an authenticator app takes it by hand (in groups of
    four)."""
    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as a QR code: an inline SVG element with no style
    attribute and no script (the Content-Security-Policy allows neither inline)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title="QR code for your authenticator app")


@dataclass(frozen=True)
class Check:
    """The answer to a code: accepted, or refused (and, while throttled, how long to wait)."""

    accepted: bool
    wait_seconds: int = 0


def check_code(person: Person, device: TOTPDevice, code: str, *, where: str,
               request: HttpRequest | None = None) -> Check:
    """Check `code` against `device` (django-otp's verification: throttled, a code used once
    is never accepted again). A refused code is journaled with where it was tried (`sign-in`,
    `enrolment`, `api`) and the address, never the code."""
    code = re.sub(r"\s", "", code or "")
    allowed, throttled = device.verify_is_allowed()
    # Anything but six digits is still a wrong code: counted by the throttle like the others.
    token = code if _SIX_DIGITS.fullmatch(code) else "not a code"
    accepted = verify_token(person, device.persistent_id, token) is not None
    if accepted:
        return Check(True)
    wait = 0
    if not allowed and throttled and throttled.get("locked_until"):
        wait = max(1, int((throttled["locked_until"] - timezone.now()).total_seconds() + 0.999))
    journal_refusal(person, where=where, request=request, throttled=not allowed)
    return Check(False, wait)


def journal_refusal(person: Person, *, where: str, request: HttpRequest | None = None,
                    throttled: bool = False) -> None:
    """Journal a refused second-factor code: who, where (`sign-in`, `enrolment`, `api`) and
    from which address; never the code."""
    address = client_address(request) if request is not None else None
    record(SYSTEM, "accounts.mfa.failed", reason="second-factor code refused",
           party=person.party, subject=f"person:{person.username}",
           details={"username": person.username, "where": where,
                    "address": address or "unknown", "throttled": throttled})


def confirm_enrolment(request: HttpRequest, person: Person, device: TOTPDevice,
                      code: str) -> Check:
    """Confirm the authenticator being enrolled with a code from it: it becomes the person's
    second factor (journaled), and this session counts as verified."""
    if device_of(person) is not None:
        raise PermissionError("an authenticator is already enrolled: ask SECAS to reset it")
    check = check_code(person, device, code, where="enrolment", request=request)
    if not check.accepted:
        return check
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=person.pk).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        record(person, "accounts.mfa.enrolled", reason="authenticator enrolled",
               party=person.party, subject=f"person:{person.username}")
    device.confirmed = True
    otp_login(request, device)
    return check


def verify_sign_in(request: HttpRequest, person: Person, code: str) -> Check:
    """The second step of signing in: a code from the person's authenticator; accepted, this
    session counts as verified."""
    device = device_of(person)
    if device is None:
        return Check(False)
    check = check_code(person, device, code, where="sign-in", request=request)
    if check.accepted:
        otp_login(request, device)
    return check


#: The session's note that its person, who need not use a second factor, had none enrolled
#: when they signed in (so the gate does not ask the database again on every page).
_CLEAR = "secassure_mfa_clear"
VERIFY, ENROL = "verify", "enrol"


def pending_step(request: HttpRequest) -> str | None:
    """What the signed-in person of `request` must do before any other page: `VERIFY` (enter
    a code), `ENROL` (enrol an authenticator, for a person who must use one and has none), or
    None (nothing: the second factor is off, not theirs, or this session is verified)."""
    user = getattr(request, "user", None)
    if not settings.SECASSURE_MFA or user is None or not user.is_authenticated:
        return None
    if getattr(user, "otp_device", None) is not None:
        return None
    if must_use(user):
        return VERIFY if device_of(user) is not None else ENROL
    if request.session.get(_CLEAR) == user.pk:
        return None
    if device_of(user) is not None:
        return VERIFY
    request.session[_CLEAR] = user.pk
    return None
