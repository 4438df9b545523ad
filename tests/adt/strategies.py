"""Hypothesis strategies: small worlds where ties, window edges and level edges are common."""

from __future__ import annotations

from hypothesis import strategies as st

from .reference import Comm

USERS = ["u1", "u2", "u3"]
SRVS = ["1.1", "4.1", "6.2"]
COUNTERS = ["critical", "encrypted"]
BASE_US = 1_772_323_200_000_000  # 2026-03-01T00:00:00Z
HALF_S = 500_000


@st.composite
def thresholds(draw) -> list[tuple[str, str, str, int | None, int]]:
    keys = draw(st.lists(st.tuples(st.sampled_from(USERS + ["*"]), st.sampled_from(SRVS),
                                   st.sampled_from(COUNTERS)), unique=True, max_size=10))
    rows = []
    for user, srv, counter in keys:
        q = draw(st.integers(0, 4))
        w = draw(st.one_of(st.none(), st.integers(0, q)))  # a warning at most the quarantine
        rows.append((user, srv, counter, w, q))
    return rows


@st.composite
def limits(draw) -> list[tuple[str, str | None, str | None]] | None:
    if draw(st.booleans()):
        return None
    srvs = draw(st.lists(st.sampled_from(SRVS), unique=True, max_size=3))
    bound = st.one_of(st.none(), st.sampled_from(["-1", "0", "2.5", "10", "1e1"]))
    rows = []
    for srv in srvs:
        low, high = draw(bound), draw(bound)
        if low is not None and high is not None and float(low) > float(high):
            low, high = high, low  # a minimum above the maximum is refused
        rows.append((srv, low, high))
    return rows


@st.composite
def traffic(draw, window_s: int) -> list[Comm]:
    """Steps of 0 (ties), the window exactly (edge), a microsecond either side, or half-seconds."""
    n = draw(st.integers(0, 40))
    w = window_s * 1_000_000
    steps = st.sampled_from([0, 0, 1, HALF_S, 2 * HALF_S, w - 1, w, w + 1])
    ts = BASE_US + draw(st.integers(0, 3)) * HALF_S
    out = []
    for i in range(n):
        ts += draw(steps)
        value = draw(st.one_of(st.none(), st.sampled_from(["-1", "0", "2.5", "2.50", "10",
                                                           "10.0000001", "11", "-0.5"])))
        out.append(Comm(f"c{i}", ts, draw(st.sampled_from(USERS + ["u9"])),
                        draw(st.sampled_from(SRVS + ["9.9"])), draw(st.integers(0, 1)),
                        draw(st.integers(0, 1)), draw(st.integers(0, 1)), value))
    return out
