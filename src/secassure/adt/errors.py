"""The one error type of the Threshold Anomaly Detection engine: bad input.

Why a dedicated type: the CLI must refuse bad input with exit status 2 and *one* line that names the
file, the line and the field, so that a User or the DCC can correct a threshold notification
(G6.1(a)(i), G6.4(c)) or a traffic extract without guessing.  Every reader raises this type and
nothing else for problems in the data, so the CLI can tell them apart from bugs.
"""

from __future__ import annotations


class InputError(Exception):
    """A problem in an input file, located by file, line (or row) and field.

    ``line`` is the physical line number in a CSV file (the header is line 1), or the 1-based row
    number in a Parquet file (``unit="row"``).  ``field`` is the column name, or a description such
    as ``"user_id,srv,counter"`` for a duplicate key.
    """

    def __init__(self, path: str, line: int | None, field: str | None, message: str,
                 unit: str = "line") -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        self.unit = unit
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The single-line message printed by the CLI (newlines in values are escaped)."""
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(f"{self.unit} {self.line}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        text = ", ".join(parts) + ": " + self.message
        return text.replace("\r", "\\r").replace("\n", "\\n")


def show(value: object, limit: int = 60) -> str:
    """A short, quoted rendering of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
