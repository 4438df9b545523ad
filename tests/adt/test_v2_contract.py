"""The second contract of ``secassure adt run`` (issue 12 section 1), rule by rule.

Table-driven cases quote Section G6 for each rule; a property test checks the engine and the CLI
against the slow reference (``reference.decide``) on small random worlds with exceptions,
commands and values.  Reason format (README): ``limit``; ``<user>/<srv>/<counter>:<level>>N``,
``<user>/command:<name>/<counter>:<level>>N`` for a command's key, ``:exception`` appended when
an exception's level applied; empty when nothing decided.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secassure.adt import CountingState, Engine
from secassure.adt.cli import run_command

from . import strategies as S
from .helpers import (
    as_triples,
    batch_of,
    engine_for,
    iso,
    read_decisions,
    write_exceptions,
    write_limits,
    write_thresholds,
    write_traffic_csv,
    write_traffic_parquet,
)
from .reference import Comm, decide

SEC = 1_000_000
B = S.BASE_US


def _c(i: int, t: int, user: str = "u1", srv: str = "1.1", crit: int = 1, enc: int = 0,
       smets1: int = 0, value: str | None = None, command: str | None = None) -> Comm:
    return Comm(f"c{i}", B + t, user, srv, crit, enc, smets1, value, command)


def _run(th, lim, comms, ex=None, window=10) -> list[tuple[str, int, str]]:
    eng = engine_for(th, lim, window, ex)
    got = as_triples(eng, eng.process(batch_of(comms)))
    assert got == decide(th, lim, comms, window, ex)  # the reference agrees on every case
    return got


def _ex(user, srv, command, counter, a_s, b_s, w, q) -> tuple:
    return (user, srv, command, counter, iso(B + a_s * SEC), iso(B + b_s * SEC), w, q)


# ------------------------------------------------------------------------- value limits
LIM = [("1.1", "0", "10")]
VALUE_CASES = [
    # G6.6(b), G6.1(d)(i): a SMETS1 Service Request with a data value outside the limits is deleted
    ("smets1 above max", 1, "11", ("DELETE", 0, "limit")),
    ("smets1 below min", 1, "-1", ("DELETE", 0, "limit")),
    # G6.6(b) "within each Signed Pre-Command", G6.1(d)(ii): any other communication is quarantined
    ("signed pre-command above max", 0, "11", ("QUARANTINE", 0, "limit")),
    ("signed pre-command below min", 0, "-0.5", ("QUARANTINE", 0, "limit")),
    ("inside the limits", 0, "10", ("PROCESS", 0, "")),
    ("no value", 0, None, ("PROCESS", 0, "")),
]


@pytest.mark.parametrize(("smets1", "value", "expected"), [c[1:] for c in VALUE_CASES],
                         ids=[c[0] for c in VALUE_CASES])
def test_value_limits_on_every_communication_with_a_value(smets1, value, expected) -> None:
    assert _run([], LIM, [_c(0, 0, crit=0, smets1=smets1, value=value)]) == [expected]


def test_a_value_outside_the_limits_quarantines_whatever_the_counts_and_still_counts() -> None:
    """G6.1(d)(ii) 'whatever the counts': below every level; and the count goes on."""
    th = [("u1", "1.1", "critical", None, 1)]
    comms = [_c(0, 0, value="99"), _c(1, 1), _c(2, 2, smets1=1, value="99")]
    assert _run(th, LIM, comms) == [("QUARANTINE", 0, "limit"),
                                    ("QUARANTINE", 0, "u1/1.1/critical:quarantine>1"),
                                    ("DELETE", 0, "limit")]


def test_precedence_delete_over_quarantine_over_process() -> None:
    """G6.1(d): deletion of the SMETS1 request comes first, whatever else was exceeded."""
    th = [("u1", "1.1", "critical", None, 0)]
    comms = [_c(0, 0, smets1=1, value="11"), _c(1, 1, smets1=0, value="11"), _c(2, 2)]
    assert [d for d, _, _ in _run(th, LIM, comms)] == ["DELETE", "QUARANTINE", "QUARANTINE"]
    assert _run(th, LIM, comms)[1][2] == "limit"  # the limit decided, not the count


# ---------------------------------------------------------------------------- exceptions
def test_exception_levels_apply_from_inclusive_to_exclusive() -> None:
    """G6.1(a)(i): 'any exceptions that are applicable to each such Anomaly Detection
    Threshold': from <= ts < to."""
    th = [("u1", "1.1", "critical", None, 5)]
    ex = [_ex("u1", "1.1", "", "critical", 2, 4, None, 0)]
    comms = [_c(0, 0), _c(1, 2 * SEC - 1), _c(2, 2 * SEC), _c(3, 4 * SEC - 1), _c(4, 4 * SEC)]
    assert _run(th, None, comms, ex) == [
        ("PROCESS", 0, ""), ("PROCESS", 0, ""),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>0:exception"),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>0:exception"),
        ("PROCESS", 0, "")]


