"""The SSC's members, their seats and terms (G7.3-G7.15), elections (G7.14) and the invitees
with a right to the papers (G7.16)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..rules import SEAT_CHOICES, SEATS, SeatKind


class Membership(models.Model):
    """One person's office as a Security Sub-Committee Member in one seat, for one term."""

    name = models.CharField(max_length=200, help_text="The individual (G7.4).")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="memberships")
    seat = models.CharField(max_length=30, choices=SEAT_CHOICES)
    organisation = models.ForeignKey("registry.Party", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     help_text="The party that nominated the member.")
    started = models.DateField()
    term_ends = models.DateField(null=True, blank=True)
    left = models.DateField(null=True, blank=True)
    no_objection_on = models.DateField(
        null=True, blank=True,
        help_text="The Chair: the Secretary of State's written no-objection (G7.5(f)(ii)).")

    class Meta:
        ordering = ["seat", "started", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(left__isnull=True),
                                    name="committee_one_office_per_name"),  # G7.4
            models.UniqueConstraint(fields=["person"],
                                    condition=Q(left__isnull=True, person__isnull=False),
                                    name="committee_one_office_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_seat_display()})"

    @property
    def seat_rule(self):
        return SEATS[SeatKind(self.seat)]


class Election(models.Model):
    """An election to one elected seat (G7.7, G7.9, G7.11, G7.13) under G7.14's windows."""

    class Status(models.TextChoices):
        OPEN = "open", "Nominations open"
        CLOSED = "closed", "Nominations closed"
        DECIDED = "decided", "Result declared"

    seat = models.CharField(max_length=30, choices=SEAT_CHOICES)
    nominations_close = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    result = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        ordering = ["-nominations_close", "id"]

    def __str__(self) -> str:
        return f"Election: {self.get_seat_display()} ({self.nominations_close})"


class Nomination(models.Model):
    """A candidate nominated by an organisation (G7.14(a)(i)); rejected by the SSC, referred to
    the Panel, determined by it; votes and whether elected."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE,
                                 related_name="nominations")
    candidate = models.CharField(max_length=200)
    organisation = models.ForeignKey("registry.Party", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    rejected_on = models.DateField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    referred_on = models.DateField(null=True, blank=True)
    panel_found_eligible = models.BooleanField(null=True, blank=True)
    votes = models.PositiveIntegerField(null=True, blank=True)
    elected = models.BooleanField(default=False)

    class Meta:
        ordering = ["election", "id"]

    def __str__(self) -> str:
        return self.candidate

    @property
    def eligible(self) -> bool:
        """G7.14(b)-(c): a rejected candidate is not eligible unless the Panel found otherwise."""
        return self.rejected_on is None or bool(self.panel_found_eligible)


class Invitee(models.Model):
    """A person invited to every SSC meeting with the right to its papers (G7.16(a)), or an
    expert invited for advice (G7.16(b))."""

    class Kind(models.TextChoices):
        SECRETARY_OF_STATE = "secretary_of_state", "Secretary of State (G7.16(a))"
        AUTHORITY = "authority", "The Authority (G7.16(a))"
        EXPERT = "expert", "Expert invitee (G7.16(b))"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def receives_papers(self) -> bool:
        return self.kind != self.Kind.EXPERT   # G7.16(a)(iii)
