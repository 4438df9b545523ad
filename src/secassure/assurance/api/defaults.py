"""Events of Default over the API (G8.54-G8.60; the DCC: G9.34-G9.41).

The SSC refers actual non-compliance to the Panel (G8.57); the Panel decides whether it is an
Event of Default and the steps under M8.4 (G8.58) and approves any remedial action plan
(G8.60). A referral is seen by the committee and the party concerned only (it is not shared
with Shared Resource Users).
"""
from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from secassure.code.permissions import Action
from secassure.core.filters import IdFilter, YesNoFilter
from secassure.core.permissions import require

from .. import selectors, services
from ..models import EventOfDefault
from . import serializers as s
from .base import WorkflowAPIMixin, outcomes


class EventOfDefaultFilter(django_filters.FilterSet):
    assessment = IdFilter(field_name="assessment", help_text="Assessment id")
    is_event_of_default = YesNoFilter(help_text="The Panel's determination (G8.58)")

    class Meta:
        model = EventOfDefault
        fields = ["assessment", "is_event_of_default"]


class EventOfDefaultViewSet(WorkflowAPIMixin, mixins.CreateModelMixin,
                            viewsets.ReadOnlyModelViewSet):
    serializer_class = s.EventOfDefaultSerializer
    filterset_class = EventOfDefaultFilter

    def get_queryset(self):
        return selectors.events_of_default(self.request.user).order_by("id")

    @extend_schema(request=s.ReferEventOfDefaultInput,
                   responses=outcomes(s.EventOfDefaultSerializer, 201))
    def create(self, request, *args, **kwargs):
        """The SSC, having found actual non-compliance with G3 to G6, refers the matter to the
        Panel (G8.57; the DCC: G9.38)."""
        require(request.user, Action.REFER_EVENT_OF_DEFAULT)  # 403 before reading the input
        data = self.valid(s.ReferEventOfDefaultInput)
        eod = services.refer_event_of_default(request.user, data["party"],
                                              clauses=data["clauses"],
                                              referral=data["referral"],
                                              assessment=data["assessment"])
        return self.show(s.EventOfDefaultSerializer, self.get_queryset().get(pk=eod.pk), 201)

    @extend_schema(request=s.DecideEventOfDefaultInput,
                   responses=outcomes(s.EventOfDefaultSerializer))
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The Panel determines whether an Event of Default has occurred; if so it notifies
        the party and those affected (G8.58(a)) and determines the steps under M8.4
        (G8.58(b))."""
        eod = self.get_object()
        require(request.user, Action.DECIDE_EVENT_OF_DEFAULT)
        data = self.valid(s.DecideEventOfDefaultInput)
        eod = services.decide_event_of_default(
            request.user, eod, is_event_of_default=data["is_event_of_default"],
            reason=data["reason"], steps=data["steps"], affected=data["affected"])
        return self.show(s.EventOfDefaultSerializer, self.get_queryset().get(pk=eod.pk))

    @extend_schema(request=s.RemedialPlanInput, responses=outcomes(s.EventOfDefaultSerializer))
    @action(detail=True, methods=["post"], url_path="remedial-plan")
    def remedial_plan(self, request, pk=None):
        """The Panel approves the remedial action plan under M8.4(d) (G8.60; the DCC:
        G9.41)."""
        eod = self.get_object()
        require(request.user, Action.APPROVE_REMEDIAL_ACTION_PLAN)
        data = self.valid(s.RemedialPlanInput)
        eod = services.approve_remedial_action_plan(request.user, eod, data["plan"])
        return self.show(s.EventOfDefaultSerializer, self.get_queryset().get(pk=eod.pk))

    @extend_schema(request=s.DefaultStepInput, responses=outcomes(s.EventOfDefaultSerializer, 201))
    @action(detail=True, methods=["post"], url_path="steps")
    def steps(self, request, pk=None):
        """One step after the referral, as structured data: the SSC's investigation under M8.3
        (G8.56), the Panel's request for the SSC's advice and that advice (G8.59), the party's
        report that it took the steps, the Panel's closing of the matter (G8.58(b)); the DCC's
        under G9.37-G9.40."""
        eod = self.get_object()
        data = self.valid(s.DefaultStepInput)
        services.record_default_step(request.user, eod, step=data["step"], text=data["text"])
        return self.show(s.EventOfDefaultSerializer, self.get_queryset().get(pk=eod.pk), 201)
