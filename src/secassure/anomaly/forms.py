"""Forms of the thresholds register and the quarantine desk. They only read input: every change
goes through one call of `services` or `quarantine`."""
from __future__ import annotations

from django import forms

from secassure.code import inputs
from secassure.code.adt_files import LEVEL_LIMIT
from secassure.core import validators

from .models import COUNTERS, ServiceReferenceVariant

#: The longest public key pasted in (a PEM of ECDSA P-256 is under 200 characters).
PEM_LIMIT = 10_000


def _level(label: str, help_text: str = "", required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=LEVEL_LIMIT,
                              required=required, help_text=help_text)


class SrvReferenceForm(forms.Form):
    """What the DCC keeps about an SRV: guidance (G6.4(b)), the encrypted-response flag
    (G6.3(a)(ii)) and the SMETS1 data-value limits (G6.6(b))."""

    returns_encrypted = forms.BooleanField(
        label="Responses carry GBCS-encrypted data", required=False,
        help_text="Then every eligible User ID needs an encrypted-count threshold "
                  "(G6.3(a)(ii)).")
    guidance_critical = _level("Guidance: critical count", "The DCC's guidance (G6.4(b)).")
    guidance_encrypted = _level("Guidance: encrypted count", "The DCC's guidance (G6.4(b)).")
    value_min = forms.DecimalField(label="SMETS1 value: minimum", required=False,
                                   max_digits=20, decimal_places=6, help_text="G6.6(b)")
    value_max = forms.DecimalField(label="SMETS1 value: maximum", required=False,
                                   max_digits=20, decimal_places=6, help_text="G6.6(b)")

    FIELDS = ("returns_encrypted", "guidance_critical", "guidance_encrypted", "value_min",
              "value_max")

    @classmethod
    def for_srv(cls, variant: ServiceReferenceVariant, data=None) -> SrvReferenceForm:
        return cls(data, initial={name: getattr(variant, name) for name in cls.FIELDS})

    def changes(self, variant: ServiceReferenceVariant) -> dict:
        """Only the fields whose value differs from what is kept (the service journals them)."""
        return {name: self.cleaned_data[name] for name in self.FIELDS
                if self.cleaned_data[name] != getattr(variant, name)}


class DccThresholdForm(forms.Form):
    """The DCC's threshold across all Users for one SRV and counter (G6.6(a))."""

    counter = forms.ChoiceField(choices=COUNTERS)
    quarantine = _level("Quarantine level", "Communications above it are quarantined.",
                        required=True)
    warning = _level("Warning level", "Optional; not above the quarantine level.")
    reason = forms.CharField(required=False, max_length=300, validators=[validators.line],
                             help_text="Journaled; e.g. the SSC's opinion taken into account "
                                       "(G6.7(b)).")


class OpinionForm(forms.Form):
    text = forms.CharField(label="Opinion", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=inputs.TEXT_LIMIT, validators=[validators.text])


class ReviewDateForm(forms.Form):
    review_by = forms.DateField(label="Review by", widget=forms.DateInput(attrs={"type": "date"}),
                                validators=[validators.date_in_range],
                                help_text="G6.10: each threshold is kept under review.")


