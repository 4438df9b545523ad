"""Hypothesis strategies: small worlds where ties, window edges and level edges are common."""

from __future__ import annotations

from hypothesis import strategies as st

from .helpers import iso
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


# ------------------------------------------------------- the second contract (issue 12 section 1)
COMMANDS = ["C1", "C2"]


@st.composite
def thresholds_v2(draw) -> list[tuple]:
    """6-tuples (user, srv, command, counter, warning, quarantine): SRV keys and, with srv empty,
    command keys (the DCC's ``*`` mostly, G6.6(c); a User's too, counted like any other key)."""
    srv_keys = st.tuples(st.sampled_from(["u1", "u2", "*", "*"]), st.sampled_from(SRVS),
                         st.just(""),
                         st.sampled_from(COUNTERS))
    cmd_keys = st.tuples(st.sampled_from(["*", "*", "u1"]), st.just(""),
                         st.sampled_from(COMMANDS), st.sampled_from(COUNTERS))
    keys = draw(st.lists(st.one_of(srv_keys, cmd_keys), unique=True, max_size=10))
    rows = []
    for user, srv, command, counter in keys:
        q = draw(st.integers(0, 4))
        w = draw(st.one_of(st.none(), st.integers(0, q)))
        rows.append((user, srv, command, counter, w, q))
    return rows


@st.composite
def exceptions(draw, thresholds: list[tuple]) -> list[tuple]:
    """Up to two non-overlapping [from, to) exceptions on some keys, with bounds on the traffic's
    half-second grid (so that ts == from and ts == to happen)."""
    rows = []
    for user, srv, command, counter, _, _ in thresholds:
        if not draw(st.booleans()):
            continue
        cuts = sorted(draw(st.lists(st.integers(0, 40), min_size=2, max_size=4, unique=True)))
        spans = [(cuts[0], cuts[1])] + ([(cuts[2], cuts[3])] if len(cuts) == 4 else [])
        for a, b in spans:
            q = draw(st.integers(0, 4))
            w = draw(st.one_of(st.none(), st.integers(0, q)))
            rows.append((user, srv, command, counter, iso(BASE_US + a * HALF_S),
                         iso(BASE_US + b * HALF_S), w, q))
    return draw(st.permutations(rows)) if rows else rows


@st.composite
def traffic_v2(draw, window_s: int) -> list[Comm]:
    """Communications on SRVs or (srv empty) on commands, SMETS1 or not, with values."""
    n = draw(st.integers(0, 40))
    w = window_s * 1_000_000
    steps = st.sampled_from([0, 0, 1, HALF_S, HALF_S, 2 * HALF_S, w - 1, w, w + 1])
    ts = BASE_US + draw(st.integers(0, 3)) * HALF_S
    out = []
    for i in range(n):
        ts += draw(steps)
        value = draw(st.one_of(st.none(), st.sampled_from(["-1", "0", "2.5", "10", "11"])))
        if draw(st.integers(0, 3)) == 0:
            srv, command = "", draw(st.sampled_from(COMMANDS + ["C9"]))
        else:
            srv = draw(st.sampled_from(["1.1", "1.1", "4.1", "9.9"]))
            command = draw(st.sampled_from(["", "", "C1"]))  # srv set: the SRV's keys only
        out.append(Comm(f"c{i}", ts, draw(st.sampled_from(["u1", "u1", "u2", "u9"])), srv,
                        draw(st.integers(0, 1)), draw(st.integers(0, 1)), draw(st.integers(0, 1)),
                        value, command))
    return out
