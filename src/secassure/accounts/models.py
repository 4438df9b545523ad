"""The people who use the platform, each of one kind (DESIGN.md, "Who uses it")."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from secassure.code.classification import USER_PARTY_SIDE, PersonKind

#: The kinds of person who must name the party they act for (the Code's party side, but the
#: DCC's people, who act for the DCC): `code.classification.USER_PARTY_SIDE`.
PARTY_KINDS = sorted(kind.value for kind in USER_PARTY_SIDE)


class Person(AbstractUser):
    """A signed-in person. Party representatives and triage operators act for one party."""

    kind = models.CharField(max_length=20, choices=[(k.value, k.label) for k in PersonKind],
                            blank=True,
                            help_text="What this person does here; decides what they may see.")
    party = models.ForeignKey("registry.Party", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="people",
                              help_text="The party they represent (representatives and triage "
                                        "operators).")
    is_demo = models.BooleanField(default=False, help_text="A demo login: it can sign in only "
                                                           "while the platform runs in demo mode.")

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=PARTY_KINDS) | Q(party__isnull=False),
                name="person_party_for_party_kinds",
                violation_error_message="A party representative or triage operator must have a "
                                        "party."),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
