"""The committee's API, mounted at /api/committee/: meetings with the agenda and papers a
person may see, the action log, the headlines; the secretariat schedules meetings and adds
items, a member declares a conflict. Refusals: 403 (the wrong person), 404 (a record the person
may not see, as a missing one), 400 naming the field."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as Forbidden
from rest_framework.request import Request
from rest_framework.response import Response

from secassure.code.publications import PublicationError
from secassure.core.visibility import person_kind

from .. import publications, selectors, services
from ..models import AgendaItem, Meeting
from ..services.base import COMMITTEE, CommitteeError
from . import serializers as s


def _bad(error: Exception) -> Response:
    message = str(error)
    field = message.split(":", 1)[0] if ":" in message else None
    return Response({"detail": message, "field": field}, status=status.HTTP_400_BAD_REQUEST)


def _run(call: Any) -> Any:
    try:
        return call()
    except PermissionDenied as error:
        raise Forbidden(str(error)) from None


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    serializer_class = s.MeetingSerializer

    def get_queryset(self) -> Any:
        return selectors.meetings_for(self.request.user).order_by("-date", "pk")

    @extend_schema(request=s.MeetingInputSerializer, responses={201: s.MeetingSerializer})
    def create(self, request: Request) -> Response:
        data = s.MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            meeting = _run(lambda: services.schedule_meeting(request.user, **data.validated_data))
        except CommitteeError as error:
            return _bad(error)
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ItemSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole agenda, a list
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        items = selectors.visible_items(request.user, self.get_object()).order_by(
            "parent_id", "number")
        return Response(s.ItemSerializer(items, many=True).data)

    @extend_schema(request=s.ItemInputSerializer, responses={201: s.ItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        data = s.ItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = _run(lambda: services.add_item(request.user, meeting, **data.validated_data))
        except CommitteeError as error:
            return _bad(error)
        return Response(s.ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ConflictInputSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def conflicts(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        data = s.ConflictInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = AgendaItem.objects.visible_to(request.user).filter(
            meeting=meeting, pk=data.validated_data["item"]).first()
        if item is None:
            raise NotFound("No such item.")
        _run(lambda: services.declare_conflict(request.user, item,
                                               note=data.validated_data["note"]))
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.PublicationSerializer})
    @action(detail=True, methods=["get"])
    def headlines(self, request: Request, pk: str | None = None) -> Response:
        meeting: Meeting = self.get_object()
        if person_kind(request.user) not in COMMITTEE:
            raise NotFound("No such page.")
        try:
            lines = publications.headlines(meeting)
        except PublicationError as error:
            return _bad(error)
        return Response({"markdown": "\n".join(lines) + "\n"})


class PaperViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PaperSerializer

    def get_queryset(self) -> Any:
        return selectors.papers_for(self.request.user).prefetch_related("versions").order_by(
            "pk")


class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ActionSerializer

    def get_queryset(self) -> Any:
        return selectors.action_log(self.request.user).order_by("due", "pk")
