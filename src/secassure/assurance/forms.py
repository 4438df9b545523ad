"""The forms of the assurance pages, made from the declarations of `secassure.code.workflow`:
one field per declared input, each kind of input made into a field once, here.

They only read and check what a person typed; every change is made by the one service of the
action, which applies the Code's rules (and names the clause when it refuses). The response's
answers and the SSC's other steps are one hand-written kind each (`ResponseForm`,
`AlternativeForm`); the forms of Events of Default are written out (they are not workflow
actions of an assessment).
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from secassure.accounts.models import Person
from secassure.code import inputs
from secassure.code.classification import PersonKind
from secassure.code.findings import Answer, FindingKind, PlannedStep, finding_kinds
from secassure.code.workflow import ACTIONS, Act, Declaration, Input, Kind
from secassure.core import validators
from secassure.registry.models import Party

from .models import (
    Appeal,
    Assessment,
    Category,
    ComplianceStatus,
    Finding,
    ProgressReport,
    Step,
)
from .models.assessment import DCC_TRIGGERS

BOOKABLE = [Category.FULL, Category.VERIFICATION, Category.SELF_ASSESSMENT]


def text(label: str, help_text: str = "", required: bool = True, rows: int = 3) -> forms.Field:
    return forms.CharField(label=label, help_text=help_text, required=required,
                           max_length=inputs.TEXT_LIMIT, validators=[validators.text],
                           widget=forms.Textarea(attrs={"rows": rows, "cols": 70}))


def day(label: str, help_text: str = "", required: bool = True) -> forms.Field:
    return forms.DateField(label=label, help_text=help_text, required=required,
                           validators=[validators.date_in_range],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


# --- What a form's lists are drawn from ----------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """The assessment and its record as the page read them, or the party being booked."""

    assessment: Assessment | None = None
    record: Any = None
    party: Party | None = None

    @property
    def dcc(self) -> bool:
        return self.party.is_dcc if self.party is not None else bool(
            self.assessment and self.assessment.is_dcc)


Options = list[tuple[str, str]]
Records = tuple[QuerySet, Callable[[Any], str]]


def _finding_kinds(c: Context) -> Options:
    labels = dict(FindingKind.CHOICES)
    return [(k, labels[k]) for k in finding_kinds(c.assessment.category if c.assessment else "")]


def _bookable(c: Context) -> Options:
    """The DCC books a Full DCC assessment (G9.15-G9.16); a User the periodic ones (G8.15)."""
    bookable = {Category.DCC_FULL} if c.dcc else set(BOOKABLE)
    return [(value, label) for value, label in Category.choices if value in bookable]


def _open_steps(c: Context) -> Records:
    """The agreed steps not yet completed: progress is reported on those (G8.28(b))."""
    steps = [s.pk for s in c.record.steps if s.status == Step.Status.AGREED and not s.completed_on]
    return (Step.objects.filter(pk__in=steps).select_related("finding").order_by("due", "id"),
            lambda s: f"Finding {s.finding.number}: {s.description[:70]}"
                      + (f" (due {s.due:%d %b %Y})" if s.due else ""))


#: The lists the declarations name (`Input.choices` as a string): options for a choice, the
#: records (and how each reads) for a record.
LISTS: dict[str, Callable[[Context], Options | Records]] = {
    "finding_kinds": _finding_kinds,
    "compliance_statuses": lambda c: [(s.code, s.label) for s in
                                      ComplianceStatus.objects.filter(active=True)],
    "progress_kinds": lambda c: list(ProgressReport.Kind.choices),
    "bookable": _bookable,
    "dcc_triggers": lambda c: list(DCC_TRIGGERS),
    "open_steps": _open_steps,
    "open_appeals": lambda c: (  # awaiting a determination (G8.39, G9.33)
        Appeal.objects.filter(pk__in=[ap.pk for d in getattr(c.record, "decisions", ())
                                      for ap in d.visible_appeals if not ap.determined]),
        lambda ap: f"Appeal {ap.pk} to {ap.get_to_display()} of {ap.decision}"),
    "findings": lambda c: (Finding.objects.filter(pk__in=[f.pk for f in c.record.findings])
                           .order_by("number"), lambda f: f"{f.number}. {f.title} ({f.clause})"),
    "party_roles": lambda c: (c.party.roles.all() if c.party else Party.objects.none(),
                              lambda role: role.get_role_display()),
    "assessors": lambda c: (Person.objects.filter(  # the DCC's assessor for the DCC (G9.4)
        kind=(PersonKind.DCC_ASSESSOR if c.party is not None and c.party.is_dcc
              else PersonKind.CIO_ASSESSOR).value, is_active=True).order_by("username"), str),
}


def _options(spec: Input, context: Context) -> Options:
    found = LISTS[spec.choices](context) if isinstance(spec.choices, str) else spec.choices
    return list(found)


# --- One field per kind of input -----------------------------------------------------------------

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(item, initial) for item in data]
        return [one(data, initial)] if data else []


def _choice(spec: Input, context: Context, **common: Any) -> forms.Field:
    options = _options(spec, context)
    if not spec.required and not spec.radio:
        options = [("", "—")] + options
    widget = forms.RadioSelect if spec.radio else forms.Select
    return forms.ChoiceField(choices=options, widget=widget, **common)


def _records(spec: Input, context: Context, **common: Any) -> forms.Field:
    queryset, label = LISTS[str(spec.choices)](context)
    if spec.kind == Kind.RECORD:
        made: forms.ModelChoiceField = forms.ModelChoiceField(queryset=queryset, **common)
    else:
        made = forms.ModelMultipleChoiceField(queryset=queryset,
                                              widget=forms.CheckboxSelectMultiple, **common)
    made.label_from_instance = label
    return made


FIELDS: dict[Kind, Callable[..., forms.Field]] = {
    Kind.TEXT: lambda spec, context, **common: forms.CharField(
        max_length=spec.max_length or inputs.TEXT_LIMIT, validators=[validators.text],
        widget=forms.Textarea(attrs={"rows": spec.rows, "cols": 70}), **common),
    Kind.LINE: lambda spec, context, **common: forms.CharField(
        max_length=spec.max_length or inputs.NAME_LIMIT, validators=[validators.line], **common),
    Kind.DATE: lambda spec, context, **common: forms.DateField(
        validators=[validators.date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common),
    Kind.INT: lambda spec, context, **common: forms.IntegerField(
        min_value=spec.low, max_value=spec.high, **common),
    Kind.CHOICE: _choice,
    Kind.BOOL: lambda spec, context, **common: _choice(spec, context, **common)
    if spec.choices else forms.BooleanField(**{**common, "required": False}),
    Kind.FILE: lambda spec, context, **common: forms.FileField(**common),
    Kind.FILES: lambda spec, context, **common: MultipleFileField(**common),
    Kind.RECORD: _records,
    Kind.RECORDS: _records,
}


def to_service(spec: Input, value: Any) -> Any:
    """A cleaned value as the service takes it."""
    if spec.kind == Kind.BOOL and spec.options:
        return value == spec.options[0][0]
    if spec.kind == Kind.RECORDS:
        return list(value or ())
    return value


def prefilled(assessment: Assessment, path: str) -> Any:
    """The value of the assessment's attribute `path` (dotted: `compliance_status.code`; an
    empty link gives "")."""
    value: Any = assessment
    for name in path.split("."):
        value = getattr(value, name)
        if value is None:
            return "" if "." in path else None
    return value


class ActionForm(forms.Form):
    """The form of one declared action: a field for each input the page asks for (the subject
    of the action is in the page's address). `service_data()` gives the service's keywords."""

    def __init__(self, declaration: Declaration, context: Context, data: Any = None,
                 files: Any = None, **kwargs: Any):
        super().__init__(data, files, **kwargs)
        self.declaration = declaration
        self.specs = [spec for spec in declaration.fields
                      if spec.applies is None or spec.applies(context.dcc)]
        for spec in self.specs:
            common = {"label": spec.label, "help_text": spec.help, "required": spec.required}
            if spec.initial:
                common["initial"] = spec.initial
            self.fields[spec.field] = FIELDS[spec.kind](spec, context, **common)
            if spec.hidden:
                self.fields[spec.field].widget = forms.HiddenInput()
            if spec.prefill and context.assessment is not None:
                self.initial.setdefault(spec.field, prefilled(context.assessment, spec.prefill))

    def service_data(self) -> dict[str, Any]:
        return {spec.name: to_service(spec, self.cleaned_data[spec.field])
                for spec in self.specs}


class BookingForm(ActionForm):
    """Booking an assessment and its scope (G8.15-G8.19, G8.30(a)(i); the DCC: G9.3(b)), from
    the declaration of `Act.BOOK`; the party is the page's."""

    def __init__(self, *args: Any, party: Party, **kwargs: Any):
        super().__init__(ACTIONS[Act.BOOK], Context(party=party), *args, **kwargs)


# --- Events of Default (G8.54-G8.60) ---------------------------------------------------------

class ReferForm(forms.Form):
    """The SSC refers actual non-compliance to the Panel (G8.57)."""

    party = forms.ModelChoiceField(queryset=Party.objects.none(), to_field_name="party_id",
                                   label="Party")
    clauses = forms.CharField(label="Obligations not complied with", max_length=200,
                              help_text="Clauses of G3 to G6 (G2, G4 to G6 for the DCC), "
                                        "separated by commas, e.g. G3.2, G5.14.")
    referral = text("The SSC's findings and why it refers the matter", rows=4)
    assessment = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                    widget=forms.HiddenInput)

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


