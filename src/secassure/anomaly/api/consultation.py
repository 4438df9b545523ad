"""REST API of consultation, notification and review (G6.7(b)-G6.10), under /api/adt/.

Reads go through `secassure.anomaly.consultations` (a record you may not see is a 404); each
write is one service call. Refusals: 403 for the wrong person; 400 `{"detail", "field"}` for
bad input; 409 when the record's state does not allow it (the clause says why). What the SSC
is notified of (G6.8) has no User ID field; a consultation's `user_id` is null for the SSC and
SECAS (they see its party and User Role).
"""
from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from secassure.code.adt_files import LEVEL_LIMIT
from secassure.code.permissions import Action
from secassure.core.permissions import require

from .. import consultations as g6
from .. import selectors, services
from ..models import COUNTERS, DccProposal, ReviewPeriod, Threshold, UserConsultation
from ..services.review import LONGEST_PERIOD
from .views import RefusalsAs400, answers

Level = serializers.IntegerField  # a count in a window (G6.3): 0 .. LEVEL_LIMIT


def _level(required: bool = False, **kwargs) -> serializers.IntegerField:
    return Level(min_value=0, max_value=LEVEL_LIMIT, required=required,
                 allow_null=not required, **kwargs)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Shapes -------------------------------------------------------------------------------

class ProposalSerializer(serializers.ModelSerializer):
    """A DCC proposal (G6.7(b)): proposed -> opinion_given -> set, or withdrawn."""

    srv = serializers.CharField(source="srv.srv", default=None, allow_null=True)
    threshold = serializers.IntegerField(source="threshold_id", allow_null=True)

    class Meta:
        model = DccProposal
        fields = ["id", "srv", "command", "counter", "warning", "quarantine", "value_min",
                  "value_max", "reason", "state",
                  "proposed_at", "opinion", "opinion_level", "opinion_at", "account",
                  "closed_at", "threshold", "classification"]


class ProposalInputSerializer(serializers.Serializer):
    """A threshold (`counter` and `quarantine`, for `srv` or `command`) or an SRV's value
    limits (`srv` with `value_min` and/or `value_max`, G6.6(b))."""

    srv = serializers.CharField(required=False, allow_blank=True, max_length=12, default="")
    command = serializers.CharField(required=False, allow_blank=True, max_length=60,
                                    default="")
    counter = serializers.ChoiceField(choices=COUNTERS, required=False, allow_blank=True,
                                      default="")
    quarantine = _level()
    warning = _level()
    value_min = serializers.DecimalField(max_digits=20, decimal_places=6, required=False,
                                         allow_null=True, default=None)
    value_max = serializers.DecimalField(max_digits=20, decimal_places=6, required=False,
                                         allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                   default="")


class SscOpinionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)
    level = _level(help_text="The level the SSC finds appropriate (optional).")


class SetInputSerializer(serializers.Serializer):
    account = serializers.CharField(required=False, allow_blank=True, max_length=10_000,
                                    default="", help_text="How the SSC's opinion was taken "
                                    "into account; required where the level departs from it.")


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                   default="")


class ConsultationSerializer(serializers.ModelSerializer):
    """A User's consultation of the DCC (G6.9). `user_id` is null where the reader has no
    need of it (the SSC, SECAS: G6.8)."""

    party = serializers.CharField(source="user_id.party_role.party.party_id")
    role = serializers.CharField(source="user_id.party_role.role")
    user_id = serializers.SerializerMethodField()
    srv = serializers.CharField(source="srv.srv")

    class Meta:
        model = UserConsultation
        fields = ["id", "party", "role", "user_id", "srv", "counter", "warning", "quarantine",
                  "note", "state", "asked_at", "opinion", "opinion_level", "answered_at",
                  "classification"]

    def get_user_id(self, consultation) -> str | None:
        shown = self.context.get("show_ids", False)
        return consultation.user_id.value if shown else None


class ConsultationInputSerializer(serializers.Serializer):
    user_id = serializers.CharField(max_length=64)
    srv = serializers.CharField(max_length=12)
    counter = serializers.ChoiceField(choices=COUNTERS)
    quarantine = _level(required=True)
    warning = _level()
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000,
                                 default="")


class ConsultationAnswerInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)
    level = _level(required=True, help_text="The level the DCC finds appropriate (G6.9(a)).")


class ThresholdNoticeSerializer(serializers.Serializer):
    """A threshold notified to the SSC (G6.8): by party and User Role, no User ID."""

    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["dcc", "user"])
    party = serializers.CharField()
    role = serializers.CharField()
    target = serializers.CharField(help_text="The SRV, or the Critical Command (G6.6(c)).")
    counter = serializers.CharField()
    warning = serializers.IntegerField(allow_null=True)
    quarantine = serializers.IntegerField()
    source = serializers.CharField()


