from django.contrib import admin

from secassure.core.admin import ReadOnlyAdmin

from .models import (Appeal, Assessment, ComplianceStatus, Decision, EventOfDefault, Finding,
                     RemediationPlan, Step)


@admin.register(ComplianceStatus)
class ComplianceStatusAdmin(admin.ModelAdmin):
    """Reference data: the Code does not name the compliance statuses; SECAS keeps them."""

    list_display = ("label", "code", "position", "needs_remediation_plan", "active")
    list_editable = ("position", "active")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("party", "category", "stage", "completed", "initial", "assurance_status",
                    "classification")
    list_filter = ("category", "stage", "assurance_status")
    search_fields = ("party__party_id", "party__name")
    list_select_related = ("party",)


for model in (Finding, Step, Decision, RemediationPlan, Appeal, EventOfDefault):
    admin.site.register(model, ReadOnlyAdmin)
