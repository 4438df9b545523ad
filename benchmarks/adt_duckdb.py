"""DuckDB baseline: the same ADT decisions with SQL window functions (for comparison only).

For each (communication, key) pair the count in (ts - N, ts], in input order up to itself, is
    row_number() OVER (PARTITION BY key ORDER BY rn)
  - count(*)     OVER (PARTITION BY key ORDER BY ts_us RANGE BETWEEN UNBOUNDED PRECEDING
                                                       AND N PRECEDING)
(rows of the key so far, minus those at or before ts - N); ``rn`` is the file row number, and the
file is ordered by ts, so ties in ts count each other in input order only.

The second contract (issue 12 section 1) is computed too: targets are the SRV or, with srv
empty, ``command:<name>`` (G6.6(c)); an exception's levels replace the key's where
from <= ts < to (G6.1(a)(i)); a value outside the limits deletes a SMETS1 request and quarantines
any other; ``reason`` is the first key (in the engine's order: user critical, user encrypted,
``*`` critical, ``*`` encrypted) whose level was exceeded, as ``adt run`` writes it.

    python benchmarks/adt_duckdb.py --thresholds T.csv [--limits L.csv] [--exceptions X.csv] \
        --traffic F.parquet --out D.csv [--window-seconds N] [--threads 2]
"""

from __future__ import annotations

import argparse
import time

import duckdb

SQL = """
CREATE TEMP TABLE th_raw AS
  SELECT * FROM read_csv('{thresholds}', header = true, all_varchar = true);
CREATE TEMP TABLE th AS
  SELECT (row_number() OVER ()) - 1 AS key, trim(user_id) AS user_id,
         CASE WHEN coalesce(trim(srv), '') = '' THEN 'command:' || trim({th_command})
              ELSE trim(srv) END AS target,
         lower(trim(counter)) AS counter,
         CAST(NULLIF(trim(warning), '') AS BIGINT) AS w, CAST(trim(quarantine) AS BIGINT) AS q
  FROM th_raw;
CREATE TEMP TABLE ex AS
  SELECT h.key, epoch_us(CAST(replace(x."from", 'Z', '') AS TIMESTAMP)) AS from_us,
         epoch_us(CAST(replace(x."to", 'Z', '') AS TIMESTAMP)) AS to_us,
         CAST(NULLIF(trim(x.warning), '') AS BIGINT) AS w, CAST(trim(x.quarantine) AS BIGINT) AS q
  FROM {exceptions_src} x JOIN th h
    ON h.user_id = trim(x.user_id) AND h.counter = lower(trim(x.counter))
   AND h.target = CASE WHEN coalesce(trim(x.srv), '') = '' THEN 'command:' || trim(x.command)
                       ELSE trim(x.srv) END;
CREATE TEMP TABLE lim AS
  SELECT trim(srv) AS srv, CAST(NULLIF(trim("min"), '') AS DOUBLE) AS lo,
         CAST(NULLIF(trim("max"), '') AS DOUBLE) AS hi
  FROM {limits_src};
CREATE TEMP TABLE t AS
  SELECT file_row_number AS rn, CAST(id AS VARCHAR) AS id, epoch_us(ts) AS ts_us,
         CAST(user_id AS VARCHAR) AS user_id, CAST(srv AS VARCHAR) AS srv,
         CASE WHEN coalesce(CAST(srv AS VARCHAR), '') = ''
              THEN 'command:' || CAST({t_command} AS VARCHAR)
              ELSE CAST(srv AS VARCHAR) END AS target,
         critical, encrypted, smets1, CAST(value AS DOUBLE) AS value
  FROM read_parquet('{traffic}', file_row_number = true);
COPY (
  WITH k AS (
    SELECT t.rn, t.ts_us, h.key, h.q, h.w, 0 AS kind FROM t JOIN th h
      ON h.user_id = t.user_id AND h.target = t.target AND h.counter = 'critical'
     AND t.critical = 1
    UNION ALL
    SELECT t.rn, t.ts_us, h.key, h.q, h.w, 1 FROM t JOIN th h
      ON h.user_id = t.user_id AND h.target = t.target AND h.counter = 'encrypted'
     AND t.encrypted = 1
    UNION ALL
    SELECT t.rn, t.ts_us, h.key, h.q, h.w, 2 FROM t JOIN th h
      ON h.user_id = '*' AND h.target = t.target AND h.counter = 'critical' AND t.critical = 1
    UNION ALL
    SELECT t.rn, t.ts_us, h.key, h.q, h.w, 3 FROM t JOIN th h
      ON h.user_id = '*' AND h.target = t.target AND h.counter = 'encrypted' AND t.encrypted = 1
  ), c AS (
    SELECT rn, key, kind, ts_us, q, w,
      row_number() OVER (PARTITION BY key ORDER BY rn)
      - count(*) OVER (PARTITION BY key ORDER BY ts_us
                       RANGE BETWEEN UNBOUNDED PRECEDING AND {window_us} PRECEDING) AS cnt
    FROM k
  ), e AS (  -- an exception's levels where from <= ts < to (G6.1(a)(i))
    SELECT c.rn, c.key, c.kind, c.cnt, x.key IS NOT NULL AS exc,
           CASE WHEN x.key IS NULL THEN c.q ELSE x.q END AS q,
           CASE WHEN x.key IS NULL THEN c.w ELSE x.w END AS w
    FROM c LEFT JOIN ex x ON x.key = c.key AND x.from_us <= c.ts_us AND c.ts_us < x.to_us
  ), agg AS (
    SELECT e.rn,
      arg_min(h.user_id || '/' || h.target || '/' || h.counter || ':quarantine>' || e.q
              || CASE WHEN e.exc THEN ':exception' ELSE '' END, e.kind)
        FILTER (WHERE e.cnt > e.q) AS rq,
      arg_min(h.user_id || '/' || h.target || '/' || h.counter || ':warning>' || e.w
              || CASE WHEN e.exc THEN ':exception' ELSE '' END, e.kind)
        FILTER (WHERE e.w IS NOT NULL AND e.cnt > e.w) AS rw
    FROM e JOIN th h ON h.key = e.key GROUP BY e.rn
  ), d AS (
    SELECT t.rn, t.id, t.smets1,
      (t.value IS NOT NULL AND l.srv IS NOT NULL
       AND ((l.lo IS NOT NULL AND t.value < l.lo) OR (l.hi IS NOT NULL AND t.value > l.hi)))
        AS outside,
      a.rq, a.rw
    FROM t LEFT JOIN agg a ON a.rn = t.rn LEFT JOIN lim l ON l.srv = t.srv
  )
  SELECT id,
    CASE WHEN outside AND smets1 = 1 THEN 'DELETE' WHEN outside OR rq IS NOT NULL
         THEN 'QUARANTINE' ELSE 'PROCESS' END AS decision,
    CASE WHEN NOT outside AND rq IS NULL AND rw IS NOT NULL THEN 1 ELSE 0 END AS warning,
    CASE WHEN outside THEN 'limit' ELSE coalesce(rq, rw, '') END AS reason
  FROM d ORDER BY rn
) TO '{out}' (HEADER, DELIMITER ',', QUOTE '"');
"""


