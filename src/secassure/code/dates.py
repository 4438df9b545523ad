"""Calendar arithmetic the Code relies on.

Section G counts most deadlines in months ("within 12 months after ...", G8.40-G8.47, G8.50,
G12.8). The Code does not say what a month after the 29th, 30th or 31st is; we use the
convention the secretariat applies: the same day of the month, or the last day of the
target month when it has no such day (so 29 February plus 12 months is 28 February).
"""
from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the end of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def twelve_months_after(start: date) -> date:
    """"Within 12 months after" a date (G8.40-G8.47, G8.50, G12.8): its last allowed day."""
    return add_months(start, 12)


def parse_iso_date(text: object) -> date:
    """A strict YYYY-MM-DD date; ValueError otherwise (no times, no other spellings)."""
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real calendar date") from None
