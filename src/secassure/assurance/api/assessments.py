"""Assessments over the API: read what you may see, book one, and act on it.

`/api/assurance/assessments/` lists the assessments the caller may see (filter by `party`,
`stage`, `category`); POST books one (G8.40). Each business action is a POST on the
assessment (`issue-report/`, `submit-response/`, `accept-plan/`...), made from the action's
declaration in `secassure.code.workflow` (see `actions`), calling the one service that
performs it.
"""
from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from secassure.code.workflow import ACTIONS, Act, Stage
from secassure.core.filters import PartyIdFilter

from .. import exports, selectors
from ..models import Assessment, Category
from . import serializers as s
from .actions import actions_on, create_route
from .base import REFUSALS, WorkflowAPIMixin


class AssessmentFilter(django_filters.FilterSet):
    party = PartyIdFilter(field_name="party__party_id", help_text="Party id")
    stage = django_filters.ChoiceFilter(choices=[(st.value, st.label) for st in Stage])
    category = django_filters.ChoiceFilter(choices=Category.choices)

    class Meta:
        model = Assessment
        fields = ["party", "stage", "category"]


class AssessmentViewSet(WorkflowAPIMixin, actions_on("assessment"),  # type: ignore[misc]
                        mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """The assessments you may see (the committee, the assessor, the party and, for a Shared
    Resource Provider, its Shared Resource Users, G10.8)."""

    filterset_class = AssessmentFilter
    create = create_route(ACTIONS[Act.BOOK])

    def get_queryset(self):
        return selectors.assessments(self.request.user)

    def get_serializer_class(self):
        return s.AssessmentDetailSerializer if self.action == "retrieve" else s.AssessmentSerializer

    def retrieve(self, request, *args, **kwargs):
        """One assessment's record as far as you may see it, and the actions open to you."""
        assessment = selectors.with_record(request.user, self.get_object())
        return self.show(s.AssessmentDetailSerializer, assessment)

    @extend_schema(request=None, responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **REFUSALS})
    @action(detail=True, methods=["get"], url_path="export-pdf")
    def export_pdf(self, request, pk=None):
        """The assessment's full record as a PDF for the papers of a meeting, its
        classification on every page."""
        return exports.pdf_response(request.user, self.get_object())

    @extend_schema(request=None, responses={
        (200, exports.DOCX): OpenApiResponse(OpenApiTypes.BINARY), **REFUSALS})
    @action(detail=True, methods=["get"], url_path="export-docx")
    def export_docx(self, request, pk=None):
        """The assessment's full record as a Word document, its classification on every page."""
        return exports.docx_response(request.user, self.get_object())
