"""The DCC's traffic summary (`secassure adt summary`): per key and time bucket, how many
communications and the peak count in the window, for the charts of traffic against the
threshold (G6.3, G6.1(a)(i))."""
from django.db import models

from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import UserId

from .base import COUNTERS, amber


class TrafficBucket(models.Model):
    """One key's traffic in one bucket: `communications` counted in [starts, starts +
    bucket_seconds), `peak` the highest windowed count (window `window_seconds`, as `adt run`
    counts) of any of them."""

    user_id = models.ForeignKey(UserId, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="traffic")
    user_id_value = models.CharField(max_length=64)
    srv = models.CharField(max_length=12, blank=True)
    command = models.CharField(max_length=60, blank=True)
    counter = models.CharField(max_length=10, choices=COUNTERS)
    starts = models.DateTimeField()
    bucket_seconds = models.PositiveIntegerField()
    window_seconds = models.PositiveIntegerField()
    communications = models.PositiveIntegerField()
    peak = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now=True)
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "user_id__party_role__party"

    class Meta:
        ordering = ["user_id_value", "srv", "command", "counter", "starts"]
        constraints = [models.UniqueConstraint(
            fields=["user_id_value", "srv", "command", "counter", "window_seconds",
                    "bucket_seconds", "starts"], name="traffic_bucket_once")]

    def __str__(self) -> str:
        return f"{self.user_id_value} {self.srv or self.command} {self.counter} {self.starts}"
