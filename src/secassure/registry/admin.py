"""The admin is SECAS's back office; every change made through it is journaled too."""
from django.contrib import admin

from secassure.core.journal.services import record

from .models import Party, PartyRole, ResourceSharing, UserId


class PartyRoleInline(admin.TabularInline):
    model = PartyRole
    extra = 0


class ResourceSharingInline(admin.TabularInline):
    model = ResourceSharing
    fk_name = "party"
    extra = 0
    autocomplete_fields = ("partner",)


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ("party_id", "name", "domestic_premises", "non_domestic_premises",
                    "resource_provider", "classification")
    search_fields = ("party_id", "name")
    list_filter = ("roles__role", "classification")
    list_select_related = ("resource_provider",)
    autocomplete_fields = ("resource_provider",)
    inlines = [PartyRoleInline, ResourceSharingInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(request.user, "registry.party.changed" if change else "registry.party.created",
               reason="changed in the admin", clause="G1.5", party=obj,
               subject=f"party:{obj.party_id}", details={"changed": form.changed_data})


@admin.register(UserId)
class UserIdAdmin(admin.ModelAdmin):
    list_display = ("value", "party_role")
    search_fields = ("value", "party_role__party__party_id")
    list_select_related = ("party_role__party",)
