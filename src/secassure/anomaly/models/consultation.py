"""Consultation on thresholds (G6.7(b), G6.9), the SSC's opinions (G6.10(b)), and review
(G6.10): the records behind the DCC's and the Users' levels."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import UserId

from .base import COUNTERS, amber
from .register import ServiceReferenceVariant, Threshold


class DccProposal(models.Model):
    """A threshold the DCC proposes to set (G6.6(a)-(c)) and on which it consults the SSC
    before setting it (G6.7(b)): proposed -> opinion given -> set, or withdrawn."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed: awaiting the SSC's opinion"
        OPINION_GIVEN = "opinion_given", "The SSC's opinion given"
        SET = "set", "Set"
        WITHDRAWN = "withdrawn", "Withdrawn"

    srv = models.ForeignKey(ServiceReferenceVariant, null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    command = models.CharField(max_length=60, blank=True,
                               help_text="A Critical Command not related to an SRV (G6.6(c)).")
    counter = models.CharField(max_length=10, choices=COUNTERS, blank=True,
                               help_text="Empty for a proposal of value limits (G6.6(b)).")
    warning = models.PositiveIntegerField(null=True, blank=True)
    quarantine = models.PositiveIntegerField(null=True, blank=True)
    value_min = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True,
                                    help_text="Proposed SMETS1 data-value lower limit (G6.6(b))")
    value_max = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True,
                                    help_text="Proposed SMETS1 data-value upper limit (G6.6(b))")
    reason = models.TextField(blank=True)
    state = models.CharField(max_length=14, choices=State.choices, default=State.PROPOSED,
                             db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    opinion = models.TextField(blank=True, help_text="The SSC's opinion (G6.7(b)).")
    opinion_level = models.PositiveIntegerField(null=True, blank=True,
                                                help_text="The level the SSC finds appropriate.")
    opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    opinion_at = models.DateTimeField(null=True, blank=True)
    account = models.TextField(blank=True, help_text="How the DCC took the SSC's opinion into "
                                                     "account; its reasons where it departs.")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    threshold = models.ForeignKey(Threshold, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="proposals")
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    #: The DCC's own business: its people's party is the DCC (AMBER: the SSC, SECAS see it).
    VISIBILITY_PARTY_PATH = "proposed_by__party"

    class Meta:
        ordering = ["-id"]
        constraints = [
            # a threshold: an SRV and counter (G6.6(a)) or a Critical Command (G6.6(c)) ...
            models.CheckConstraint(condition=(Q(quarantine__isnull=False) & ~Q(counter="") & (
                (Q(srv__isnull=False) & Q(command=""))
                | (Q(srv__isnull=True) & ~Q(command="") & Q(counter="critical"))))
                # ... or an SRV's value limits (G6.6(b))
                | (Q(quarantine__isnull=True) & Q(counter="") & Q(srv__isnull=False)
                   & Q(command="") & Q(warning__isnull=True)
                   & (Q(value_min__isnull=False) | Q(value_max__isnull=False))),
                name="proposal_threshold_or_limits"),
            models.CheckConstraint(condition=Q(warning__isnull=True)
                                   | Q(warning__lte=models.F("quarantine")),
                                   name="proposal_warning_not_above_quarantine"),
        ]

    def __str__(self) -> str:
        if self.is_limits:
            return f"DCC proposal {self.pk}: {self.target} limits {self.limits_text}"
        return f"DCC proposal {self.pk}: {self.target} {self.counter} {self.quarantine}"

    @property
    def is_limits(self) -> bool:
        """A proposal of an SRV's SMETS1 data-value limits (G6.6(b)), not of a count."""
        return self.quarantine is None

    @property
    def limits_text(self) -> str:
        low, high = (("…" if v is None else format(Decimal(v).normalize(), "f"))
                     for v in (self.value_min, self.value_max))
        return f"{low} to {high}"

    @property
    def target(self) -> str:
        return self.srv.srv if self.srv_id else self.command


class SscOpinion(models.Model):
    """An opinion of the SSC on a threshold, at any time (G6.10(b), G7.21(b)): kept, newest
    first, beside the threshold; its owner has regard to it in its review."""

    threshold = models.ForeignKey(Threshold, on_delete=models.CASCADE, related_name="opinions")
    text = models.TextField()
    level = models.PositiveIntegerField(null=True, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                 related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "threshold__user_id__party_role__party"

    class Meta:
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"SSC opinion on threshold {self.threshold_id}"


class UserConsultation(models.Model):
    """A User consults the DCC on a threshold it proposes to set (G6.9): the DCC answers with
    the level it finds appropriate for detecting a Compromise of that User's systems. The
    signed file that later sets the key shows beside it (linked by User ID, SRV, counter)."""

    class State(models.TextChoices):
        ASKED = "asked", "Awaiting the DCC's opinion"
        ANSWERED = "answered", "The DCC's opinion given"

    user_id = models.ForeignKey(UserId, on_delete=models.CASCADE, related_name="consultations")
    srv = models.ForeignKey(ServiceReferenceVariant, on_delete=models.PROTECT, related_name="+")
    counter = models.CharField(max_length=10, choices=COUNTERS)
    warning = models.PositiveIntegerField(null=True, blank=True)
    quarantine = models.PositiveIntegerField(help_text="The level the User proposes.")
    note = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASKED,
                             db_index=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                 related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    opinion = models.TextField(blank=True, help_text="The DCC's opinion (G6.9(a)).")
    opinion_level = models.PositiveIntegerField(null=True, blank=True,
                                                help_text="The level the DCC finds appropriate.")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "user_id__party_role__party"

    class Meta:
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(warning__isnull=True)
                                              | Q(warning__lte=models.F("quarantine")),
                                              name="consultation_warning_not_above")]

    def __str__(self) -> str:
        return f"Consultation {self.pk}: {self.srv.srv} {self.counter} {self.quarantine}"


class ThresholdReview(models.Model):
    """The owner's review of a threshold it set (G6.10(a)): still appropriate, or no longer
    appropriate (then a new threshold must replace it, G6.10(c))."""

    threshold = models.ForeignKey(Threshold, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(max_length=12, choices=Threshold.Review.choices)
    reasons = models.TextField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField()
    classification = amber()

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "threshold__user_id__party_role__party"

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"Review of threshold {self.threshold_id}: {self.outcome}"


class ReviewPeriod(models.Model):
    """How long a threshold may go without review (G6.10): one row, set by SECAS."""

    months = models.PositiveSmallIntegerField(default=12)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    DEFAULT_MONTHS = 12

    def __str__(self) -> str:
        return f"Review every {self.months} months"
