"""CPL entries with their firmware hashes and CPA certificates (G7.20(d), (i)); CPA
Certificate Remedial Plans (G8.64)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from secassure.registry.models import Party

from .base import NoticeRecord


class CplEntry(NoticeRecord):
    """An entry of the Certified Products List: the device's manufacturer, model (hex),
    firmware version (BCD or hex) and the SHA-256 of its firmware image, and its CPA
    certificate (no expiry: a lifetime certificate, renewal date instead)."""

    manufacturer = models.CharField(max_length=100)
    model_hex = models.CharField("model (hex)", max_length=16)
    firmware_version = models.CharField(max_length=16, help_text="BCD or hex digits.")
    firmware_sha256 = models.CharField(max_length=64)
    certificate = models.CharField("CPA certificate", max_length=100, blank=True)
    certificate_expires = models.DateField(null=True, blank=True)
    certificate_renewal = models.DateField(null=True, blank=True,
                                           help_text="For a lifetime certificate.")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="cpl_entries",
                              help_text="The Supplier Party that raised it, if any.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField()

    VISIBILITY_PARTY_PATH = "party"

    class Meta:
        ordering = ["manufacturer", "model_hex", "firmware_version", "id"]
        verbose_name = "CPL entry"
        verbose_name_plural = "CPL entries"

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.model_hex} v{self.firmware_version}"


#: A remedial plan's review (G8.64): waiting on the SSC, accepted, or changes asked (the party
#: then files a revised plan for the entry; the plan it replaces stays as it was reviewed).
PLAN_STATES = [("filed", "Waiting on the SSC's review"), ("accepted", "Accepted"),
               ("changes", "Changes asked")]


class RemedialPlan(NoticeRecord):
    """A CPA Certificate Remedial Plan of a Supplier Party (G8.64), reviewed by a date."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="remedial_plans")
    entry = models.ForeignKey(CplEntry, on_delete=models.PROTECT, related_name="plans")
    plan = models.TextField()
    review_by = models.DateField()
    reviewed_on = models.DateField(null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=PLAN_STATES, default="filed",
                             db_index=True)
    reasons = models.TextField(blank=True, help_text="The SSC's reasons for its review.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    VISIBILITY_PARTY_PATH = "party"

    class Meta:
        ordering = ["review_by", "id"]

    def __str__(self) -> str:
        return f"CPA Certificate Remedial Plan {self.pk} ({self.entry})"