class NoticeSummarySerializer(serializers.Serializer):
    target = serializers.CharField()
    counter = serializers.CharField()
    count = serializers.IntegerField(help_text="User thresholds set or changed in the month.")
    low = serializers.IntegerField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    high = serializers.IntegerField(allow_null=True)
    dcc_set = serializers.ListField(child=serializers.IntegerField())
    dcc_level = serializers.IntegerField(allow_null=True)


class OverdueThresholdSerializer(serializers.ModelSerializer):
    """A threshold not reviewed within the period (G6.10), by party: no User ID."""

    party = serializers.CharField(source="user_id.party_role.party.party_id", default=None,
                                  allow_null=True)
    target = serializers.CharField()
    flagged = serializers.BooleanField()

    class Meta:
        model = Threshold
        fields = ["id", "party", "target", "counter", "quarantine", "set_at", "reviewed_at",
                  "review_outcome", "flagged"]


class ThresholdReviewInputSerializer(serializers.Serializer):
    threshold = serializers.IntegerField()
    outcome = serializers.CharField(max_length=12, help_text="`appropriate` (still appropriate) "
                                    "or `no_longer` (no longer appropriate, G6.10(c))")
    reasons = serializers.CharField(max_length=10_000)


class ThresholdReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    threshold = serializers.IntegerField(source="threshold_id")
    outcome = serializers.CharField()
    reasons = serializers.CharField()
    reviewed_at = serializers.DateTimeField()


class ReviewPeriodSerializer(serializers.ModelSerializer):
    months = serializers.IntegerField(min_value=1, max_value=LONGEST_PERIOD)

    class Meta:
        model = ReviewPeriod
        fields = ["months"]


# --- Endpoints ------------------------------------------------------------------------------

class ProposalViewSet(RefusalsAs400, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """The DCC's threshold proposals (G6.7(b)): the DCC, the SSC and SECAS see them."""

    serializer_class = ProposalSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return g6.proposals(self.request.user)

    @extend_schema(request=ProposalInputSerializer,
                   responses=answers(ProposalSerializer, 201, conflict=True))
    def create(self, request):
        """The DCC proposes a threshold (an SRV and counter, or a Critical Command not related
        to an SRV, G6.6(c)), or an SRV's value limits (G6.6(b)), and so consults the SSC."""
        require(request.user, Action.PROPOSE_DCC_THRESHOLD)
        data = _valid(ProposalInputSerializer, request)
        if data["value_min"] is not None or data["value_max"] is not None:
            proposal = services.propose_dcc_limits(request.user, data["srv"], data["value_min"],
                                                   data["value_max"], data["reason"])
        else:
            proposal = services.propose_dcc_threshold(
                request.user, data["counter"], data.get("quarantine"), data.get("warning"),
                srv=data["srv"], command=data["command"], reason=data["reason"])
        return Response(self.get_serializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SscOpinionInputSerializer,
                   responses=answers(ProposalSerializer, conflict=True))
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        """The SSC's opinion on the proposed level (G6.7(b)): once; 409 after."""
        proposal = self.get_object()
        require(request.user, Action.GIVE_SSC_VIEW)
        data = _valid(SscOpinionInputSerializer, request)
        return Response(self.get_serializer(services.give_ssc_opinion_on_proposal(
            request.user, proposal, data["text"], data.get("level"))).data)

    @extend_schema(request=SetInputSerializer,
                   responses=answers(ProposalSerializer, conflict=True))
    @action(detail=True, methods=["post"], url_path="set")
    def set_threshold(self, request, pk=None):
        """The DCC sets the proposed threshold: 409 before the SSC's opinion or a second time;
        400 `account` where it departs from the SSC's level without reasons."""
        proposal = self.get_object()
        require(request.user, Action.SET_DCC_THRESHOLD)
        data = _valid(SetInputSerializer, request)
        services.set_proposed_threshold(request.user, proposal, data["account"])
        proposal.refresh_from_db()
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=WithdrawInputSerializer,
                   responses=answers(ProposalSerializer, conflict=True))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        proposal = self.get_object()
        require(request.user, Action.PROPOSE_DCC_THRESHOLD)
        data = _valid(WithdrawInputSerializer, request)
        return Response(self.get_serializer(services.withdraw_proposal(
            request.user, proposal, data["reason"])).data)


