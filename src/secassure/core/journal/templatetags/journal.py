"""`{% load journal %}`: a journal entry in words on any page (`{{ entry|describe }}`)."""
from __future__ import annotations

from django import template

from ..words import Entry
from ..words import describe as _describe

register = template.Library()


@register.filter
def describe(entry: Entry) -> str:
    """What the entry says happened, in words ("response submitted"), not its code name."""
    return _describe(entry)


@register.filter
def reason_beyond_words(entry: Entry) -> str:
    """The entry's reason, unless it only repeats what its words already say."""
    reason = (getattr(entry, "reason", "") or "").strip()
    return "" if reason.lower() == _describe(entry).lower() else reason
