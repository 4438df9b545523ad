"""Signed files (G6.6A): the parties' keys and every file received, applied or refused."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import Party

from .base import amber


class SigningKey(models.Model):
    """A party's registered public key for signed threshold files and instructions (G6.6A)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="signing_keys")
    public_pem = models.TextField()
    fingerprint = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text="Empty when registered at the server's console.")
    registered_at = models.DateTimeField(auto_now_add=True)
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "party"

    def __str__(self) -> str:
        return f"{self.party.party_id} {self.fingerprint[:16]}"


class SignedSubmission(models.Model):
    """A signed file received: applied, or refused with the reason (and then nothing changed).
    An identifier is applied once only: a replay is refused (G6.6A)."""

    class Kind(models.TextChoices):
        THRESHOLDS = "thresholds", "Anomaly Detection Thresholds (G6.4(c), G6.6A)"
        EXIT_QUARANTINE = "exit_quarantine", "Exit-quarantine instructions (G6.1(a)(iii))"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        REFUSED = "refused", "Refused"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    identifier = models.CharField(max_length=100, blank=True)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="submissions")
    content = models.TextField()
    signature = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    key = models.ForeignKey(SigningKey, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices)
    reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "party"

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["identifier"],
                                               condition=Q(status="applied"),
                                               name="identifier_applied_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier or self.pk}: {self.status}"
