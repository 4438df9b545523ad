"""Shared Resources' recurring notices: the six-monthly count of Smart Metering Systems
(G5.27) and a Shared Resource Provider's list of the Users it serves (G10.4)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from secassure.code.roles import UserRole
from secassure.registry.models import Party

from ..models import ProviderList, SmsCount
from .base import NoticeError, journal, require_filer, today

MAX_COUNT = 10**12


def report_sms_count(user: Any, party: Party, count: int, reported_on: date | None = None
                     ) -> SmsCount:
    """G5.27: the total number of Smart Metering Systems to which Critical Service Requests
    can be sent from the User's User Systems; the next falls due six months later."""
    require_filer(user, party, "Count of Smart Metering Systems", "G5.27")
    if party.is_dcc:
        raise NoticeError("party: the DCC is not a User (G5.27)")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
        raise NoticeError(f"count: a whole number from 0 to {MAX_COUNT}")
    reported_on = reported_on or today()
    if reported_on > today():
        raise NoticeError("reported_on: a date in the future")
    with transaction.atomic():
        first = not SmsCount.objects.filter(party=party).exists()
        row = SmsCount.objects.create(party=party, count=count, reported_on=reported_on,
                                      filed_by=user)
        journal(user, "notices.sms_count", clause="G5.27(a)" if first else "G5.27(b)",
                party=party, subject=f"sms_count:{row.pk}", count=count)
    return row


def submit_provider_list(user: Any, provider: Party, users: Sequence[Party],
                         submitted_on: date | None = None) -> ProviderList:
    """G10.4: a Shared Resource Provider's list of every User it serves, submitted on each
    revision so that the SSC holds the current copy (the newest list)."""
    require_filer(user, provider, "List of Users served", "G10.4(c)")
    if not provider.roles.filter(role=UserRole.SHARED_RESOURCE_PROVIDER.value).exists():
        raise NoticeError(f"provider: {provider.party_id} is not a Shared Resource Provider "
                          "(G10.4)")
    if any(u.pk == provider.pk for u in users):
        raise NoticeError("users: a provider does not list itself")
    submitted_on = submitted_on or today()
    if submitted_on > today():
        raise NoticeError("submitted_on: a date in the future")
    with transaction.atomic():
        row = ProviderList.objects.create(provider=provider, submitted_on=submitted_on,
                                          filed_by=user)
        row.users.set(list(users))
        journal(user, "notices.provider_list", clause="G10.4(c)", party=provider,
                subject=f"provider_list:{row.pk}", users=len(users))
    return row
