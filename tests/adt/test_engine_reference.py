"""The engine against the slow reference on small random worlds (hypothesis).

Covers ties in ts, the window edge (exactly N seconds apart is outside, (ts - N, ts]), ``*`` keys
(G6.6(a)), warning versus quarantine, zero levels (G6.4A), DELETE with limits (G6.6(b),
G6.1(d)(i): min only, max only, both, value empty, smets1 0), and splitting the stream into
pieces with the counting state saved and restored in between.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secassure.adt import CountingState, Engine

from . import strategies as S
from .helpers import as_triples, batch_of, engine_for
from .reference import Comm, decide

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def worlds(draw):
    window = draw(st.sampled_from([1, 2, 5]))
    return draw(S.thresholds()), draw(S.limits()), draw(S.traffic(window)), window


@FAST
@given(worlds())
def test_engine_matches_reference(world) -> None:
    th, lim, comms, window = world
    eng = engine_for(th, lim, window)
    got = as_triples(eng, eng.process(batch_of(comms)))
    assert got == decide(th, lim, comms, window)


@FAST
@given(worlds(), st.lists(st.integers(0, 40), max_size=5))
def test_pieces_with_save_and_restore_equal_one_run(world, cuts) -> None:
    th, lim, comms, window = world
    whole = engine_for(th, lim, window)
    expected = as_triples(whole, whole.process(batch_of(comms)))
    bounds = [0] + sorted(min(c, len(comms)) for c in cuts) + [len(comms)]
    eng = engine_for(th, lim, window)
    got = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        got += as_triples(eng, eng.process(batch_of(comms[a:b])))
        blob = eng.state().to_bytes()
        assert CountingState.from_bytes(blob).to_bytes() == blob
        eng = Engine.restore(eng.thresholds, eng.limits, blob)
    assert got == expected


def _comm(i: int, t: int, user: str = "u1", srv: str = "1.1", crit: int = 1, enc: int = 0,
          smets1: int = 0, value: str | None = None) -> Comm:
    return Comm(f"c{i}", S.BASE_US + t, user, srv, crit, enc, smets1, value)


def _names(th, lim, comms, window=10) -> list[tuple[str, int, str]]:
    eng = engine_for(th, lim, window)
    return as_triples(eng, eng.process(batch_of(comms)))


def test_exactly_n_seconds_apart_is_outside_the_window() -> None:
    th = [("u1", "1.1", "critical", None, 1)]
    s = 1_000_000
    comms = [_comm(0, 0), _comm(1, 10 * s - 1), _comm(2, 10 * s), _comm(3, 20 * s - 1)]
    # counts: 1; 2 (0 is inside (t-10s, t]); 2 (0 is exactly 10 s earlier: outside); 2
    assert [d for d, _, _ in _names(th, None, comms)] == [
        "PROCESS", "QUARANTINE", "QUARANTINE", "QUARANTINE"]
    comms = [_comm(0, 0), _comm(1, 10 * s), _comm(2, 20 * s)]
    assert [d for d, _, _ in _names(th, None, comms)] == ["PROCESS"] * 3


def test_ties_count_earlier_rows_only() -> None:
    th = [("u1", "1.1", "critical", 1, 2)]
    comms = [_comm(i, 0) for i in range(4)]
    assert _names(th, None, comms) == [
        ("PROCESS", 0, ""), ("PROCESS", 1, "u1/1.1/critical:warning>1"),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>2"),
        ("QUARANTINE", 0, "u1/1.1/critical:quarantine>2")]


def test_zero_level_quarantines_everything_g6_4a() -> None:
    th = [("u1", "1.1", "critical", None, 0)]
    comms = [_comm(0, 0), _comm(1, 5, crit=0, enc=1), _comm(2, 9)]
    assert [d for d, _, _ in _names(th, None, comms)] == ["QUARANTINE", "PROCESS", "QUARANTINE"]


def test_star_key_counts_all_users_and_user_keys_come_first() -> None:
    th = [("*", "1.1", "critical", None, 2), ("u2", "1.1", "critical", None, 0)]
    comms = [_comm(0, 0, "u1"), _comm(1, 1, "u3"), _comm(2, 2, "u1"), _comm(3, 3, "u2")]
    assert _names(th, None, comms) == [
        ("PROCESS", 0, ""), ("PROCESS", 0, ""), ("QUARANTINE", 0, "*/1.1/critical:quarantine>2"),
        ("QUARANTINE", 0, "u2/1.1/critical:quarantine>0")]


def test_traffic_user_star_belongs_to_the_star_key_once() -> None:
    th = [("*", "1.1", "critical", None, 1)]
    comms = [_comm(0, 0, "*"), _comm(1, 1, "*")]
    assert [d for d, _, _ in _names(th, None, comms)] == ["PROCESS", "QUARANTINE"]


def test_deleted_communications_still_count() -> None:
    th = [("u1", "1.1", "critical", None, 1)]
    lim = [("1.1", "0", "10")]
    comms = [_comm(0, 0, smets1=1, value="11"), _comm(1, 1)]
    assert _names(th, lim, comms) == [("DELETE", 0, "limit"),
                                      ("QUARANTINE", 0, "u1/1.1/critical:quarantine>1")]


def test_limits_min_only_max_only_both_empty_value_and_smets2() -> None:
    lim = [("1.1", "0", None), ("4.1", None, "10"), ("6.2", "2.5", "2.5"),
           ("7.1", "0.10000000000000000001", None)]
    cases = [("1.1", "-0.5", 1, "DELETE"), ("1.1", "1e9", 1, "PROCESS"),
             ("4.1", "10", 1, "PROCESS"), ("4.1", "10.0000000000000000001", 1, "DELETE"),
             ("6.2", "2.50", 1, "PROCESS"), ("6.2", "2.4", 1, "DELETE"),
             ("6.2", None, 1, "PROCESS"), ("6.2", "99", 0, "QUARANTINE"),
             ("9.9", "99", 1, "PROCESS"),
             ("7.1", "0.1", 1, "DELETE"), ("7.1", "0.10000000000000000001", 1, "PROCESS"),
             ("1.1", "0", 1, "PROCESS"), ("1.1", "-0", 1, "PROCESS")]
    comms = [_comm(i, i, srv=s, crit=0, smets1=m, value=v) for i, (s, v, m, _) in enumerate(cases)]
    assert [d for d, _, _ in _names([], lim, comms)] == [c[3] for c in cases]


def test_no_thresholds_processes_everything() -> None:
    comms = [_comm(i, i) for i in range(5)]
    assert _names([], None, comms) == [("PROCESS", 0, "")] * 5


def test_restore_refuses_other_thresholds() -> None:
    eng = engine_for([("u1", "1.1", "critical", None, 1)], None, 10)
    eng.process(batch_of([_comm(0, 0)]))
    other = engine_for([("u1", "1.1", "critical", None, 2)], None, 10)
    try:
        Engine.restore(other.thresholds, None, eng.state().to_bytes())
    except ValueError:
        return
    raise AssertionError("restore accepted a state counted against other thresholds")
