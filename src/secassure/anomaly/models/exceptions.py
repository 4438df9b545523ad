"""Exceptions to thresholds (G6.1(a)(i)): set by the User through the same signed file as its
thresholds (G6.6A), held per threshold."""
from django.db import models
from django.db.models import F, Q

from secassure.core.visibility import ClassifiedQuerySet

from .base import amber
from .register import Threshold
from .signed import SignedSubmission


class ThresholdException(models.Model):
    """For a communication of the threshold's key with `starts <= ts < ends`, these levels
    replace the threshold's (G6.1(a)(i)); counting is unchanged. One key's exceptions never
    overlap in time."""

    threshold = models.ForeignKey(Threshold, on_delete=models.CASCADE, related_name="exceptions")
    starts = models.DateTimeField(help_text="From (inclusive, UTC).")
    ends = models.DateTimeField(help_text="To (exclusive, UTC).")
    warning = models.PositiveIntegerField(null=True, blank=True)
    quarantine = models.PositiveIntegerField()
    submission = models.ForeignKey(SignedSubmission, on_delete=models.PROTECT,
                                   related_name="exceptions")
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    #: Visible as the threshold is: the User's people, the DCC, the SSC and SECAS.
    VISIBILITY_PARTY_PATH = "threshold__user_id__party_role__party"

    class Meta:
        ordering = ["threshold_id", "starts", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")),
                                   name="exception_starts_before_ends"),
            models.CheckConstraint(condition=Q(warning__isnull=True)
                                   | Q(warning__lte=F("quarantine")),
                                   name="exception_warning_not_above_quarantine"),
        ]

    def __str__(self) -> str:
        return f"exception to {self.threshold_id}: {self.starts:%Y-%m-%d %H:%M} - " \
               f"{self.ends:%Y-%m-%d %H:%M} {self.quarantine}"
