"""The register in SECAS's back office: every change goes through the register's services, with
their checks and journal entries (see `secassure.core.admin`)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from secassure.code.classification import Classification
from secassure.code.interchange import PartyRecord, RegisterFormatError
from secassure.core.admin import JournaledAdmin, JournaledForm

from . import selectors, services
from .forms import PartyForm
from .models import Party, UserId


class PartyAdminForm(JournaledForm):
    """The register facts of the app's party form (the same fields and the same parser of
    User IDs), checked by `services.check_party` as `save_party` checks them."""

    roles = PartyForm.base_fields["roles"]
    resource_provider = PartyForm.base_fields["resource_provider"]
    shares_resources_with = PartyForm.base_fields["shares_resources_with"]
    user_ids = PartyForm.base_fields["user_ids"]
    clean_user_ids = PartyForm.clean_user_ids

    class Meta:
        model = Party
        fields = ["party_id", "name", "roles", "domestic_premises", "non_domestic_premises",
                  "resource_provider", "shares_resources_with", "user_ids",
                  "classification"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = selectors.party_records([self.instance.pk]) if self.instance.pk else []
        self.existing: PartyRecord | None = found[0] if found else None
        if self.existing is not None:
            self.initial.update(PartyForm(existing=self.existing).initial)
            self.fields["party_id"].disabled = True

    def record(self) -> PartyRecord:
        return PartyForm.record(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            if self.existing is None and Party.objects.filter(
                    party_id=cleaned["party_id"]).exists():
                self.add_error("party_id", "A party with this id is already in the register.")
                return cleaned
            try:
                services.check_party(self.record())
            except RegisterFormatError as error:
                self.add_error(None, error.message if error.field is None
                               else f"{error.field}: {error.message}")
        return cleaned


def _facts(party: PartyRecord | None) -> tuple | None:
    """What `save_party` writes, in no particular order."""
    if party is None:
        return None
    return (party.name, frozenset(party.roles), party.domestic_premises,
            party.non_domestic_premises, frozenset(party.shares_resources_with),
            party.resource_provider,
            frozenset((role, value) for role, values in party.user_ids.items()
                      for value in values))


@admin.register(Party)
class PartyAdmin(JournaledAdmin):
    """A party through `save_party` (as the register's page saves it) and its classification
    through `classify_party`. The journal keeps every party it names, so none is deleted; the
    DCC is not a User and is not in the register's format, so it is shown, not changed."""

    form = PartyAdminForm
    refusals = JournaledAdmin.refusals + (RegisterFormatError,)
    list_display = ("party_id", "name", "domestic_premises", "non_domestic_premises",
                    "resource_provider", "classification")
    search_fields = ("party_id", "name")
    list_filter = ("roles__role", "classification")
    list_select_related = ("resource_provider",)

    def has_change_permission(self, request: HttpRequest, obj: Party | None = None) -> bool:
        return not (obj is not None and obj.is_dcc) and super().has_change_permission(
            request, obj)

    def write(self, request: HttpRequest, form: PartyAdminForm, formsets: Sequence[Any],
              change: bool) -> Party:
        record, reason = form.record(), self.reason(form)
        party = form.instance
        if _facts(record) != _facts(form.existing):
            # save_party replaces the party's roles and User IDs: only when they change.
            party = services.save_party(request.user, record, reason)
        return services.classify_party(request.user, party,
                                       Classification(form.cleaned_data["classification"]),
                                       reason)


class UserIdAdminForm(JournaledForm):
    class Meta:
        model = UserId
        fields = ["party_role", "value"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            try:
                services.check_user_id(cleaned["party_role"], cleaned["value"],
                                       replacing=UserId.objects.select_related(
                                           "party_role").get(pk=self.instance.pk)
                                       if self.instance.pk else None)
            except RegisterFormatError as error:
                self.add_error("value", error.message)
        return cleaned


@admin.register(UserId)
class UserIdAdmin(JournaledAdmin):
    """User IDs one at a time, through the register's User ID services (the checks of
    `save_party`; a party's other User IDs and their thresholds are left as they are)."""

    form = UserIdAdminForm
    refusals = JournaledAdmin.refusals + (RegisterFormatError,)
    list_display = ("value", "party_role")
    search_fields = ("value", "party_role__party__party_id")
    list_select_related = ("party_role__party",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(
            party_role__party__in=Party.objects.visible_to(request.user))

    def write(self, request: HttpRequest, form: UserIdAdminForm, formsets: Sequence[Any],
              change: bool) -> UserId:
        data = form.cleaned_data
        if change:
            return services.change_user_id(request.user, form.instance,
                                           party_role=data["party_role"], value=data["value"],
                                           reason=self.reason(form))
        return services.add_user_id(request.user, data["party_role"], data["value"],
                                    self.reason(form))

    def remove(self, request: HttpRequest, obj: UserId) -> None:
        services.remove_user_id(request.user, obj, self.reason())
