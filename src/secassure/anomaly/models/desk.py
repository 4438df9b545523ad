"""The quarantine desk (G6.1(a)(ii)-(iii)), the DCC's deletions (G6.1(d)(i)) and the notices
that tell the owner of each (G6.1(a)(ii), G6.1(d)(i))."""
from django.db import models
from django.db.models import Q

from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import Party, UserId

from .base import amber
from .signed import SignedSubmission


class DeskNotice(models.Model):
    """The secure notice to a party of the communications of its User IDs that one load
    quarantined (G6.1(a)(ii)) or deleted (G6.1(d)(i)): one per load per party, a summary with
    counts; behind the sign-in, for the party's own people (and the DCC, SECAS)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="desk_notices")
    quarantined = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    first_ts = models.DateTimeField(help_text="The earliest communication's time.")
    last_ts = models.DateTimeField(help_text="The latest communication's time.")
    label = models.CharField(max_length=200, blank=True, help_text="What was loaded.")
    created_at = models.DateTimeField(auto_now_add=True)
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "party"

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return (f"{self.party.party_id}: {self.quarantined} quarantined, {self.deleted} deleted "
                f"({self.created_at:%Y-%m-%d %H:%M})")


class QuarantinedCommunication(models.Model):
    """A communication the engine quarantined, waiting for its User's instruction to process
    or delete it (G6.1(a)(iii)); the DCC watches the queue and its age. Or one the DCC deleted
    (a SMETS1 Service Request outside its SRV's limits, G6.1(d)(i)): shown read-only, never
    instructable."""

    class Decision(models.TextChoices):
        QUARANTINE = "quarantine", "Quarantined (G6.1(a)(ii))"
        DELETE = "delete", "Deleted by the DCC (G6.1(d)(i))"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting the User's instruction"
        PROCESSED = "processed", "Released: processed"
        DELETED = "deleted", "Deleted"
        DCC_DELETED = "dcc_deleted", "Deleted by the DCC (G6.1(d)(i))"

    communication_id = models.CharField(max_length=120, unique=True)
    ts = models.DateTimeField(db_index=True)
    user_id = models.ForeignKey(UserId, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="quarantined")
    user_id_value = models.CharField(max_length=64)
    srv = models.CharField(max_length=12, blank=True)
    command = models.CharField(max_length=60, blank=True,
                               help_text="A Critical Command not related to an SRV (G6.6(c)).")
    decision = models.CharField(max_length=10, choices=Decision.choices,
                                default=Decision.QUARANTINE, db_index=True)
    key = models.CharField(max_length=120, blank=True,
                           help_text="The reason the engine gave (`adt run` v2: limit, or the "
                                     "key and level exceeded).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    instruction = models.ForeignKey(SignedSubmission, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    notice = models.ForeignKey(DeskNotice, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="communications")
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "user_id__party_role__party"

    class Meta:
        ordering = ["ts", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(decision="quarantine") | Q(status="dcc_deleted"),
                                   name="dcc_deletion_never_instructable"),
        ]

    def __str__(self) -> str:
        return f"{self.communication_id} ({self.user_id_value}, {self.status})"

    @property
    def target(self) -> str:
        """The SRV's number, or the command's name (G6.6(c))."""
        return self.srv or self.command
