"""REST API of the thresholds register and the quarantine desk, mounted at /api/adt/.

Reads go through `visible_to` (a record you may not see is a 404); each write is one call of
`services` or `quarantine`. Refusals: PermissionDenied 403; SubmissionRefused, ThresholdError
and QuarantineFileError 400 `{"detail", "field"}`, the field being the one the reason names.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from secassure.code.permissions import Action
from secassure.core.permissions import require
from secassure.registry.selectors import visible_parties

from .. import selectors, services
from ..models import COUNTERS, QuarantinedCommunication, Threshold
from ..quarantine import load_decisions
from ..services import REFUSALS
from . import serializers as s

_FIELD = re.compile(r"^([\w\[\].]+): ")
REFUSED = {400: OpenApiResponse(s.RefusalSerializer, description="Refused: `detail` says why, "
                                                               "`field` names the field."),
           403: OpenApiResponse(s.RefusalSerializer, description="Not this person's action."),
           404: OpenApiResponse(s.RefusalSerializer, description="No such record you may see.")}


CONFLICT = {409: OpenApiResponse(s.RefusalSerializer, description="The record's state does not "
                                                                 "allow it (the clause says why).")}


def answers(ok, code: int = 200, conflict: bool = False) -> dict:
    return {code: ok, **REFUSED, **(CONFLICT if conflict else {})}


class RefusalsAs400:
    """A service's refusal is a 400 naming the field; nothing was changed."""

    def handle_exception(self, exc):
        if isinstance(exc, services.ThresholdConflict):  # the state does not allow it: 409
            return Response({"detail": str(exc), "field": None}, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, REFUSALS):
            match = _FIELD.match(str(exc))
            return Response({"detail": str(exc), "field": match.group(1) if match else None},
                            status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


class ThresholdFilter(django_filters.FilterSet):
    party = django_filters.CharFilter(method="by_party",
                                      help_text='A party id; "*" for the DCC\'s thresholds.')
    user_id = django_filters.CharFilter(field_name="user_id__value")
    srv = django_filters.CharFilter(field_name="srv__srv")
    counter = django_filters.ChoiceFilter(choices=COUNTERS)

    class Meta:
        model = Threshold
        fields = ["party", "user_id", "srv", "counter"]

    def by_party(self, queryset, name, value):
        if value == "*":
            return queryset.filter(user_id__isnull=True)
        return queryset.filter(user_id__party_role__party__party_id=value)


class ThresholdViewSet(RefusalsAs400, viewsets.ReadOnlyModelViewSet):
    """Thresholds you may see (G6.3, G6.6(a)); opinions (G6.9, G7.21(b)), review dates (G6.10)."""

    serializer_class = s.ThresholdSerializer
    filterset_class = ThresholdFilter

    def get_queryset(self):
        return selectors.thresholds(self.request.user)

    @extend_schema(request=s.OpinionSerializer, responses=answers(s.ThresholdSerializer))
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """The DCC's opinion when consulted (G6.9), or the SSC's view (G6.8, G7.21(b)), as the
        person's kind decides."""
        threshold = self.get_object()
        data = _valid(s.OpinionSerializer, request)
        return Response(self.get_serializer(
            services.give_opinion(request.user, threshold, data["text"])).data)

    @extend_schema(request=s.ReviewDateSerializer, responses=answers(s.ThresholdSerializer))
    @action(detail=True, methods=["post"], url_path="review-date")
    def review_date(self, request, pk=None):
        """G6.10: the owner (or the DCC) sets when the threshold is next reviewed."""
        threshold = self.get_object()
        data = _valid(s.ReviewDateSerializer, request)
        return Response(self.get_serializer(
            services.set_review_date(request.user, threshold, data["review_by"])).data)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SrvViewSet(RefusalsAs400, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                 viewsets.GenericViewSet):
    """The 129 SRVs of the DUIS and what the DCC keeps about them (G6.4(b), G6.6(b))."""

    serializer_class = s.SrvSerializer
    lookup_field = "srv"
    lookup_value_regex = r"[0-9.]+"
    pagination_class = None

    def get_queryset(self):
        return selectors.srvs()

    @extend_schema(request=s.SrvUpdateSerializer,
                   responses=answers(s.SrvSerializer, conflict=True))
    def partial_update(self, request, srv=None):
        """The DCC keeps the guidance levels, the encrypted-response flag and the limits; new
        limits only as proposed and given the SSC's opinion (G6.6(b)): 409 otherwise."""
        require(request.user, Action.KEEP_SRV_REFERENCE)
        self.get_object()
        serializer = s.SrvUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(self.get_serializer(
            services.keep_srv_reference(request.user, srv, **serializer.validated_data)).data)

    @extend_schema(request=s.DccThresholdSerializer,
                   responses=answers(s.ThresholdSerializer, conflict=True))
    @action(detail=True, methods=["post"], url_path="dcc-threshold")
    def dcc_threshold(self, request, srv=None):
        """The DCC's threshold across all Users for this SRV (G6.6(a)): sets the newest
        proposal with these levels on which the SSC has given its opinion (G6.7(b)); 409
        without one (`reason`: how the DCC took the opinion into account)."""
        require(request.user, Action.SET_DCC_THRESHOLD)
        self.get_object()
        data = _valid(s.DccThresholdSerializer, request)
        threshold = services.set_dcc_threshold(request.user, srv, data["counter"],
                                               data["quarantine"], data.get("warning"),
                                               data["reason"])
        return Response(s.ThresholdSerializer(threshold).data)


class CoverageViewSet(RefusalsAs400, viewsets.GenericViewSet):
    """Per party: the mandatory thresholds its User IDs lack (G6.3), the G6.4A violations and
    the test statuses of Critical Service Requests."""

    lookup_field = "party_id"
    lookup_value_regex = "[^/]+"
    serializer_class = s.CoverageSerializer

    def get_queryset(self):
        return visible_parties(self.request.user)

    @extend_schema(responses=answers(s.CoverageSerializer))
    def retrieve(self, request, party_id=None):
        party = self.get_object()
        tests = selectors.critical_test_statuses(request.user, party)
        return Response({"party": party.party_id,
                         "gaps": s.GapSerializer(selectors.coverage(party), many=True).data,
                         "test_statuses": s.TestStatusSerializer(tests, many=True).data})

    @extend_schema(request=s.TestStatusInputSerializer, responses=answers(s.TestStatusSerializer))
    @action(detail=True, methods=["post"], url_path="test-status")
    def test_status(self, request, party_id=None):
        """Whether a User ID passed testing for a Critical Service Request (G6.4A): DCC, SECAS."""
        require(request.user, Action.RECORD_TEST_STATUS)
        party = self.get_object()
        data = _valid(s.TestStatusInputSerializer, request)
        user_id = selectors.user_id_of(party, data["user_id"])
        if user_id is None:
            return Response({"detail": f"user_id: not a User ID of {party.party_id}",
                             "field": "user_id"}, status=status.HTTP_400_BAD_REQUEST)
        return Response(s.TestStatusSerializer(services.record_test_status(
            request.user, user_id, data["srv"], data["passed"])).data)


class SubmissionViewSet(RefusalsAs400, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Signed files received (G6.6A): applied, or refused with the reason."""

    serializer_class = s.SubmissionSerializer
    parser_classes = [MultiPartParser]  # files: a form without them cannot carry one

    def get_queryset(self):
        return selectors.submissions(self.request.user)

    @extend_schema(request=s.SubmitSerializer, responses=answers(s.SubmissionSerializer, 201))
    def create(self, request):
        """Submit a signed threshold file or exit-quarantine instruction with its detached
        signature (multipart `content`, `signature`): 201 when applied; 400 with the reason
        (modified, wrongly signed, unsigned, replayed, or a bad line) and nothing changed."""
        serializer = s.SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signature = serializer.validated_data.get("signature")
        submission = services.submit_signed_file(
            request.user, serializer.validated_data["content"].read(),
            signature.read() if signature else b"")
        return Response(self.get_serializer(submission).data, status=status.HTTP_201_CREATED)


Status = QuarantinedCommunication.Status
STATUS = OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values,
                          description="Which communications (default: pending).")


class QuarantineViewSet(RefusalsAs400, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The quarantine desk (G6.1(a)(ii)-(iii)): the owner sees its own communications, the DCC
    every party's, oldest first with their age."""

    serializer_class = s.QuarantinedSerializer

    def get_queryset(self):
        wanted = self.request.query_params.get("status") or "pending"
        if wanted not in Status.values:
            raise ValidationError({"status": f"one of {', '.join(Status.values)}"})
        return selectors.quarantine_queue(self.request.user, status=wanted)

    @extend_schema(parameters=[STATUS])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.QueueSummarySerializer(many=True))
    @action(detail=False, pagination_class=None)
    def summary(self, request):
        """Pending communications per party and the oldest one's time."""
        return Response(s.QueueSummarySerializer(selectors.queue_overview(request.user),
                                                 many=True).data)

    @extend_schema(request=s.LoadRunSerializer, responses=answers(s.LoadedSerializer, 201))
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    def load(self, request):
        """The DCC loads a run's quarantined communications: multipart `traffic` and
        `decisions` (the files `secassure adt run` reads and writes); all or nothing."""
        require(request.user, Action.LOAD_QUARANTINE)
        data = _valid(s.LoadRunSerializer, request)
        with tempfile.TemporaryDirectory() as folder:
            paths = {}
            for name in ("traffic", "decisions"):
                paths[name] = Path(folder) / f"{name}.csv"
                paths[name].write_bytes(b"".join(data[name].chunks()))
            try:
                loaded = load_decisions(request.user, paths["traffic"], paths["decisions"],
                                        label=f"API: {data['traffic'].name}")
            except REFUSALS as error:
                raise type(error)(str(error).replace(str(paths["traffic"]), "traffic")
                                  .replace(str(paths["decisions"]), "decisions")) from None
        return Response({"loaded": loaded.total, "quarantined": loaded.quarantined,
                         "deleted": loaded.deleted, "notices": list(loaded.notices)},
                        status=status.HTTP_201_CREATED)


class SigningKeyViewSet(RefusalsAs400, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Parties' registered public keys for signed files (G6.6A): the party's own people register
    one; they, the DCC or SECAS revoke one."""

    serializer_class = s.SigningKeySerializer

    def get_queryset(self):
        return selectors.signing_keys(self.request.user)

    @extend_schema(request=s.SigningKeyInputSerializer,
                   responses=answers(s.SigningKeySerializer, 201))
    def create(self, request):
        data = _valid(s.SigningKeyInputSerializer, request)
        party = visible_parties(request.user).filter(party_id=data["party"]).first()
        if party is None:
            return Response({"detail": f"party: no party {data['party']!r} you may see",
                             "field": "party"}, status=status.HTTP_400_BAD_REQUEST)
        key = services.register_signing_key(request.user, party, data["public_pem"])
        return Response(self.get_serializer(key).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SigningKeyRevokeSerializer, responses=answers(s.SigningKeySerializer))
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke a key (G6.6A): the party's own people, the DCC or SECAS; journaled, and shown
        to the party's people."""
        data = _valid(s.SigningKeyRevokeSerializer, request)
        key = services.revoke_signing_key(request.user, self.get_object(), data["reason"])
        return Response(self.get_serializer(key).data)
