"""What the platform accepts as an identifier, a name, a text, a count or a date: one set of
rules for every door (import, API, forms, admin, command line), so the same input gets the
same answer everywhere and on every database.

Each check returns the value it accepts or raises `ValueError` with a message that says what
is wrong, for the caller to locate (party, field, line).
"""
from __future__ import annotations

import math
import re
from datetime import date

#: A party id: 1 to 64 characters, letters and digits with `.`, `_`, `-` or inner spaces; it
#: appears in page addresses, so never a slash, and never a control character.
PARTY_ID = re.compile(r"[^\W_](?:[\w .-]{0,62}[\w.-])?")
PARTY_ID_RULE = ("1 to 64 characters: letters, digits, '.', '_', '-' and inner spaces, "
                 "starting with a letter or digit")
#: A User ID (an EUI-64 such as 90-B3-D5-1F-30-01-00-00, or the DCC's own): 1 to 64
#: characters, letters, digits, '-', ':' and '.'.
USER_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z:.-]{0,63}")
USER_ID_RULE = "1 to 64 characters: letters, digits, '-', ':' and '.'"
NAME_LIMIT = 200
TEXT_LIMIT = 20_000
#: The most premises a party can report: more than Great Britain has (about 30 million).
PREMISES_LIMIT = 100_000_000
#: The dates the register holds: the regime's history and its foreseeable future.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
#: Control characters (tab and newline allowed in texts only) and lone surrogates, which no
#: database stores faithfully.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")


def party_id(value: object) -> str:
    if not isinstance(value, str) or not PARTY_ID.fullmatch(value):
        raise ValueError(f"{_show(value)} is not a party id ({PARTY_ID_RULE})")
    return value


def user_id(value: object) -> str:
    if not isinstance(value, str) or not USER_ID.fullmatch(value):
        raise ValueError(f"{_show(value)} is not a User ID ({USER_ID_RULE})")
    return value


def name(value: object, limit: int = NAME_LIMIT) -> str:
    """A one-line name: a string of at most `limit` characters, no control characters."""
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if len(value) > limit:
        raise ValueError(f"is {len(value)} characters long; at most {limit}")
    if _CONTROL.search(value) or _LINE_BREAKS.search(value):
        raise ValueError("contains a control character or line break")
    return value


def text(value: object, limit: int = TEXT_LIMIT) -> str:
    """A text (reasons, evidence, notes): at most `limit` characters; line breaks and tabs
    allowed, other control characters not."""
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if len(value) > limit:
        raise ValueError(f"is {len(value)} characters long; at most {limit}")
    if _CONTROL.search(value):
        raise ValueError("contains a control character")
    return value


def count(value: object, limit: int = PREMISES_LIMIT) -> int:
    """A whole number from 0 to `limit` (never a boolean, a fraction, NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        raise ValueError(f"{_show(value)} is not a whole number")
    if value < 0:
        raise ValueError(f"{value} is negative; a count is 0 or more")
    if value > limit:
        raise ValueError(f"{value} is more than {limit:,}")
    return value


def in_range(day: date) -> date:
    """A date the register can hold (EARLIEST to LATEST)."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day.isoformat()} is outside {EARLIEST.isoformat()} to "
                         f"{LATEST.isoformat()}")
    return day


def _show(value: object) -> str:
    """A value in a message, cut short and without control characters."""
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