def test_exception_raises_a_level_and_counting_is_unchanged() -> None:
    """The window still counts every communication, those before the exception included."""
    th = [("u1", "1.1", "critical", 0, 1)]
    ex = [_ex("u1", "1.1", "", "critical", 3, 5, 3, 4)]
    comms = [_c(i, i * SEC) for i in range(7)]  # counts 1..7 within a 10 s window
    assert _run(th, None, comms, ex) == [
        ("PROCESS", 1, "u1/1.1/critical:warning>0"),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>1"),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>1"),
        ("PROCESS", 1, "u1/1.1/critical:warning>3:exception"),  # count 4: not above 4
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>4:exception"),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>1"),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>1")]


def test_exception_for_one_key_leaves_the_others() -> None:
    th = [("u1", "1.1", "critical", None, 0), ("u2", "1.1", "critical", None, 0)]
    ex = [_ex("u1", "1.1", "", "critical", 0, 100, None, 9)]
    assert _run(th, None, [_c(0, 0, "u1"), _c(1, 1, "u2")], ex) == [
        ("PROCESS", 0, ""), ("QUARANTINE", 0, "u2/1.1/critical:quarantine>0")]


def test_exception_without_warning_takes_the_warning_away() -> None:
    th = [("u1", "1.1", "critical", 0, 5)]
    ex = [_ex("u1", "1.1", "", "critical", 0, 100, None, 5)]
    assert _run(th, None, [_c(0, 0), _c(1, 1)], ex) == [("PROCESS", 0, "")] * 2


# -------------------------------------------------------------------------------- commands
def test_critical_commands_not_related_to_an_srv_are_counted_per_command() -> None:
    """G6.6(c): 'the total number of each type of Critical Command that is not related to a
    Service Reference Variant'; the DCC's key (user *, srv empty, command, critical)."""
    th = [("*", "", "C1", "critical", None, 1), ("*", "1.1", "", "critical", None, 5)]
    comms = [_c(0, 0, "u1", "", command="C1"), _c(1, 1, "u2", "", command="C2"),
             _c(2, 2, "u2", "", command="C1"), _c(3, 3, "u1", "1.1", command="C1")]
    assert _run(th, None, comms) == [
        ("PROCESS", 0, ""), ("PROCESS", 0, ""),
        ("QUARANTINE", 0, "*/command:C1/critical:quarantine>1"),
        ("PROCESS", 0, "")]  # srv set: the SRV's keys count it, not the command's


def test_command_keys_take_exceptions_too() -> None:
    th = [("*", "", "C1", "critical", None, 0)]
    ex = [_ex("*", "", "C1", "critical", 0, 2, None, 1)]
    comms = [_c(0, 0, srv="", command="C1"), _c(1, 1, srv="", command="C1")]
    assert _run(th, None, comms, ex) == [
        ("PROCESS", 0, ""), ("QUARANTINE", 0, "*/command:C1/critical:quarantine>1:exception")]


