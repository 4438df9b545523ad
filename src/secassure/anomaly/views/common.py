"""What the anomaly views share: which refusals show as a message (400), and who signs for a
party. PermissionDenied is left to Django (403)."""
from __future__ import annotations

from django.db.models import Count, F, Min
from django.utils import timezone

from secassure.core.visibility import person_kind
from secassure.code.classification import PersonKind

from ..quarantine import QuarantineFileError
from ..services import SubmissionRefused, ThresholdError

#: A service's refusal: shown on the page it came from, with status 400.
REFUSALS = (SubmissionRefused, ThresholdError, QuarantineFileError)

#: People who act for their own party only (their desk is their party's queue).
OWN_PARTY_KINDS = frozenset({PersonKind.PARTY_REP, PersonKind.TRIAGE_OPERATOR})


def today():
    return timezone.localdate()


def signing_party(user):
    """The party whose exit-quarantine instructions `user` prepares (G6.1(a)(iii)): their own,
    if they act for one party; None for the DCC and the committee."""
    return user.party if person_kind(user) in OWN_PARTY_KINDS else None


def first_error(form) -> str:
    """A bound form's first error as 'field: message', for the page's error line."""
    for field, errors in form.errors.items():
        return f"{field}: {errors[0]}" if field != "__all__" else errors[0]
    return ""


def limits_text(variant) -> str:
    """The SMETS1 data-value limits as '0 to 500' ('…' for an open end); '' if none (G6.6(b))."""
    if variant.value_min is None and variant.value_max is None:
        return ""
    low, high = (("…" if v is None else format(v.normalize(), "f"))
                 for v in (variant.value_min, variant.value_max))
    return f"{low} to {high}"


def coverage_gaps(party) -> list:
    """selectors.coverage(party), each gap once: the selector repeats a role's gaps once per
    other User ID of the same role (reported; harmless once fixed)."""
    from .. import selectors
    return list(dict.fromkeys(selectors.coverage(party)))


def queue_overview(user):
    """Per party you may see: pending communications and the oldest one's time, oldest first
    (the DCC's view of the desk, G6.1(a)(iii)); `party` is None for an unknown User ID."""
    from .. import selectors
    return (selectors.quarantine_queue(user).order_by()
            .values(party=F("user_id__party_role__party__party_id"))
            .annotate(pending=Count("id"), oldest=Min("ts")).order_by("oldest"))
