"""People and API tokens in SECAS's back office, through the accounts services (a person's kind
is their privilege: every change to it is checked and journaled)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin as RestTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from secassure.core.admin import JournaledAdmin, JournaledForm

from . import mfa, services
from .models import Person
from .services import PersonDetails, PersonError

# A person's privilege is their kind; Django's groups and per-person permissions are not used,
# so they are not a door either. Tokens are issued and revoked through the services below.
admin.site.unregister(Group)
admin.site.unregister(TokenProxy)
# Authenticators are enrolled by their person (accounts.mfa) and reset by SECAS through
# `services.reset_second_factor` (the person's page), never edited: their secrets stay unseen.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

KIND = Person._meta.get_field("kind")


def _details(form: forms.ModelForm, person: Person | None = None) -> PersonDetails:
    """The person as the form describes them (what it does not show stays as it is)."""
    data = form.cleaned_data
    kept = {} if person is None else {name: getattr(person, name)
                                      for name in PersonDetails.__dataclass_fields__}
    return PersonDetails(**(kept | {name: data[name] for name in PersonDetails.__dataclass_fields__
                                    if name in data}))


def _check(form: forms.ModelForm, person: Person | None, actor: Any) -> None:
    """The service's rule, as form errors."""
    try:
        services.check_person(_details(form, person), person, actor)
    except PersonError as error:
        field, _, message = str(error).partition(": ")
        if field in form.fields and message:
            form.add_error(field, message)
        else:
            form.add_error(None, str(error))


class PersonChangeForm(UserChangeForm):
    reason = JournaledForm.base_fields["reason"]

    class Meta(UserChangeForm.Meta):
        model = Person

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        if "kind" in self.fields:
            self.fields["kind"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            _check(self, Person.objects.get(pk=self.instance.pk), self.actor)
        return cleaned


class PersonCreationForm(UserCreationForm):
    kind = KIND.formfield(required=True)
    reason = JournaledForm.base_fields["reason"]

    class Meta(UserCreationForm.Meta):
        model = Person
        fields = ("username", "kind", "party")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            _check(self, None, None)
        return cleaned


class ResetSecondFactorForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.TextInput(attrs={"size": 80}),
                             help_text="Why (kept in the journal): e.g. phone lost.")


@admin.register(Person)
class PersonAdmin(JournaledAdmin, UserAdmin):
    """Added through `add_person`, changed through `change_person`, passwords through
    `set_password`, removed through `remove_person`: the rules of the command line, journaled."""

    form = PersonChangeForm
    add_form = PersonCreationForm
    refusals = JournaledAdmin.refusals + (PersonError,)
    list_display = ("username", "get_full_name", "kind", "party", "is_active", "is_demo")
    list_filter = ("kind", "is_active", "is_staff", "is_demo")
    list_select_related = ("party",)
    readonly_fields = ("last_login", "date_joined", "second_factor")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role: what they may see and do", {"fields": ("kind", "party", "is_demo")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "second_factor")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
        ("Journal", {"fields": ("reason",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("Role: what they may see and do", {"fields": ("kind", "party")}),
        ("Journal", {"fields": ("reason",)}),
    )
    autocomplete_fields = ("party",)

    @admin.display(description="Second factor")
    def second_factor(self, obj: Person) -> str:
        """Whether the person has an authenticator, with the way to reset it."""
        if obj.pk is None:
            return "-"
        enrolled = mfa.device_of(obj) is not None
        state = ("an authenticator is enrolled" if enrolled else "none enrolled") + (
            " (required for this person)" if mfa.must_use(obj) else "")
        if not enrolled and not TOTPDevice.objects.filter(user_id=obj.pk).exists():
            return state
        return format_html('{} · <a href="{}">Reset the second factor</a>', state,
                           reverse("admin:accounts_person_mfa_reset", args=[obj.pk]))

    def get_urls(self) -> list[URLPattern]:
        return [path("<id>/second-factor/reset/",
                     self.admin_site.admin_view(self.reset_second_factor),
                     name="accounts_person_mfa_reset"), *super().get_urls()]

    def reset_second_factor(self, request: HttpRequest, id: str) -> HttpResponse:
        """SECAS resets a person's second factor, with the reason the journal keeps
        (`services.reset_second_factor`)."""
        person = self.get_object(request, unquote(id))
        if person is None or not self.has_change_permission(request, person):
            raise PermissionDenied
        form = ResetSecondFactorForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.reset_second_factor(request.user, person, form.cleaned_data["reason"])
            except PersonError as error:
                form.add_error("reason", str(error).partition(": ")[2] or str(error))
            else:
                messages.success(request, f"The second factor of {person.username} is reset: "
                                          "they enrol a new authenticator at their next sign-in.")
                return HttpResponseRedirect(reverse("admin:accounts_person_change",
                                                    args=[person.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "original": person, "form": form,
                   "title": f"Reset the second factor of {person.username}"}
        return TemplateResponse(request, "registration/mfa_reset.html", context)

    def get_form(self, request: HttpRequest, obj: Person | None = None, **kwargs: Any
                 ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form

        class ActingForm(form):  # type: ignore[valid-type, misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, actor=request.user, **kw)

        return ActingForm

    def write(self, request: HttpRequest, form: forms.ModelForm, formsets: Sequence[Any],
              change: bool) -> Person:
        if change:
            person = Person.objects.get(pk=form.instance.pk)
            return services.change_person(request.user, person, _details(form, person),
                                          self.reason(form))
        data = form.cleaned_data
        return services.add_person(data["username"], data["kind"],
                                   data["party"].party_id if data["party"] else None,
                                   data["password1"], actor=request.user,
                                   reason=self.reason(form))

    def remove(self, request: HttpRequest, obj: Person) -> None:
        services.remove_person(request.user, obj, self.reason())

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""
                             ) -> HttpResponse:
        """Django's page, but the new password is set by `services.set_password`."""
        person = self.get_object(request, unquote(id))
        if request.method != "POST" or person is None or not self.has_change_permission(
                request, person):
            return super().user_change_password(request, id, form_url)
        form = self.change_password_form(person, request.POST)
        if not form.is_valid() or not (form.cleaned_data["set_usable_password"]
                                        or "unset-password" in request.POST):
            return super().user_change_password(request, id, form_url)
        password = form.cleaned_data["password1"] if form.cleaned_data[
            "set_usable_password"] else None
        try:
            person = services.set_password(request.user, person, password, "set in the admin")
        except PersonError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.get_full_path())
        update_session_auth_hash(request, person)  # changing one's own keeps one signed in
        messages.success(request, "Password changed." if password is not None
                         else "Signing in by password is turned off.")
        return HttpResponseRedirect(reverse("admin:accounts_person_change", args=[person.pk]))


@admin.register(TokenProxy)
class TokenAdmin(JournaledAdmin, RestTokenAdmin):
    """API tokens: issued by `api_token`, revoked by `revoke_token` (a token is not edited)."""

    form = JournaledForm
    fields = ("user", "reason")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request: HttpRequest, obj: TokenProxy | None = None
                              ) -> bool:
        return False

    def write(self, request: HttpRequest, form: forms.ModelForm, formsets: Sequence[Any],
              change: bool) -> TokenProxy:
        user = form.cleaned_data["user"]
        services.api_token(user.username, actor=request.user)
        return TokenProxy.objects.select_related("user").get(user=user)

    def remove(self, request: HttpRequest, obj: TokenProxy) -> None:
        services.revoke_token(request.user, obj.user.username, self.reason())
