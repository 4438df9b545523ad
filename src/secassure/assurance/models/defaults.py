"""Events of Default for non-compliance with G3 to G6 (G8.54-G8.60) or by the DCC (G9.34-G9.41)."""
from django.conf import settings
from django.db import models

from secassure.code.workflow import DEFAULT_STEPS
from secassure.registry.models import Party

from .assessment import Assessment
from .findings import AssuranceRecord


class EventOfDefault(AssuranceRecord):
    """The SSC refers actual non-compliance to the Panel (G8.57), which decides whether it is
    an Event of Default, notifies the party and those affected (G8.58(a)) and approves any
    remedial action plan (G8.60)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="events_of_default")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="events_of_default")
    clauses = models.CharField(max_length=200, help_text="The obligations not complied with.")
    referral = models.TextField(help_text="The SSC's findings and why it refers the matter.")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referred_on = models.DateField()
    is_event_of_default = models.BooleanField(null=True, blank=True)
    panel_reason = models.TextField(blank=True)
    steps = models.TextField(blank=True, help_text="The steps determined under M8.4 (G8.58(b)).")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    affected = models.ManyToManyField(Party, blank=True, related_name="+",
                                      help_text="Others notified (G8.58(a)).")
    remedial_plan = models.TextField(blank=True, help_text="G8.60 / M8.4(d)")
    remedial_plan_approved_on = models.DateField(null=True, blank=True)

    VISIBILITY_PARTY_PATH = "party"
    VISIBILITY_ASSESSMENT_PATH = "assessment"
    SHARED_WITH_RESOURCE_USERS = False
    PANEL_SEES_ALL = True  # the SSC refers them to the Panel, which decides (G8.57-G8.60)

    def __str__(self) -> str:
        return f"{self.party.party_id}: {self.clauses}"


class DefaultStepRecord(AssuranceRecord):
    """One step of an Event of Default after the referral, as structured data: which step
    (`code.workflow.DefaultStep`), on which clause, by whom, when and what was found, advised
    or done (G8.56, G8.58(b), G8.59)."""

    event = models.ForeignKey(EventOfDefault, on_delete=models.CASCADE,
                              related_name="default_steps")
    step = models.CharField(max_length=20, choices=[(s.value, r.label)
                                                    for s, r in DEFAULT_STEPS.items()])
    clause = models.CharField(max_length=40)
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_on = models.DateField()

    VISIBILITY_PARTY_PATH = "event__party"
    VISIBILITY_ASSESSMENT_PATH = "event__assessment"
    SHARED_WITH_RESOURCE_USERS = False
    PANEL_SEES_ALL = True

    class Meta(AssuranceRecord.Meta):
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} ({self.clause})"
