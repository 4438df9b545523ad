"""Check that two decisions CSVs agree on id, decision, warning and (when both have it) reason,
row by row.

    python benchmarks/adt_compare.py A.csv B.csv      # exit 0 when identical, 1 otherwise
"""

from __future__ import annotations

import csv
import sys

import pyarrow as pa
import pyarrow.csv as pacsv

COLUMNS = ("id", "decision", "warning")
REASON = "reason"


def _header(path: str) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh), [])


def _batches(path: str, columns: tuple[str, ...]):
    opts = pacsv.ConvertOptions(column_types={c: pa.string() for c in columns},
                                include_columns=list(columns), strings_can_be_null=False)
    return pacsv.open_csv(path, convert_options=opts,
                          parse_options=pacsv.ParseOptions(newlines_in_values=True))


def compare(a: str, b: str) -> tuple[int, str | None]:
    """(rows compared, first difference or None)."""
    columns = COLUMNS + ((REASON,) if REASON in _header(a) and REASON in _header(b) else ())
    ta = pa.Table.from_batches(list(_batches(a, columns)))
    tb = pa.Table.from_batches(list(_batches(b, columns)))
    if ta.num_rows != tb.num_rows:
        return min(ta.num_rows, tb.num_rows), f"row counts differ: {ta.num_rows} != {tb.num_rows}"
    for c in columns:
        x, y = ta.column(c), tb.column(c)
        if not x.equals(y):
            eq = pa.compute.equal(x, y).to_numpy(zero_copy_only=False)
            i = int((~eq).nonzero()[0][0])
            return ta.num_rows, (f"row {i + 1} column {c}: {x[i].as_py()!r} != {y[i].as_py()!r}"
                                 f" (id {ta.column('id')[i].as_py()!r})")
    return ta.num_rows, None


def main() -> int:
    n, diff = compare(sys.argv[1], sys.argv[2])
    print(f"{n} rows: " + ("identical" if diff is None else "DIFFERENT: " + diff))
    return 0 if diff is None else 1


if __name__ == "__main__":
    sys.exit(main())
