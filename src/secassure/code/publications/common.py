"""What both publications share: reading an input document field by field (a bad value is
one `PublicationError` naming the field, e.g. `business[2].kind: ...`), the words the
secretariat writes (one to ten in words, 11 and above in figures; "Wednesday 26 August
2020", "April 2019"), and the refusal to name a party in a published text.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from secassure.code import inputs
from secassure.code.dates import parse_iso_date

T = TypeVar("T")

#: Counts in words up to ten, in figures from 11 (issue 10, "Publications").
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
#: Day and month names in English whatever the machine's locale.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
#: The classifications of the Panel Information Policy; a WHITE item carries no tag.
CLASSIFICATIONS = ("RED", "AMBER", "GREEN", "WHITE")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class PublicationError(ValueError):
    """Bad input for a publication, or a published text that names a party: one line
    naming the field or item."""


@dataclass(frozen=True)
class Party:
    id: str
    name: str


# --- words ---------------------------------------------------------------------------------

def number(count: int) -> str:
    """One to ten in words, 11 and above (and 0) in figures."""
    return NUMBER_WORDS[count - 1] if 1 <= count <= 10 else str(count)


def long_date(day: date) -> str:
    """"Wednesday 26 August 2020"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def month_name(month: tuple[int, int]) -> str:
    """"April 2019" for (2019, 4)."""
    return f"{MONTHS[month[1] - 1]} {month[0]}"


def tag(classification: str) -> str:
    """" (**RED**)", " (**AMBER**)", " (**GREEN**)" after a published item; WHITE has none."""
    return "" if classification == "WHITE" else f" (**{classification}**)"


def one_line(text: str) -> str:
    """A text as one Markdown line (line breaks and runs of spaces folded)."""
    return " ".join(text.split())


# --- the refusal to name a party -----------------------------------------------------------

def party_pattern(term: str) -> re.Pattern[str]:
    """A party's id or name as a whole word, in any case, however the spaces between its
    words are laid out."""
    words = r"\s+".join(re.escape(word) for word in term.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def named_party(text: str, parties: Sequence[Party]) -> Party | None:
    """The first party (in the order given) whose id or name `text` contains."""
    for party in parties:
        if any(party_pattern(term).search(text) for term in (party.id, party.name)):
            return party
    return None


def refuse_named(published: Sequence[tuple[str, str]], parties: Sequence[Party]) -> None:
    """Refuse the first published (item, text) that names a party, e.g.
    `matters_arising[3]: names party P1` (the party by its id)."""
    for item, text in published:
        party = named_party(text, parties)
        if party is not None:
            raise PublicationError(f"{item}: names party {party.id}")


# --- reading input -------------------------------------------------------------------------

def mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise PublicationError(f"{where}: must be a JSON object")
    return value


def items(document: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    """A list of objects (absent or null: empty)."""
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PublicationError(f"{key}: must be a list")
    return [mapping(item, f"{key}[{index}]") for index, item in enumerate(value)]


def field(record: Mapping[str, object], key: str, where: str,
          check: Callable[[object], T]) -> T:
    """A required field, checked; a missing or bad one names `where.key`."""
    place = f"{where}.{key}" if where else key
    if key not in record or record[key] is None:
        raise PublicationError(f"{place}: is required")
    try:
        return check(record[key])
    except PublicationError:
        raise
    except ValueError as error:
        raise PublicationError(f"{place}: {error}") from None


def optional(record: Mapping[str, object], key: str, where: str,
             check: Callable[[object], T]) -> T | None:
    if record.get(key) is None:
        return None
    return field(record, key, where, check)


def iso_date(value: object) -> date:
    return inputs.in_range(parse_iso_date(value))


def month(value: object) -> tuple[int, int]:
    """A strict YYYY-MM month."""
    matched = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if matched is None or not 1 <= int(matched[2]) <= 12:
        raise ValueError(f"{value!r} is not a month in the form YYYY-MM")
    year, month_number = int(matched[1]), int(matched[2])
    inputs.in_range(date(year, month_number, 1))
    return year, month_number


def text(value: object) -> str:
    """A non-empty text (line breaks allowed, other control characters not)."""
    checked = inputs.text(value)
    if not checked.strip():
        raise ValueError("must not be empty")
    return checked


def line(value: object) -> str:
    """A non-empty one-line name or title."""
    checked = inputs.name(value, limit=1000)
    if not checked.strip():
        raise ValueError("must not be empty")
    return checked


def classification(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in CLASSIFICATIONS:
        raise ValueError(f"must be one of {', '.join(CLASSIFICATIONS)}")
    return value.upper()


def shown(value: object) -> str:
    """A value in a message, cut short."""
    printed = repr(value)
    return printed if len(printed) <= 40 else printed[:37] + "..."


def one_of(*allowed: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in allowed:
            raise ValueError(f"{shown(value)} is not one of {', '.join(allowed)}")
        return str(value)
    return check


def parties(document: Mapping[str, object]) -> list[Party]:
    """`parties`: ids by the register's rule, non-empty one-line names, no id twice."""
    found: list[Party] = []
    for index, record in enumerate(items(document, "parties")):
        where = f"parties[{index}]"
        party = Party(field(record, "id", where, inputs.party_id),
                      field(record, "name", where, line))
        if any(other.id == party.id for other in found):
            raise PublicationError(f"{where}.id: {party.id!r} is given twice")
        found.append(party)
    return found


def party_ref(known: Sequence[Party]) -> Callable[[object], Party]:
    """A check that a value is the id of one of the document's parties."""
    def check(value: object) -> Party:
        for party in known:
            if party.id == value:
                return party
        raise ValueError(f"{shown(value)} is not the id of one of the parties")
    return check
