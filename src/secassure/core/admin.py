"""What the admin pages of every app share: SECAS's back office is a door to the services, not
a second write path.

`JournaledAdmin` is the base of every admin class. Where Django would save a form, its inline
formsets, a row of a list edit or a deletion itself, this base hands the write to `write` (add,
change) or `remove` (delete), which call the app's service for that action: the same person,
input and state checks as its pages, API and command line, and a journal entry (who, what
changed, which record, the clause) in the transaction of the change. An admin that defines
neither is read-only (`ReadOnlyAdmin`): records that change only through the workflow, or never
(the journal).

What an admin lists, opens or finds by search is filtered like the pages filter it
(`visible_to`), and a draft is never shown: until its report is issued a finding, its evidence
and its answer are its assessor's only (G8.22-G8.23), and the admin is not a draft reader.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from secassure.code.permissions import Action
from secassure.core.journal.services import record
from secassure.core.permissions import require

CHANGED_IN_THE_ADMIN = "changed in the admin"
DELETED_IN_THE_ADMIN = "deleted in the admin"


class Refused(Exception):
    """A service refused an admin write. Raised inside the admin's transaction, so nothing of
    the change (nor its journal entry) is kept; SECAS sees the reason."""


class JournaledForm(forms.ModelForm):
    """An admin form whose change is journaled with the reason SECAS gives."""

    reason = forms.CharField(required=False, max_length=500,
                             widget=forms.TextInput(attrs={"size": 80}),
                             help_text="Why: kept in the journal with the change.")


class JournaledAdmin(admin.ModelAdmin):
    """Every write goes through a service (see the module docstring). Subclasses that allow
    writes define `write`, and `remove` if rows may be deleted; nothing else saves."""

    #: The exceptions by which the app's services refuse an input or a state.
    refusals: tuple[type[Exception], ...] = (ValidationError,)
    #: The path to the date a draft is issued, for rows that are drafts until then (by default
    #: the model's `VISIBILITY_DRAFT_PATH`).
    draft_path: str | None = None

    # -- what subclasses define -----------------------------------------------------------

    def write(self, request: HttpRequest, form: forms.ModelForm,
              formsets: Sequence[Any], change: bool) -> models.Model:
        """Save what `form` (and its inline `formsets`, which nothing else saves) describe
        through the app's service; return the saved row."""
        raise NotImplementedError

    def remove(self, request: HttpRequest, obj: models.Model) -> None:
        """Delete `obj` through the app's service."""
        raise NotImplementedError

    def reason(self, form: forms.BaseForm | None = None) -> str:
        """The reason the journal keeps: SECAS's, or where the change was made."""
        given = form.cleaned_data.get("reason", "") if form is not None else ""
        return given.strip() or (CHANGED_IN_THE_ADMIN if form is not None
                                 else DELETED_IN_THE_ADMIN)

    # -- no write without a service -------------------------------------------------------

    def writes(self) -> bool:
        return type(self).write is not JournaledAdmin.write

    def removes(self) -> bool:
        return type(self).remove is not JournaledAdmin.remove

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.writes() and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None
                              ) -> bool:
        return self.writes() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None
                              ) -> bool:
        return self.removes() and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm,
                   change: bool) -> None:
        """Nothing is saved here: `save_related` hands the form and its inline formsets to
        `write` together."""

    def save_related(self, request: HttpRequest, form: forms.ModelForm,
                     formsets: Sequence[Any], change: bool) -> None:
        try:
            saved = self.write(request, form, formsets, change)
        except self.refusals as error:
            raise Refused(_message(error)) from error
        if saved is not form.instance:
            # The admin's log, message and redirect name the object it built; make it the row.
            form.instance.__dict__.update(saved.__dict__)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        try:
            self.remove(request, obj)
        except self.refusals as error:
            raise Refused(_message(error)) from error

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """The bulk "delete selected" action: each row through `remove`, all or none."""
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self.delete_model(request, obj)

    # -- a refusal is an answer, not a server error ------------------------------------------

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        return self._answering_refusals(request, super().changeform_view, request, object_id,
                                        form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None
                        ) -> HttpResponse:
        return self._answering_refusals(request, super().changelist_view, request,
                                        extra_context)

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: dict | None = None) -> HttpResponse:
        return self._answering_refusals(request, super().delete_view, request, object_id,
                                        extra_context)

    def response_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """An action (such as "delete selected") and the admin's log of it: all or none."""
        with transaction.atomic(using=queryset.db):
            return super().response_action(request, queryset)

    def _answering_refusals(self, request: HttpRequest, view: Callable[..., HttpResponse],
                            *args: Any) -> HttpResponse:
        try:
            return view(*args)
        except Refused as refusal:
            self.message_user(request, f"Nothing was saved: {refusal}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # -- what the admin shows -------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        path = self.draft_path or getattr(self.model, "VISIBILITY_DRAFT_PATH", None)
        if path:
            # Whoever asks: the admin is not where an assessor drafts (G8.22-G8.23).
            queryset = queryset.filter(**{f"{path}__isnull": False})
        return queryset

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None
                   ) -> Sequence[str]:
        """A page shown read-only displays the row's own fields, not the form's extra inputs
        (a reason, a list of User IDs)."""
        fields = list(super().get_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            names = {field.name for field in self.opts.get_fields()}
            fields = [f for f in fields if f in names or hasattr(self, f)]
        return fields


class ReadOnlyAdmin(JournaledAdmin):
    """For rows that change only through the services (checked and journaled) or never (the
    journal): the admin shows them and nothing more."""


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", None) or error)


class ReferenceDataAdmin(JournaledAdmin):
    """Reference data SECAS keeps (no business rule writes it; the model's own validation is
    the whole check): saved by `save_reference_data`, journaled field by field."""

    form = JournaledForm
    #: Who may change it.
    permission: Action = Action.EDIT_REGISTER
    #: The clause that gives the data, where the Code gives one.
    clause: str = ""

    def write(self, request: HttpRequest, form: forms.ModelForm, formsets: Sequence[Any],
              change: bool) -> models.Model:
        return save_reference_data(request.user, form.instance, reason=self.reason(form),
                                   permission=self.permission, clause=self.clause)


def save_reference_data(actor: Any, row: models.Model, *, reason: str,
                        permission: Action = Action.EDIT_REGISTER,
                        clause: str = "") -> models.Model:
    """Validate and save one row of reference data, journaling each changed field's value
    before and after in the same transaction."""
    require(actor, permission)
    row.full_clean()
    opts = row._meta
    with transaction.atomic():
        before = (type(row)._default_manager.select_for_update().filter(pk=row.pk).values()
                  .first() if row.pk is not None else None)
        row.save()
        after = {f.attname: getattr(row, f.attname) for f in opts.concrete_fields
                 if not f.primary_key}
        changed = {name: [_plain(before[name]), _plain(value)] for name, value in after.items()
                   if before is not None and before[name] != value}
        record(actor, f"{opts.app_label}.{opts.model_name}.{'changed' if before else 'added'}",
               reason=reason, clause=clause, subject=f"{opts.model_name}:{row.pk}",
               details={"record": str(row), "changed": changed if before else
                        {name: [None, _plain(value)] for name, value in after.items()}})
    return row


def _plain(value: object) -> object:
    """A value the journal's JSON keeps as it is (so its hash still verifies)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)
