"""Filters the API lists share: a record named by its id in a query string.

An id is a whole number from 1 to 2**63 - 1 (the largest key any database here holds), so a
filter such as `?assessment=0`, `?finding=abc` or `?decision=99999999999999999999` is a 400 on
SQLite and PostgreSQL alike, never a server error; an id of a record you may not see, or of none,
lists nothing (its existence is not revealed).
"""
from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from secassure.code import inputs
from secassure.core import validators

#: The largest id a record can have (a 64-bit key, as on PostgreSQL).
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """Records whose `field_name` is the id given."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "maxLength": 64,  # empty: any party
                      "pattern": rf"^(?:{inputs.PARTY_ID.pattern})?$"})
class PartyIdFilter(django_filters.CharFilter):
    """Records of the party with the id given (`inputs.PARTY_ID_RULE`; else 400)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("validators", [validators.party_id])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class YesNoFilter(django_filters.TypedChoiceFilter):
    """Yes or no: `true` or `false` (anything else is a 400, not ignored)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)

