"""What each action of the assurance workflow takes over the API and the command line: one
input serializer per declared action, made from its declaration in `secassure.code.workflow`
(one serializer field per declared input, each kind made into a field once, here).

They check shape only (types, dates, which records are named, a choice among the declared
ones); what the Code requires of the content (an answer to every finding, a date for every
proposed step, a reason for a decision) is checked by the service, so the API, the web pages
and the command line refuse the same things with the same words. Records named by id are
looked up among those the acting person may see (`visible_to`); a record they may not see is
"not found", as over the API. `to_service()` gives the service's keywords.

The context must carry the acting person as `user`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from secassure.accounts.models import Person
from secassure.code import inputs
from secassure.code.findings import Answer, PlannedStep
from secassure.code.workflow import ACTIONS, Act, Declaration, DefaultStep, Input, Kind
from secassure.core import validators
from secassure.registry.models import Party

from ... import selectors

__all__ = ["INPUTS", "ActionInput", "AnswerInput", "DecideEventOfDefaultInput",
           "DefaultStepInput", "PlannedStepInput", "ProposedStepInput", "ReferEventOfDefaultInput",
           "RemedialPlanInput", "VisibleRecordField", "input_serializer"]


@extend_schema_field(OpenApiTypes.INT)
class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """A record named by id, among those the acting person may see."""

    default_error_messages = {
        "does_not_exist": "no {noun} {pk_value} that you may see",
        "incorrect_type": "a {noun} is named by its id (a number), not {data_type}",
    }

    def __init__(self, records: Callable[[Any], Any], noun: str, **kwargs: Any):
        self.records, self.noun = records, noun
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.records(self.context["user"])

    def fail(self, key: str, **kwargs: Any) -> None:
        super().fail(key, noun=self.noun, **kwargs)


#: The largest id a record can have (a 64-bit key, as on PostgreSQL).
MAX_ID = 2**63 - 1


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(allow_blank=True, trim_whitespace=False, default="",
                                 max_length=inputs.TEXT_LIMIT, validators=[validators.text],
                                 **kwargs)


def _id(**kwargs: Any) -> serializers.IntegerField:
    """A record's id: a positive 64-bit integer (larger ones name nothing, on any database)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _date(**kwargs: Any) -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, default=None,
                                 validators=[validators.date_in_range], **kwargs)


class PlannedStepInput(serializers.Serializer):
    """A step taken or proposed (G8.26(b)) and, if not yet taken, its date (G8.26(c))."""

    description = _text()
    taken = serializers.BooleanField(default=False)
    due = _date()


class OnceEach(serializers.ListSerializer):
    """The answers, each finding answered once."""

    def validate(self, attrs: list[dict]) -> list[dict]:
        seen: set[int] = set()
        for answer in attrs:
            if answer["finding"] in seen:
                raise serializers.ValidationError(f"finding {answer['finding']} is answered "
                                                  "twice")
            seen.add(answer["finding"])
        return attrs


class AnswerInput(serializers.Serializer):
    """The answer to one finding (G8.26(a)): accepted, or disputed with reasons."""

    class Meta:
        list_serializer_class = OnceEach

    finding = _id(help_text="The finding's id")
    accepted = serializers.BooleanField(allow_null=True, default=None)
    reasons = _text()
    steps = PlannedStepInput(many=True, required=False, default=list)


class ProposedStepInput(serializers.Serializer):
    """One of the SSC's other steps (G8.27(b)): the finding, the step, its date."""

    finding = _id(help_text="The finding's id")
    description = _text()
    due = serializers.DateField(validators=[validators.date_in_range])


def _to_answers(answers: list[dict]) -> dict[int, Answer]:
    return {a["finding"]: Answer(a["accepted"], a["reasons"], tuple(
        PlannedStep(st["description"], st["taken"], st["due"]) for st in a["steps"]))
        for a in answers}


def _to_steps(proposed: list[dict]) -> dict[int, list[PlannedStep]]:
    steps: dict[int, list[PlannedStep]] = {}
    for step in proposed:
        steps.setdefault(step["finding"], []).append(
            PlannedStep(step["description"], False, step["due"]))
    return steps


# --- One serializer field per kind of input -----------------------------------------------------

def _presence(spec: Input, empty: Any) -> dict[str, Any]:
    """Required, or optional with the value an absent input takes."""
    return {"required": True} if spec.required else {"required": False, "default": empty}


def _choice(spec: Input, **common: Any) -> serializers.Field:
    if isinstance(spec.choices, str):  # a list kept in the database: the service checks it
        return serializers.CharField(**common)
    values = [value for value, _ in spec.choices]
    return serializers.ChoiceField(choices=values, error_messages={
        "invalid_choice": "{input!r} is not one of " + ", ".join(values)}, **common)


