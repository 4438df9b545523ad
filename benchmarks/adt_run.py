"""Benchmark ``secassure adt run`` against the DuckDB baseline, and the in-memory engine alone.

    python benchmarks/adt_run.py                       # 20 M communications, ~1.2 M keys
    python benchmarks/adt_run.py --rows 1000000        # a quick run
    python benchmarks/adt_run.py --compile             # also the numba first-run compile cost

Prints communications/second, wall seconds and peak RSS for each whole process (measured with
``os.wait4``), checks that both decisions files agree on id, decision, warning and reason, and
writes the figures to ``<data-dir>/results.json``. The data carry the second contract's inputs
(commands, exceptions, values on Signed Pre-Commands), and the comparison covers ``reason``. Data
come from ``gen_traffic.py`` (regenerated when the requested size differs from what is on disk).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a whole process; returns (wall seconds, peak RSS MiB, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env or _env(), stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:4]} failed with status {proc.returncode}")
    return wall, usage.ru_maxrss / 1024, out


def best_of(argv: list[str], repeat: int) -> tuple[float, float, float]:
    """(best wall, median wall, peak RSS of the best run) over ``repeat`` runs.  The best is
    the figure least disturbed by whatever else shares the machine."""
    runs = sorted((timed(argv)[:2] for _ in range(max(repeat, 1))), key=lambda r: r[0])
    return runs[0][0], runs[len(runs) // 2][0], runs[0][1]


def ensure_data(d: Path, rows: int, days: int, csv: bool, regen: bool) -> dict:
    meta_path = d / "meta.json"
    want = {"rows": rows, "days": days, "contract": 2}  # 2: commands, exceptions, values
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    have_csv = (d / "traffic.csv").exists()
    if regen or {k: meta.get(k) for k in want} != want or (csv and not have_csv):
        args = [sys.executable, str(HERE / "gen_traffic.py"), "--rows", str(rows), "--days",
                str(days), "--out-dir", str(d)] + (["--csv"] if csv else [])
        if not csv and have_csv:
            (d / "traffic.csv").unlink()
        info = json.loads(subprocess.run(args, check=True, capture_output=True,
                                         text=True).stdout)
        meta = {**info, **want}
        meta_path.write_text(json.dumps(meta))
    return meta


def adt_argv(d: Path, traffic: str, out: str) -> list[str]:
    return [sys.executable, "-m", "secassure.adt", "run", "--thresholds", str(d / "thresholds.csv"),
            "--limits", str(d / "limits.csv"), "--exceptions", str(d / "exceptions.csv"),
            "--traffic", str(d / traffic), "--out", str(d / out)]


def compile_cost(d: Path) -> dict:
    """Cold (empty numba cache) minus warm run of a tiny replay, for CSV and Parquet input."""
    tiny = Path(tempfile.mkdtemp(prefix="adt-compile-"))
    subprocess.run([sys.executable, str(HERE / "gen_traffic.py"), "--rows", "2000", "--users",
                    "50", "--out-dir", str(tiny), "--csv"], check=True, capture_output=True)
    cache = tempfile.mkdtemp(prefix="adt-numba-")
    env = _env(NUMBA_CACHE_DIR=cache)
    runs = {}
    for label in ("cold", "warm"):
        wall = 0.0
        for traffic in ("traffic.csv", "traffic.parquet"):
            wall += timed(adt_argv(tiny, traffic, "d.csv"), env)[0]
        runs[label] = wall
    return {"cold_s": round(runs["cold"], 2), "warm_s": round(runs["warm"], 2),
            "compile_s": round(runs["cold"] - runs["warm"], 2)}


def engine_only(d: Path, repeat: int) -> None:
    """In-process: decode the Parquet into memory, then time Engine.process alone on one core."""
    import numpy as np

    from secassure.adt import Engine, Exceptions, Limits, Thresholds
    from secassure.adt.traffic import read_traffic

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    th = Thresholds.load(str(d / "thresholds.csv"))
    lim = Limits.load(str(d / "limits.csv"))
    ex = Exceptions.load(str(d / "exceptions.csv"), th)
    batches = [c.batch for c in read_traffic(str(d / "traffic.parquet"))]
    n = sum(len(b) for b in batches)
    Engine(th, lim, 86400, ex).process(batches[0].slice(0, 1000))  # load the compiled kernels
    times, state_mib = [], 0.0
    for _ in range(repeat):
        eng = Engine(th, lim, 86400, ex)
        t0 = time.perf_counter()
        for b in batches:
            eng.process(b)
        times.append(time.perf_counter() - t0)
        state_mib = (eng._st.nbytes + eng._pool.nbytes) / 2**20
    best, med = min(times), float(np.median(times))
    print(json.dumps({"rows": n, "keys": th.nkeys, "best_s": round(best, 3),
                      "median_s": round(med, 3), "best_mps": round(n / best / 1e6, 2),
                      "median_mps": round(n / med / 1e6, 2), "state_mib": round(state_mib, 1)}))


def _line(label: str, n: int, wall: float, rss: float, med: float) -> None:
    print(f"{label:22s} {wall:7.2f} s (median {med:.2f} s) {n / wall / 1e6:6.2f} M/s  "
          f"peak RSS {rss:6.0f} MiB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--days", type=int, default=2)
    ap.add_argument("--data-dir", type=Path, default=HERE / "out")
    ap.add_argument("--regen", action="store_true", help="regenerate the data")
    ap.add_argument("--csv", action="store_true", help="also time CSV input")
    ap.add_argument("--skip-duckdb", action="store_true")
    ap.add_argument("--compile", action="store_true", help="measure the numba compile cost")
    ap.add_argument("--repeat", type=int, default=3, help="runs of adt run (best is reported)")
    ap.add_argument("--duckdb-repeat", type=int, default=1)
    ap.add_argument("--engine-repeat", type=int, default=5)
    ap.add_argument("--engine-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    d = a.data_dir
    if a.engine_only:
        engine_only(d, a.engine_repeat)
        return
    d.mkdir(parents=True, exist_ok=True)
    meta = ensure_data(d, a.rows, a.days, a.csv, a.regen)
    n = meta["rows"]
    res: dict = {"rows": n, "keys": meta["keys"], "days": a.days}
    if a.compile:
        res["numba_compile"] = compile_cost(d)
        print("numba compile (first run on a machine):", res["numba_compile"], flush=True)
    timed(adt_argv(d, "traffic.parquet", "adt.csv"))  # warm the page cache and numba cache
    wall, med, rss = best_of(adt_argv(d, "traffic.parquet", "adt.csv"), a.repeat)
    res["adt_parquet"] = {"seconds": round(wall, 2), "median_s": round(med, 2),
                          "mps": round(n / wall / 1e6, 2), "peak_rss_mib": round(rss)}
    _line("adt run  Parquet->CSV", n, wall, rss, med)
    if a.csv:
        wall, med, rss = best_of(adt_argv(d, "traffic.csv", "adt_from_csv.csv"), a.repeat)
        res["adt_csv"] = {"seconds": round(wall, 2), "median_s": round(med, 2),
                          "mps": round(n / wall / 1e6, 2), "peak_rss_mib": round(rss)}
        _line("adt run  CSV->CSV", n, wall, rss, med)
        same = (d / "adt.csv").read_bytes() == (d / "adt_from_csv.csv").read_bytes()
        res["csv_equals_parquet"] = same
        print("CSV input gives the same bytes as Parquet input:", same, flush=True)
    if not a.skip_duckdb:
        wall, med, rss = best_of([sys.executable, str(HERE / "adt_duckdb.py"), "--thresholds",
                                  str(d / "thresholds.csv"), "--limits", str(d / "limits.csv"),
                                  "--exceptions", str(d / "exceptions.csv"),
                                  "--traffic", str(d / "traffic.parquet"),
                                  "--out", str(d / "duck.csv")], a.duckdb_repeat)
        res["duckdb_parquet"] = {"seconds": round(wall, 2), "median_s": round(med, 2),
                                 "mps": round(n / wall / 1e6, 2), "peak_rss_mib": round(rss)}
        _line("DuckDB   Parquet->CSV", n, wall, rss, med)
        res["speedup_vs_duckdb"] = round(
            res["duckdb_parquet"]["seconds"] / res["adt_parquet"]["seconds"], 1)
        cmp = subprocess.run([sys.executable, str(HERE / "adt_compare.py"), str(d / "adt.csv"),
                              str(d / "duck.csv")], capture_output=True, text=True)
        res["identical_to_duckdb"] = cmp.returncode == 0
        print("decisions vs DuckDB:", cmp.stdout.strip(), flush=True)
    _, rss, out = timed([sys.executable, str(Path(__file__).resolve()), "--engine-only",
                         "--data-dir", str(d), "--engine-repeat", str(a.engine_repeat)])
    eng = json.loads(out.strip().splitlines()[-1])
    res["engine_in_memory"] = {**eng, "process_peak_rss_mib": round(rss)}
    print(f"engine in memory, one core: {eng['median_mps']:.2f} M/s median "
          f"({eng['best_mps']:.2f} best) over {a.engine_repeat} runs; counting state "
          f"{eng['state_mib']:.0f} MiB", flush=True)
    (d / "results.json").write_text(json.dumps(res, indent=2))
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
