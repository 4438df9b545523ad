"""One security assessment of a party (G8.15-G8.19) or of the DCC (G9.15-G9.17)."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from secassure.code.categories import USER_TYPES, AssessmentType, AssuranceStatus
from secassure.code.classification import Classification
from secassure.code.interchange import SSC_CATEGORIES
from secassure.code.workflow import Stage
from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import CLASSIFICATIONS, Party, PartyRole


class Category(models.TextChoices):
    FULL = AssessmentType.FULL.value, "Full User Security Assessment"
    VERIFICATION = AssessmentType.VERIFICATION.value, "Verification User Security Assessment"
    SELF_ASSESSMENT = AssessmentType.SELF_ASSESSMENT.value, "User Security Self-Assessment"
    FOLLOW_UP = AssessmentType.FOLLOW_UP.value, "Follow-up Security Assessment"
    DCC_FULL = "DCC_FULL", "Full DCC Security Assessment"
    DCC_FOLLOW_UP = "DCC_FOLLOW_UP", "Follow-up DCC Security Assessment"


USER_CATEGORIES = [c.value for c in USER_TYPES]
DCC_TRIGGERS = [("annual", "Annual (G9.3(b)(i))"),
                ("material_change", "Material change to the DCC Total System (G9.3(b)(ii))"),
                ("requested", "Requested by the SSC or the Panel (G9.3(b)(iii))")]


class Assessment(models.Model):
    """Assessment business is RED: the committee, the assessor and the party see it, and the
    Users of a Shared Resource Provider see the provider's (G10.8)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="assessments")
    category = models.CharField(max_length=16, choices=Category.choices)
    stage = models.CharField(max_length=24, choices=[(s.value, s.label) for s in Stage],
                             default=Stage.RECORDED.value, db_index=True)
    roles = models.ManyToManyField(PartyRole, blank=True, related_name="assessments",
                                   help_text="The User Roles it covers (G8.30(a)(i)).")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="assessments_assessed")
    initial = models.BooleanField(default=False, help_text="The initial Full assessment of user "
                                                           "entry (G8.33).")
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="follow_ups",
                                help_text="For a Follow-up: the assessment it follows (G8.29).")
    dcc_trigger = models.CharField(max_length=20, blank=True, choices=DCC_TRIGGERS)
    due = models.DateField(null=True, blank=True, help_text="The date it must be done by.")
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    completed = models.DateField(null=True, blank=True,
                                 help_text="When it was completed (the end of fieldwork).")
    report_summary = models.TextField(blank=True, help_text="The findings on all matters in "
                                                            "scope (G8.22(a)).")
    report_issued_at = models.DateTimeField(null=True, blank=True)
    draft_shared_at = models.DateTimeField(
        null=True, blank=True, help_text="When the assessor shared the draft report with the "
        "party, to discuss it before issue (G8.22).")
    response_due = models.DateField(null=True, blank=True, help_text="Set by the SSC (G8.24).")
    response_summary = models.TextField(blank=True)
    response_submitted_at = models.DateTimeField(null=True, blank=True)
    progress_interval_days = models.PositiveIntegerField(null=True, blank=True,
                                                         help_text="G8.28(b)(i)")
    next_progress_due = models.DateField(null=True, blank=True)
    assurance_status = models.CharField(
        max_length=20, blank=True, choices=[(s.value, s.label) for s in AssuranceStatus],
        help_text="Set by the Panel after an initial Full assessment (G8.36).")
    status_set = models.DateField(null=True, blank=True,
                                  help_text="When the Panel set the assurance status (G8.40).")
    follow_up_satisfied_on = models.DateField(null=True, blank=True,
                                              help_text="G8.36(c)(ii), G8.37(a)(ii)")
    follow_up_by = models.DateField(null=True, blank=True, help_text="On an initial Full "
                                    "assessment approved subject to a Follow-up: the date the "
                                    "Panel set for it (G8.36(b)(ii)).")
    premises_domestic = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The aggregated Domestic Premises when its category "
                                         "was ascertained (G8.48-G8.49(a)).")
    premises_non_domestic = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The aggregated Non-Domestic Premises when its "
                                         "category was ascertained (G8.48-G8.49(a)).")
    ssc_next_category = models.CharField(
        max_length=10, blank=True, choices=[(t.value, t.label) for t in SSC_CATEGORIES],
        help_text="The SSC's determination of the category of the assessment that follows "
                  "this one (G12.8).")
    compliance_status = models.ForeignKey("ComplianceStatus", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    compliance_set = models.DateField(null=True, blank=True)
    dcc_outcome = models.CharField(max_length=20, blank=True, choices=[
        ("none", "No non-compliances (G9.29)"),
        ("specific", "Specific non-compliances to address (G9.30)")])
    triage_approved_on = models.DateField(null=True, blank=True, help_text="G12.7(b)")
    self_assessment = models.TextField(blank=True, help_text="The documented outcome (G8.50(b)).")
    self_assessment_review = models.TextField(blank=True, help_text="The assessor's review "
                                                                    "(G8.18).")
    served_users = models.ManyToManyField(
        Party, blank=True, related_name="served_assessments",
        help_text="For a Shared Resource Provider: the Users it served at the time of the "
                  "assessment (G10.7), recorded when it was booked or recorded; they receive "
                  "its report, response, agreed steps and progress reports (G10.8).")
    classification = models.CharField(max_length=5, choices=CLASSIFICATIONS,
                                      default=Classification.RED.value)
    created = models.DateTimeField(auto_now_add=True)

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "party"
    VISIBILITY_ASSESSMENT_PATH = ""  # the assessment itself
    SHARED_WITH_RESOURCE_USERS = True  # G10.8: to the Users served at the time (served_users)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["party", "completed"]),
                   models.Index(fields=["stage", "response_due"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category=Category.FULL)
                | (Q(initial=False) & Q(assurance_status="") & Q(status_set__isnull=True)),
                name="only_full_assessment_has_assurance_status",
                violation_error_message="Only an initial Full assessment carries an assurance "
                                        "status (G8.35-G8.36)."),
        ]

    def __str__(self) -> str:
        when = self.completed or self.due or "unscheduled"
        return f"{self.party.party_id} {self.get_category_display()} ({when})"

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def is_dcc(self) -> bool:
        return self.category in (Category.DCC_FULL, Category.DCC_FOLLOW_UP)
