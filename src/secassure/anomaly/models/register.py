"""The thresholds register (G6.3-G6.6): Service Reference Variants, thresholds, test status."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import UserId

from .base import COUNTERS, amber


class ServiceReferenceVariant(models.Model):
    """An SRV of the DUIS (reference data loaded from the DUIS request matrix), with what the
    DCC keeps about it: its guidance on levels (G6.4(b)), whether its responses carry
    GBCS-encrypted data (G6.3(a)(ii)), and the SMETS1 data-value limits (G6.6(b))."""

    srv = models.CharField("SRV", max_length=12, unique=True)
    name = models.CharField(max_length=200)
    critical = models.BooleanField()
    returns_encrypted = models.BooleanField(
        default=False, help_text="Its responses carry Data Encrypted under GBCS (G6.3(a)(ii)); "
                                 "the DUIS matrix does not say, so the DCC keeps this.")
    guidance_critical = models.PositiveIntegerField(null=True, blank=True,
                                                    help_text="DCC guidance level (G6.4(b))")
    guidance_encrypted = models.PositiveIntegerField(null=True, blank=True,
                                                     help_text="DCC guidance level (G6.4(b))")
    value_min = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True,
                                    help_text="SMETS1 data-value lower limit (G6.6(b))")
    value_max = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True,
                                    help_text="SMETS1 data-value upper limit (G6.6(b))")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = "Service Reference Variant"

    def __str__(self) -> str:
        return f"{self.srv} {self.name}"


class Threshold(models.Model):
    """One ADT: per User ID, SRV and counter (G6.3), or the DCC's across all Users when
    `user_id` is empty (G6.6(a)); a quarantine level and an optional warning level. The DCC's
    threshold on a Critical Command not related to an SRV (G6.6(c)) names the `command`
    instead of an SRV (counter `critical`): exactly one of `srv` and `command` is set."""

    class Review(models.TextChoices):
        APPROPRIATE = "appropriate", "Still appropriate"
        NO_LONGER = "no_longer", "No longer appropriate"

    user_id = models.ForeignKey(UserId, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="thresholds",
                                help_text="Empty: the DCC's threshold across all Users (G6.6(a)).")
    srv = models.ForeignKey(ServiceReferenceVariant, null=True, blank=True,
                            on_delete=models.PROTECT, related_name="thresholds")
    command = models.CharField(max_length=60, blank=True,
                               help_text="A Critical Command not related to an SRV (G6.6(c)).")
    counter = models.CharField(max_length=10, choices=COUNTERS)
    warning = models.PositiveIntegerField(null=True, blank=True)
    quarantine = models.PositiveIntegerField()
    review_by = models.DateField(null=True, blank=True, help_text="G6.10: kept under review")
    dcc_opinion = models.TextField(blank=True, help_text="The DCC's opinion when consulted "
                                                         "(G6.9).")
    ssc_view = models.TextField(blank=True, help_text="The SSC's opinion (G6.8, G7.21(b)).")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                               related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    reviewed_at = models.DateTimeField(null=True, blank=True,
                                       help_text="The owner's last review (G6.10(a)).")
    review_outcome = models.CharField(max_length=12, choices=Review.choices, blank=True)
    submission = models.ForeignKey("SignedSubmission", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="thresholds")
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "user_id__party_role__party"

    class Meta:
        ordering = ["srv__position", "counter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user_id", "srv", "counter"], name="adt_once"),
            models.UniqueConstraint(fields=["srv", "counter"], condition=Q(user_id__isnull=True),
                                    name="dcc_adt_once"),
            models.UniqueConstraint(fields=["command", "counter"],
                                    condition=Q(user_id__isnull=True, srv__isnull=True),
                                    name="dcc_command_adt_once"),
            models.CheckConstraint(condition=(Q(srv__isnull=False) & Q(command=""))
                                   | (Q(srv__isnull=True) & ~Q(command="")
                                      & Q(user_id__isnull=True) & Q(counter="critical")),
                                   name="adt_srv_or_command",
                                   violation_error_message="A threshold names an SRV or a "
                                                           "command (the DCC's, G6.6(c))."),
            models.CheckConstraint(condition=Q(warning__isnull=True)
                                   | Q(warning__lte=models.F("quarantine")),
                                   name="warning_not_above_quarantine",
                                   violation_error_message="The warning level cannot be above "
                                                           "the quarantine level."),
        ]

    def __str__(self) -> str:
        who = self.user_id.value if self.user_id else "*"
        return f"{who} {self.target} {self.counter}: {self.quarantine}"

    @property
    def target(self) -> str:
        """The SRV's number, or the command's name (G6.6(c))."""
        return self.srv.srv if self.srv_id else self.command

    @property
    def flagged(self) -> bool:
        """Reviewed as no longer appropriate and not replaced since (G6.10(c)): a new signed
        threshold (the User's) or a new proposal set (the DCC's) clears it."""
        return (self.review_outcome == self.Review.NO_LONGER and self.reviewed_at is not None
                and self.reviewed_at >= self.set_at)


class CriticalTestStatus(models.Model):
    """Whether a User ID passed the Common Test Scenarios for a Critical Service Request;
    until it has, its threshold for it must be zero (G6.4A)."""

    user_id = models.ForeignKey(UserId, on_delete=models.CASCADE, related_name="test_statuses")
    srv = models.ForeignKey(ServiceReferenceVariant, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "user_id__party_role__party"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "srv"], name="test_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {'passed' if self.passed else 'not passed'} (G6.4A)"