class TestStatusForm(forms.Form):
    """Whether a User ID passed testing for a Critical Service Request (G6.4A)."""

    user_id = forms.ChoiceField(label="User ID")
    srv = forms.ChoiceField(label="Critical Service Request")
    passed = forms.TypedChoiceField(choices=[("yes", "passed"), ("no", "not passed")],
                                    coerce=lambda value: value == "yes")

    def __init__(self, *args, user_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = [(u, u) for u in user_ids]
        self.fields["srv"].choices = [
            (s.srv, f"{s.srv} {s.name}")
            for s in ServiceReferenceVariant.objects.filter(critical=True)]


class SigningKeyForm(forms.Form):
    public_pem = forms.CharField(
        label="Public key (PEM)", widget=forms.Textarea(attrs={"rows": 5, "cols": 66}),
        max_length=PEM_LIMIT, validators=[validators.text],
        help_text="ECDSA P-256, '-----BEGIN PUBLIC KEY-----' ... (G6.6A).")


class SubmitForm(forms.Form):
    content = forms.FileField(label="Signed file (JSON)",
                              help_text="A threshold file or an exit-quarantine instruction.")
    signature = forms.FileField(label="Its signature", required=False,
                                help_text="The detached signature (base64 text, as "
                                          "`secassure adt sign` writes it).")


class LoadRunForm(forms.Form):
    traffic = forms.FileField(label="Traffic (CSV)",
                              help_text="id,ts,user_id,srv,... (optional command: srv empty)")
    decisions = forms.FileField(label="Decisions (CSV)",
                                help_text="id,decision,warning,reason as `secassure adt run` "
                                          "writes them: QUARANTINE and DELETE rows are loaded")


class TrafficSummaryForm(forms.Form):
    """The DCC loads a traffic summary for the charts (`secassure adt summary --load`)."""

    traffic = forms.FileField(label="Traffic (CSV)",
                              help_text="As `secassure adt run` reads it (optional command).")
    window = forms.IntegerField(label="Window (seconds)", min_value=1, max_value=31_536_000,
                                initial=86400, help_text="As `adt run --window-seconds`.")
    bucket = forms.IntegerField(label="Bucket (seconds)", min_value=60, max_value=31_536_000,
                                initial=3600)


class ProposalForm(forms.Form):
    """The DCC proposes a threshold of its own to the SSC (G6.6(a)-(c), G6.7(b))."""

    srv = forms.CharField(label="SRV", required=False, max_length=12,
                          help_text="e.g. 7.1; leave empty for a Critical Command.")
    command = forms.CharField(required=False, max_length=60,
                              help_text="A Critical Command not related to an SRV (G6.6(c)).")
    counter = forms.ChoiceField(choices=[("", "—"), *COUNTERS], required=False)
    quarantine = _level("Quarantine level", "For a threshold on a count (G6.6(a), (c)).")
    warning = _level("Warning level", "Optional; not above the quarantine level.")
    value_min = forms.DecimalField(label="SMETS1 value: minimum", required=False,
                                   max_digits=20, decimal_places=6,
                                   help_text="Or the SRV's data-value limits (G6.6(b)).")
    value_max = forms.DecimalField(label="SMETS1 value: maximum", required=False,
                                   max_digits=20, decimal_places=6)
    reason = forms.CharField(required=False, max_length=300, validators=[validators.line])

    @property
    def is_limits(self) -> bool:
        data = self.cleaned_data
        return data["value_min"] is not None or data["value_max"] is not None


class ProposalOpinionForm(forms.Form):
    """The SSC's opinion on a proposal (G6.7(b)) or on any threshold (G6.10(b))."""

    text = forms.CharField(label="Opinion", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=inputs.TEXT_LIMIT, validators=[validators.text])
    level = _level("Appropriate level", "Optional: the level the SSC finds appropriate.")


class ProposalSetForm(forms.Form):
    account = forms.CharField(label="How the SSC's opinion was taken into account",
                              required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=inputs.TEXT_LIMIT, validators=[validators.text],
                              help_text="Required where the level departs from the SSC's.")


class WithdrawForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300, validators=[validators.line])


class ConsultationForm(forms.Form):
    """A User asks the DCC's opinion on a threshold it proposes to set (G6.9)."""

    user_id = forms.ChoiceField(label="User ID")
    srv = forms.CharField(label="SRV", max_length=12)
    counter = forms.ChoiceField(choices=COUNTERS)
    quarantine = _level("Proposed quarantine level", required=True)
    warning = _level("Proposed warning level")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=inputs.TEXT_LIMIT, validators=[validators.text])

    def __init__(self, *args, user_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = [(u, u) for u in user_ids]


class AnswerForm(forms.Form):
    """The DCC's opinion on the appropriate level (G6.9(a))."""

    text = forms.CharField(label="Opinion", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=inputs.TEXT_LIMIT, validators=[validators.text])
    level = _level("Appropriate level", required=True)


class ReviewForm(forms.Form):
    """The owner's review of a threshold (G6.10(a))."""

    outcome = forms.ChoiceField(choices=[("appropriate", "Still appropriate"),
                                         ("no_longer", "No longer appropriate")])
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=inputs.TEXT_LIMIT, validators=[validators.text])


class ReviewPeriodForm(forms.Form):
    months = forms.IntegerField(min_value=1, max_value=120,
                                help_text="A threshold not reviewed within it is listed (G6.10).")
