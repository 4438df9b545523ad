"""REST API for the register and the schedule."""
from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from secassure.accounts.permissions import require
from secassure.code.applicability import obligations
from secassure.code.dates import parse_iso_date
from secassure.code.interchange import dump_register, parse_register
from secassure.code.permissions import Action
from secassure.code.roles import UserRole

from . import selectors, services

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="Date to judge the schedule "
                                                                 "on (default: today).")


def as_of_param(request) -> date:
    text = request.query_params.get("as_of")
    if not text:
        return date.today()
    try:
        return parse_iso_date(text)
    except ValueError as error:
        raise ValidationError({"as_of": str(error)}) from None


class PartySerializer(serializers.Serializer):
    """A party in the interchange format (the same shape `secassure export` writes)."""

    id = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    roles = serializers.ListField(child=serializers.ChoiceField([r.value for r in UserRole]))
    domestic_premises = serializers.IntegerField(min_value=0, required=False)
    non_domestic_premises = serializers.IntegerField(min_value=0, required=False)
    shares_resources_with = serializers.ListField(child=serializers.CharField(), required=False)
    resource_provider = serializers.CharField(required=False, allow_null=True)
    ssc_next_category = serializers.ChoiceField(["FUSA", "VUSA", "SSA"], required=False)
    user_ids = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                     required=False)


class ScheduleEntrySerializer(serializers.Serializer):
    id = serializers.CharField()
    track = serializers.CharField()
    next = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    premises = serializers.DictField(child=serializers.IntegerField())
    rule = serializers.CharField()
    reason = serializers.CharField()


class ObligationSerializer(serializers.Serializer):
    ref = serializers.CharField()
    section = serializers.CharField()
    heading = serializers.CharField()
    as_ = serializers.CharField()
    basis = serializers.CharField()
    note = serializers.CharField()


def _party_json(record) -> dict:
    document = dump_register([record])["parties"][0]
    document.pop("assessments")  # RED business: served by the assurance endpoints
    return document


class PartyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Parties you may see. SECAS creates and replaces them (the same checks as an import)."""

    serializer_class = PartySerializer
    lookup_field = "party_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.visible_parties(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        records = selectors.register_records([p.pk for p in page])
        return self.get_paginated_response([_party_json(r) for r in records])

    def retrieve(self, request, *args, **kwargs):
        party = self.get_object()
        return Response(_party_json(selectors.register_records([party.pk])[0]))

    def create(self, request, *args, **kwargs):
        return self._save(request, existing=None, status_code=201)

    def update(self, request, *args, **kwargs):
        return self._save(request, existing=self.get_object(), status_code=200)

    def _save(self, request, existing, status_code):
        require(request.user, Action.EDIT_REGISTER)
        data = dict(request.data)
        if existing is not None:
            data["id"] = existing.party_id
            data["assessments"] = dump_register(selectors.register_records([existing.pk]))[
                "parties"][0]["assessments"]
        elif selectors.Party.objects.filter(party_id=data.get("id")).exists():
            raise ValidationError({"id": "a party with this id is already in the register"})
        known = selectors.Party.objects.exclude(party_id=data.get("id")).values_list(
            "party_id", flat=True)
        record = parse_register({"parties": [data]}, known_ids=known)[0]
        party = services.save_party(request.user, record,
                                    reason=request.query_params.get("reason", "API"))
        return Response(_party_json(selectors.register_records([party.pk])[0]),
                        status=status_code)

    @extend_schema(responses=ObligationSerializer(many=True))
    @action(detail=True)
    def obligations(self, request, party_id=None):
        """The Section G clauses binding the party, per User Role (G1.5-G1.7, G10.5, G12.5)."""
        party = self.get_object()
        return Response({r.role: [o.__dict__ for o in obligations(UserRole(r.role))]
                         for r in party.roles.all()})

    @extend_schema(parameters=[AS_OF], responses=ScheduleEntrySerializer)
    @action(detail=True)
    def schedule(self, request, party_id=None):
        """The assessment the party owes next (RED: only for those who see its business)."""
        party = self.get_object()
        if not selectors.parties_with_visible_business(request.user).filter(pk=party.pk).exists():
            self.permission_denied(request, "Assessment business of this party is RED.")
        return Response(selectors.party_schedule(party, as_of_param(request)).as_json())


class ScheduleView(APIView):
    """The schedule of every party whose assessment business you may see."""

    @extend_schema(parameters=[AS_OF], responses=ScheduleEntrySerializer(many=True))
    def get(self, request):
        as_of = as_of_param(request)
        rows = selectors.schedule_for(request.user, as_of)
        booked = selectors.open_bookings()
        return Response({"as_of": as_of.isoformat(), "parties": [
            {**e.as_json(), "booked": selectors.booking_json(booked.get(p.pk))}
            for p, e in rows]})


class RegisterImportView(APIView):
    """Import an interchange document, all or nothing (SECAS)."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        result = services.import_register(request.user, request.data,
                                          reason=request.query_params.get("reason", "API import"))
        return Response({"created": result.created, "updated": result.updated}, status=201)


class RegisterExportView(APIView):
    """The whole register in the interchange format, histories included (SECAS)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        require(request.user, Action.EDIT_REGISTER)
        return Response(dump_register(selectors.register_records()))
