"""Section G as data over the API (public, like the pages: the legal text is WHITE)."""
from __future__ import annotations

import functools

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from secassure.code.clauses import Catalogue, load, normalise_ref


class ClauseSerializer(serializers.Serializer):
    ref = serializers.CharField()
    number = serializers.CharField()
    section = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    children = serializers.ListField(child=serializers.CharField())
    binds = serializers.ListField(child=serializers.CharField())
    cites = serializers.ListField(child=serializers.CharField())


@functools.lru_cache(maxsize=64)
def section_json(catalogue: Catalogue, section: str | None) -> list[dict]:
    """Every clause of `section` (of the whole of Section G if None) as the API gives it:
    worked out once per catalogue and section, as the legal text does not change while the
    platform runs."""
    return [clause_json(c) for c in catalogue.clauses.values()
            if section is None or c.section == section]


def clause_json(clause) -> dict:
    return {"ref": clause.ref, "number": clause.number, "section": clause.section,
            "heading": clause.heading, "text": clause.text, "parent": clause.parent,
            "children": list(clause.children), "binds": sorted(clause.binds),
            "cites": list(clause.cites)}


class ClauseViewSet(viewsets.ViewSet):
    """Every clause and sub-paragraph of Section G, by reference (G8.42, G8.42(a))."""

    permission_classes = [AllowAny]
    lookup_value_regex = "[^/]+"
    lookup_field = "ref"

    @extend_schema(responses=ClauseSerializer(many=True))
    def list(self, request):
        section = request.query_params.get("section")
        return Response(section_json(load(), section.upper() if section else None))

    @extend_schema(responses=ClauseSerializer)
    def retrieve(self, request, ref=None):
        catalogue = load()
        try:
            return Response(clause_json(catalogue.get(normalise_ref(ref))))
        except (KeyError, ValueError):
            raise NotFound(f"Section G has no clause {ref!r}") from None
