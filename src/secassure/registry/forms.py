"""The party form SECAS uses to add or change a party in the register."""
from __future__ import annotations

from django import forms

from secassure.code import inputs
from secassure.code.interchange import PartyRecord
from secassure.code.roles import UserRole
from secassure.core import validators

from .models import Party


class PartyForm(forms.Form):
    party_id = forms.CharField(label="Party id", max_length=64,
                               validators=[validators.party_id],
                               help_text=inputs.PARTY_ID_RULE[0].upper() + inputs.PARTY_ID_RULE[1:])
    name = forms.CharField(max_length=inputs.NAME_LIMIT, required=False,
                           validators=[validators.line])
    roles = forms.MultipleChoiceField(choices=[(r.value, r.label) for r in UserRole],
                                      widget=forms.CheckboxSelectMultiple, required=False,
                                      help_text="User Roles; obligations apply per role (G1.5).")
    domestic_premises = forms.IntegerField(min_value=0, max_value=inputs.PREMISES_LIMIT,
                                           initial=0)
    non_domestic_premises = forms.IntegerField(min_value=0, max_value=inputs.PREMISES_LIMIT,
                                               initial=0)
    resource_provider = forms.ModelChoiceField(
        Party.objects.filter(roles__role=UserRole.SHARED_RESOURCE_PROVIDER.value),
        required=False, to_field_name="party_id",
        help_text="The Shared Resource Provider whose resources it uses (G10.2).")
    shares_resources_with = forms.ModelMultipleChoiceField(
        Party.objects.all(), required=False, to_field_name="party_id",
        help_text="Parties sharing resources with it that no provider supplies (G8.43).")
    user_ids = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=inputs.TEXT_LIMIT,
        help_text="One per line: role: User ID, e.g. import_supplier: 90-B3-D5-1F-30-01-00-00")

    def __init__(self, *args, existing: PartyRecord | None = None, **kwargs):
        self.existing = existing
        if existing is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "party_id": existing.id, "name": existing.name,
                "roles": [r.value for r in existing.roles],
                "domestic_premises": existing.domestic_premises,
                "non_domestic_premises": existing.non_domestic_premises,
                "resource_provider": existing.resource_provider,
                "shares_resources_with": list(existing.shares_resources_with),
                "user_ids": "\n".join(f"{role.value}: {value}"
                                      for role, values in existing.user_ids.items()
                                      for value in values)}
        super().__init__(*args, **kwargs)
        if existing is not None:
            self.fields["party_id"].disabled = True

    def clean_user_ids(self) -> dict[UserRole, tuple[str, ...]]:
        grouped: dict[UserRole, list[str]] = {}
        for number, line in enumerate(self.cleaned_data["user_ids"].splitlines(), start=1):
            if not line.strip():
                continue
            role, _, value = line.partition(":")
            try:
                role = UserRole(role.strip())
            except ValueError:
                raise forms.ValidationError(f"line {number}: {role.strip()!r} is not a role") \
                    from None
            if not value.strip():
                raise forms.ValidationError(f"line {number}: no User ID after the role")
            try:
                inputs.user_id(value.strip())
            except ValueError as error:
                raise forms.ValidationError(f"line {number}: {error}") from None
            grouped.setdefault(role, []).append(value.strip())
        return {role: tuple(values) for role, values in grouped.items()}

    def record(self) -> PartyRecord:
        """The party as the form describes it; its assessment history is kept as it was."""
        data = self.cleaned_data
        provider = data["resource_provider"]
        return PartyRecord(
            id=data["party_id"], name=data["name"],
            roles=tuple(UserRole(r) for r in data["roles"]),
            domestic_premises=data["domestic_premises"],
            non_domestic_premises=data["non_domestic_premises"],
            shares_resources_with=tuple(p.party_id for p in data["shares_resources_with"]),
            resource_provider=provider.party_id if provider else None,
            assessments=self.existing.assessments if self.existing else (),
            user_ids=data["user_ids"])
