"""Who signs in with a second factor (a TOTP code from an authenticator app), and whether the
platform asks for it at all.

Not a rule of Section G: issue 8's deployed profile asks for "TOTP multi-factor for committee,
SECAS, assessor and DCC people". Those people see RED and AMBER business of every party
(`classification.VISIBILITY`), and SECAS's staff keep the register in the admin, so a stolen
password alone must not open their view. A party representative or triage operator sees only
their own party's business and may enrol by choice; once enrolled, they are asked for the code
like everyone else. A person with no kind sees only what is public.
"""
from __future__ import annotations

from enum import StrEnum

from .classification import PersonKind


class SecondFactor(StrEnum):
    REQUIRED = "required"  # asked for a code after the password; enrols on first sign-in
    OPTIONAL = "optional"  # may enrol; then asked for the code like the others
    NONE = "none"          # nothing to protect beyond the public pages


#: The kinds of person who must use a second factor: the committee, SECAS, the assessors (the
#: User CIO's and the DCC's, G9.4), the DCC (who see every party's RED or AMBER business).
REQUIRED_KINDS = frozenset({PersonKind.SECAS, PersonKind.SSC_MEMBER, PersonKind.PANEL_MEMBER,
                            PersonKind.CIO_ASSESSOR, PersonKind.DCC_ASSESSOR,
                            PersonKind.DCC})
#: The kinds who may enrol by choice (their own party's business only).
OPTIONAL_KINDS = frozenset({PersonKind.PARTY_REP, PersonKind.TRIAGE_OPERATOR})

_OFF = {"0", "false", "no", "off"}


def second_factor(kind: PersonKind | str | None, *, staff: bool = False) -> SecondFactor:
    """Whether a person of `kind` must, may or need not use a second factor. Anyone who may use
    the admin (`staff`: staff or superuser) must, whatever their kind."""
    try:
        known = PersonKind(kind) if kind else None
    except ValueError:
        known = None
    if staff or known in REQUIRED_KINDS:
        return SecondFactor.REQUIRED
    if known in OPTIONAL_KINDS:
        return SecondFactor.OPTIONAL
    return SecondFactor.NONE


def mfa_on(setting: str | None, *, demo: bool) -> bool:
    """The SECASSURE_MFA setting: on by default; off in demo mode (the demo logins have no
    authenticator) unless set to 1; `0` (or false/no/off) turns it off. Any other value turns
    it on: a typo never switches the second factor off."""
    value = (setting or "").strip().lower()
    if not value:
        return not demo
    return value not in _OFF
