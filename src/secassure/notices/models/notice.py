"""A notice to the SSC (and, where the Code says so, the Panel): one record per notice, its
kind deciding which of the fields it carries; its timeline of updates; its attachments."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from secassure.assurance.models import Assessment, Finding
from secassure.committee.models import Meeting
from secassure.registry.models import Party, UserId

from ..rules import KINDS, PANEL_KINDS, Kind, KindRule, State
from .base import NoticeRecord

MANUFACTURER_CHOICES = [
    ("notified", "The manufacturer or developer was notified (G3.18(a))"),
    ("aware", "Already aware: not notified (G3.19)"),
    ("not_practicable", "Not reasonably practicable to notify (G3.18(a))"),
]


class Notice(NoticeRecord):
    """What a User (or the DCC, or SECAS on their behalf) notified: its kind, clause, event
    date (the clock starts there), its state in the SSC's hands."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=[(k.value, r.label) for k, r in KINDS.items()])
    clause = models.CharField(max_length=40)
    state = models.CharField(max_length=12, choices=[(s.value, s.label) for s in State],
                             default=State.FILED.value, db_index=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    event_on = models.DateField(help_text="The event the Code times the notice by.")
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # -- Major Security Incident (G3.5, G2.11) --------------------------------------------
    smets1_csp = models.BooleanField(default=False, help_text="G2.11(b): the SMETS1 CSP "
                                     "System of the Telefonica UK service provider.")
    systems = models.TextField(blank=True, help_text="The systems concerned.")
    user_ids = models.ManyToManyField(UserId, blank=True, related_name="+")
    assessments = models.ManyToManyField(Assessment, blank=True, related_name="+")
    follow_on_assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The vulnerability assessment an incident triggers (G3.8(c)).")
    # -- material vulnerability (G3.9(b), G3.17-G3.19, G2.35) -------------------------------
    incident = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="follow_ons")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    manufacturer = models.CharField(max_length=16, blank=True, choices=MANUFACTURER_CHOICES)
    steps = models.TextField(blank=True)
    complete_by = models.DateField(null=True, blank=True, help_text="The time within which "
                                   "the steps are intended to be completed.")
    completed_on = models.DateField(null=True, blank=True)
    # -- new system (G3.9(a)) and decommissioning (G3.9(c)) -------------------------------
    purpose = models.TextField(blank=True)
    relationship = models.TextField(blank=True, help_text="To the other component parts of "
                                    "the User Systems (G3.9(a)(ii)).")
    operational_on = models.DateField(null=True, blank=True, help_text="When the User marked "
                                      "the system operational.")
    # -- Shared Resources (G5.26, G10.2-G10.3) --------------------------------------------
    provider = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    provider_contact = models.CharField(max_length=200, blank=True)
    services = models.TextField(blank=True)
    # -- the SSC's review -----------------------------------------------------------------
    noted_at_meeting = models.CharField(max_length=100, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="notices", help_text="The SSC meeting whose "
                                "business it was noted in.")

    VISIBILITY_PARTY_PATH = "party"
    PANEL_RED = Q(kind__in=sorted(PANEL_KINDS))

    class Meta:
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.party.party_id}: {KINDS[Kind(self.kind)].label}: {self.title}"

    @property
    def rule(self) -> KindRule:
        return KINDS[Kind(self.kind)]


UPDATE_KINDS = [("update", "Update"), ("question", "Question from the SSC"),
                ("answer", "Answer"), ("authorise", "Authorised"),
                ("withhold", "Authorisation withheld"), ("note", "Noted"),
                ("action", "Actioned"), ("refuse", "Arrangement refused"),
                ("operational", "Marked operational"), ("complete", "Steps completed"),
                ("close", "Closed")]


class NoticeUpdate(NoticeRecord):
    """One entry of a notice's timeline: an update from the party, a question, a decision."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=UPDATE_KINDS)
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    VISIBILITY_PARTY_PATH = "notice__party"
    PANEL_RED = Q(notice__kind__in=sorted(PANEL_KINDS))

    class Meta:
        ordering = ["at", "id"]


class NoticeAttachment(NoticeRecord):
    """A file sent with a notice, with the SHA-256 it had when uploaded."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="notices/%Y/%m/")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    VISIBILITY_PARTY_PATH = "notice__party"
    PANEL_RED = Q(notice__kind__in=sorted(PANEL_KINDS))

    class Meta:
        ordering = ["id"]
