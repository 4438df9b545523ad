"""REST API of the exceptions (G6.1(a)(i)), the owners' notices (G6.1(a)(ii), G6.1(d)(i)) and
the traffic summary for the charts, mounted at /api/adt/. Reads through the selectors; the
one write (the summary) is one call of `services.desk`. Deletions are on the desk's list:
`GET /api/adt/quarantine/?status=dcc_deleted`."""
from __future__ import annotations

import tempfile
from pathlib import Path

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from secassure.adt.summary import SummaryError, read_traffic, summarise
from secassure.code.permissions import Action
from secassure.core.permissions import require

from .. import selectors
from ..models import DeskNotice, ThresholdException, TrafficBucket
from ..services.desk import load_traffic_summary
from .views import RefusalsAs400, answers


class ExceptionSerializer(serializers.ModelSerializer):
    user_id = serializers.CharField(source="threshold.user_id.value")
    srv = serializers.CharField(source="threshold.srv.srv")
    counter = serializers.CharField(source="threshold.counter")
    signed_file = serializers.CharField(source="submission.identifier")

    class Meta:
        model = ThresholdException
        fields = ["id", "threshold", "user_id", "srv", "counter", "starts", "ends", "warning",
                  "quarantine", "signed_file"]


class DeskNoticeSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.party_id")

    class Meta:
        model = DeskNotice
        fields = ["id", "party", "quarantined", "deleted", "first_ts", "last_ts", "created_at"]


class TrafficBucketSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrafficBucket
        fields = ["user_id_value", "srv", "command", "counter", "starts", "bucket_seconds",
                  "window_seconds", "communications", "peak"]


class TrafficKeySerializer(serializers.Serializer):
    user_id_value = serializers.CharField()
    srv = serializers.CharField(allow_blank=True)
    command = serializers.CharField(allow_blank=True)
    counter = serializers.CharField()
    party = serializers.CharField(allow_null=True)
    buckets = serializers.IntegerField()
    last = serializers.DateTimeField()
    peak = serializers.IntegerField()


KEY_PARAMETERS = [OpenApiParameter(name, OpenApiTypes.STR, required=name in ("user_id",
                                                                              "counter"))
                  for name in ("user_id", "srv", "command", "counter")]


class TrafficUploadSerializer(serializers.Serializer):
    traffic = serializers.FileField(help_text="A traffic CSV, as `secassure adt run` reads it.")
    window = serializers.IntegerField(default=86400, min_value=1, help_text="Seconds.")
    bucket = serializers.IntegerField(default=3600, min_value=60, help_text="Seconds.")


class LoadedBucketsSerializer(serializers.Serializer):
    buckets = serializers.IntegerField()


class ExceptionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Exceptions to thresholds (G6.1(a)(i)), set by signed file (G6.6A): visible as their
    threshold is."""

    serializer_class = ExceptionSerializer

    def get_queryset(self):
        return selectors.threshold_exceptions(self.request.user)


class DeskNoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The notices of quarantined and deleted communications (G6.1(a)(ii), G6.1(d)(i)): one per
    load per party, for its own people, the DCC and SECAS."""

    serializer_class = DeskNoticeSerializer

    def get_queryset(self):
        return selectors.desk_notices(self.request.user)


class TrafficViewSet(RefusalsAs400, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The traffic summary behind the charts: the keys with a summary (list) and one key's
    buckets (`buckets/`): communications and the peak windowed count per bucket. A party's
    people see their own User IDs', the DCC and SECAS all; others none."""

    serializer_class = TrafficKeySerializer

    def get_queryset(self):
        return selectors.traffic_keys(self.request.user)

    @extend_schema(parameters=KEY_PARAMETERS, responses=answers(TrafficBucketSerializer(
        many=True)))
    @action(detail=False, methods=["get"], pagination_class=None)
    def buckets(self, request):
        """One key's buckets, oldest first (`user_id`, `srv` or `command`, `counter`); a key
        you may not see lists nothing, as one without a summary."""
        wanted = {name: request.query_params.get(name, "")[:64]
                  for name in ("user_id", "srv", "command", "counter")}
        return Response(TrafficBucketSerializer(selectors.traffic_series(request.user,
                                                                         **wanted),
                                                many=True).data)

    @extend_schema(request=TrafficUploadSerializer,
                   responses=answers(LoadedBucketsSerializer, 201))
    def create(self, request):
        """The DCC loads a traffic summary computed from a traffic file (multipart `traffic`,
        `window`, `bucket`): 201 with the number of buckets; 400 naming the line and field."""
        require(request.user, Action.LOAD_QUARANTINE)
        upload = TrafficUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "traffic.csv"
            path.write_bytes(b"".join(data["traffic"].chunks()))
            try:
                key, ts, keys = read_traffic(str(path))
            except SummaryError as error:
                raise ValidationError({"traffic": str(error).replace(str(path), "traffic")}) \
                    from None
        micro = 1_000_000
        found = summarise(key, ts, keys, data["window"] * micro, data["bucket"] * micro)
        loaded = load_traffic_summary(request.user, found, data["window"], data["bucket"],
                                      label=f"API: {data['traffic'].name}")
        return Response({"buckets": loaded}, status=status.HTTP_201_CREATED)
