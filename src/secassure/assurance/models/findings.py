"""What a report finds (G8.22), how the party answers (G8.24-G8.26), the steps agreed
(G8.27-G8.28) and the progress reported on them (G8.28(b))."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from secassure.code.classification import Classification
from secassure.code.findings import FindingKind
from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import CLASSIFICATIONS

from .assessment import Assessment


def _classification():
    return models.CharField(max_length=5, choices=CLASSIFICATIONS,
                            default=Classification.RED.value)


#: What checking a stored file against its recorded SHA-256 can find wrong.
MISSING, ALTERED = "missing", "altered"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileCheck:
    """A stored file held against the SHA-256 recorded when it was uploaded: intact
    (`problem` None), `MISSING` (it cannot be read) or `ALTERED` (its content has another
    digest, `found`)."""

    problem: str | None
    expected: str
    found: str = ""

    @property
    def intact(self) -> bool:
        return self.problem is None

    def describe(self) -> str:
        """What is wrong, in words (empty when intact)."""
        if self.problem == MISSING:
            return "the stored file is missing"
        if self.problem == ALTERED:
            return (f"the stored file was altered: its SHA-256 is {self.found}, not the "
                    f"{self.expected or '(none recorded)'} recorded when it was uploaded")
        return ""


def open_checked(stored: FieldFile, sha256: str) -> tuple[FileCheck, IO[bytes] | None]:
    """Open a stored file and hash it whole against `sha256`: the check, and the file (read
    from its start again) only if it is intact, so what is served is what was checked."""
    digest = hashlib.sha256()
    try:
        handle = stored.storage.open(stored.name, "rb")
    except (OSError, ValueError):  # gone, unreadable, a directory, or an unsafe name
        return FileCheck(MISSING, sha256), None
    try:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
        handle.seek(0)
    except OSError:
        handle.close()
        return FileCheck(MISSING, sha256), None
    found = digest.hexdigest()
    if not sha256 or not hmac.compare_digest(found, sha256):
        handle.close()
        return FileCheck(ALTERED, sha256, found), None
    return FileCheck(None, sha256, found), handle


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
    #: ... and, once the assessor shares the draft (G8.22), the party's own people.
    VISIBILITY_DRAFT_SHARED_PATH = "assessment__draft_shared_at"

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

    def __str__(self) -> str:
        return f"{self.name} (SHA-256 {self.sha256[:12]}...)"


    def open_checked(self) -> tuple[FileCheck, IO[bytes] | None]:
        """The file, only if its content still has the SHA-256 recorded at upload: evidence
        is what a finding rests on (G8.22(b)(ii)), so an altered or missing file is never
        served as if it were the evidence."""
        return open_checked(self.file, self.sha256)


class FindingAnswer(AssuranceRecord):
    """The party's answer to one finding (G8.26(a))."""

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="answer")
    accepted = models.BooleanField()
    reasons = models.TextField(blank=True)

    VISIBILITY_PARTY_PATH = "finding__assessment__party"

    def __str__(self) -> str:
        return f"answer to finding {self.finding_id}"


class Step(AssuranceRecord):
    """A step to remedy or mitigate a finding (G8.26(b)) with its timetable (G8.26(c))."""

    class Status(models.TextChoices):
        TAKEN = "taken", "Already taken"
        PROPOSED = "proposed", "Proposed by the party"
        ALTERNATIVE = "alternative", "Proposed by the SSC (G8.27(b))"
        COUNTER = "counter", "Proposed back by the party (G8.27(b))"
        REPLACED = "replaced", "Replaced by a later proposal (G8.27(b))"
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

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on assessment {self.assessment_id}"
