"""What a report finds (G8.22), how the party answers (G8.24-G8.26), the steps agreed
(G8.27-G8.28) and the progress reported on them (G8.28(b))."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from secassure.core.visibility import ClassifiedQuerySet
from secassure.code.classification import Classification
from secassure.code.findings import FindingKind
from secassure.registry.models import CLASSIFICATIONS

from .assessment import Assessment


def _classification():
    return models.CharField(max_length=5, choices=CLASSIFICATIONS,
                            default=Classification.RED.value)


class AssuranceRecord(models.Model):
    """What every record of an assessment shares: RED, the party's, and (G10.8) its
    provider's Users see a provider's."""

    classification = _classification()
    objects = ClassifiedQuerySet.as_manager()
    SHARED_WITH_RESOURCE_USERS = True

    class Meta:
        abstract = True
        ordering = ["id"]


class Finding(AssuranceRecord):
    """An instance of actual or potential non-compliance (Full) or a material increase in
    security risk (Verification), with the evidence for it (G8.22(b)-(c))."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="findings")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=FindingKind.CHOICES)
    clause = models.CharField(max_length=40, blank=True,
                              help_text="The obligation concerned (G3 to G6 for a Full "
                                        "assessment).")
    title = models.CharField(max_length=200)
    evidence = models.TextField(help_text="The evidence that establishes it (G8.22(b)(ii)).")

    VISIBILITY_PARTY_PATH = "assessment__party"
    #: Until the report is issued only its drafters see a finding (G8.22-G8.23).
    VISIBILITY_DRAFT_PATH = "assessment__report_issued_at"

    class Meta(AssuranceRecord.Meta):
        constraints = [models.UniqueConstraint(fields=["assessment", "number"],
                                               name="finding_number_once")]

    def __str__(self) -> str:
        return f"Finding {self.number}: {self.title}"


class EvidenceFile(AssuranceRecord):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    VISIBILITY_PARTY_PATH = "finding__assessment__party"
    VISIBILITY_DRAFT_PATH = "finding__assessment__report_issued_at"


class FindingAnswer(AssuranceRecord):
    """The party's answer to one finding (G8.26(a))."""

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="answer")
    accepted = models.BooleanField()
    reasons = models.TextField(blank=True)

    VISIBILITY_PARTY_PATH = "finding__assessment__party"


class Step(AssuranceRecord):
    """A step to remedy or mitigate a finding (G8.26(b)) with its timetable (G8.26(c))."""

    class Status(models.TextChoices):
        TAKEN = "taken", "Already taken"
        PROPOSED = "proposed", "Proposed by the party"
        ALTERNATIVE = "alternative", "Proposed by the SSC (G8.27(b))"
        AGREED = "agreed", "Agreed: binding (G8.28)"
        SUPERSEDED = "superseded", "Replaced by the agreed plan"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="steps")
    description = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices)
    due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    failure_reason = models.TextField(blank=True, help_text="G8.28(b)(iii)")

    VISIBILITY_PARTY_PATH = "finding__assessment__party"

    class Meta(AssuranceRecord.Meta):
        indexes = [models.Index(fields=["status", "due"])]
        constraints = [models.CheckConstraint(
            condition=Q(status="taken") | Q(status="superseded") | Q(due__isnull=False),
            name="step_has_a_date_unless_taken",
            violation_error_message="A step not yet taken needs a date (G8.26(c)).")]

    def __str__(self) -> str:
        return self.description[:80]


class ProgressReport(AssuranceRecord):
    """The party's report on its progress, a completion or a failure (G8.28(b))."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress (G8.28(b)(i))"
        COMPLETION = "completion", "Completion (G8.28(b)(ii))"
        FAILURE = "failure", "Failure, with reasons (G8.28(b)(iii))"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="progress_reports")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="progress_reports")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    VISIBILITY_PARTY_PATH = "assessment__party"
