"""What the anomaly pages share: who signs for a party, how a form's error and a limit are
written. A service's refusal (`services.REFUSALS`) shows on its page with status 400;
PermissionDenied is left to Django (403). What the pages read comes from
`secassure.anomaly.selectors`, as the API's does."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from secassure.code.classification import USER_PARTY_SIDE
from secassure.core.visibility import person_kind

#: People who act for their own party only (their desk is their party's queue); the DCC's
#: people see every desk (G6.1).
OWN_PARTY_KINDS = USER_PARTY_SIDE


def today() -> date:
    return timezone.localdate()


def signing_party(user: Any) -> Any:
    """The party whose exit-quarantine instructions `user` prepares (G6.1(a)(iii)): their own,
    if they act for one party; None for the DCC and the committee."""
    return user.party if person_kind(user) in OWN_PARTY_KINDS else None


def first_error(form) -> str:
    """A bound form's first error as 'field: message', for the page's error line."""
    for field, errors in form.errors.items():
        return f"{field}: {errors[0]}" if field != "__all__" else errors[0]
    return ""


def limits_text(variant: Any) -> str:
    """The SMETS1 data-value limits as '0 to 500' ('…' for an open end); '' if none (G6.6(b))."""
    if variant.value_min is None and variant.value_max is None:
        return ""
    low, high = (("…" if v is None else format(v.normalize(), "f"))
                 for v in (variant.value_min, variant.value_max))
    return f"{low} to {high}"
