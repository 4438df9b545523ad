"""The register: SEC Parties, their User Roles and User IDs, premises counts and Shared Resources.

Section G attaches obligations to a party per User Role (G1.5), sizes assessments by the
premises a party supplies or distributes to (G8.41-G8.46) and follows Shared Resources
between parties (G8.43, G8.46, G10). Rules live in `secassure.code`; these models only hold
the facts and their constraints.
"""
from django.db import models
from django.db.models import F, Q

from secassure.code.classification import Classification
from secassure.code.roles import UserRole
from secassure.core.visibility import ClassifiedQuerySet

CLASSIFICATIONS = [(c.value, c.value) for c in Classification]
ROLE_CHOICES = [(r.value, r.label) for r in UserRole]


class Party(models.Model):
    party_id = models.CharField("party id", max_length=64, unique=True,
                                help_text="The party's identifier in the register, e.g. P1.")
    name = models.CharField(max_length=200, blank=True)
    domestic_premises = models.PositiveIntegerField(
        default=0, help_text="Domestic Premises it supplies (Supplier Party, G8.41) or "
                             "distributes to (Network Party, G8.44) through Smart Metering "
                             "Systems.")
    non_domestic_premises = models.PositiveIntegerField(
        default=0, help_text="Non-Domestic Premises it supplies through Smart Metering Systems "
                             "(G8.41(b)).")
    resource_provider = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="resource_users",
        help_text="The Shared Resource Provider whose Shared Resources it uses (G10.2).")
    is_dcc = models.BooleanField("is the DCC", default=False,
                                 help_text="The DCC, assessed under G9 rather than G8 (its "
                                           "register role is 'dcc'); it is not a User.")
    classification = models.CharField(max_length=5, choices=CLASSIFICATIONS,
                                      default=Classification.AMBER.value)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "id"

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(condition=~Q(resource_provider=F("id")),
                                   name="party_not_its_own_provider"),
            models.UniqueConstraint(fields=["is_dcc"], condition=Q(is_dcc=True),
                                    name="one_dcc"),
        ]

    def __str__(self) -> str:
        return f"{self.party_id} {self.name}".strip()


class PartyRole(models.Model):
    """A User Role held by a party; obligations apply to each role separately (G1.5)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40, choices=ROLE_CHOICES)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["party", "role"],
                                               name="party_role_once")]

    def __str__(self) -> str:
        return f"{self.party.party_id}: {UserRole(self.role).label}"


class UserId(models.Model):
    """A User ID used by a party in one of its User Roles (thresholds are set per User ID, G6.3)."""

    party_role = models.ForeignKey(PartyRole, on_delete=models.CASCADE, related_name="user_ids")
    value = models.CharField("User ID", max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "User ID"

    def __str__(self) -> str:
        return self.value


class ResourceSharing(models.Model):
    """Shared Resources that no Shared Resource Provider provides, used by both parties
    (G8.30(b), G8.43). The relation holds both ways; it is stored as declared."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="sharing")
    partner = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "partner"], name="sharing_once"),
            models.CheckConstraint(condition=~Q(party=F("partner")), name="sharing_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.party.party_id} shares with {self.partner.party_id}"