class DefaultStepForm(forms.Form):
    """One step of an Event of Default: the choices are the steps `steps` (value, label)."""

    step = forms.ChoiceField(label="Step", widget=forms.RadioSelect)
    text = text("What was found, asked, advised or done", rows=3)

    def __init__(self, *args: Any, steps: list[tuple[str, str]] | None = None,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = list(steps or [])


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
    finding: Any
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

    def __init__(self, data: Any = None, *, findings: list[Any],
                 add_row_to: int | None = None):
        self.data = data
        self.errors: list[str] = []
        self.cleaned_data: dict[str, Any] = {}
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

    def service_data(self) -> dict[str, Any]:
        """What `is_valid()` made of the rows: the service's keywords."""
        return dict(self.cleaned_data)

    def _text(self, where: str, value: str) -> str:
        """`value` if it is a text the register takes (`inputs.text`); else an error."""
        try:
            return inputs.text(value)
        except ValueError as error:
            self.errors.append(f"{where}: {error}")
            return ""

    def _steps(self, block: Block, taken_allowed: bool) -> list[PlannedStep]:
        steps = []
        for number, row in enumerate([r for r in block.rows if not r.blank], start=1):
            where = f"finding {block.finding.number} ({block.finding.title}), step {number}"
            try:
                due = date.fromisoformat(row.due.strip()) if row.due.strip() else None
                if due is not None:
                    inputs.in_range(due)
            except ValueError:
                self.errors.append(f"{where}: {row.due[:40]!r} is not a date (YYYY-MM-DD) "
                                   f"from {inputs.EARLIEST} to {inputs.LATEST}")
                continue
            self._text(where, row.description)
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
        answers: dict[int, Answer] = {}
        for block in self.blocks:
            accepted = {"accept": True, "dispute": False}.get(block.accepted)
            self._text(f"finding {block.finding.number}, reasons", block.reasons)
            answers[block.finding.pk] = Answer(accepted, block.reasons,
                                               tuple(self._steps(block, True)))
        self._text("summary", self.summary)
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
        self._text("reason", self.reason)
        self.cleaned_data = {"steps": steps, "reason": self.reason}
        return not self.errors


#: The hand-written kinds, each a whole form, and the template that shows it.
STRUCTURED_FORMS: dict[Kind, tuple[type[_StepsForm], str]] = {
    Kind.ANSWERS: (ResponseForm, "assurance/_response_form.html"),
    Kind.STEPS: (AlternativeForm, "assurance/_alternative_form.html"),
}


def structured(declaration: Declaration) -> Kind | None:
    """The hand-written kind of the action's form, if it has one."""
    return next((spec.kind for spec in declaration.inputs if spec.kind in STRUCTURED_FORMS),
                None)


def template(declaration: Declaration) -> str:
    kind = structured(declaration)
    return STRUCTURED_FORMS[kind][1] if kind else "assurance/_form.html"


def action_form(declaration: Declaration, context: Context, data: Any = None, files: Any = None,
                add_row_to: int | None = None) -> ActionForm | _StepsForm:
    """The page's form of a declared action on the assessment of `context`."""
    kind = structured(declaration)
    if kind is not None:
        return STRUCTURED_FORMS[kind][0](data, findings=context.record.findings,
                                         add_row_to=add_row_to)
    return ActionForm(declaration, context, data, files)
