from django.contrib import admin

from secassure.core.admin import ReadOnlyAdmin

from .models import JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    """Read-only: the journal is append-only (and what it says of a draft report is that, not
    what: `assurance.services.reporting`)."""

    list_display = ("at", "actor_label", "action", "clause", "party", "classification")
    list_filter = ("action", "classification")
    search_fields = ("action", "reason", "subject", "actor_label")
    list_select_related = ("party",)
