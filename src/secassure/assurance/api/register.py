"""The register with its assessment history over the API: the schedule (RED), and the
interchange document's import and export (SECAS). Mounted at /api/ by `secassure.web.urls`."""
from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from secassure.code.dates import parse_iso_date
from secassure.code.inputs import in_range
from secassure.code.interchange import dump_register
from secassure.code.permissions import Action
from secassure.core.permissions import require
from secassure.registry.api.views import PartySerializer
from secassure.registry.selectors import parties_with_visible_business, visible_parties

from .. import selectors, services

#: A date the register holds (`inputs.EARLIEST` to `inputs.LATEST`), as a pattern.
DATE_IN_RANGE = r"^(199[0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$"
AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, pattern=DATE_IN_RANGE,
                         description="Date to judge the schedule on, from 1990-01-01 to "
                                     "2100-12-31 (default: today).")


class OwedCycleSerializer(serializers.Serializer):
    """One cycle a party owes (G1.5): as_provider for a Shared Resource Provider's (G8.63)."""

    track = serializers.CharField()
    next = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    premises = serializers.DictField(child=serializers.IntegerField())
    rule = serializers.CharField()
    as_provider = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()


class ScheduleEntrySerializer(serializers.Serializer):
    """A party's schedule: the obligation that falls due first, and every obligation."""

    id = serializers.CharField()
    track = serializers.CharField()
    next = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    premises = serializers.DictField(child=serializers.IntegerField())
    rule = serializers.CharField()
    reason = serializers.CharField()
    obligations = OwedCycleSerializer(many=True)


class BookingSerializer(serializers.Serializer):
    """An assessment booked and not yet complete: it stands in for the party's next."""

    id = serializers.IntegerField()
    category = serializers.CharField()
    fieldwork_start = serializers.DateField(allow_null=True)
    due = serializers.DateField(allow_null=True)


class ScheduledSerializer(ScheduleEntrySerializer):
    booked = BookingSerializer(allow_null=True)


class ScheduleSerializer(serializers.Serializer):
    """The schedule on a day: what each party owes next, and any booking made for it."""

    as_of = serializers.DateField()
    parties = ScheduledSerializer(many=True)


def as_of_param(request: Request) -> date:
    """`?as_of=` (a date from 1990 to 2100); today when it is not given."""
    text = request.query_params.get("as_of")
    if text is None:
        return timezone.localdate()
    try:
        return in_range(parse_iso_date(text))
    except ValueError as error:
        raise ValidationError({"as_of": str(error)}) from None


class ScheduleView(APIView):
    """The schedule of every party whose assessment business you may see."""

    @extend_schema(parameters=[AS_OF], responses=ScheduleSerializer)
    def get(self, request: Request) -> Response:
        as_of = as_of_param(request)
        rows = selectors.schedule_for(request.user, as_of)
        booked = selectors.open_bookings()
        return Response({"as_of": as_of.isoformat(), "parties": [
            {**e.as_json(), "booked": selectors.booking_json(booked.get(p.pk))}
            for p, e in rows]})


class PartyScheduleView(APIView):
    """The assessment one party owes next (RED: only for those who see its business)."""

    @extend_schema(parameters=[AS_OF], responses=ScheduleEntrySerializer)
    def get(self, request: Request, party_id: str) -> Response:
        party = get_object_or_404(visible_parties(request.user), party_id=party_id)
        if not parties_with_visible_business(request.user).filter(pk=party.pk).exists():
            raise PermissionDenied("Assessment business of this party is RED.")
        return Response(selectors.seen_by(request.user, selectors.party_schedule(
            party, as_of_param(request))).as_json())


class RegisterDocumentSerializer(serializers.Serializer):
    """The interchange document: the parties, in the format `secassure export` writes."""

    parties = PartySerializer(many=True)


class RegisterImportView(APIView):
    """Import an interchange document, all or nothing (SECAS)."""

    parser_classes = [JSONParser]  # the interchange document is JSON

    @extend_schema(request=RegisterDocumentSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        result = services.import_register(request.user, request.data,
                                          reason=request.query_params.get("reason", "API import"))
        return Response({"created": result.created, "updated": result.updated}, status=201)


class RegisterExportView(APIView):
    """The whole register in the interchange format, histories included (SECAS)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        require(request.user, Action.EDIT_REGISTER)
        return Response(dump_register(selectors.register_records()))
