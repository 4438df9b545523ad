"""Shared Resources' recurring notices: the count of Smart Metering Systems (G5.27) and a
provider's list of the Users it serves (G10.4)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from secassure.registry.models import Party

from .base import NoticeRecord


class SmsCount(NoticeRecord):
    """G5.27: the total number of Smart Metering Systems to which Critical Service Requests
    are capable of being sent from the User's User Systems, first on starting to employ Shared
    Resources, then every six months."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="sms_counts")
    count = models.PositiveBigIntegerField()
    reported_on = models.DateField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")

    VISIBILITY_PARTY_PATH = "party"

    class Meta:
        ordering = ["-reported_on", "-id"]


class ProviderList(NoticeRecord):
    """G10.4: a Shared Resource Provider's list of every User it serves, submitted to the SSC
    on each revision; the newest is the SSC's current copy."""

    provider = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="user_lists")
    users = models.ManyToManyField(Party, blank=True, related_name="+")
    submitted_on = models.DateField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")

    VISIBILITY_PARTY_PATH = "provider"

    class Meta:
        ordering = ["-submitted_on", "-id"]
