"""A meeting and what is recorded at it: the agenda (a tree of numbered items), papers
(versioned files), attendance, conflicts of interest, decisions (the committee's own, and the
assurance workflow's taken on the day), actions and minutes.

Every record that can hold confidential business carries a classification and is read through
the platform's one visibility rule (`core.visibility.ClassifiedQuerySet`); a paper is also
withheld from a person who declared a conflict on its item."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from secassure.code.classification import Classification
from secassure.core.visibility import ClassifiedQuerySet
from secassure.registry.models import CLASSIFICATIONS


class Body(models.TextChoices):
    SSC = "ssc", "Security Sub-Committee (SSC)"
    PANEL = "panel", "SEC Panel"
    SMKI_PMA = "smki_pma", "SMKI Policy Management Authority"
    WORKING_GROUP = "working_group", "Working group"


def _classification(default: Classification = Classification.RED) -> models.CharField:
    return models.CharField(max_length=5, choices=CLASSIFICATIONS, default=default.value)


def _party() -> models.ForeignKey:
    return models.ForeignKey("registry.Party", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+",
                             help_text="The party the record concerns, if any: its people see "
                                       "it at RED and AMBER.")


class Classified(models.Model):
    """A committee record read through the one visibility rule: by its classification and, for
    a party's people, the party it concerns."""

    VISIBILITY_PARTY_PATH = "party"

    objects = ClassifiedQuerySet.as_manager()

    class Meta:
        abstract = True


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"

    body = models.CharField(max_length=20, choices=Body.choices, default=Body.SSC)
    number = models.PositiveIntegerField()
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True,
                             help_text="A working group's name, or empty for the body's name.")
    location = models.CharField(max_length=200, blank=True)
    papers_due = models.DateField(null=True, blank=True,
                                  help_text="When papers must be with the secretariat.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    quorate = models.BooleanField(null=True, blank=True)
    further_information_url = models.URLField(blank=True)

    class Meta:
        ordering = ["-date", "-number"]
        constraints = [models.UniqueConstraint(fields=["body", "title", "number"],
                                               name="committee_meeting_number")]

    def __str__(self) -> str:
        return f"{self.title or self.get_body_display()} {self.number} ({self.date:%d %b %Y})"

    @property
    def reference(self) -> str:
        """The SSC's reference: number, underscore, day and month (106_1208)."""
        return f"{self.number}_{self.date:%d%m}"


class AgendaItem(Classified):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    number = models.PositiveIntegerField(help_text="Its number in the agenda (under its parent).")
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=200, blank=True)
    classification = _classification()
    party = _party()
    headline = models.TextField(blank=True, help_text="The public headline's wording.")
    publish = models.BooleanField(default=False, help_text="In the public headlines.")
    standing = models.BooleanField(default=False, help_text="A standing item (outstanding "
                                                            "actions, minutes).")

    class Meta:
        ordering = ["meeting", "parent_id", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "parent", "number"],
                                               name="committee_item_number"),
                       models.UniqueConstraint(fields=["meeting", "number"],
                                               condition=Q(parent__isnull=True),
                                               name="committee_top_item_number")]

    def __str__(self) -> str:
        return f"{self.display_number}. {self.title}"

    @property
    def display_number(self) -> str:
        return f"{self.parent.number}.{self.number}" if self.parent_id else str(self.number)


class PaperQuerySet(ClassifiedQuerySet):
    def visible_to(self, user: Any) -> PaperQuerySet:
        """The one rule, and a declared conflict withholds the item's papers from its declarer."""
        seen = super().visible_to(user)
        if getattr(user, "pk", None) is None:
            return seen
        return seen.exclude(item__conflicts__person_id=user.pk)


class Paper(Classified):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    classification = _classification()
    party = _party()

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title


class PaperVersion(models.Model):
    """One version of a paper's file, with its SHA-256 at upload."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to="committee-papers/%Y/")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paper", "-version"]
        constraints = [models.UniqueConstraint(fields=["paper", "version"],
                                               name="committee_paper_version")]

    def __str__(self) -> str:
        return f"{self.paper} v{self.version}"


class Attendance(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        INVITEE = "invitee", "Invitee (G7.16(a))"
        EXPERT = "expert", "Expert invitee (G7.16(b))"
        SECRETARIAT = "secretariat", "Secretariat"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(max_length=200)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["meeting", "role", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"],
                                               name="committee_attendance_once")]

    def __str__(self) -> str:
        return self.name


class Conflict(models.Model):
    """A conflict of interest declared on one item: the declarer's papers for it are withheld."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    note = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "person"],
                                               name="committee_conflict_once")]

    def __str__(self) -> str:
        return f"{self.person} on {self.item}"


class MeetingDecision(Classified):
    """A decision the committee recorded during the meeting (beyond the assurance workflow's)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="decisions")
    text = models.TextField()
    classification = _classification()
    party = _party()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text[:80]


class BusinessLink(models.Model):
    """An assurance decision (or a Remediation Plan's approval, or a progress report on an
    approved plan that the meeting noted) taken through the workflow, attached to the meeting
    that took it; it can be moved to another meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="business")
    decision = models.OneToOneField("assurance.Decision", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="meeting_link")
    plan = models.OneToOneField("assurance.RemediationPlan", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="meeting_link")
    progress = models.OneToOneField(
        "assurance.ProgressReport", null=True, blank=True, on_delete=models.CASCADE,
        related_name="meeting_link",
        help_text="A progress report on a Remediation Plan, noted at the meeting.")

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(decision__isnull=False, plan__isnull=True, progress__isnull=True)
            | Q(decision__isnull=True, plan__isnull=False, progress__isnull=True)
            | Q(decision__isnull=True, plan__isnull=True, progress__isnull=False),
            name="committee_link_one_of_three")]

    def __str__(self) -> str:
        return f"{self.decision or self.plan or self.progress} at {self.meeting}"


class Action(Classified):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="actions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="committee_actions")
    owner_name = models.CharField(max_length=200)
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    closed_at = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="closed_actions")
    classification = _classification(Classification.AMBER)
    party = _party()

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"],
                                               name="committee_action_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:60]}"

    @property
    def reference(self) -> str:
        return f"{self.meeting.number}/{self.number:02d}"


class Minutes(Classified):
    """The confidential minutes of one meeting, drafted from the record and approved at the
    next meeting."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField()
    classification = _classification()
    party = _party()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    drafted_at = models.DateTimeField(auto_now=True)
    approved_at = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="minutes_approved")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    @property
    def approved(self) -> bool:
        return self.approved_at_id is not None
