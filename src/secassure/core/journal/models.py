"""The journal: an append-only, hash-chained record of every decision and change of state.

Each entry carries the hash of the one before it, so altering or removing any entry breaks
the chain from that point on (`secassure journal verify` finds it). The model refuses
updates and deletes; on PostgreSQL a trigger refuses them in the database as well.
"""
from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from secassure.core.visibility import ClassifiedQuerySet
from secassure.code.classification import Classification

GENESIS = "0" * 64


class AppendOnlyError(RuntimeError):
    pass


class JournalQuerySet(ClassifiedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("journal entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("journal entries cannot be deleted")


class JournalEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="journal_entries")
    actor_label = models.CharField(max_length=150, help_text="Who acted, as named at the time.")
    action = models.CharField(max_length=100, db_index=True)
    clause = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    party = models.ForeignKey("registry.Party", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="journal_entries")
    subject = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    classification = models.CharField(max_length=5, choices=[(c.value, c.value)
                                                             for c in Classification],
                                      default=Classification.AMBER.value)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = JournalQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "party"

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["party", "id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.action}"

    def payload(self, party_code: str | None) -> dict:
        """The fields the hash covers (the party by its SEC id, not a database key)."""
        return {"at": self.at.isoformat(), "actor": self.actor_label, "action": self.action,
                "clause": self.clause, "reason": self.reason, "party": party_code,
                "subject": self.subject, "details": self.details,
                "classification": self.classification, "previous": self.previous_hash}

    def compute_hash(self, party_code: str | None) -> str:
        canonical = json.dumps(self.payload(party_code), sort_keys=True, separators=(",", ":"),
                               default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("journal entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("journal entries cannot be deleted")


class JournalHead(models.Model):
    """One row whose lock serialises appends, so the chain never forks."""

    last_hash = models.CharField(max_length=64, default=GENESIS)
