"""The forms of the assurance pages. They only read and check what a person typed; every
change is made by one service of `secassure.assurance.services`, which applies the Code's
rules (and names the clause when it refuses)."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from django import forms

from secassure.accounts.models import Person
from secassure.code.categories import AssuranceStatus
from secassure.code.classification import PersonKind
from secassure.code.findings import Answer, FindingKind, PlannedStep, finding_kinds
from secassure.registry.models import Party

from .models import Assessment, Category, ComplianceStatus, ProgressReport, Step
from .models.assessment import DCC_TRIGGERS

BOOKABLE = [Category.FULL, Category.VERIFICATION, Category.SELF_ASSESSMENT]


def text(label: str, help_text: str = "", required: bool = True, rows: int = 3):
    return forms.CharField(label=label, help_text=help_text, required=required,
                           widget=forms.Textarea(attrs={"rows": rows, "cols": 70}))


def day(label: str, help_text: str = "", required: bool = True):
    return forms.DateField(label=label, help_text=help_text, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class BookingForm(forms.Form):
    """Booking an assessment and its scope (G8.15-G8.19, G8.30(a)(i); the DCC: G9.3(b))."""

    category = forms.ChoiceField(label="Category", help_text="G8.15: Full (G8.16), Verification "
                                 "(G8.17) or Self-Assessment (G8.18).")
    roles = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="User Roles covered", help_text="One assessment may cover several roles "
                                              "(G8.30(a)(i)).")
    assessor = forms.ModelChoiceField(
        queryset=Person.objects.filter(kind=PersonKind.CIO_ASSESSOR.value, is_active=True)
        .order_by("username"), required=False, label="Assessor",
        help_text="The User CIO (G8.1); a self-assessment needs none until review.")
    fieldwork_start = day("Fieldwork starts", required=False)
    fieldwork_end = day("Fieldwork ends", required=False)
    due = day("Due by", required=False, help_text="Left empty, the schedule's date is used "
                                                  "when the category is the one it proposes.")
    dcc_trigger = forms.ChoiceField(label="Why the DCC is assessed", required=False,
                                    choices=[("", "—")] + DCC_TRIGGERS)
    reason = forms.CharField(label="Note (journaled)", required=False, max_length=500)

    def __init__(self, *args, party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = party.roles.all()
        self.fields["roles"].label_from_instance = lambda role: role.get_role_display()
        if party.is_dcc:
            self.fields["category"].choices = [(Category.DCC_FULL.value,
                                                Category.DCC_FULL.label)]
            self.fields["category"].help_text = "G9.15-G9.16"
            del self.fields["roles"]
        else:
            self.fields["category"].choices = [(c.value, c.label) for c in BOOKABLE]
            del self.fields["dcc_trigger"]


class FindingForm(forms.Form):
    """A finding of the draft report (G8.22(b)-(c))."""

    kind = forms.ChoiceField(label="Kind")
    clause = forms.CharField(label="Clause", required=False, max_length=40,
                             help_text="The obligation not complied with: a clause of G3 to G6 "
                                       "for a Full assessment (G8.22(b)(i)), e.g. G5.14.")
    title = forms.CharField(label="Title", max_length=200)
    evidence = text("Evidence", "The evidence that establishes it (G8.22(b)(ii), (c)(ii)).", rows=4)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(FindingKind.CHOICES)
        self.fields["kind"].choices = [(k, labels[k]) for k in finding_kinds(assessment.category)]


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Evidence file", help_text="Up to 20 MB; its SHA-256 is kept.")


class IssueReportForm(forms.Form):
    summary = text("Findings on all matters in scope", "G8.22(a)", rows=5)
    fieldwork_end = day("Fieldwork ended", "The assessment is complete on this date.",
                        required=False)


class ResponseDueForm(forms.Form):
    due = day("Response due by", "G8.24: the date the SSC specifies.")


class ConfirmForm(forms.Form):
    """For actions that need only the button."""


class ReasonForm(forms.Form):
    """For actions that need only a reason (or a note)."""

    reason = text("Reason", rows=2)

    def __init__(self, *args, label: str = "Reason", required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required


class ProgressIntervalForm(forms.Form):
    days = forms.IntegerField(label="Every (days)", min_value=1, max_value=366,
                              help_text="G8.28(b)(i): how often the party reports progress.")


class ProgressForm(forms.Form):
    kind = forms.ChoiceField(label="Report", choices=ProgressReport.Kind.choices,
                             widget=forms.RadioSelect, initial=ProgressReport.Kind.PROGRESS)
    step = forms.ModelChoiceField(queryset=Step.objects.none(), required=False,
                                  label="Agreed step", help_text="Required for a completion or "
                                  "a failure.")
    text = text("What was done (or, for a failure, why)", "G8.28(b)(iii): give the reasons "
                "for a failure.", rows=3)
    on = day("Completed on", "For a completion; today if empty.", required=False)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = steps
        self.fields["step"].label_from_instance = (
            lambda s: f"Finding {s.finding.number}: {s.description[:70]} (due {s.due:%d %b %Y})")


class FollowUpForm(forms.Form):
    by = day("Follow-up by", "G8.29: the date the SSC specifies.")
    reason = text("What it should check", "G8.29(a)-(b)", required=False, rows=2)


class AssuranceStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Assurance status", widget=forms.RadioSelect,
        choices=[(s.value, f"{s.label} ({s.clause})") for s in AssuranceStatus])
    reason = text("The Panel's reasons", "Having regard to the SSC's advice (G8.35).", rows=3)
    follow_up_by = day("Follow-up by", "Only with 'approved, subject to': a Follow-up by this "
                       "date (G8.36(b)(ii)).", required=False)


class ComplianceStatusForm(forms.Form):
    status = forms.ModelChoiceField(queryset=ComplianceStatus.objects.filter(active=True),
                                    to_field_name="code", label="Compliance status",
                                    empty_label=None, widget=forms.RadioSelect)
    reason = text("The SSC's reasons", rows=2)


class DccOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect, choices=[
        ("none", "No non-compliances (G9.29(a))"),
        ("specific", "Specific non-compliances to address (G9.29(b), G9.30)")])
    findings = forms.MultipleChoiceField(label="Non-compliances to address", required=False,
                                         widget=forms.CheckboxSelectMultiple)
    reason = text("The SSC's reasons", rows=2)

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = [(str(f.pk), f"{f.number}. {f.title} ({f.clause})")
                                           for f in findings]


class RemediationPlanForm(forms.Form):
    plan = text("Planned actions and timescales", rows=4)
    director_name = forms.CharField(label="Director", max_length=200)
    director_statement = text("Director's signed commitment", rows=2)
    letter = forms.FileField(label="Director's Letter (file)", required=False)


class DecidePlanForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[
        ("approve", "Approve the plan"), ("send_back", "Send it back")])
    comment = text("Comment", "Required when the plan is sent back.", required=False, rows=2)


class AppealForm(forms.Form):
    grounds = text("Grounds of appeal", rows=3)


class SelfAssessmentForm(forms.Form):
    outcome = text("Outcome of the self-assessment", "G8.50(b): documented and submitted for "
                   "review.", rows=4)


class ReviewForm(forms.Form):
    review = text("Review of the self-assessment", "G8.18", rows=3)


# --- Events of Default (G8.54-G8.60) ---------------------------------------------------------

class ReferForm(forms.Form):
    """The SSC refers actual non-compliance to the Panel (G8.57)."""

    party = forms.ModelChoiceField(queryset=Party.objects.none(), to_field_name="party_id",
                                   label="Party")
    clauses = forms.CharField(label="Obligations not complied with", max_length=200,
                              help_text="Clauses of G3 to G6 (G2, G4 to G6 for the DCC), "
                                        "separated by commas, e.g. G3.2, G5.14.")
    referral = text("The SSC's findings and why it refers the matter", rows=4)
    assessment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["party"].queryset = Party.objects.visible_to(user).order_by("party_id")

    def clean_assessment(self):
        pk = self.cleaned_data["assessment"]
        if pk is None:
            return None
        found = Assessment.objects.visible_to(self.user).filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError("no such assessment")
        return found


class DecideDefaultForm(forms.Form):
    """The Panel decides whether the non-compliance is an Event of Default (G8.58)."""

    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[
        ("yes", "It is an Event of Default (G8.58)"), ("no", "It is not an Event of Default")])
    reason = text("The Panel's reasons", rows=3)
    steps = text("Steps to take under M8.4", "Required for an Event of Default (G8.58(b)).",
                 required=False, rows=3)
    affected = forms.CharField(label="Other parties affected", required=False,
                               help_text="Party ids, separated by commas: they are notified "
                                         "(G8.58(a)).")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_affected(self):
        ids = [p.strip() for p in self.cleaned_data["affected"].replace(";", ",").split(",")
               if p.strip()]
        found = list(Party.objects.visible_to(self.user).filter(party_id__in=ids))
        unknown = sorted(set(ids) - {p.party_id for p in found})
        if unknown:
            raise forms.ValidationError(f"not in the register: {', '.join(unknown)}")
        return found


class RemedialPlanForm(forms.Form):
    plan = text("Remedial action plan", "G8.60: approved by the Panel (M8.4(d)).", rows=4)


# --- The response (G8.24-G8.26) and the SSC's other steps (G8.27(b)) -------------------------

ROW = re.compile(r"^f(\d+)-(\w+)-description$")


@dataclass
class StepRow:
    """One step row as typed: `when` is 'taken' or 'proposed' (G8.26(b)); `due` as typed."""

    key: str
    description: str = ""
    when: str = "proposed"
    due: str = ""

    @property
    def blank(self) -> bool:
        return not self.description.strip() and not self.due.strip()


@dataclass
class Block:
    finding: object
    accepted: str = ""      # "accept", "dispute" or "" (not answered)
    reasons: str = ""
    change: bool = False    # for the SSC: propose other steps for this finding
    rows: list = field(default_factory=list)


def new_row(**values) -> StepRow:
    return StepRow(key=secrets.token_hex(3), **values)


class _StepsForm:
    """One block per finding, each with step rows that can be added without JavaScript (a
    submit button) or in place (htmx). `is_valid()` turns the rows into the services' plain
    data; the services check the Code's rules and name every problem."""

    def __init__(self, data=None, *, findings, add_row_to: int | None = None):
        self.data, self.errors, self.cleaned_data = data, [], {}
        self.blocks = [self._block(f, data) for f in findings]
        for block in self.blocks:
            if add_row_to == block.finding.pk or not block.rows:
                block.rows.append(new_row())

    def _block(self, finding, data) -> Block:
        if data is None:
            return self.initial_block(finding)
        block = Block(finding, accepted=data.get(f"f{finding.pk}-accepted", ""),
                      reasons=data.get(f"f{finding.pk}-reasons", ""),
                      change=bool(data.get(f"f{finding.pk}-change")))
        for name in data:
            match = ROW.match(name)
            if match and int(match[1]) == finding.pk:
                key = match[2]
                block.rows.append(StepRow(
                    key, data.get(name, ""), data.get(f"f{finding.pk}-{key}-when", "proposed"),
                    data.get(f"f{finding.pk}-{key}-due", "")))
        return block

    def initial_block(self, finding) -> Block:
        return Block(finding)

    def _steps(self, block: Block, taken_allowed: bool) -> list[PlannedStep]:
        steps = []
        for number, row in enumerate([r for r in block.rows if not r.blank], start=1):
            try:
                due = date.fromisoformat(row.due.strip()) if row.due.strip() else None
            except ValueError:
                self.errors.append(f"finding {block.finding.number} ({block.finding.title}), "
                                   f"step {number}: {row.due!r} is not a date (YYYY-MM-DD)")
                continue
            steps.append(PlannedStep(row.description, taken_allowed and row.when == "taken",
                                     due))
        return steps


