from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ("username", "get_full_name", "kind", "party", "is_active", "is_demo")
    list_filter = ("kind", "is_active", "is_demo")
    list_select_related = ("party",)
    fieldsets = UserAdmin.fieldsets + (("Role", {"fields": ("kind", "party", "is_demo")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Role", {"fields": ("kind", "party")}),)
    autocomplete_fields = ("party",)
