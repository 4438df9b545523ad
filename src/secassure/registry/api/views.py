"""REST API of the register: parties and the obligations binding them (mounted at /api/)."""
from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from secassure.code import inputs
from secassure.code.applicability import obligations
from secassure.code.interchange import dump_register, parse_register
from secassure.code.permissions import Action
from secassure.code.roles import UserRole
from secassure.core import validators
from secassure.core.permissions import require

from .. import selectors, services
from ..models import Party


@extend_schema_field({"type": "object", "additionalProperties": False, "properties": {
    role.value: {"type": "array", "items": {"type": "string", "maxLength": 64,
                                            "pattern": rf"^{inputs.USER_ID.pattern}$"}}
    for role in UserRole}})
class UserIdsField(serializers.DictField):
    """User IDs by User Role (G1.5): only roles are keys."""


def _party_id(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=64, validators=[validators.party_id], **kwargs)


class PartySerializer(serializers.Serializer):
    """A party in the interchange format (the same shape `secassure export` writes)."""

    id = serializers.CharField(max_length=64, validators=[validators.party_id])
    name = serializers.CharField(max_length=inputs.NAME_LIMIT, required=False,
                                 allow_blank=True, validators=[validators.line])
    roles = serializers.ListField(child=serializers.ChoiceField([r.value for r in UserRole]))
    domestic_premises = serializers.IntegerField(min_value=0, max_value=inputs.PREMISES_LIMIT,
                                                 required=False)
    non_domestic_premises = serializers.IntegerField(min_value=0,
                                                     max_value=inputs.PREMISES_LIMIT,
                                                     required=False)
    shares_resources_with = serializers.ListField(child=_party_id(), required=False)
    resource_provider = _party_id(required=False, allow_null=True)
    ssc_next_category = serializers.ChoiceField(["FUSA", "VUSA", "SSA"], required=False)
    user_ids = UserIdsField(child=serializers.ListField(child=serializers.CharField(
        max_length=64, validators=[validators.user_id])), required=False)


class ObligationSerializer(serializers.Serializer):
    ref = serializers.CharField()
    section = serializers.CharField()
    heading = serializers.CharField()
    as_ = serializers.CharField()
    basis = serializers.CharField()
    note = serializers.CharField()


#: The obligations of a party: per User Role it holds, the clauses binding it.
OBLIGATIONS = {"type": "object", "additionalProperties": {"type": "array", "items": {
    "type": "object", "required": list(ObligationSerializer().fields),
    "properties": {name: {"type": "string"} for name in ObligationSerializer().fields}}}}


def _party_json(record) -> dict:
    document = dump_register([record])["parties"][0]
    document.pop("assessments", None)  # RED business: served by the assurance endpoints
    return document


def _dcc_json(party: Party) -> dict:
    """The DCC's own record: its id, name and roles (G9: it is not a User, and not in the
    interchange format; its assessments are served by the assurance endpoints)."""
    return {"id": party.party_id, "name": party.name,
            "roles": [role.role for role in party.roles.all()]}


class PartyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Parties you may see. SECAS creates and replaces them (the same checks as an import)."""

    serializer_class = PartySerializer
    parser_classes = [JSONParser]  # a party is a JSON document, as in the interchange format
    lookup_field = "party_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.visible_parties(self.request.user)

    def list(self, request, *args, **kwargs):
        # the DCC is a party of the platform but not of the interchange format (G9, not G8):
        # listed parties are Users; the DCC's own record is at /api/parties/DCC/
        page = self.paginate_queryset(self.get_queryset().filter(is_dcc=False))
        records = selectors.party_records([p.pk for p in page])
        return self.get_paginated_response([_party_json(r) for r in records])

    def retrieve(self, request, *args, **kwargs):
        party = self.get_object()
        if party.is_dcc:
            return Response(_dcc_json(party))
        return Response(_party_json(selectors.party_records([party.pk])[0]))

    def create(self, request, *args, **kwargs):
        return self._save(request, existing=None, status_code=201)

    def update(self, request, *args, **kwargs):
        return self._save(request, existing=self.get_object(), status_code=200,
                          partial=kwargs.get("partial", False))

    def _save(self, request, existing, status_code, partial: bool = False):
        require(request.user, Action.EDIT_REGISTER)
        if existing is not None and existing.is_dcc:
            raise ValidationError({"id": "the DCC is assessed under G9 and is not a party of "
                                         "the interchange format: SECAS edits it in the admin"})
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": "the body must be a JSON object (a party)"})
        data = dict(request.data)
        if existing is not None:
            if partial:  # PATCH: what is not sent stays as it is
                data = {**_party_json(selectors.party_records([existing.pk])[0]), **data}
            data["id"] = existing.party_id
        record = parse_register({"parties": [data]},
                                **selectors.known_parties(excluding=data.get("id")
                                                          if isinstance(data.get("id"), str)
                                                          else None))[0]
        if existing is None and Party.objects.filter(party_id=record.id).exists():
            raise ValidationError({"id": "a party with this id is already in the register"})
        party = services.save_party(request.user, record,
                                    reason=request.query_params.get("reason", "API"))
        return Response(_party_json(selectors.party_records([party.pk])[0]),
                        status=status_code)

    @extend_schema(responses={200: OpenApiResponse(OBLIGATIONS, description="The clauses "
                                                   "binding the party, by User Role.")})
    @action(detail=True, pagination_class=None)
    def obligations(self, request, party_id=None):
        """The Section G clauses binding the party, per User Role (G1.5-G1.7, G10.5, G12.5)."""
        party = self.get_object()
        return Response({r.role: [o.__dict__ for o in obligations(UserRole(r.role))]
                         for r in party.roles.all()})