class ResponseForm(_StepsForm):
    """The party's response: per finding, accepted or disputed with reasons, the steps taken
    or proposed and a date for each proposed step (G8.26(a)-(c))."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.summary = data.get("summary", "") if data is not None else ""

    def is_valid(self) -> bool:
        answers = {}
        for block in self.blocks:
            accepted = {"accept": True, "dispute": False}.get(block.accepted)
            answers[block.finding.pk] = Answer(accepted, block.reasons,
                                               tuple(self._steps(block, True)))
        self.cleaned_data = {"answers": answers, "summary": self.summary}
        return not self.errors


class AlternativeForm(_StepsForm):
    """The SSC's other steps or dates (G8.27(b)), finding by finding; it starts from the
    party's proposed steps."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.reason = data.get("reason", "") if data is not None else ""

    def initial_block(self, finding) -> Block:
        rows = [new_row(description=s.description, due=s.due.isoformat() if s.due else "")
                for s in getattr(finding, "visible_steps", [])
                if s.status == Step.Status.PROPOSED]
        return Block(finding, rows=rows)

    def is_valid(self) -> bool:
        steps = {b.finding.pk: self._steps(b, False) for b in self.blocks if b.change}
        self.cleaned_data = {"steps": steps, "reason": self.reason}
        return not self.errors
