"""Notices in SECAS's back office: shown, filtered by the one visibility rule, never written
here (every change goes through the services: checked, journaled)."""
from django.contrib import admin

from secassure.core.admin import ReadOnlyAdmin

from .models import CplEntry, Notice, ProviderList, RemedialPlan, SmsCount


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["id", "party", "kind", "clause", "state", "title", "event_on", "filed_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "party__party_id"]


@admin.register(SmsCount)
class SmsCountAdmin(ReadOnlyAdmin):
    list_display = ["id", "party", "count", "reported_on"]


@admin.register(ProviderList)
class ProviderListAdmin(ReadOnlyAdmin):
    list_display = ["id", "provider", "submitted_on"]


@admin.register(CplEntry)
class CplEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "manufacturer", "model_hex", "firmware_version", "firmware_sha256",
                    "certificate_expires"]


@admin.register(RemedialPlan)
class RemedialPlanAdmin(ReadOnlyAdmin):
    list_display = ["id", "party", "entry", "review_by", "reviewed_on"]