#: Records named by the API, by kind: among those the acting person may see, or by the key
#: people know them by (a party by its id, a person by username).
RECORDS: dict[str, Callable[..., serializers.Field]] = {
    "step": lambda **common: VisibleRecordField(selectors.steps, "step", **common),
    "decision": lambda **common: VisibleRecordField(selectors.decisions, "decision", **common),
    "appeal": lambda **common: VisibleRecordField(selectors.appeals, "appeal", **common),
    "party": lambda **common: serializers.SlugRelatedField(
        slug_field="party_id", queryset=Party.objects.all(),
        error_messages={"does_not_exist": "no party {value}"}, **common),
    "person": lambda **common: serializers.SlugRelatedField(
        slug_field="username", queryset=Person.objects.filter(is_active=True),
        error_messages={"does_not_exist": "no person {value}"}, **common),
}
#: Several records of the assessment (or roles of the party): ids, or role names.
MANY = {"finding": _id, "role": serializers.CharField}

FIELDS: dict[Kind, Callable[[Input, dict[str, Any]], serializers.Field]] = {
    Kind.TEXT: lambda spec, help: serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=spec.max_length or inputs.TEXT_LIMIT,
        validators=[validators.text], **_presence(spec, ""), **help),
    Kind.LINE: lambda spec, help: serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=spec.max_length or inputs.NAME_LIMIT,
        validators=[validators.line], **_presence(spec, ""), **help),
    Kind.DATE: lambda spec, help: serializers.DateField(
        allow_null=not spec.required, validators=[validators.date_in_range],
        **_presence(spec, None), **help),
    Kind.INT: lambda spec, help: serializers.IntegerField(
        min_value=spec.low, max_value=spec.high, **_presence(spec, None), **help),
    Kind.CHOICE: lambda spec, help: _choice(spec, **_presence(spec, ""), **help),
    Kind.BOOL: lambda spec, help: serializers.BooleanField(**_presence(spec, False), **help),
    Kind.FILE: lambda spec, help: serializers.FileField(
        allow_null=not spec.required, **_presence(spec, None), **help),
    Kind.FILES: lambda spec, help: serializers.ListField(
        child=serializers.FileField(), required=False, default=list, **help),
    Kind.RECORD: lambda spec, help: RECORDS[spec.record](
        allow_null=not spec.required, **_presence(spec, None), **help),
    Kind.RECORDS: lambda spec, help: serializers.ListField(
        child=MANY[spec.record](), required=False, default=list, **help),
    Kind.ANSWERS: lambda spec, help: AnswerInput(many=True, **help),
    Kind.STEPS: lambda spec, help: ProposedStepInput(many=True, **help),
}
#: How a validated value reaches the service, for the kinds that are not already its own.
TO_SERVICE: dict[Kind, Callable[[Any], Any]] = {Kind.ANSWERS: _to_answers,
                                                Kind.STEPS: _to_steps}


class ActionInput(serializers.Serializer):
    """The input of one declared action."""

    declaration: ClassVar[Declaration]

    def to_service(self) -> dict[str, Any]:
        """The validated input as the service's keywords."""
        return {spec.name: TO_SERVICE.get(spec.kind, lambda v: v)(self.validated_data[spec.name])
                for spec in self.declaration.inputs}


def _camel(act: Act) -> str:
    return "".join(word.capitalize() for word in act.value.split("_"))


def input_serializer(declaration: Declaration) -> type[ActionInput]:
    """The serializer of `declaration`'s inputs (named after the action in the schema)."""
    fields = {spec.name: FIELDS[spec.kind](spec, {"help_text": spec.help or spec.label})
              for spec in declaration.inputs}
    doc = f"{declaration.label} ({declaration.clause})."
    return type(f"{_camel(declaration.act)}Input", (ActionInput,),
                {**fields, "declaration": declaration, "__doc__": doc,
                 "__module__": __name__})


#: The input serializer of every declared action.
INPUTS: dict[Act, type[ActionInput]] = {act: input_serializer(d) for act, d in ACTIONS.items()}


# --- Events of Default (G8.54-G8.60): not workflow actions of an assessment -------------------

class ReferEventOfDefaultInput(serializers.Serializer):
    """The SSC's referral of actual non-compliance to the Panel (G8.57)."""

    party = serializers.SlugRelatedField(slug_field="party_id", queryset=Party.objects.all(),
                                         error_messages={"does_not_exist": "no party {value}"})
    clauses = _text(help_text="The obligations not complied with, e.g. 'G3.2, G5.14'")
    referral = _text()
    assessment = VisibleRecordField(selectors.assessments, "assessment", required=False,
                                    allow_null=True, default=None)


class DecideEventOfDefaultInput(serializers.Serializer):
    """The Panel's determination (G8.58)."""

    is_event_of_default = serializers.BooleanField()
    reason = _text()
    steps = _text(help_text="The steps under M8.4 (G8.58(b))")
    affected = serializers.SlugRelatedField(
        slug_field="party_id", queryset=Party.objects.all(), many=True, required=False,
        default=list)


class RemedialPlanInput(serializers.Serializer):
    plan = _text(help_text="The remedial action plan (M8.4(d), G8.60)")


class DefaultStepInput(serializers.Serializer):
    """One step of an Event of Default after the referral (G8.56, G8.58(b), G8.59)."""

    step = serializers.ChoiceField(choices=[s.value for s in DefaultStep], help_text=(
        "investigation (the SSC, G8.56), advice_requested (the Panel, G8.59), advice (the "
        "SSC, G8.59), remedied (the party), closed (the Panel)"))
    text = _text(help_text="What was found, asked, advised or done")
