"""Security assurance assessments of Users (G8) and their outcomes."""
from django.db import models
from django.db.models import Q

from secassure.accounts.visibility import ClassifiedQuerySet
from secassure.code.categories import AssessmentType, AssuranceStatus
from secassure.code.classification import Classification
from secassure.registry.models import CLASSIFICATIONS, Party


class Assessment(models.Model):
    """One User Security Assessment (G8.15) of a party. Assessment business is RED."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="assessments")
    category = models.CharField(max_length=10, choices=[(t.value, t.label)
                                                        for t in AssessmentType])
    completed = models.DateField(null=True, blank=True,
                                 help_text="The date the assessment was completed.")
    initial = models.BooleanField(default=False, help_text="The initial Full assessment of user "
                                                           "entry (G8.33).")
    assurance_status = models.CharField(
        max_length=20, blank=True, choices=[(s.value, s.label) for s in AssuranceStatus],
        help_text="Set by the Panel after an initial Full assessment (G8.36).")
    status_set = models.DateField(null=True, blank=True,
                                  help_text="When the Panel set the assurance status (G8.40).")
    classification = models.CharField(max_length=5, choices=CLASSIFICATIONS,
                                      default=Classification.RED.value)

    objects = ClassifiedQuerySet.as_manager()
    VISIBILITY_PARTY_PATH = "party"
    SHARED_WITH_RESOURCE_USERS = True  # G10.8: a provider's outcomes reach its Users

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["party", "completed"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category=AssessmentType.FULL.value)
                | (Q(initial=False) & Q(assurance_status="") & Q(status_set__isnull=True)),
                name="only_full_assessment_has_assurance_status",
                violation_error_message="Only an initial Full assessment carries an assurance "
                                        "status (G8.35-G8.36)."),
        ]

    def __str__(self) -> str:
        return f"{self.party.party_id} {self.category} {self.completed or '(not completed)'}"
