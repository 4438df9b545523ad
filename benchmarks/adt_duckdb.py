"""DuckDB baseline: the same ADT decisions with SQL window functions (for comparison only).

For each (communication, key) pair the count in (ts - N, ts], in input order up to itself, is
    row_number() OVER (PARTITION BY key ORDER BY rn)
  - count(*)     OVER (PARTITION BY key ORDER BY ts_us RANGE BETWEEN UNBOUNDED PRECEDING
                                                       AND N PRECEDING)
(rows of the key so far, minus those at or before ts - N); ``rn`` is the file row number, and the
file is ordered by ts, so ties in ts count each other in input order only.

    python benchmarks/adt_duckdb.py --thresholds T.csv [--limits L.csv] --traffic F.parquet \
        --out D.csv [--window-seconds N] [--threads 2]
"""

from __future__ import annotations

import argparse
import time

import duckdb

SQL = """
CREATE TEMP TABLE th AS
  SELECT (row_number() OVER ()) - 1 AS key, trim(user_id) AS user_id, trim(srv) AS srv,
         lower(trim(counter)) AS counter,
         CAST(NULLIF(trim(warning), '') AS BIGINT) AS w, CAST(trim(quarantine) AS BIGINT) AS q
  FROM read_csv('{thresholds}', header = true, all_varchar = true);
CREATE TEMP TABLE lim AS
  SELECT trim(srv) AS srv, CAST(NULLIF(trim("min"), '') AS DOUBLE) AS lo,
         CAST(NULLIF(trim("max"), '') AS DOUBLE) AS hi
  FROM {limits_src};
CREATE TEMP TABLE t AS
  SELECT file_row_number AS rn, CAST(id AS VARCHAR) AS id, epoch_us(ts) AS ts_us,
         CAST(user_id AS VARCHAR) AS user_id, CAST(srv AS VARCHAR) AS srv,
         critical, encrypted, smets1, CAST(value AS DOUBLE) AS value
  FROM read_parquet('{traffic}', file_row_number = true);
COPY (
  WITH k AS (
    SELECT t.rn, t.ts_us, h.key, h.q, h.w FROM t JOIN th h
      ON h.user_id = t.user_id AND h.srv = t.srv AND h.counter = 'critical' AND t.critical = 1
    UNION ALL
    SELECT t.rn, t.ts_us, h.key, h.q, h.w FROM t JOIN th h
      ON h.user_id = t.user_id AND h.srv = t.srv AND h.counter = 'encrypted' AND t.encrypted = 1
    UNION ALL
    SELECT t.rn, t.ts_us, h.key, h.q, h.w FROM t JOIN th h
      ON h.user_id = '*' AND h.srv = t.srv AND h.counter = 'critical' AND t.critical = 1
    UNION ALL
    SELECT t.rn, t.ts_us, h.key, h.q, h.w FROM t JOIN th h
      ON h.user_id = '*' AND h.srv = t.srv AND h.counter = 'encrypted' AND t.encrypted = 1
  ), c AS (
    SELECT rn, q, w,
      row_number() OVER (PARTITION BY key ORDER BY rn)
      - count(*) OVER (PARTITION BY key ORDER BY ts_us
                       RANGE BETWEEN UNBOUNDED PRECEDING AND {window_us} PRECEDING) AS cnt
    FROM k
  ), agg AS (
    SELECT rn, bool_or(cnt > q) AS qq, bool_or(w IS NOT NULL AND cnt > w) AS ww
    FROM c GROUP BY rn
  ), d AS (
    SELECT t.rn, t.id,
      (t.smets1 = 1 AND t.value IS NOT NULL AND l.srv IS NOT NULL
       AND ((l.lo IS NOT NULL AND t.value < l.lo) OR (l.hi IS NOT NULL AND t.value > l.hi))) AS del,
      coalesce(a.qq, false) AS qq, coalesce(a.ww, false) AS ww
    FROM t LEFT JOIN agg a ON a.rn = t.rn LEFT JOIN lim l ON l.srv = t.srv
  )
  SELECT id,
    CASE WHEN del THEN 'DELETE' WHEN qq THEN 'QUARANTINE' ELSE 'PROCESS' END AS decision,
    CASE WHEN NOT del AND NOT qq AND ww THEN 1 ELSE 0 END AS warning
  FROM d ORDER BY rn
) TO '{out}' (HEADER, DELIMITER ',', QUOTE '"');
"""


def run(thresholds: str, limits: str | None, traffic: str, out: str, window_seconds: int,
        threads: int | None = None, memory_limit: str | None = None) -> float:
    """Run the baseline; returns seconds."""
    t0 = time.perf_counter()
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    limits_src = (f"read_csv('{limits}', header = true, all_varchar = true)" if limits else
                  "(SELECT NULL::VARCHAR AS srv, NULL AS \"min\", NULL AS \"max\" WHERE false)")
    con.execute(SQL.format(thresholds=thresholds, limits_src=limits_src, traffic=traffic,
                           out=out, window_us=int(window_seconds) * 1_000_000))
    con.close()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description="DuckDB baseline for secassure adt run")
    ap.add_argument("--thresholds", required=True)
    ap.add_argument("--limits")
    ap.add_argument("--traffic", required=True, help="Parquet traffic")
    ap.add_argument("--out", required=True)
    ap.add_argument("--window-seconds", type=int, default=86400)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--memory-limit")
    a = ap.parse_args()
    secs = run(a.thresholds, a.limits, a.traffic, a.out, a.window_seconds, a.threads,
               a.memory_limit)
    print(f"duckdb {duckdb.__version__}: {secs:.2f} s")


if __name__ == "__main__":
    main()