def test_saved_state_with_exceptions_gives_the_decisions_of_one_run() -> None:
    th = [("u1", "1.1", "critical", None, 1)]
    ex = [_ex("u1", "1.1", "", "critical", 2, 4, None, 3)]
    comms = [_c(i, i * SEC // 2) for i in range(12)]
    whole = _run(th, None, comms, ex)
    eng = engine_for(th, None, 10, ex)
    got = as_triples(eng, eng.process(batch_of(comms[:5])))
    eng = Engine.restore(eng.thresholds, eng.limits, eng.state().to_bytes(), eng.exceptions)
    got += as_triples(eng, eng.process(batch_of(comms[5:])))
    assert got == whole
    with pytest.raises(ValueError, match="exceptions"):  # counted with other keep sizes
        Engine.restore(eng.thresholds, eng.limits, eng.state().to_bytes())


# ----------------------------------------------------------------------------- the CLI
def _files(d: Path, th, lim, ex, comms, parquet: bool = False) -> list[str]:
    write_thresholds(d / "T.csv", th)
    argv = ["run", "--thresholds", str(d / "T.csv"), "--out", str(d / "D.csv"),
            "--window-seconds", "10"]
    if lim is not None:
        argv += ["--limits", str(write_limits(d / "L.csv", lim))]
    if ex is not None:
        argv += ["--exceptions", str(write_exceptions(d / "X.csv", ex))]
    traffic = write_traffic_parquet(d / "F.pq", comms) if parquet else \
        write_traffic_csv(d / "F.csv", comms)
    return [*argv, "--traffic", str(traffic)]


def test_cli_writes_reason_and_reads_the_optional_columns(tmp_path) -> None:
    th = [("u1", "1.1", "", "critical", None, 0), ("*", "", "C1", "critical", 0, 5)]
    ex = [_ex("u1", "1.1", "", "critical", 0, 1, None, 3)]
    comms = [_c(0, 0), _c(1, SEC), _c(2, 2 * SEC, "u2", "", command="C1"),
             _c(3, 3 * SEC, value="11")]
    for parquet in (False, True):
        assert run_command(_files(tmp_path, th, LIM, ex, comms, parquet)) == 0
        assert read_decisions(tmp_path / "D.csv") == [
            ("c0", "PROCESS", 0, ""),
            ("c1", "QUARANTINE", 0, "u1/1.1/critical:quarantine>0"),
            ("c2", "PROCESS", 1, "*/command:C1/critical:warning>0"),
            ("c3", "QUARANTINE", 0, "limit")]


def test_exceptions_file_may_leave_out_the_command_column(tmp_path) -> None:
    th = [("u1", "1.1", "critical", None, 0)]
    argv = _files(tmp_path, th, None, None, [_c(0, 0)])
    with open(tmp_path / "X.csv", "w", newline="") as fh:
        fh.write("user_id,srv,counter,from,to,warning,quarantine\n"
                 f"u1,1.1,critical,{iso(B)},{iso(B + SEC)},,1\n")
    assert run_command([*argv, "--exceptions", str(tmp_path / "X.csv")]) == 0
    assert read_decisions(tmp_path / "D.csv") == [("c0", "PROCESS", 0, "")]


BAD_EXCEPTIONS = [
    # (why, rows, line, field, words)
    ("a key with no threshold (G6.1(a)(i): exceptions to a threshold)",
     [_ex("u2", "1.1", "", "critical", 0, 1, None, 1)], 2, "user_id,srv,counter",
     "no threshold"),
    ("two exceptions of one key overlapping in time",
     [_ex("u1", "1.1", "", "critical", 0, 5, None, 1),
      _ex("u1", "1.1", "", "critical", 9, 12, None, 1),
      _ex("u1", "1.1", "", "critical", 4, 6, None, 1)], 4, "from", "overlaps"),
    ("the same exception twice",
     [_ex("u1", "1.1", "", "critical", 0, 5, None, 1)] * 2, 3, "from", "overlaps"),
    ("to not after from", [_ex("u1", "1.1", "", "critical", 5, 5, None, 1)], 2, "to",
     "not after"),
    ("from not a timestamp", [("u1", "1.1", "", "critical", "yesterday", iso(B), None, 1)],
     2, "from", "ISO 8601"),
    ("to empty", [("u1", "1.1", "", "critical", iso(B), "", None, 1)], 2, "to", "ISO 8601"),
    ("quarantine empty", [_ex("u1", "1.1", "", "critical", 0, 1, None, "")], 2, "quarantine",
     "integer"),
    ("quarantine not an integer", [_ex("u1", "1.1", "", "critical", 0, 1, None, "1.5")], 2,
     "quarantine", "integer"),
    ("quarantine infinite", [_ex("u1", "1.1", "", "critical", 0, 1, None, "inf")], 2,
     "quarantine", "integer"),
    ("negative level", [_ex("u1", "1.1", "", "critical", 0, 1, "-1", 3)], 2, "warning",
     "negative"),
    ("warning above quarantine", [_ex("u1", "1.1", "", "critical", 0, 1, 4, 3)], 2, "warning",
     "above"),
    ("empty user_id", [_ex("", "1.1", "", "critical", 0, 1, None, 1)], 2, "user_id", "empty"),
    ("unknown counter", [_ex("u1", "1.1", "", "sum", 0, 1, None, 1)], 2, "counter", "critical"),
    ("srv and command both empty", [_ex("u1", "", "", "critical", 0, 1, None, 1)], 2, "srv",
     "empty"),
]


@pytest.mark.parametrize(("rows", "line", "field", "words"), [c[1:] for c in BAD_EXCEPTIONS],
                         ids=[c[0] for c in BAD_EXCEPTIONS])
def test_bad_exceptions_are_refused_naming_file_line_and_field(tmp_path, capsys, rows, line,
                                                               field, words) -> None:
    th = [("u1", "1.1", "critical", None, 3)]
    argv = _files(tmp_path, th, None, rows, [_c(0, 0)])
    assert run_command(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"X.csv, line {line}, field {field}:" in err and words in err, err
    assert not (tmp_path / "D.csv").exists()


def test_traffic_with_neither_srv_nor_command_is_refused(tmp_path, capsys) -> None:
    th = [("*", "", "C1", "critical", None, 3)]
    comms = [_c(0, 0, srv="", command="C1"), _c(1, 1, srv="", command="")]
    for parquet, where in ((False, "F.csv, line 3"), (True, "F.pq, row 2")):
        assert run_command(_files(tmp_path, th, None, None, comms, parquet)) == 2
        err = capsys.readouterr().err
        assert f"{where}, field srv:" in err and "command" in err, err


def test_traffic_without_a_command_column_still_needs_srv(tmp_path, capsys) -> None:
    assert run_command(_files(tmp_path, [("u1", "1.1", "critical", None, 3)], None, None,
                              [_c(0, 0, srv="")])) == 2
    assert "F.csv, line 2, field srv: empty srv" in capsys.readouterr().err


def test_parquet_command_column_may_hold_nulls(tmp_path) -> None:
    th = [("*", "", "C1", "critical", None, 0)]
    argv = _files(tmp_path, th, None, None, [_c(0, 0)])
    table = pa.table({"id": ["a", "b"], "ts": pa.array([B, B + 1], pa.timestamp("us", "UTC")),
                      "user_id": ["u1", "u1"], "srv": [None, "1.1"],
                      "critical": pa.array([1, 1], pa.int8()),
                      "encrypted": pa.array([0, 0], pa.int8()),
                      "smets1": pa.array([0, 0], pa.int8()), "value": pa.array([None, None],
                                                                              pa.string()),
                      "command": ["C1", None]})
    pq.write_table(table, tmp_path / "G.pq")
    argv[argv.index("--traffic") + 1] = str(tmp_path / "G.pq")
    assert run_command(argv) == 0
    assert read_decisions(tmp_path / "D.csv") == [
        ("a", "QUARANTINE", 0, "*/command:C1/critical:quarantine>0"), ("b", "PROCESS", 0, "")]


BAD_THRESHOLDS = [
    ("srv and command both set", ("*", "1.1", "C1", "critical", None, 1), "command", "both"),
    ("srv and command both empty", ("*", "", "", "critical", None, 1), "srv", "empty"),
]


@pytest.mark.parametrize(("row", "field", "words"), [c[1:] for c in BAD_THRESHOLDS],
                         ids=[c[0] for c in BAD_THRESHOLDS])
def test_bad_command_thresholds_are_refused(tmp_path, capsys, row, field, words) -> None:
    argv = _files(tmp_path, [("*", "", "C2", "critical", None, 1), row], None, None, [_c(0, 0)])
    assert run_command(argv) == 2
    err = capsys.readouterr().err
    assert f"T.csv, line 3, field {field}:" in err and words in err, err


def test_duplicate_command_threshold_is_refused(tmp_path, capsys) -> None:
    th = [("*", "", "C1", "critical", None, 1), ("*", "", "C1", "critical", None, 2)]
    assert run_command(_files(tmp_path, th, None, None, [_c(0, 0)])) == 2
    assert "T.csv, line 3, field user_id,srv,counter: duplicate" in capsys.readouterr().err


def test_a_command_key_and_an_srv_of_the_same_name_are_different_keys(tmp_path) -> None:
    th = [("*", "", "X", "critical", None, 0), ("*", "X", "", "critical", None, 9)]
    comms = [_c(0, 0, srv="X"), _c(1, 1, srv="", command="X")]
    assert run_command(_files(tmp_path, th, None, None, comms)) == 0
    assert [r[3] for r in read_decisions(tmp_path / "D.csv")] == [
        "", "*/command:X/critical:quarantine>0"]


# ------------------------------------------------------------------------- property tests
@st.composite
def worlds(draw):
    window = draw(st.sampled_from([1, 2, 5]))
    th = draw(S.thresholds_v2())
    return th, draw(S.limits()), draw(S.exceptions(th)), draw(S.traffic_v2(window)), window


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(worlds(), st.lists(st.integers(0, 40), max_size=3))
def test_engine_matches_the_slow_reference(world, cuts) -> None:
    th, lim, ex, comms, window = world
    expected = decide(th, lim, comms, window, ex)
    eng = engine_for(th, lim, window, ex)
    assert as_triples(eng, eng.process(batch_of(comms))) == expected
    bounds = [0] + sorted(min(c, len(comms)) for c in cuts) + [len(comms)]
    eng = engine_for(th, lim, window, ex)
    got = []
    for a, b in zip(bounds, bounds[1:], strict=False):  # pieces, state saved in between
        got += as_triples(eng, eng.process(batch_of(comms[a:b])))
        blob = eng.state().to_bytes()
        assert CountingState.from_bytes(blob).to_bytes() == blob
        eng = Engine.restore(eng.thresholds, eng.limits, blob, eng.exceptions)
    assert got == expected


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_cli_matches_the_slow_reference(tmp_path_factory, data) -> None:
    th, lim, ex, comms, window = data.draw(worlds())
    d = tmp_path_factory.mktemp("v2")
    expected = [(c.id, *r) for c, r in zip(comms, decide(th, lim, comms, window, ex),
                                           strict=True)]
    for parquet in (False, True):
        argv = _files(d, th, lim, ex, comms, parquet)
        argv[argv.index("--window-seconds") + 1] = str(window)
        assert run_command(argv) == 0
        assert read_decisions(d / "D.csv") == expected
        with open(d / "D.csv", newline="") as fh:
            assert next(csv.reader(fh)) == ["id", "decision", "warning", "reason"]


def test_a_reason_whose_key_needs_quoting_is_one_csv_field(tmp_path) -> None:
    """User IDs are any text: the reason is quoted whole (RFC 4180), its suffix inside."""
    user = 'a,"b"\nc'
    th = [(user, "1.1", "critical", 0, 1)]
    ex = [_ex(user, "1.1", "", "critical", 1, 9, 0, 1)]
    comms = [_c(0, 0, user), _c(1, SEC, user), _c(2, 2 * SEC, user)]
    assert run_command(_files(tmp_path, th, None, ex, comms)) == 0
    assert read_decisions(tmp_path / "D.csv") == [
        ("c0", "PROCESS", 1, f"{user}/1.1/critical:warning>0"),
        ("c1", "QUARANTINE", 0, f"{user}/1.1/critical:quarantine>1:exception"),
        ("c2", "QUARANTINE", 0, f"{user}/1.1/critical:quarantine>1:exception")]
