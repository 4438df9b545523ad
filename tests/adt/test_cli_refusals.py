"""Bad input is refused: exit status 2, one line naming the file, line and field, and no
decisions file left behind (the output is written to a temporary file and renamed on success)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from secassure.adt.cli import run_command

TH_HEAD = "user_id,srv,counter,warning,quarantine\n"
TR_HEAD = "id,ts,user_id,srv,critical,encrypted,smets1,value\n"
GOOD_TH = TH_HEAD + "u1,1.1,critical,,3\n*,1.1,encrypted,2,5\n"
GOOD_TR = TR_HEAD + "".join(
    f"c{i},2026-03-01T00:00:{i:02d}.5Z,u1,1.1,1,0,0,\n" for i in range(5))


def _run(tmp: Path, th: str = GOOD_TH, tr: str = GOOD_TR, lim: str | None = None,
         extra: list[str] | None = None) -> tuple[int, Path]:
    (tmp / "T.csv").write_text(th)
    (tmp / "F.csv").write_text(tr)
    argv = ["run", "--thresholds", str(tmp / "T.csv"), "--traffic", str(tmp / "F.csv"),
            "--out", str(tmp / "D.csv")]
    if lim is not None:
        (tmp / "L.csv").write_text(lim)
        argv += ["--limits", str(tmp / "L.csv")]
    return run_command(argv + (extra or [])), tmp / "D.csv"


def _refused(capsys, tmp: Path, code: int, out: Path, file: str, line: int | None,
             field: str | None, unit: str = "line") -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert file in err, err
    if line is not None:
        assert f"{unit} {line}," in err, err
    assert f"field {field}:" in err if field is not None else "field " in err, err
    assert not out.exists()
    assert [p.name for p in tmp.iterdir() if p.name.startswith(".")] == []
    return err


def test_good_input_runs(tmp_path, capsys) -> None:
    code, out = _run(tmp_path)
    assert code == 0, capsys.readouterr().err
    assert out.read_text().splitlines()[0] == "id,decision,warning,reason"


@pytest.mark.parametrize("th,line,field", [
    ("user_id,srv,counter,warning\nu1,1.1,critical,\n", 1, "quarantine"),
    (GOOD_TH + "u2,1.1,critical,1,2,3\n", 4, None),
    (GOOD_TH + "u2,1.1\n", 4, None),
    (GOOD_TH + "u2,1.1,critical,,-1\n", 4, "quarantine"),
    (GOOD_TH + "u2,1.1,critical,-2,1\n", 4, "warning"),
    (GOOD_TH + "u2,1.1,critical,,1.5\n", 4, "quarantine"),
    (GOOD_TH + "u2,1.1,critical,x,1\n", 4, "warning"),
    (GOOD_TH + "u2,1.1,critical,,99999999999999999999\n", 4, "quarantine"),
    (GOOD_TH + "u2,1.1,critical,-99999999999999999999,1\n", 4, "warning"),
    (GOOD_TH + "u2,1.1,critical,1,\n", 4, "quarantine"),
    (GOOD_TH + "u2,1.1,critcal,1,2\n", 4, "counter"),
    (GOOD_TH + ",1.1,critical,1,2\n", 4, "user_id"),
    (GOOD_TH + "u2,1.1,critical,,1\nu1,1.1,critical,1,2\n", 5, "user_id,srv,counter"),
    (GOOD_TH + "\n*,1.1,encrypted,,9\n", 5, "user_id,srv,counter"),
    (TH_HEAD + 'u1,"1.1",critical,,1\n"u\n2",1.1,critical,,x\n', 3, "quarantine"),
    (GOOD_TH + "u2,1.1,critical,5,3\n", 4, "warning"),  # a warning above the quarantine
    ("user_id,srv,counter,warning,quarantine,srv\nu1,1.1,critical,,3,1.1\n", 1, "srv"),
])
def test_bad_thresholds(tmp_path, capsys, th, line, field) -> None:
    code, out = _run(tmp_path, th=th)
    _refused(capsys, tmp_path, code, out, "T.csv", line, field)


@pytest.mark.parametrize("lim,line,field", [
    ("srv,min\n1.1,0\n", 1, "max"),
    ("srv,min,max\n1.1,0,abc\n", 2, "max"),
    ("srv,min,max\n1.1,nan,\n", 2, "min"),
    ("srv,min,max\n1.1,0,1\n4.1,,2\n1.1,,3\n", 4, "srv"),
    ("srv,min,max\n1.1,0,1,2\n", 2, None),
    ("srv,min,max\n1.1,10,5\n", 2, "min"),  # a minimum above the maximum
    ("srv,min,max\n1.1,,1e400\n", 2, "max"),  # beyond float64: not finite
])
def test_bad_limits(tmp_path, capsys, lim, line, field) -> None:
    code, out = _run(tmp_path, lim=lim)
    _refused(capsys, tmp_path, code, out, "L.csv", line, field)


def _tr(*rows: str) -> str:
    return GOOD_TR + "".join(r + "\n" for r in rows)


@pytest.mark.parametrize("tr,line,field", [
    ("id,ts,user_id,srv,critical,encrypted,value\n", 1, "smets1"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,0,,extra"), 7, None),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,0"), 7, None),
    (_tr("x,2026-13-01T00:01:00Z,u1,1.1,1,0,0,"), 7, "ts"),
    (_tr("x,yesterday,u1,1.1,1,0,0,"), 7, "ts"),
    (_tr("x,,u1,1.1,1,0,0,"), 7, "ts"),
    (_tr("x,2026-03-01T00:01:00.1234567Z,u1,1.1,1,0,0,"), 7, "ts"),
    (_tr("x,2026-02-29T00:01:00Z,u1,1.1,1,0,0,"), 7, "ts"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,2,0,0,"), 7, "critical"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,yes,0,"), 7, "encrypted"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,,"), 7, "smets1"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,1,abc"), 7, "value"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,1,nan"), 7, "value"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,1,1e"), 7, "value"),
    (_tr("x,2026-03-01T00:00:04.499999Z,u1,1.1,1,0,0,"), 7, "ts"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,1,1e400"), 7, "value"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,1,-inf"), 7, "value"),
    (_tr("x,2026-03-01T00:01:00Z,,1.1,1,0,1,"), 7, "user_id"),
    (_tr("x,2026-03-01T00:01:00Z,u1,,1,0,1,"), 7, "srv"),
    ("id, ts,user_id,srv,critical,encrypted,smets1,value\n", 1, "ts"),
    ("id,ts,user_id,srv,critical,encrypted,smets1,value,id\n", 1, "id"),
    (_tr("x,2026-03-01T00:01:00Z,u1,1.1,1,0,1," + "9" * 300_000), 7, "value"),
    (_tr("", "x,2026-03-01T00:01:00Z,u1,1.1,1,0,1,1,2"), 8, None),
    (_tr('"a\nb",2026-03-01T00:01:00Z,u1,1.1,1,0,0,', "y,2026-03-01T00:01:00Z,u1,1.1,1,0,0,7x"),
     9, "value"),
])
def test_bad_traffic_csv(tmp_path, capsys, tr, line, field) -> None:
    code, out = _run(tmp_path, tr=tr)
    _refused(capsys, tmp_path, code, out, "F.csv", line, field)


@pytest.mark.parametrize("flag", ["--traffic", "--thresholds", "--state-out"])
def test_an_output_never_overwrites_an_input(tmp_path, capsys, flag) -> None:
    """`--out` naming an input (or the other output) is refused before anything is read."""
    target = {"--traffic": "F.csv", "--thresholds": "T.csv", "--state-out": "S.bin"}[flag]
    extra = ["--state-out", str(tmp_path / "S.bin")] if flag == "--state-out" else []
    (tmp_path / "T.csv").write_text(GOOD_TH)
    (tmp_path / "F.csv").write_text(GOOD_TR)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code = run_command(["run", "--thresholds", str(tmp_path / "T.csv"), "--traffic",
                        str(tmp_path / "F.csv"), "--out", str(tmp_path / "." / target), *extra])
    err = capsys.readouterr().err
    assert code == 2 and "is the same file as" in err and err.count("\n") == 1, err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_ts_backwards_across_chunks(tmp_path, capsys) -> None:
    rows = [f"c{i},2026-03-01T00:{i // 60:02d}:{i % 60:02d}Z,u1,1.1,1,0,0," for i in range(300)]
    rows[250] = "c250,2026-03-01T00:00:00Z,u1,1.1,1,0,0,"
    code, out = _run(tmp_path, tr=TR_HEAD + "\n".join(rows) + "\n", extra=["--chunk-rows", "4"])
    _refused(capsys, tmp_path, code, out, "F.csv", 252, "ts")


def test_existing_output_is_untouched_when_refused(tmp_path, capsys) -> None:
    (tmp_path / "D.csv").write_text("old\n")
    code, out = _run(tmp_path, tr=_tr("x,bad,u1,1.1,1,0,0,"))
    assert code == 2 and out.read_text() == "old\n"


def _parquet(tmp: Path, **cols) -> Path:
    base = {"id": ["a", "b", "c"],
            "ts": pa.array([1_772_323_200_000_000, 1_772_323_201_000_000, 1_772_323_202_000_000],
                           pa.timestamp("us", tz="UTC")),
            "user_id": ["u1", "u1", "u2"], "srv": ["1.1"] * 3,
            "critical": pa.array([1, 1, 1], pa.int8()), "encrypted": pa.array([0, 0, 0], pa.int8()),
            "smets1": pa.array([0, 0, 0], pa.int8()), "value": pa.array([None, 1.5, None])}
    base.update(cols)
    table = pa.table({k: v for k, v in base.items() if v is not None})
    pq.write_table(table, tmp / "F.parquet", row_group_size=1)
    return tmp / "F.parquet"


@pytest.mark.parametrize("cols,row,field", [
    ({"smets1": None}, None, "smets1"),
    ({"critical": pa.array([1, 2, 1], pa.int8())}, 2, "critical"),
    ({"encrypted": pa.array([0, None, 0], pa.int8())}, 2, "encrypted"),
    ({"ts": pa.array([5_000_000, 4_000_000, 6_000_000], pa.timestamp("us", tz="UTC"))}, 2, "ts"),
    ({"ts": pa.array([1, 2001, 3000], pa.timestamp("ns", tz="UTC"))}, 1, "ts"),
    ({"ts": ["2026-03-01T00:00:00Z", "2026-03-01T00:00:01Z", "soon"]}, 3, "ts"),
    ({"value": ["1", "x", None]}, 2, "value"),
    ({"value": pa.array([None, float("nan"), None])}, 2, "value"),
    ({"value": pa.array([None, 1.0, float("inf")])}, 3, "value"),
    ({"user_id": ["u1", None, "u2"]}, 2, "user_id"),
    ({"srv": ["1.1", "1.1", ""]}, 3, "srv"),
    ({"id": pa.array([["a"], ["b"], ["c"]])}, 1, "id"),
    ({"id": pa.array(["a", "b", None])}, 3, "id"),
    ({"user_id": pa.array([1.5, 2.5, 3.5])}, 1, "user_id"),
])
def test_bad_traffic_parquet(tmp_path, capsys, cols, row, field) -> None:
    path = _parquet(tmp_path, **cols)
    (tmp_path / "T.csv").write_text(GOOD_TH)
    code = run_command(["run", "--thresholds", str(tmp_path / "T.csv"), "--traffic", str(path),
                        "--out", str(tmp_path / "D.csv"), "--chunk-rows", "1"])
    _refused(capsys, tmp_path, code, tmp_path / "D.csv", "F.parquet", row, field, unit="row")


def test_missing_files_and_bad_usage(tmp_path, capsys) -> None:
    (tmp_path / "T.csv").write_text(GOOD_TH)
    code = run_command(["run", "--thresholds", str(tmp_path / "T.csv"), "--traffic",
                        str(tmp_path / "nope.csv"), "--out", str(tmp_path / "D.csv")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "nope.csv" in err and "no such file" in err
    assert not (tmp_path / "D.csv").exists()
    assert run_command(["run", "--thresholds", "x"]) == 2
    assert run_command(["run", "--thresholds", "x", "--traffic", "y", "--out", "z",
                        "--window-seconds", "0"]) == 2
