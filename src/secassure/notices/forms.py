"""The forms of notices: one form for filing every kind (the fields a kind does not carry are
left out), and the small forms of the actions on a notice."""
from __future__ import annotations

from typing import Any

from django import forms

from secassure.assurance.models import Finding
from secassure.code.classification import PARTY_SIDE
from secassure.core.visibility import person_kind
from secassure.registry.models import CLASSIFICATIONS, Party

from .models import Notice
from .models.notice import MANUFACTURER_CHOICES
from .rules import KINDS, Kind

#: The fields each kind carries besides party, title, description and event date.
FIELDS: dict[Kind, list[str]] = {
    Kind.INCIDENT: ["smets1_csp", "systems", "user_ids"],
    Kind.VULNERABILITY: ["manufacturer", "steps", "complete_by", "incident", "finding"],
    Kind.NEW_SYSTEM: ["purpose", "relationship"],
    Kind.DECOMMISSIONING: [],
    Kind.SHARED_RESOURCES: ["provider", "provider_contact", "services"],
    Kind.PROVIDER_CHANGE: ["provider", "provider_contact", "services"],
}
COMMON = ["party", "title", "description", "event_on"]
DATE = forms.DateInput(attrs={"type": "date"})


def parties_for(user: Any) -> Any:
    """The parties a person files for: their own (party side), any for SECAS."""
    if person_kind(user) in PARTY_SIDE:
        return Party.objects.filter(pk=user.party_id)
    return Party.objects.order_by("party_id")


def incidents_for(user: Any) -> Any:
    """The Major Security Incidents a vulnerability may follow (G3.8(c)): of those the person
    sees, their own party's (any party's for SECAS, filing on a party's behalf; the service
    refuses another party's). Limited in the query: another party's id is an invalid choice."""
    query = Notice.objects.visible_to(user).filter(kind=Kind.INCIDENT.value)
    if person_kind(user) in PARTY_SIDE:
        query = query.filter(party_id=user.party_id)
    return query.select_related("party").order_by("-event_on", "-id")


def findings_for(user: Any) -> Any:
    """The findings a vulnerability may link to (G3.17-G3.18): of those the person sees, of
    their own party's assessments (never a provider's, seen as its Shared Resource User)."""
    query = Finding.objects.visible_to(user)
    if person_kind(user) in PARTY_SIDE:
        query = query.filter(assessment__party_id=user.party_id)
    return query.select_related("assessment__party").order_by("-assessment_id", "number")


def _incident_label(notice: Notice) -> str:
    return f"{notice.pk}: {notice.party.party_id}: {notice.title} ({notice.event_on})"


def _finding_label(finding: Finding) -> str:
    return (f"{finding.assessment.party.party_id}: assessment {finding.assessment_id}, "
            f"finding {finding.number}: {finding.title}")


class NoticeForm(forms.Form):
    party = forms.ModelChoiceField(queryset=Party.objects.none(), to_field_name="party_id")
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    event_on = forms.DateField(widget=DATE)
    smets1_csp = forms.BooleanField(required=False, label="SMETS1 CSP System (G2.11(b))")
    systems = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              label="Systems concerned")
    user_ids = forms.CharField(required=False, label="User IDs concerned",
                               help_text="Separated by commas.")
    manufacturer = forms.ChoiceField(choices=[("", "---")] + MANUFACTURER_CHOICES,
                                     label="Manufacturer or developer")
    steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                            label="Steps to rectify or mitigate")
    complete_by = forms.DateField(widget=DATE, label="Steps completed by")
    incident = forms.ModelChoiceField(
        queryset=Notice.objects.none(), required=False,
        label="Major Security Incident it follows (G3.8(c))")
    finding = forms.ModelChoiceField(
        queryset=Finding.objects.none(), required=False,
        label="Finding of the User Security Assessment that found it (G3.17-G3.18)")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    relationship = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                                   label="Relationship to the other components")
    provider = forms.ModelChoiceField(queryset=Party.objects.none(), to_field_name="party_id",
                                      required=False, label="Shared Resource Provider")
    provider_contact = forms.CharField(max_length=200, required=False)
    services = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               label="Services provided")

    def __init__(self, *args: Any, kind: Kind, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in COMMON + FIELDS[kind]:
                del self.fields[name]
        self.fields["party"].queryset = parties_for(user)
        if person_kind(user) in PARTY_SIDE:
            self.fields["party"].empty_label = None  # their own party, chosen already
        self.fields["event_on"].label = KINDS[kind].event_label
        if "incident" in self.fields:
            self.fields["incident"].queryset = incidents_for(user)
            self.fields["incident"].label_from_instance = _incident_label
            self.fields["finding"].queryset = findings_for(user)
            self.fields["finding"].label_from_instance = _finding_label
        if "provider" in self.fields:
            self.fields["provider"].queryset = Party.objects.filter(
                roles__role="shared_resource_provider").order_by("party_id")
            self.fields["provider"].required = kind == Kind.PROVIDER_CHANGE

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "user_ids" in data:
            data["user_ids"] = [v.strip() for v in data["user_ids"].split(",") if v.strip()]
        return data


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    meeting = forms.CharField(max_length=100, required=False,
                              label="Noted at meeting (reference)")


class DayForm(forms.Form):
    on = forms.DateField(widget=DATE)


class AttachForm(forms.Form):
    file = forms.FileField()


class CountForm(forms.Form):
    party = forms.ModelChoiceField(queryset=Party.objects.none(), to_field_name="party_id")
    count = forms.IntegerField(min_value=0, max_value=10**12,
                               label="Smart Metering Systems (G5.27)")
    reported_on = forms.DateField(widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties_for(user)
        if person_kind(user) in PARTY_SIDE:
            self.fields["party"].empty_label = None


class ProviderListForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=Party.objects.none(), to_field_name="party_id")
    users = forms.ModelMultipleChoiceField(queryset=Party.objects.order_by("party_id"),
                                           to_field_name="party_id", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = parties_for(user).filter(
            roles__role="shared_resource_provider")


class CplForm(forms.Form):
    manufacturer = forms.CharField(max_length=100)
    model_hex = forms.CharField(max_length=18, label="Model (hex)")
    firmware_version = forms.CharField(max_length=18, label="Firmware version (BCD or hex)")
    firmware_sha256 = forms.CharField(max_length=64, label="Firmware image SHA-256")
    certificate = forms.CharField(max_length=100, required=False, label="CPA certificate")
    certificate_expires = forms.DateField(widget=DATE, required=False)
    certificate_renewal = forms.DateField(widget=DATE, required=False,
                                          label="Renewal (lifetime certificate)")
    classification = forms.ChoiceField(choices=CLASSIFICATIONS, initial="RED")


class RemedialPlanForm(forms.Form):
    """A CPA Certificate Remedial Plan (G8.64) for the CPL entry the page is about."""

    party = forms.ModelChoiceField(queryset=Party.objects.none(), to_field_name="party_id")
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000,
                           label="CPA Certificate Remedial Plan")
    review_by = forms.DateField(widget=DATE, label="To be reviewed by")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties_for(user)
        if person_kind(user) in PARTY_SIDE:
            self.fields["party"].empty_label = None


class PlanReviewForm(forms.Form):
    """The SSC's review of a remedial plan: accept it, or ask for changes with reasons."""

    outcome = forms.ChoiceField(choices=[("accept", "Accept the plan"),
                                         ("changes", "Ask for changes")],
                                widget=forms.RadioSelect)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=20_000, help_text="Required when asking for changes.")
