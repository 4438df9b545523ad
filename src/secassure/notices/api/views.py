"""REST API of notices, mounted at /api/notices/: a User's own tooling files them.

Reads go through `selectors` (a notice you may not see is a 404, as a missing one); each
write is one service call. Refusals: PermissionDenied 403; NoticeError 400 `{"detail",
"field"}` (the field the message names); NoticeConflict 409; nothing is written on any."""
from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from secassure.assurance.models import Assessment, Finding
from secassure.registry.models import Party

from .. import selectors, services
from ..services import NoticeConflict, NoticeError
from . import serializers as s

_FIELD = re.compile(r"^([a-z_]+): ")


def refused(error: Exception) -> Response:
    if isinstance(error, NoticeConflict):
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    match = _FIELD.match(str(error))
    return Response({"detail": str(error), "field": match.group(1) if match else None},
                    status=status.HTTP_400_BAD_REQUEST)


def _party(user: Any, code: str | None, field: str) -> Party | None:
    """The party `code` names, among those the person may see (else bad input, 400)."""
    if code in (None, ""):
        return None
    found = Party.objects.visible_to(user).filter(party_id=code).first()
    if found is None:
        raise NoticeError(f"{field}: no such party {code!r}")
    return found


def _named_party(user: Any, code: str, field: str) -> Party:
    found = _party(user, code, field)
    if found is None:
        raise NoticeError(f"{field}: required")
    return found


def _filter_party(query: Any, request: Request, path: str) -> Any:
    code = request.query_params.get("party")
    return query.filter(**{f"{path}__party_id": code}) if code else query


REFUSALS = {400: OpenApiResponse(description="Bad input; `field` names it."),
            403: OpenApiResponse(description="Not this person's action."),
            404: OpenApiResponse(description="No such notice that you may see."),
            409: OpenApiResponse(description="The notice's state does not allow it.")}


#: The ids in the addresses: whole numbers (an address with anything else names nothing).
ID = "[0-9]{1,18}"


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notices to the SSC (G2.11, G2.35, G3.5, G3.9, G3.17-G3.19, G5.26, G10.2-G10.3)."""

    lookup_value_regex = ID  # a record id is a whole number: anything else is a 404

    serializer_class = s.NoticeSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self) -> Any:
        query = selectors.notices(self.request.user).prefetch_related("updates__by",
                                                                      "attachments")
        for name in ("kind", "state"):
            if self.request.query_params.get(name):
                query = query.filter(**{name: self.request.query_params[name][:40]})
        return _filter_party(query, self.request, "party")

    @extend_schema(request=s.NoticeInput, responses={201: s.NoticeSerializer, **REFUSALS})
    def create(self, request: Request) -> Response:
        data = s.NoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = dict(data.validated_data)
        try:
            given["party"] = _party(request.user, given["party"], "party")
            given["provider"] = _party(request.user, given.get("provider"), "provider")
            if given.get("incident"):
                given["incident"] = selectors.notice(request.user, given["incident"])
                if given["incident"] is None:
                    raise NoticeError("incident: no such notice")
            if given.get("finding"):
                given["finding"] = Finding.objects.visible_to(request.user).filter(
                    pk=given["finding"]).first()
                if given["finding"] is None:
                    raise NoticeError("finding: no such finding")
            notice = services.file_notice(request.user, **given)
        except (NoticeError, NoticeConflict) as error:
            return refused(error)
        return Response(s.NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)

    def _act(self, call: Any) -> Response:
        try:
            call()
        except (NoticeError, NoticeConflict) as error:
            return refused(error)
        return Response(s.NoticeSerializer(self.get_queryset().get(pk=self.kwargs["pk"])).data)

    @extend_schema(request=s.TextInput, responses={200: s.NoticeSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def updates(self, request: Request, pk: str) -> Response:
        notice = self.get_object()
        data = s.TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(lambda: services.add_update(request.user, notice,
                                                     data.validated_data["text"]))

    @extend_schema(request=s.ReviewInput, responses={200: s.NoticeSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        notice = self.get_object()
        data = s.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        return self._act(lambda: services.review_notice(
            request.user, notice, given["action"], given["text"], given["meeting"],
            given.get("meeting_id")))

    @extend_schema(request=s.DayInput, responses={200: s.NoticeSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        notice = self.get_object()
        data = s.DayInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(lambda: services.complete_steps(
            request.user, notice, data.validated_data["on"], data.validated_data["text"]))

    @extend_schema(request=s.DayInput, responses={200: s.NoticeSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def operational(self, request: Request, pk: str) -> Response:
        notice = self.get_object()
        data = s.DayInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(lambda: services.mark_operational(request.user, notice,
                                                           data.validated_data["on"]))

    @extend_schema(request=s.AssessmentInput, responses={200: s.NoticeSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="link-assessment")
    def link_assessment(self, request: Request, pk: str) -> Response:
        """G3.8(c): the vulnerability assessment the incident triggered."""
        notice = self.get_object()
        data = s.AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        found = Assessment.objects.visible_to(request.user).filter(
            pk=data.validated_data["assessment"]).first()
        if found is None:
            return refused(NoticeError("assessment: no such assessment"))
        return self._act(lambda: services.link_assessment(request.user, notice, found))

    @extend_schema(request={"multipart/form-data": s.FileInput},
                   responses={200: s.NoticeSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Request, pk: str) -> Response:
        notice = self.get_object()
        data = s.FileInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(lambda: services.attach(request.user, notice,
                                                 data.validated_data["file"]))


class SmsCountViewSet(mixins.ListModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """G5.27: counts of Smart Metering Systems, first on starting, then every six months."""

    lookup_value_regex = ID  # a record id is a whole number: anything else is a 404

    serializer_class = s.SmsCountSerializer

    def get_queryset(self) -> Any:
        query = selectors.visible(selectors.SmsCount, self.request.user).select_related("party")
        return _filter_party(query, self.request, "party")

    @extend_schema(responses={201: s.SmsCountSerializer, **REFUSALS})
    def create(self, request: Request) -> Response:
        data = s.SmsCountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        try:
            party = _named_party(request.user, given["party"]["party_id"], "party")
            row = services.report_sms_count(request.user, party, given["count"],
                                            given.get("reported_on"))
        except NoticeError as error:
            return refused(error)
        return Response(s.SmsCountSerializer(row).data, status=status.HTTP_201_CREATED)


class ProviderListViewSet(mixins.ListModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """G10.4: each Shared Resource Provider's lists of the Users it serves (newest first)."""

    lookup_value_regex = ID  # a record id is a whole number: anything else is a 404

    serializer_class = s.ProviderListSerializer

    def get_queryset(self) -> Any:
        query = selectors.provider_lists(self.request.user)
        return _filter_party(query, self.request, "provider")

    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        body = [{"id": r.pk, "provider": r.provider.party_id,
                 "users": [u.party_id for u in r.users.all()],
                 "submitted_on": r.submitted_on, "classification": r.classification}
                for r in rows]
        return self.get_paginated_response(body)

    @extend_schema(responses={201: s.ProviderListSerializer, **REFUSALS})
    def create(self, request: Request) -> Response:
        data = s.ProviderListSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        try:
            provider = _named_party(request.user, given["provider"]["party_id"], "provider")
            # a provider names the Users it serves, whose register entries it may not see
            found = Party.objects.in_bulk(given["user_codes"], field_name="party_id")
            unknown = sorted(set(given["user_codes"]) - set(found))
            if unknown:
                raise NoticeError(f"users: no such party {unknown[0]!r}")
            users = list(found.values())
            row = services.submit_provider_list(request.user, provider, users)
        except NoticeError as error:
            return refused(error)
        return Response({"id": row.pk, "provider": provider.party_id,
                         "users": sorted(u.party_id for u in users),
                         "submitted_on": row.submitted_on,
                         "classification": row.classification},
                        status=status.HTTP_201_CREATED)


class CplEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """CPL entries with their firmware hashes and CPA certificates (G7.20(d))."""

    lookup_value_regex = ID  # a record id is a whole number: anything else is a 404

    serializer_class = s.CplEntrySerializer

    def get_queryset(self) -> Any:
        return selectors.cpl_entries(self.request.user)

    @extend_schema(responses={201: s.CplEntrySerializer, **REFUSALS})
    def create(self, request: Request) -> Response:
        data = s.CplEntrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            row = services.add_cpl_entry(request.user, **data.validated_data)
        except NoticeError as error:
            return refused(error)
        return Response(s.CplEntrySerializer(row).data, status=status.HTTP_201_CREATED)


class RemedialPlanViewSet(mixins.ListModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """CPA Certificate Remedial Plans of Supplier Parties (G8.64), reviewed by a date."""

    lookup_value_regex = ID  # a record id is a whole number: anything else is a 404

    serializer_class = s.RemedialPlanSerializer

    def get_queryset(self) -> Any:
        return _filter_party(selectors.remedial_plans(self.request.user), self.request, "party")

    @extend_schema(responses={201: s.RemedialPlanSerializer, **REFUSALS})
    def create(self, request: Request) -> Response:
        data = s.RemedialPlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        try:
            party = _named_party(request.user, given["party"]["party_id"], "party")
            entry = selectors.cpl_entries(request.user).filter(pk=given["entry"].pk).first()
            if entry is None:
                raise NoticeError("entry: no such CPL entry")
            row = services.file_remedial_plan(request.user, party, entry, given["plan"],
                                              given["review_by"])
        except NoticeError as error:
            return refused(error)
        return Response(s.RemedialPlanSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PlanReviewSerializer,
                   responses={200: s.RemedialPlanSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def reviewed(self, request: Request, pk: str) -> Response:
        """The SSC (or SECAS for it) records the plan's review (G8.64): accepted (the default)
        or changes asked, with reasons."""
        plan = self.get_queryset().filter(pk=pk).first()
        if plan is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        given = s.PlanReviewSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            plan = services.review_remedial_plan(request.user, plan,
                                                 outcome=given.validated_data["outcome"],
                                                 reasons=given.validated_data["reasons"])
        except (NoticeError, NoticeConflict) as error:
            return refused(error)
        return Response(s.RemedialPlanSerializer(plan).data)
