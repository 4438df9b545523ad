"""Longer streams: rings grow through many block sizes, the pool is enlarged, freed blocks are
reused, and the state is saved and restored mid-stream; decisions must still match a per-key
bisection reference exactly."""

from __future__ import annotations

import random

from secassure.adt import Engine

from .helpers import as_triples, batch_of, engine_for
from .reference import Comm, decide_bisect


def _stream(seed: int, n: int, window_s: int) -> tuple[list, list[Comm]]:
    rng = random.Random(seed)
    users = [f"u{i}" for i in range(6)]
    srvs = ["1.1", "4.1", "6.2"]
    th = []
    for u in users + ["*"]:
        for s in srvs:
            for c in ("critical", "encrypted"):
                if rng.random() < 0.8:
                    q = rng.choice([0, 3, 40, 300, 3000])
                    w = rng.choice([None, q // 2, q])  # a warning at most the quarantine
                    th.append((u, s, c, w, q))
    ts = 1_772_323_200_000_000
    comms = []
    for i in range(n):
        ts += rng.choice([0, 0, 1, 1000, 50_000, 400_000]) if rng.random() < 0.999 else \
            window_s * 1_000_000
        comms.append(Comm(f"c{i}", ts, rng.choice(users + ["u9"]), rng.choice(srvs),
                          rng.randint(0, 1), rng.randint(0, 1), rng.randint(0, 1),
                          rng.choice([None, "1", "50"])))
    return th, comms


def test_long_stream_with_growth_and_restores_matches_reference(monkeypatch) -> None:
    from secassure.adt import kernel

    enlarged = []
    real = kernel.enlarge
    monkeypatch.setattr(kernel, "enlarge",
                        lambda pool, aux, spare=None: enlarged.append(1) or real(pool, aux))
    window = 600
    th, comms = _stream(7, 20_000, window)
    lim = [("4.1", "0", "10")]
    expected = decide_bisect(th, lim, comms, window)
    eng = engine_for(th, lim, window)
    got = []
    rng = random.Random(1)
    cuts = sorted(rng.sample(range(1, len(comms)), 12))
    for a, b in zip([0] + cuts, cuts + [len(comms)], strict=False):
        got += as_triples(eng, eng.process(batch_of(comms[a:b])))
        eng = Engine.restore(eng.thresholds, eng.limits, eng.state().to_bytes())
    assert got == expected
    whole = engine_for(th, lim, window)
    assert as_triples(whole, whole.process(batch_of(comms))) == expected
    assert enlarged, "the pool was never enlarged: the test does not reach the growth path"
    assert int(whole._st[:, kernel.CAP].max()) >= 1024


def test_pool_is_rebuilt_after_a_burst_leaves_the_window() -> None:
    """A burst grows some rings; after it has left the window, other keys' growth rebuilds the
    pool from the live entries instead of enlarging it, and decisions are unchanged."""
    window = 10
    th = [(f"u{i}", "1.1", "critical", None, 5000) for i in range(40)]
    t = 1_772_323_200_000_000
    comms = []
    for phase, users in enumerate((range(0, 36), range(36, 40))):
        for j in range(9000 if phase == 0 else 12000):
            comms.append(Comm(f"p{phase}-{j}", t, f"u{users[j % len(users)]}", "1.1", 1, 0, 0,
                              None))
            t += 1000
        t += (window + 1) * 1_000_000
    expected = decide_bisect(th, None, comms, window)
    eng = engine_for(th, None, window)
    got = []
    for a in range(0, len(comms), 1000):
        got += as_triples(eng, eng.process(batch_of(comms[a:a + 1000])))
    assert got == expected
    assert eng.compactions >= 1


def test_a_pool_enlarged_into_its_faulted_in_spare_decides_the_same(monkeypatch) -> None:
    """The pool's next size is faulted in on a thread once three quarters are used, and the
    pool is enlarged into it (the live engine's latency): decisions stay the reference's."""
    from secassure.adt import engine, kernel

    monkeypatch.setattr(engine, "SPARE_FROM", 0)  # every pool, however small
    used = []
    real = kernel.enlarge
    monkeypatch.setattr(kernel, "enlarge", lambda pool, aux, spare=None: used.append(
        spare is not None and spare.shape[0] >= 2 * pool.shape[0]) or real(pool, aux, spare))
    window = 600
    th, comms = _stream(11, 20_000, window)
    expected = decide_bisect(th, [], comms, window)
    eng = engine_for(th, [], window)
    got = []
    for a in range(0, len(comms), 50):  # small batches: the spare is ready between them
        got += as_triples(eng, eng.process(batch_of(comms[a:a + 50])))
        if eng._spare is not None:
            eng._spare[0].join()
    assert got == expected
    assert any(used), "no enlargement went into a spare: the test misses the path"
