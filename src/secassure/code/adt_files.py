"""The signed files Users send: threshold notifications (G6.4(c)) and exit-quarantine
instructions (G6.1(a)(iii)). JSON, signed byte for byte (see `secassure.adt.signing`).

    {"format": "secassure-thresholds/1", "id": "2026-11-21-HEARTH-001", "party": "HEARTH",
     "thresholds": [{"user_id": "90-B3-...", "srv": "1.1.1", "counter": "critical",
                     "warning": 40, "quarantine": 50}],
     "exceptions": [{"user_id": "90-B3-...", "srv": "1.1.1", "counter": "critical",
                     "from": "2026-12-24T00:00:00Z", "to": "2026-12-27T00:00:00Z",
                     "warning": 80, "quarantine": 100}]}

    {"format": "secassure-exit-quarantine/1", "id": "...", "party": "HEARTH",
     "instructions": [{"communication": "c-000123", "action": "process"}]}

`exceptions` is optional (G6.1(a)(i)): for a communication of that key with `from <= ts < to`
(ISO 8601 UTC) the exception's levels replace the threshold's, as `adt run --exceptions` does;
a key names `srv` or, instead, `command`. A file carries thresholds, exceptions or both.
The `id` is the file's identifier: a file is applied once only (G6.6A).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from . import inputs

THRESHOLDS_FORMAT = "secassure-thresholds/1"
EXIT_FORMAT = "secassure-exit-quarantine/1"
COUNTERS = ("critical", "encrypted")
ACTIONS = ("process", "delete")
#: The longest file identifier, SRV and communication id the register holds.
ID_LIMIT, SRV_LIMIT, COMMUNICATION_LIMIT = 100, 12, 120
#: The longest command name (G6.6(c)), as `Threshold.command` holds it.
COMMAND_LIMIT = 60
#: The highest threshold level: a count in a window, held as a 32-bit integer.
LEVEL_LIMIT = 2**31 - 1


class FileFormatError(ValueError):
    """What is wrong with a file, naming the field and the entry."""


@dataclass(frozen=True)
class ThresholdLine:
    user_id: str
    srv: str
    counter: str
    warning: int | None
    quarantine: int


@dataclass(frozen=True)
class ExceptionLine:
    """An exception to a threshold (G6.1(a)(i)): its levels replace the threshold's for
    communications with `starts <= ts < ends` (UTC); `srv` or `command` names the key."""
    user_id: str
    srv: str
    command: str
    counter: str
    starts: datetime
    ends: datetime
    warning: int | None
    quarantine: int

    @property
    def target(self) -> str:
        return self.srv or self.command


@dataclass(frozen=True)
class Instruction:
    communication: str
    action: str


@dataclass(frozen=True)
class SignedDocument:
    format: str
    id: str
    party: str
    thresholds: tuple[ThresholdLine, ...] = ()
    exceptions: tuple[ExceptionLine, ...] = ()
    instructions: tuple[Instruction, ...] = ()


def parse(content: bytes) -> SignedDocument:
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileFormatError(f"not a JSON document: {error}") from None
    except RecursionError:
        raise FileFormatError("not a JSON document: nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        raise FileFormatError("not a JSON document: a number has too many digits") from None
    if not isinstance(data, dict):
        raise FileFormatError("the file must be a JSON object")
    kind = data.get("format")
    if kind not in (THRESHOLDS_FORMAT, EXIT_FORMAT):
        raise FileFormatError(f"format: expected {THRESHOLDS_FORMAT!r} or {EXIT_FORMAT!r}")
    for field in ("id", "party"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise FileFormatError(f"{field}: a non-empty string is required")
    _rule(inputs.name, data["id"], "id", ID_LIMIT)
    _rule(inputs.party_id, data["party"], "party")
    if kind == THRESHOLDS_FORMAT:
        if "exceptions" in data and "thresholds" not in data:
            rows = []
        else:
            rows = _list(data, "thresholds")
        extra = _list(data, "exceptions") if "exceptions" in data else []
        return SignedDocument(kind, data["id"], data["party"],
                              thresholds=tuple(_threshold(r, i) for i, r in enumerate(rows)),
                              exceptions=tuple(_exception(r, i) for i, r in enumerate(extra)))
    rows = _list(data, "instructions")
    return SignedDocument(kind, data["id"], data["party"],
                          instructions=tuple(_instruction(r, i) for i, r in enumerate(rows)))


def _list(data: dict, field: str) -> list:
    rows = data.get(field)
    if not isinstance(rows, list) or not rows:
        raise FileFormatError(f"{field}: a non-empty list is required")
    return rows


def _threshold(row: object, index: int) -> ThresholdLine:
    where = f"thresholds[{index}]"
    if not isinstance(row, dict):
        raise FileFormatError(f"{where}: must be an object")
    for field in ("user_id", "srv"):
        if not isinstance(row.get(field), str) or not row[field]:
            raise FileFormatError(f"{where}.{field}: a non-empty string is required")
    _rule(inputs.user_id, row["user_id"], f"{where}.user_id")
    _rule(inputs.name, row["srv"], f"{where}.srv", SRV_LIMIT)
    if row.get("counter") not in COUNTERS:
        raise FileFormatError(f"{where}.counter: must be 'critical' or 'encrypted'")
    quarantine = _level(row.get("quarantine"), f"{where}.quarantine", required=True)
    assert quarantine is not None  # a required level is never None
    warning = _level(row.get("warning"), f"{where}.warning", required=False)
    if warning is not None and warning > quarantine:
        raise FileFormatError(f"{where}.warning: above the quarantine level")
    return ThresholdLine(row["user_id"], row["srv"], row["counter"], warning, quarantine)


def _exception(row: object, index: int) -> ExceptionLine:
    """One exception (G6.1(a)(i)): the rules of `adt run --exceptions`, naming the entry."""
    where = f"exceptions[{index}]"
    if not isinstance(row, dict):
        raise FileFormatError(f"{where}: must be an object")
    if not isinstance(row.get("user_id"), str) or not row["user_id"]:
        raise FileFormatError(f"{where}.user_id: a non-empty string is required")
    _rule(inputs.user_id, row["user_id"], f"{where}.user_id")
    srv, command = row.get("srv") or "", row.get("command") or ""
    for field, value in (("srv", srv), ("command", command)):
        if not isinstance(value, str):
            raise FileFormatError(f"{where}.{field}: must be a string")
    if bool(srv) == bool(command):
        raise FileFormatError(f"{where}.srv: name an SRV or, instead, a command (not both, "
                              "not neither)")
    if srv:
        _rule(inputs.name, srv, f"{where}.srv", SRV_LIMIT)
    else:
        _rule(inputs.name, command, f"{where}.command", COMMAND_LIMIT)
    if row.get("counter") not in COUNTERS:
        raise FileFormatError(f"{where}.counter: must be 'critical' or 'encrypted'")
    starts = _instant(row.get("from"), f"{where}.from")
    ends = _instant(row.get("to"), f"{where}.to")
    if starts >= ends:
        raise FileFormatError(f"{where}.to: must be after from")
    quarantine = _level(row.get("quarantine"), f"{where}.quarantine", required=True)
    assert quarantine is not None  # a required level is never None
    warning = _level(row.get("warning"), f"{where}.warning", required=False)
    if warning is not None and warning > quarantine:
        raise FileFormatError(f"{where}.warning: above the quarantine level")
    return ExceptionLine(row["user_id"], srv, command, row["counter"], starts, ends, warning,
                         quarantine)


def _instant(value: object, where: str) -> datetime:
    """An ISO 8601 time in UTC ("Z" or "+00:00"), as `adt run` reads `from` and `to`."""
    if not isinstance(value, str) or not value:
        raise FileFormatError(f"{where}: an ISO 8601 UTC time is required")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FileFormatError(f"{where}: {value!r} is not an ISO 8601 time") from None
    offset = moment.utcoffset()
    if offset is None or offset:
        raise FileFormatError(f"{where}: {value!r} is not in UTC (end it with Z)")
    return moment.astimezone(UTC)


def _level(value: object, where: str, required: bool) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FileFormatError(f"{where}: a whole number, 0 or more, is required")
    if value > LEVEL_LIMIT:
        raise FileFormatError(f"{where}: at most {LEVEL_LIMIT:,}")
    return value


def _rule(rule: Callable[..., str], value: str, where: str, *limit: int) -> None:
    """`value` by one of the platform's input rules (`secassure.code.inputs`)."""
    try:
        rule(value, *limit)
    except ValueError as error:
        raise FileFormatError(f"{where}: {error}") from None


def _instruction(row: object, index: int) -> Instruction:
    where = f"instructions[{index}]"
    if not isinstance(row, dict) or not isinstance(row.get("communication"), str) \
            or not row["communication"]:
        raise FileFormatError(f"{where}.communication: a communication id is required")
    _rule(inputs.name, row["communication"], f"{where}.communication", COMMUNICATION_LIMIT)
    if row.get("action") not in ACTIONS:
        raise FileFormatError(f"{where}.action: must be 'process' or 'delete'")
    return Instruction(row["communication"], row["action"])
