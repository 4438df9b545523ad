"""The committee's API records: what a person may see of each, nothing more."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from secassure.registry.models import CLASSIFICATIONS

from ..models import Action, AgendaItem, Body, Meeting, Paper


class PaperVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    sha256 = serializers.CharField()


class PaperSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Paper
        fields = ["id", "item", "title", "classification", "versions"]

    @extend_schema_field(PaperVersionSerializer(many=True))
    def get_versions(self, paper: Paper) -> list[dict[str, object]]:
        return [{"id": v.pk, "version": v.version, "sha256": v.sha256}
                for v in paper.versions.all()]


class ItemSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="display_number", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "number", "title", "presenter", "classification", "headline",
                  "publish", "standing"]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "body", "number", "date", "title", "status", "quorate", "papers_due"]


class MeetingInputSerializer(serializers.Serializer):
    body = serializers.ChoiceField(choices=Body.choices)
    number = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    date = serializers.DateField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                  default="")
    papers_due = serializers.DateField(required=False, allow_null=True, default=None)


class ItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    classification = serializers.ChoiceField(choices=CLASSIFICATIONS, default="RED")
    presenter = serializers.CharField(required=False, allow_blank=True, default="")
    headline = serializers.CharField(required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(required=False, default=False)


class ConflictInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ActionSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)

    class Meta:
        model = Action
        fields = ["id", "reference", "meeting", "text", "owner_name", "due", "done_on",
                  "classification"]


class PublicationSerializer(serializers.Serializer):
    markdown = serializers.CharField()
