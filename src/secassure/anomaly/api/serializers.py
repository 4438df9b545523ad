"""Shapes of the thresholds API: records out (read-only), inputs in (validated here, applied by
one service call in `api.py`)."""
from __future__ import annotations

from rest_framework import serializers

from secassure.code.classification import USER_PARTY_SIDE, PersonKind
from secassure.code.srv import load_srvs
from secassure.core.visibility import person_kind

from ..models import (
    COUNTERS,
    CriticalTestStatus,
    QuarantinedCommunication,
    ServiceReferenceVariant,
    SignedSubmission,
    SigningKey,
    Threshold,
)


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    field = serializers.CharField(allow_null=True, required=False)


class ThresholdSerializer(serializers.ModelSerializer):
    """One ADT (G6.3); `user_id` "*" is the DCC's across all Users (G6.6(a))."""

    party = serializers.CharField(source="user_id.party_role.party.party_id", default=None,
                                  allow_null=True)
    user_id = serializers.SerializerMethodField()
    srv = serializers.CharField(source="srv.srv", default=None, allow_null=True,
                                help_text="Empty for a Critical Command's threshold (G6.6(c)).")
    srv_name = serializers.CharField(source="srv.name", default=None, allow_null=True)
    flagged = serializers.BooleanField(read_only=True, help_text="Reviewed as no longer "
                                       "appropriate and not replaced since (G6.10(c)).")
    submission = serializers.CharField(source="submission.identifier", default=None,
                                       allow_null=True)

    class Meta:
        model = Threshold
        fields = ["id", "party", "user_id", "srv", "srv_name", "command", "counter", "warning",
                  "quarantine", "review_by", "dcc_opinion", "ssc_view", "set_at", "submission",
                  "reviewed_at", "review_outcome", "flagged", "classification"]

    def get_user_id(self, threshold) -> str:
        return threshold.user_id.value if threshold.user_id else "*"


class SrvSerializer(serializers.ModelSerializer):
    """An SRV of the DUIS with the DCC's guidance (G6.4(b)) and SMETS1 limits (G6.6(b))."""

    eligible_roles = serializers.SerializerMethodField()

    class Meta:
        model = ServiceReferenceVariant
        fields = ["srv", "name", "critical", "eligible_roles", "returns_encrypted",
                  "guidance_critical", "guidance_encrypted", "value_min", "value_max"]
        read_only_fields = ["srv", "name", "critical"]

    def get_eligible_roles(self, variant) -> list[str]:
        return sorted(role.value for role in load_srvs()[variant.srv].eligible)


class SrvUpdateSerializer(serializers.Serializer):
    """What the DCC may change (PATCH: only the fields given)."""

    returns_encrypted = serializers.BooleanField(required=False)
    guidance_critical = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    guidance_encrypted = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    value_min = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True,
                                         required=False)
    value_max = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True,
                                         required=False)


class DccThresholdSerializer(serializers.Serializer):
    counter = serializers.ChoiceField(COUNTERS)
    quarantine = serializers.IntegerField(min_value=0)
    warning = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionSerializer(serializers.Serializer):
    text = serializers.CharField()


class ReviewDateSerializer(serializers.Serializer):
    review_by = serializers.DateField()


class GapSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    role = serializers.CharField()
    srv = serializers.CharField(source="required.srv")
    counter = serializers.CharField(source="required.counter")
    clause = serializers.CharField(source="required.clause")
    problem = serializers.CharField(help_text='"missing", or the G6.4A violation')


class TestStatusSerializer(serializers.ModelSerializer):
    user_id = serializers.CharField(source="user_id.value")
    srv = serializers.CharField(source="srv.srv")

    class Meta:
        model = CriticalTestStatus
        fields = ["user_id", "srv", "passed", "recorded_at"]


class TestStatusInputSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    srv = serializers.CharField()
    passed = serializers.BooleanField()


class CoverageSerializer(serializers.Serializer):
    party = serializers.CharField()
    gaps = GapSerializer(many=True)
    test_statuses = TestStatusSerializer(many=True)


class SubmissionSerializer(serializers.ModelSerializer):
    """A signed file received. Its `content` (User IDs and levels) is the party's own people's
    and the DCC's; null for anyone else who sees the record (the SSC, SECAS: G6.8)."""

    party = serializers.CharField(source="party.party_id", default=None, allow_null=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = SignedSubmission
        fields = ["id", "kind", "identifier", "party", "status", "reason", "sha256",
                  "submitted_at", "content"]

    def get_content(self, submission) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        kind = person_kind(user)
        if kind == PersonKind.DCC or (kind in USER_PARTY_SIDE and submission.party_id is not None
                                      and getattr(user, "party_id", None) == submission.party_id):
            return submission.content
        return None


class SubmitSerializer(serializers.Serializer):
    content = serializers.FileField(help_text="The signed JSON file, byte for byte.")
    signature = serializers.FileField(required=False,
                                      help_text="Its detached signature (base64 text).")


class QuarantinedSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="user_id.party_role.party.party_id", default=None,
                                  allow_null=True)
    age_seconds = serializers.SerializerMethodField()

    class Meta:
        model = QuarantinedCommunication
        fields = ["communication_id", "party", "user_id_value", "srv", "command", "ts",
                  "age_seconds", "decision", "key", "status", "decided_at"]

    def get_age_seconds(self, communication) -> int:
        return int(communication.age.total_seconds())


class QueueSummarySerializer(serializers.Serializer):
    party = serializers.CharField(allow_null=True)
    pending = serializers.IntegerField()
    oldest = serializers.DateTimeField()


class LoadRunSerializer(serializers.Serializer):
    traffic = serializers.FileField()
    decisions = serializers.FileField()


class LoadedSerializer(serializers.Serializer):
    loaded = serializers.IntegerField(help_text="Communications added to the desk.")
    quarantined = serializers.IntegerField()
    deleted = serializers.IntegerField(help_text="Deleted by the DCC (G6.1(d)(i)).")
    notices = serializers.ListField(child=serializers.IntegerField(),
                                    help_text="The owners' notices sent (one per party).")


class SigningKeySerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.party_id")

    class Meta:
        model = SigningKey
        fields = ["id", "party", "fingerprint", "active", "registered_at", "public_pem"]


class SigningKeyInputSerializer(serializers.Serializer):
    party = serializers.CharField()
    public_pem = serializers.CharField()


class SigningKeyRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)

