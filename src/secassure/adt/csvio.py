"""Shared CSV plumbing: reading the header, reading whole small files as text, locating lines.

Why: every input error must name the *physical* line of the file (G6.1(a)(i) notifications are
corrected by people reading the file).  Arrow's fast reader counts records, not lines (quoted
newlines and blank lines shift the two apart), so on the error path only we re-scan the file
with Python's csv module to turn a record index into the physical line number.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import InputError

# The error path re-reads a file with the csv module, which by default refuses fields over
# 128 KiB: a file with an over-long field must still get its one-line answer.
csv.field_size_limit(1 << 30)


def read_header(path: str) -> list[str]:
    """The column names on the first line; refuses an empty file or an unreadable one."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            row = next(csv.reader(fh), None)
    except FileNotFoundError:
        raise InputError(path, None, None, "no such file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(path, 1, None, f"unreadable header: {exc}") from None
    if not row:
        raise InputError(path, 1, None, "empty file: a header line is required")
    for name in row:
        if name != name.strip():
            raise InputError(path, 1, name.strip(), f"column name {name!r} has spaces around it")
    seen = set()
    for name in row:
        if name in seen:
            raise InputError(path, 1, name, f"column {name!r} appears twice")
        seen.add(name)
    return row


def require_columns(path: str, header: Sequence[str], required: Sequence[str]) -> None:
    """Refuse a file whose header lacks a required column (reported at line 1)."""
    for name in required:
        if name not in header:
            raise InputError(path, 1, name, f"missing column {name!r} (header has {list(header)})")


def physical_line(path: str, record: int) -> int:
    """Physical line number (1-based) where data record ``record`` (0-based) starts.

    Blank lines are skipped as Arrow skips them; quoted newlines are accounted for.
    """
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        start = 1
        seen = -1  # the header is record -1
        for row in reader:
            if row:
                seen += 1
                if seen == record + 1:
                    return start
            start = reader.line_num + 1
    return start


def csv_reader_options(columns: Sequence[str], block_size: int = 1 << 24,
                       handler=None) -> tuple[pacsv.ReadOptions, pacsv.ParseOptions,
                                              pacsv.ConvertOptions]:
    """Arrow CSV options that read the named columns as exact text (no type guessing)."""
    read = pacsv.ReadOptions(block_size=block_size, use_threads=True)
    parse = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=handler)
    conv = pacsv.ConvertOptions(column_types={c: pa.string() for c in columns},
                                include_columns=list(columns), strings_can_be_null=False,
                                quoted_strings_can_be_null=False)
    return read, parse, conv


class RowHandler:
    """Arrow invalid-row callback that remembers the first bad record and stops the read."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.actual: int = 0
        self.expected: int = 0

    def __call__(self, row) -> str:
        if self.text is None:
            self.text = row.text
            self.actual, self.expected = row.actual_columns, row.expected_columns
        return "error"


def bad_shape_error(path: str, handler: RowHandler) -> InputError:
    """The error for a record with the wrong number of fields, located by re-scanning the file.

    The field named is the first one missing (too few fields) or the first one beyond the
    header (too many), so that the message always says file, line and field.
    """
    line, header, fields = _first_bad_shape(path)
    text = (handler.text or "")[:80]
    if fields < len(header):
        field = header[fields]
        what = f"too few fields ({fields} of {len(header)}), {field!r} is missing"
    else:
        field = f"#{len(header) + 1}"
        what = f"too many fields ({fields}, the header has {len(header)})"
    return InputError(path, line, field, f"malformed row: {what}: {text!r}")


def _first_bad_shape(path: str) -> tuple[int | None, list[str], int]:
    """Physical line, header and field count of the first non-blank record whose width differs
    from the header's (Arrow's threaded reader does not report record numbers)."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        start = 1
        header: list[str] | None = None
        for row in reader:
            if row:
                if header is None:
                    header = [c.strip() for c in row]
                elif len(row) != len(header):
                    return start, header, len(row)
            start = reader.line_num + 1
    return None, header or [], 0


def read_small_csv(path: str, required: Sequence[str],
                   optional: Sequence[str] = ()) -> pa.Table:
    """Read a whole (thresholds, limits or exceptions) CSV as text columns, refusing bad shape;
    the ``optional`` columns are read when the header has them."""
    header = read_header(path)
    require_columns(path, header, required)
    handler = RowHandler()
    columns = [*required, *(c for c in optional if c in header)]
    read, parse, conv = csv_reader_options(columns, handler=handler)
    try:
        return pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=conv)
    except pa.ArrowInvalid as exc:
        if handler.text is not None:
            raise bad_shape_error(path, handler) from None
        raise InputError(path, None, None, f"unreadable CSV: {exc}") from None