class ConsultationViewSet(RefusalsAs400, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """Users' consultations of the DCC (G6.9): the party's own people and the DCC; the SSC
    and SECAS without User IDs; another party's is a 404."""

    serializer_class = ConsultationSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return g6.consultations(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(),
                "show_ids": g6.shows_user_ids(self.request.user)}

    @extend_schema(request=ConsultationInputSerializer,
                   responses=answers(ConsultationSerializer, 201))
    def create(self, request):
        """A User's own people ask the DCC's opinion on a threshold they propose to set."""
        require(request.user, Action.CONSULT_DCC)
        data = _valid(ConsultationInputSerializer, request)
        party = getattr(request.user, "party", None)
        user_id = selectors.user_id_of(party, data["user_id"]) if party is not None else None
        if user_id is None:
            return Response({"detail": "user_id: not a User ID of your party",
                             "field": "user_id"}, status=status.HTTP_400_BAD_REQUEST)
        consultation = services.consult_dcc(request.user, user_id, data["srv"], data["counter"],
                                            data["quarantine"], data.get("warning"),
                                            data["note"])
        return Response(self.get_serializer(consultation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConsultationAnswerInputSerializer,
                   responses=answers(ConsultationSerializer, conflict=True))
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The DCC's opinion on the appropriate level (G6.9(a)): once; 409 after."""
        consultation = self.get_object()
        require(request.user, Action.GIVE_DCC_OPINION)
        data = _valid(ConsultationAnswerInputSerializer, request)
        return Response(self.get_serializer(services.answer_consultation(
            request.user, consultation, data["text"], data["level"])).data)


#: How many notices the API's feed answers, newest first.
FEED_LENGTH = 1000
MONTH = OpenApiParameter("month", {"type": "string", "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])$"},
                         description="YYYY-MM (default: this month)")


class NoticeViewSet(RefusalsAs400, viewsets.GenericViewSet):
    """Thresholds the DCC notifies to the SSC (G6.8): each it sets, each a User notifies to it;
    the SSC, the DCC and SECAS read them. No User ID."""

    serializer_class = ThresholdNoticeSerializer
    pagination_class = None
    queryset = Threshold.objects.none()  # the feed is built by `consultations.notices`

    @extend_schema(responses=answers(ThresholdNoticeSerializer(many=True)))
    def list(self, request):
        """Newest first: the latest 1,000."""
        require(request.user, Action.VIEW_THRESHOLD_NOTICES)
        return Response(ThresholdNoticeSerializer(g6.notices(request.user, newest=FEED_LENGTH),
                                                  many=True).data)

    @extend_schema(parameters=[MONTH], responses=answers(NoticeSummarySerializer(many=True)))
    @action(detail=False)
    def summary(self, request):
        """The month's summary per SRV (or command) and counter."""
        require(request.user, Action.VIEW_THRESHOLD_NOTICES)
        wanted = request.query_params.get("month", "").strip()
        month = timezone.localdate().replace(day=1)
        if wanted:
            try:
                year, number = (int(part) for part in wanted.split("-"))
                month = date(year, number, 1)
                if not 2000 <= year <= 2100:
                    raise ValueError
            except ValueError:
                raise ValidationError({"month": "YYYY-MM"}) from None
        return Response(NoticeSummarySerializer(g6.monthly_summary(request.user, month),
                                           many=True).data)


class ReviewViewSet(RefusalsAs400, viewsets.GenericViewSet):
    """Review of thresholds (G6.10): the list not reviewed within the period (by party), the
    owner's review, and the period SECAS sets."""

    serializer_class = OverdueThresholdSerializer
    pagination_class = None
    queryset = Threshold.objects.none()  # the list is `consultations.overdue(user)`

    @extend_schema(responses=answers(OverdueThresholdSerializer(many=True)))
    def list(self, request):
        """Thresholds not reviewed within the period that concern you, oldest first."""
        return Response(OverdueThresholdSerializer(g6.overdue(request.user)[:1000],
                                                   many=True).data)

    @extend_schema(request=ThresholdReviewInputSerializer,
                   responses=answers(ThresholdReviewSerializer, 201))
    def create(self, request):
        """The owner records a review: `appropriate` or `no_longer` (flagged until replaced)."""
        require(request.user, Action.REVIEW_THRESHOLD)
        data = _valid(ThresholdReviewInputSerializer, request)
        threshold = selectors.thresholds(request.user).filter(pk=data["threshold"]).first()
        if threshold is None:
            return Response({"detail": "threshold: no threshold you may see",
                             "field": "threshold"}, status=status.HTTP_400_BAD_REQUEST)
        review = services.review_threshold(request.user, threshold, data["outcome"],
                                           data["reasons"])
        return Response(ThresholdReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=answers(ReviewPeriodSerializer))
    @extend_schema(methods=["POST"], request=ReviewPeriodSerializer,
                   responses=answers(ReviewPeriodSerializer))
    @action(detail=False, methods=["get", "post"], url_path="period")
    def period(self, request):
        """The review period in months (G6.10): everyone signed in reads it; SECAS sets it."""
        if request.method == "POST":
            require(request.user, Action.SET_REVIEW_PERIOD)
            data = _valid(ReviewPeriodSerializer, request)
            return Response(ReviewPeriodSerializer(services.set_review_period(
                request.user, data["months"])).data)
        return Response(ReviewPeriodSerializer(services.review_period()).data)
