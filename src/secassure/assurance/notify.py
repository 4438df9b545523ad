"""Telling people that something needs them. E-mails say what happened and where to look,
never the RED business itself (that stays behind the sign-in)."""
from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail

from secassure.accounts.models import Person
from secassure.code.classification import PARTY_SIDE, PersonKind


def people(kinds: Iterable[PersonKind] = (), parties: Iterable[int] = ()) -> list[str]:
    """E-mail addresses of active people of `kinds` and of the representatives of `parties`."""
    from django.db.models import Q
    query = Q(kind__in=[k.value for k in kinds]) | Q(
        party_id__in=list(parties), kind__in=[k.value for k in PARTY_SIDE])
    return sorted(set(Person.objects.filter(query, is_active=True).exclude(email="")
                      .values_list("email", flat=True)))


def send(subject: str, body: str, recipients: list[str]) -> int:
    """One message to each recipient (no one sees the others' addresses)."""
    if not recipients:
        return 0
    footer = "\n\nSign in to secassure to read the record. This message carries no details."
    messages = [(f"[secassure] {subject}", body + footer, settings.DEFAULT_FROM_EMAIL, [r])
                for r in recipients]
    return send_mass_mail(messages, fail_silently=False)


def assessment_event(assessment, what: str, kinds: Iterable[PersonKind] = (),
                     include_party: bool = True, include_resource_users: bool = False) -> int:
    """Tell the committee `kinds`, the party and (G10.8) its Shared Resource Users."""
    parties = [assessment.party_id] if include_party else []
    if include_resource_users:
        parties += list(assessment.party.resource_users.values_list("id", flat=True))
    subject = f"{assessment.party.party_id}: {what}"
    body = (f"{what}\n\nAssessment: {assessment.get_category_display()} of "
            f"{assessment.party.party_id} (reference {assessment.pk}).")
    return send(subject, body, people(kinds, parties))
