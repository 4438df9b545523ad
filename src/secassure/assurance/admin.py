"""Assurance in SECAS's back office. Assessments, findings and decisions change only through the
workflow's services, so the admin shows them and nothing more, and never a draft: a finding
is its assessor's only until the report is issued (G8.22-G8.23). The compliance statuses are
reference data SECAS keeps, each change journaled."""
from typing import Any

from django.contrib import admin

from secassure.core.admin import ReadOnlyAdmin, ReferenceDataAdmin

from .models import (
    Appeal,
    Assessment,
    ComplianceStatus,
    Decision,
    EventOfDefault,
    Finding,
    RemediationPlan,
    StatusDelegation,
    Step,
)


@admin.register(ComplianceStatus)
class ComplianceStatusAdmin(ReferenceDataAdmin):
    """The Code does not name the compliance statuses; SECAS keeps them. None is deleted:
    decisions name a status by its code, so a status no longer used is made inactive."""

    list_display = ("label", "code", "position", "needs_remediation_plan", "active")
    list_editable = ("position", "active")


@admin.register(StatusDelegation)
class StatusDelegationAdmin(ReferenceDataAdmin):
    """Who sets the assurance status: the Panel (G8.35), or the SSC where the Panel has
    delegated it. One row; SECAS changes it as the Panel decides, each change journaled."""

    clause = "G8.35"
    list_display = ("__str__", "delegated_on")

    def has_add_permission(self, request: Any) -> bool:
        return not StatusDelegation.objects.exists() and super().has_add_permission(request)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("party", "category", "stage", "completed", "initial", "assurance_status",
                    "classification")
    list_filter = ("category", "stage", "assurance_status")
    search_fields = ("party__party_id", "party__name")
    list_select_related = ("party",)


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    """Findings of issued reports only (the model's VISIBILITY_DRAFT_PATH)."""

    list_display = ("__str__", "assessment", "kind", "clause")
    search_fields = ("title", "evidence", "assessment__party__party_id")
    list_select_related = ("assessment__party",)


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    """Steps of findings of issued reports only."""

    draft_path = "finding__assessment__report_issued_at"
    list_display = ("__str__", "finding", "status", "due")
    list_select_related = ("finding",)


for model in (Decision, RemediationPlan, Appeal, EventOfDefault):
    admin.site.register(model, ReadOnlyAdmin)
