"""What the notices API reads and writes."""
from __future__ import annotations

from rest_framework import serializers

from ..models import (
    CplEntry,
    Notice,
    NoticeAttachment,
    NoticeUpdate,
    ProviderList,
    RemedialPlan,
    SmsCount,
)
from ..models.notice import MANUFACTURER_CHOICES
from ..rules import KINDS
from ..services import REVIEWS


class UpdateSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = NoticeUpdate
        fields = ["id", "kind", "text", "by", "at"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeAttachment
        fields = ["id", "name", "sha256", "size", "at"]


class NoticeSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.party_id", read_only=True)
    provider = serializers.CharField(source="provider.party_id", read_only=True,
                                     allow_null=True)
    manufacturer = serializers.ChoiceField(choices=MANUFACTURER_CHOICES, allow_blank=True,
                                           read_only=True)
    updates = UpdateSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "party", "kind", "clause", "state", "classification", "title",
                  "description", "event_on", "filed_at", "closed_at", "smets1_csp", "systems",
                  "incident", "finding", "manufacturer", "steps", "complete_by",
                  "completed_on", "purpose", "relationship", "operational_on", "provider",
                  "provider_contact", "services", "noted_at_meeting", "meeting",
                  "follow_on_assessment",
                  "updates", "attachments"]
        read_only_fields = fields


class NoticeInput(serializers.Serializer):
    """A notice to file: `kind` decides which of the other fields the Code requires."""

    party = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=[k.value for k in KINDS])
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20000)
    event_on = serializers.DateField()
    smets1_csp = serializers.BooleanField(default=False)
    systems = serializers.CharField(required=False, default="", allow_blank=True,
                                    max_length=5000)
    user_ids = serializers.ListField(child=serializers.CharField(max_length=64),
                                     required=False, default=list, max_length=500)
    assessments = serializers.ListField(child=serializers.IntegerField(min_value=1,
                                                                       max_value=2**31 - 1),
                                        required=False, default=list, max_length=100)
    incident = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                        max_value=2**31 - 1)
    finding = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                       max_value=2**31 - 1)
    manufacturer = serializers.ChoiceField(choices=[c for c, _ in MANUFACTURER_CHOICES],
                                           required=False, default="", allow_blank=True)
    steps = serializers.CharField(required=False, default="", allow_blank=True,
                                  max_length=20000)
    complete_by = serializers.DateField(required=False, allow_null=True)
    purpose = serializers.CharField(required=False, default="", allow_blank=True,
                                    max_length=5000)
    relationship = serializers.CharField(required=False, default="", allow_blank=True,
                                         max_length=5000)
    provider = serializers.CharField(required=False, allow_null=True, max_length=64)
    provider_contact = serializers.CharField(required=False, default="", allow_blank=True,
                                             max_length=200)
    services = serializers.CharField(required=False, default="", allow_blank=True,
                                     max_length=5000)


class TextInput(serializers.Serializer):
    text = serializers.CharField(max_length=20000)


class ReviewInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(REVIEWS))
    text = serializers.CharField(required=False, default="", allow_blank=True,
                                 max_length=20000)
    meeting = serializers.CharField(required=False, default="", allow_blank=True,
                                    max_length=100)
    meeting_id = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                          max_value=2**31 - 1)


class DayInput(serializers.Serializer):
    on = serializers.DateField()
    text = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class AssessmentInput(serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class FileInput(serializers.Serializer):
    file = serializers.FileField()


class SmsCountSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.party_id")

    class Meta:
        model = SmsCount
        fields = ["id", "party", "count", "reported_on", "classification"]
        read_only_fields = ["id", "classification"]
        extra_kwargs = {"reported_on": {"required": False},
                        "count": {"min_value": 0, "max_value": 10**12}}


class ProviderListSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.party_id")
    users = serializers.ListField(child=serializers.CharField(max_length=64), max_length=10000,
                                  source="user_codes")

    class Meta:
        model = ProviderList
        fields = ["id", "provider", "users", "submitted_on", "classification"]
        read_only_fields = ["id", "submitted_on", "classification"]


class RemedialPlanSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.party_id")

    class Meta:
        model = RemedialPlan
        fields = ["id", "party", "entry", "plan", "review_by", "reviewed_on", "state",
                  "reasons", "classification"]
        read_only_fields = ["id", "reviewed_on", "state", "reasons", "classification"]
        extra_kwargs = {"entry": {"queryset": CplEntry.objects.all()}}


class PlanReviewSerializer(serializers.Serializer):
    """The SSC's review of a remedial plan (G8.64): accept it, or ask for changes (reasons
    required)."""

    outcome = serializers.ChoiceField(choices=["accept", "changes"], default="accept")
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=20_000,
                                    default="")


class CplEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CplEntry
        fields = ["id", "manufacturer", "model_hex", "firmware_version", "firmware_sha256",
                  "certificate", "certificate_expires", "certificate_renewal",
                  "classification"]
        read_only_fields = ["id"]