def run(thresholds: str, limits: str | None, traffic: str, out: str, window_seconds: int,
        threads: int | None = None, memory_limit: str | None = None,
        exceptions: str | None = None) -> float:
    """Run the baseline; returns seconds."""
    t0 = time.perf_counter()
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    limits_src = (f"read_csv('{limits}', header = true, all_varchar = true)" if limits else
                  "(SELECT NULL::VARCHAR AS srv, NULL AS \"min\", NULL AS \"max\" WHERE false)")
    exceptions_src = (f"read_csv('{exceptions}', header = true, all_varchar = true)"
                      if exceptions else
                      "(SELECT NULL::VARCHAR AS user_id, NULL::VARCHAR AS srv, "
                      "NULL::VARCHAR AS command, NULL::VARCHAR AS counter, NULL::VARCHAR AS "
                      "\"from\", NULL::VARCHAR AS \"to\", NULL::VARCHAR AS warning, "
                      "NULL::VARCHAR AS quarantine WHERE false)")
    # the command columns are optional (G6.6(c)): files without them read as before
    th_cols = [r[0] for r in con.execute(
        f"DESCRIBE SELECT * FROM read_csv('{thresholds}', header = true, all_varchar = true)"
    ).fetchall()]
    t_cols = [r[0] for r in con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{traffic}')").fetchall()]
    con.execute(SQL.format(thresholds=thresholds, limits_src=limits_src, traffic=traffic,
                           out=out, window_us=int(window_seconds) * 1_000_000,
                           exceptions_src=exceptions_src,
                           th_command="command" if "command" in th_cols else "NULL",
                           t_command="command" if "command" in t_cols else "NULL"))
    con.close()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description="DuckDB baseline for secassure adt run")
    ap.add_argument("--thresholds", required=True)
    ap.add_argument("--limits")
    ap.add_argument("--exceptions")
    ap.add_argument("--traffic", required=True, help="Parquet traffic")
    ap.add_argument("--out", required=True)
    ap.add_argument("--window-seconds", type=int, default=86400)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--memory-limit")
    a = ap.parse_args()
    secs = run(a.thresholds, a.limits, a.traffic, a.out, a.window_seconds, a.threads,
               a.memory_limit, a.exceptions)
    print(f"duckdb {duckdb.__version__}: {secs:.2f} s")


if __name__ == "__main__":
    main()
