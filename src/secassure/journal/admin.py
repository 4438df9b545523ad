from django.contrib import admin

from .models import JournalEntry


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    """Read-only: the journal is append-only."""

    list_display = ("at", "actor_label", "action", "clause", "party", "classification")
    list_filter = ("action", "classification")
    search_fields = ("action", "reason", "subject", "actor_label")
    list_select_related = ("party",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
