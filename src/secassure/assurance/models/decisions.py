"""Decisions on an assessment: statuses, Remediation Plans, appeals, and who sets the
assurance status (the Panel, or the SSC where the Panel has delegated it)."""
from __future__ import annotations

from typing import IO

from django.conf import settings
from django.db import models

from .assessment import Assessment
from .findings import AssuranceRecord, FileCheck, open_checked


class ComplianceStatus(models.Model):
    """The compliance statuses the SSC sets after a Verification or a later Full assessment.
    The Code does not name them, so they are reference data SECAS can edit in the admin."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    needs_remediation_plan = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "compliance statuses"

    def __str__(self) -> str:
        return self.label


class StatusDelegation(models.Model):
    """Who sets the assurance status after an initial Full assessment: the Panel (G8.35), or
    the SSC where the Panel has delegated it to the SSC (the SSC's headlines record it setting
    statuses). One row, kept by SECAS in the admin; each change is journaled."""

    class By(models.TextChoices):
        PANEL = "panel", "The Panel (G8.35)"
        SSC = "ssc", "The SSC, under the Panel's delegation"

    assurance_status_by = models.CharField(
        max_length=10, choices=By.choices, default=By.PANEL,
        help_text="Who sets the assurance status (G8.35-G8.36). The Panel may always set it.")
    delegated_on = models.DateField(null=True, blank=True,
                                    help_text="When the Panel delegated it (or withdrew it).")
    note = models.TextField(blank=True, help_text="The Panel's decision that delegates it.")

    class Meta:
        verbose_name = "who sets the assurance status"
        verbose_name_plural = "who sets the assurance status"

    def __str__(self) -> str:
        return self.get_assurance_status_by_display()

    @classmethod
    def current(cls) -> str:
        """Who sets the assurance status now: 'panel' unless SECAS recorded a delegation."""
        row = cls.objects.order_by("id").first()
        return row.assurance_status_by if row is not None else "panel"


class Decision(AssuranceRecord):
    """One decision taken on an assessment, by whom (the person, and the body they decided
    for: the Panel, the SSC or the Authority), when, on which clause and why."""

    class Body(models.TextChoices):
        PANEL = "panel", "The Panel"
        SSC = "ssc", "The Security Sub-Committee"
        AUTHORITY = "authority", "The Authority"

    class Kind(models.TextChoices):
        ASSURANCE_STATUS = "assurance_status", "Assurance status (Panel, G8.36)"
        FOLLOW_UP_SATISFIES = "follow_up_satisfies", "Follow-up satisfies the Panel (G8.36(c))"
        COMPLIANCE_STATUS = "compliance_status", "Compliance status (SSC)"
        PLAN_ACCEPTED = "plan_accepted", "Steps and timetable accepted (G8.27(a))"
        ALTERNATIVE_PROPOSED = "alternative_proposed", "Other steps proposed (G8.27(b))"
        ALTERNATIVE_AGREED = "alternative_agreed", "Other steps agreed (G8.28)"
        FOLLOW_UP_REQUESTED = "follow_up_requested", "Follow-up requested (G8.29)"
        DCC_OUTCOME = "dcc_outcome", "DCC non-compliances recorded (G9.29-G9.31)"
        SELF_ASSESSMENT_NOTED = "self_assessment_noted", "Self-assessment noted"
        TRIAGE_APPROVED = "triage_approved", "Triage Activities approved (G12.7(b))"
        APPEAL_DETERMINED = "appeal_determined", "Appeal determined (G8.39, G9.33)"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="decisions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    body = models.CharField(max_length=10, choices=Body.choices,
                            help_text="The body whose decision it is.")
    value = models.CharField(max_length=60, blank=True)
    clause = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    effective = models.DateField()
    follow_up_by = models.DateField(null=True, blank=True,
                                    help_text="G8.36(b)(ii): the Follow-up the Panel requires")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    VISIBILITY_PARTY_PATH = "assessment__party"
    SHARED_WITH_RESOURCE_USERS = False  # G10.8 sends a provider's Users no decisions

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class RemediationPlan(AssuranceRecord):
    """A Remediation Plan with a Director's Letter, submitted by the party, approved or sent
    back by the SSC (domain.md 3.2)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved by the SSC"
        SENT_BACK = "sent_back", "Sent back by the SSC"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="remediation_plans")
    plan = models.TextField(help_text="Planned actions and timescales.")
    director_name = models.CharField(max_length=200)
    director_letter = models.FileField(upload_to="director-letters/%Y/", blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True,
                                     help_text="The letter's SHA-256 when it was uploaded.")
    director_statement = models.TextField(help_text="The director's signed commitment.")
    status = models.CharField(max_length=10, choices=Status.choices,
                              default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    ssc_comment = models.TextField(blank=True)

    VISIBILITY_PARTY_PATH = "assessment__party"
    SHARED_WITH_RESOURCE_USERS = False  # nor Remediation Plans and Directors' Letters (G10.8)

    def open_checked(self) -> tuple[FileCheck, IO[bytes] | None]:
        """The Director's Letter, only if it still has the SHA-256 recorded at upload."""
        return open_checked(self.director_letter, self.letter_sha256)


class Appeal(AssuranceRecord):
    """A party's appeal of a decision: to the Authority (G8.39), or the DCC's to the Panel
    (G9.33)."""

    class To(models.TextChoices):
        AUTHORITY = "authority", "The Authority (G8.39)"
        PANEL = "panel", "The Panel (G9.33)"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="appeals")
    to = models.CharField(max_length=10, choices=To.choices)
    grounds = models.TextField()
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    lodged_on = models.DateField()
    outcome = models.TextField(blank=True, help_text="The determination's reasons.")

    class Determination(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        DISMISSED = "dismissed", "Dismissed"
        VARIED = "varied", "Varied"

    determination = models.CharField(max_length=10, choices=Determination.choices, blank=True)
    determined_on = models.DateField(null=True, blank=True)
    value = models.CharField(max_length=60, blank=True,
                             help_text="The status the determination gives, where it changes "
                                       "the decision appealed.")
    determined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text="Who recorded the determination.")
    result = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="The decision it made.")

    VISIBILITY_PARTY_PATH = "decision__assessment__party"
    SHARED_WITH_RESOURCE_USERS = False  # nor appeals (G10.8)

    @property
    def determined(self) -> bool:
        """Determined: by the platform's record, or (before it) an outcome in words."""
        return bool(self.determination or self.outcome)

