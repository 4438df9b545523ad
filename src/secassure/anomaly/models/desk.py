"""The quarantine desk (G6.1(a)(ii)-(iii))."""
from django.db import models

from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import UserId

from .base import amber
from .signed import SignedSubmission


class QuarantinedCommunication(models.Model):
    """A communication the engine quarantined, waiting for its User's instruction to process
    or delete it (G6.1(a)(iii)); the DCC watches the queue and its age."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting the User's instruction"
        PROCESSED = "processed", "Released: processed"
        DELETED = "deleted", "Deleted"

    communication_id = models.CharField(max_length=120, unique=True)
    ts = models.DateTimeField(db_index=True)
    user_id = models.ForeignKey(UserId, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="quarantined")
    user_id_value = models.CharField(max_length=64)
    srv = models.CharField(max_length=12)
    key = models.CharField(max_length=120, blank=True, help_text="The threshold that decided.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    instruction = models.ForeignKey(SignedSubmission, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "user_id__party_role__party"

    class Meta:
        ordering = ["ts", "id"]

    def __str__(self) -> str:
        return f"{self.communication_id} ({self.user_id_value}, {self.status})"
