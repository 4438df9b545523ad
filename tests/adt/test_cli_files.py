"""The CLI end to end on files: against the reference, CSV versus Parquet, ids kept exactly,
timestamp forms, saved state between runs, ``python -m secassure.adt`` and the progress bar."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secassure.adt.cli import run_command

from . import strategies as S
from .helpers import (
    iso,
    read_decisions,
    write_limits,
    write_thresholds,
    write_traffic_csv,
    write_traffic_parquet,
)
from .reference import Comm, decide, ts_us

SRC = Path(__file__).resolve().parents[2] / "src"


def _argv(d: Path, traffic: Path, window: int, lim: bool, *extra: str) -> list[str]:
    argv = ["run", "--thresholds", str(d / "T.csv"), "--traffic", str(traffic), "--out",
            str(d / "D.csv"), "--window-seconds", str(window), *extra]
    return argv + (["--limits", str(d / "L.csv")] if lim else [])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_cli_matches_reference_for_csv_and_parquet(tmp_path_factory, data) -> None:
    window = data.draw(st.sampled_from([1, 2]))
    th, lim, comms = data.draw(S.thresholds()), data.draw(S.limits()), data.draw(S.traffic(window))
    chunk = data.draw(st.sampled_from(["1", "3", "1000"]))
    d = tmp_path_factory.mktemp("w")
    write_thresholds(d / "T.csv", th)
    if lim is not None:
        write_limits(d / "L.csv", lim)
    expected = [(c.id, *r) for c, r in zip(comms, decide(th, lim, comms, window), strict=True)]
    for traffic in (write_traffic_csv(d / "F.csv", comms),
                    write_traffic_parquet(d / "F.pq", comms)):
        assert run_command(_argv(d, traffic, window, lim is not None, "--chunk-rows", chunk)) == 0
        assert read_decisions(d / "D.csv") == expected
        (d / "D.csv").unlink()


def test_parquet_gives_the_same_bytes_as_csv(tmp_path) -> None:
    rng = random.Random(3)
    comms = [Comm(f"id-{i}", S.BASE_US + (i // 3) * 100_000, rng.choice(S.USERS),
                  rng.choice(S.SRVS), rng.randint(0, 1), rng.randint(0, 1), rng.randint(0, 1),
                  rng.choice(["1", None, "99"])) for i in range(400)]
    write_thresholds(tmp_path / "T.csv", [("*", "1.1", "critical", 3, 6),
                                          ("u1", "4.1", "encrypted", 1, 2),
                                          ("u2", "6.2", "critical", None, 0)])
    write_limits(tmp_path / "L.csv", [("1.1", "0", "10")])
    outs = []
    for traffic in (write_traffic_csv(tmp_path / "F.csv", comms),
                    write_traffic_parquet(tmp_path / "F.parquet", comms, row_group=37)):
        assert run_command(_argv(tmp_path, traffic, 2, True, "--chunk-rows", "50")) == 0
        outs.append((tmp_path / "D.csv").read_bytes())
    assert outs[0] == outs[1]
    assert {"QUARANTINE", "DELETE", "PROCESS"} <= {r[1] for r in read_decisions(tmp_path / "D.csv")}


def test_ids_are_kept_exactly(tmp_path) -> None:
    ids = ["a,b", 'say "hi"', " lead", "trail ", "ü-Ω", "", "007", "x\ny"]
    comms = [Comm(i, S.BASE_US + n, "u1", "1.1", 1, 0, 0, None) for n, i in enumerate(ids)]
    write_thresholds(tmp_path / "T.csv", [("u1", "1.1", "critical", None, 100)])
    for traffic in (write_traffic_csv(tmp_path / "F.csv", comms),
                    write_traffic_parquet(tmp_path / "F.parquet", comms)):
        assert run_command(_argv(tmp_path, traffic, 10, False)) == 0
        assert [r[0] for r in read_decisions(tmp_path / "D.csv")] == ids


def test_timestamp_forms(tmp_path) -> None:
    forms = ["2026-03-01T10:00:00Z", "2026-03-01T10:00:00.5Z", "2026-03-01 10:00:00.500001",
             "2026-03-01T11:00:00.999999+01:00", "2026-03-01T10:00:01.000000z",
             "2026-03-01T05:00:01-0500", "2026-03-01T10:00:01.000000000Z", "2026-03-01T10:00:01+00"]
    rows = "".join(f"c{i},{f},u1,1.1,1,0,0,\n" for i, f in enumerate(forms))
    (tmp_path / "F.csv").write_text("id,ts,user_id,srv,critical,encrypted,smets1,value\n" + rows)
    write_thresholds(tmp_path / "T.csv", [("u1", "1.1", "critical", 0, 100)])
    assert [ts_us(f) for f in forms] == sorted(ts_us(f) for f in forms)
    assert run_command(_argv(tmp_path, tmp_path / "F.csv", 1, False)) == 0
    # window 1 s: the count at each row is the number of rows in (ts - 1 s, ts]
    got = [r[2] for r in read_decisions(tmp_path / "D.csv")]
    t = [ts_us(f) for f in forms]
    counts = [sum(1 for j in range(i + 1) if t[j] > t[i] - 1_000_000) for i in range(len(t))]
    assert got == [int(c > 0) for c in counts]
    write_thresholds(tmp_path / "T.csv", [("u1", "1.1", "critical", None, 3)])
    assert run_command(_argv(tmp_path, tmp_path / "F.csv", 1, False)) == 0
    assert [r[1] for r in read_decisions(tmp_path / "D.csv")] == [
        "QUARANTINE" if c > 3 else "PROCESS" for c in counts]


def test_state_out_and_in_continue_a_replay(tmp_path) -> None:
    comms = [Comm(f"c{i}", S.BASE_US + i * 300_000, f"u{i % 2}", "1.1", 1, int(i % 3 == 0), 0, None)
             for i in range(60)]
    write_thresholds(tmp_path / "T.csv", [("u0", "1.1", "critical", 2, 4),
                                          ("*", "1.1", "encrypted", 1, 3)])
    write_traffic_csv(tmp_path / "F.csv", comms)
    assert run_command(_argv(tmp_path, tmp_path / "F.csv", 3, False)) == 0
    whole = read_decisions(tmp_path / "D.csv")
    got = []
    for n, part in enumerate((comms[:25], comms[25:26], comms[26:])):
        write_traffic_parquet(tmp_path / "P.parquet", part)
        extra = ["--state-out", str(tmp_path / "S.bin")]
        if n:
            extra += ["--state-in", str(tmp_path / "S.bin")]
        assert run_command(_argv(tmp_path, tmp_path / "P.parquet", 3, False, *extra)) == 0
        got += read_decisions(tmp_path / "D.csv")
    assert got == whole
    write_traffic_csv(tmp_path / "F.csv", comms[:3])  # earlier than the saved state: refused
    assert run_command(_argv(tmp_path, tmp_path / "F.csv", 3, False, "--state-in",
                             str(tmp_path / "S.bin"))) == 2


def test_python_dash_m_and_progress(tmp_path) -> None:
    comms = [Comm(f"c{i}", S.BASE_US + i, "u1", "1.1", 1, 0, 0, None) for i in range(10)]
    write_thresholds(tmp_path / "T.csv", [("u1", "1.1", "critical", None, 4)])
    write_traffic_csv(tmp_path / "F.csv", comms)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    res = subprocess.run([sys.executable, "-m", "secassure.adt", *_argv(
        tmp_path, tmp_path / "F.csv", 10, False, "--progress")], env=env, capture_output=True,
        text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "adt run" in res.stderr
    assert [r[1] for r in read_decisions(tmp_path / "D.csv")].count("QUARANTINE") == 6


def test_empty_traffic_writes_only_the_header(tmp_path) -> None:
    write_thresholds(tmp_path / "T.csv", [])
    write_traffic_csv(tmp_path / "F.csv", [])
    assert run_command(_argv(tmp_path, tmp_path / "F.csv", 10, False)) == 0
    assert (tmp_path / "D.csv").read_text() == "id,decision,warning,reason\n"


def test_parquet_column_types(tmp_path) -> None:
    """Bool or integer flags, integer or text values, text timestamps, numeric ids, dictionary
    user_id/srv and large strings all give the same decisions as the CSV."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    comms = [Comm(str(100 + i), S.BASE_US + i * 250_000, ["u1", "u2"][i % 2], "1.1", i % 2,
                  1 - i % 2, int(i % 3 == 0), ["12", None, "5"][i % 3]) for i in range(30)]
    write_thresholds(tmp_path / "T.csv", [("u1", "1.1", "critical", 1, 2),
                                          ("*", "1.1", "encrypted", None, 3)])
    write_limits(tmp_path / "L.csv", [("1.1", "0", "10")])
    write_traffic_csv(tmp_path / "F.csv", comms)
    assert run_command(_argv(tmp_path, tmp_path / "F.csv", 2, True)) == 0
    expected = read_decisions(tmp_path / "D.csv")
    table = pa.table({
        "id": pa.array([int(c.id) for c in comms], pa.int64()),
        "ts": pa.array([iso(c.ts) for c in comms], pa.large_string()),
        "user_id": pa.array([c.user for c in comms]).dictionary_encode(),
        "srv": pa.array([c.srv for c in comms], pa.large_string()),
        "critical": pa.array([bool(c.critical) for c in comms]),
        "encrypted": pa.array([c.encrypted for c in comms], pa.int32()),
        "smets1": pa.array([c.smets1 for c in comms], pa.uint8()),
        "value": pa.array([None if c.value is None else int(c.value) for c in comms], pa.int64()),
    })
    pq.write_table(table, tmp_path / "F.parquet", row_group_size=7)
    assert run_command(_argv(tmp_path, tmp_path / "F.parquet", 2, True, "--chunk-rows", "5")) == 0
    assert read_decisions(tmp_path / "D.csv") == expected
    assert {"DELETE", "QUARANTINE"} <= {r[1] for r in expected}
