"""The DCC's traffic summary for the charts (G6.3, G6.1(a)(i)): loaded per key and bucket."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from secassure.adt.summary import Summary
from secassure.code.classification import Classification
from secassure.code.permissions import Action
from secassure.core.journal.services import record
from secassure.core.journal.words import counted
from secassure.core.permissions import require
from secassure.core.retry import retried
from secassure.registry.models import UserId

from ..models import TrafficBucket
from .base import ThresholdError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@retried
def load_traffic_summary(user: Any, summary: Summary, window_seconds: int,
                         bucket_seconds: int, label: str = "") -> int:
    """The DCC loads a traffic summary (`secassure adt summary`): one row per key and bucket,
    replacing a bucket loaded before for the same key, window and bucket size. All or
    nothing; journaled. The number of buckets loaded."""
    require(user, Action.LOAD_QUARANTINE)
    if window_seconds < 1:
        raise ThresholdError("window: at least 1 second")
    if bucket_seconds < 60:
        raise ThresholdError("bucket: at least 60 seconds")
    values = {k[0] for k in summary.keys}
    ids = {u.value: u for u in UserId.objects.filter(value__in=values)}
    rows = []
    for key, start, count, peak in zip(summary.key.tolist(), summary.start.tolist(),
                                       summary.count.tolist(), summary.peak.tolist(),
                                       strict=True):
        user_id, srv, command, counter = summary.keys[key]
        rows.append(TrafficBucket(
            user_id=ids.get(user_id), user_id_value=user_id[:64], srv=srv[:12],
            command=command[:60], counter=counter,
            starts=EPOCH + timedelta(microseconds=start), bucket_seconds=bucket_seconds,
            window_seconds=window_seconds, communications=count, peak=peak))
    with transaction.atomic():
        TrafficBucket.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True,
            unique_fields=["user_id_value", "srv", "command", "counter", "window_seconds",
                           "bucket_seconds", "starts"],
            update_fields=["communications", "peak", "user_id", "loaded_at"])
        record(user, "anomaly.traffic.loaded", clause="G6.3",
               reason=counted(len(rows), "traffic bucket", "traffic buckets") + " loaded"
               + (f" from {label}" if label else ""),
               details={"buckets": len(rows), "window": window_seconds,
                        "bucket": bucket_seconds},
               classification=Classification.AMBER)
    return len(rows)
