"""The committee's records in SECAS's back office: read-only (every change goes through the
committee's services, from its pages, API and command line); classified records are listed as
the person may see them (`JournaledAdmin.get_queryset`)."""
from django.contrib import admin

from secassure.core.admin import ReadOnlyAdmin

from .models import (
    Action,
    AgendaItem,
    Election,
    Invitee,
    Meeting,
    Membership,
    Minutes,
    Nomination,
    Paper,
)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["name", "seat", "started", "term_ends", "left"]
    list_filter = ["seat"]


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["seat", "nominations_close", "status"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "election", "rejected_on", "referred_on", "elected"]


@admin.register(Invitee)
class InviteeAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["body", "number", "date", "status", "quorate"]
    list_filter = ["body", "status"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "number", "title", "classification", "publish"]


@admin.register(Paper)
class PaperAdmin(ReadOnlyAdmin):
    list_display = ["title", "item", "classification"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "number", "owner_name", "due", "done_on"]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "approved_at"]
