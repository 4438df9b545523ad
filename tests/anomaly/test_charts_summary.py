"""`secassure adt summary`: per key and bucket, communications and the peak windowed count,
counted exactly as `adt run` counts (checked against a slow reference)."""
import random

import numpy as np
import pytest

from secassure.adt.summary import SummaryError, read_traffic, summarise, windowed_counts

HOUR = 3_600_000_000


def reference_counts(key, ts, window):
    """The README's rule, one communication at a time."""
    return [sum(1 for j in range(i + 1) if key[j] == key[i] and ts[j] > ts[i] - window)
            for i in range(len(key))]


@pytest.mark.parametrize("seed", range(20))
def test_windowed_counts_match_the_slow_reference(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 60)
    ts = sorted(rng.randint(0, 50) for _ in range(n))   # many equal times
    key = [rng.randint(0, 3) for _ in range(n)]
    window = rng.randint(1, 20)
    got = windowed_counts(np.array(key, np.int64), np.array(ts, np.int64), window)
    assert got.tolist() == reference_counts(key, ts, window)


def test_peak_and_count_per_bucket(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,ts,user_id,srv,critical,encrypted,smets1,value,command\n"
                    "a,2026-03-01T10:00:00Z,U1,7.1,1,0,0,,\n"
                    "b,2026-03-01T10:10:00Z,U1,7.1,1,1,0,,\n"
                    "c,2026-03-01T10:20:00Z,U1,7.1,1,0,0,,\n"
                    "d,2026-03-01T11:05:00Z,U1,7.1,1,0,0,,\n"
                    "e,2026-03-01T11:06:00Z,U2,,1,0,0,,CS02b\n")
    key, ts, keys = read_traffic(str(path))
    summary = summarise(key, ts, keys, window=HOUR, bucket=HOUR)
    rows = sorted((keys[k], int(s) // HOUR % 24, int(c), int(p)) for k, s, c, p in zip(
        summary.key, summary.start, summary.count, summary.peak, strict=True))
    assert rows == [(("U1", "7.1", "", "critical"), 10, 3, 3),
                    (("U1", "7.1", "", "critical"), 11, 1, 3),     # 10:10, 10:20, 11:05
                    (("U1", "7.1", "", "encrypted"), 10, 1, 1),
                    (("U2", "", "CS02b", "critical"), 11, 1, 1)]


@pytest.mark.parametrize("body, message", [
    ("ts,user_id,srv,critical,encrypted\n2026-03-01T10:00:00Z,U,,1,0\n",
     "line 2, field 'srv': empty, and no command"),
    ("ts,user_id,srv,critical,encrypted\n2026-03-01T10:00:00Z,U,7.1,2,0\n",
     "line 2, field 'critical': not 0 or 1"),
    ("ts,user_id,srv,critical\n", "line 1: missing column 'encrypted'"),
    ("ts,user_id,srv,critical,encrypted\n2026-03-02T10:00:00Z,U,7.1,1,0\n"
     "2026-03-01T10:00:00Z,U,7.1,1,0\n", "field 'ts': goes backwards"),
])
def test_bad_traffic_is_refused_naming_the_line(tmp_path, body, message):
    path = tmp_path / "t.csv"
    path.write_text(body)
    with pytest.raises(SummaryError, match=message):
        read_traffic(str(path))
