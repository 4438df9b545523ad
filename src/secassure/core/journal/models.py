"""The journal: an append-only, hash-chained record of every decision and change of state.

Each entry carries the hash of the one before it, so altering or removing any entry breaks
the chain from that point on (`secassure journal verify` finds it). The model refuses
updates and deletes; on PostgreSQL a trigger refuses them in the database as well.

Entries of scheme 2 (every entry written now) are chained with a keyed MAC (HMAC-SHA256,
the key outside the database, `keys.chain_key`) and name the party by its internal key, so
that renaming a party's SEC id changes no earlier entry. Entries of scheme 1 (written before)
were chained with plain SHA-256 and named the party by its SEC id; they still verify as they
were written, and none may follow an entry of scheme 2.
"""
from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from secassure.code.classification import Classification
from secassure.core.visibility import ClassifiedQuerySet

GENESIS = "0" * 64
#: The chaining scheme of new entries (see the module's docstring).
CURRENT_SCHEME = 2


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
    scheme = models.PositiveSmallIntegerField(
        default=1, help_text="How the entry is chained: 1 plain SHA-256 (older entries), "
                             "2 HMAC-SHA256 with the key outside the database.")

    objects = JournalQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "party"
    #: An entry names what it is about ("assessment:12"): those who see only some assessments
    #: (an assessor, the Panel) see the entries about those (`core.visibility`).
    VISIBILITY_SUBJECT_FIELD = "subject"

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["party", "id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("journal entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("journal entries cannot be deleted")

    def payload(self, party_code: str | None = None) -> dict:
        """The fields the hash covers: scheme 1 named the party by its SEC id (`party_code`),
        scheme 2 by its internal key, which no rename changes."""
        party = party_code if self.scheme == 1 else self.party_id
        body = {"at": self.at.isoformat(), "actor": self.actor_label, "action": self.action,
                "clause": self.clause, "reason": self.reason, "party": party,
                "subject": self.subject, "details": self.details,
                "classification": self.classification, "previous": self.previous_hash}
        if self.scheme != 1:
            body["scheme"] = self.scheme
        return body

    def compute_hash(self, key: bytes, party_code: str | None = None) -> str:
        """The entry's hash under its scheme (`key` is the chain key; scheme 1 ignores it)."""
        canonical = json.dumps(self.payload(party_code), sort_keys=True, separators=(",", ":"),
                               default=str).encode()
        if self.scheme == 1:
            return hashlib.sha256(canonical).hexdigest()
        return hmac.new(key, canonical, hashlib.sha256).hexdigest()


class JournalHead(models.Model):
    """One row whose lock serialises appends, so the chain never forks."""

    last_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"head {self.last_hash[:12]}"
