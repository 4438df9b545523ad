"""The platform's input rules (`secassure.code.inputs`) as Django validators, for the pages'
forms and the API's serializers alike (DRF runs Django validators and answers their message as
a 400), so a text, a name, a date or an id is refused by the same rule at every door.

The character rules are regular expressions, so the OpenAPI schema states them as `pattern`s
and a client can see what is accepted before it sends.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from secassure.code import inputs

#: A text (reasons, evidence, notes): line breaks and tabs allowed, other control characters
#: not (lone surrogates are refused by the fields themselves). Fields never run validators on
#: an empty value, so "+" rather than "*" only keeps the schema's pattern from also matching
#: the empty text that `allow_blank` states on its own.
text = RegexValidator(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+\Z",
                      "contains a control character", code="control")
#: A one-line name: no control character, no line break.
line = RegexValidator(r"^[^\x00-\x1f\x7f]+\Z", "contains a control character or line break",
                      code="control")
#: A party id (`inputs.PARTY_ID_RULE`).
party_id = RegexValidator(rf"^{inputs.PARTY_ID.pattern}\Z",
                          f"not a party id ({inputs.PARTY_ID_RULE})", code="party_id")
#: A User ID (`inputs.USER_ID_RULE`).
user_id = RegexValidator(rf"^{inputs.USER_ID.pattern}\Z",
                         f"not a User ID ({inputs.USER_ID_RULE})", code="user_id")


def date_in_range(day: date | None) -> None:
    """A date the register can hold (`inputs.EARLIEST` to `inputs.LATEST`)."""
    if day is not None:
        _apply(inputs.in_range, day)


def _apply(rule: Callable[[Any], Any], value: Any) -> None:
    try:
        rule(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None
