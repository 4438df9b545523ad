from django.contrib import admin

from .models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("party", "category", "completed", "initial", "assurance_status",
                    "classification")
    list_filter = ("category", "assurance_status", "classification")
    search_fields = ("party__party_id", "party__name")
    list_select_related = ("party",)
    autocomplete_fields = ("party",)
