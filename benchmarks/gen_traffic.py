"""Generate realistic synthetic traffic, thresholds and limits for the ADT benchmarks.

Shape (see the project's notes on SEC G6):
* the 129 Service Reference Variants of the DUIS request matrix (shared/data), with their
  Critical flag and Eligible User Roles; "encrypted" (G6.3(a)(ii)) is approximated by the read and
  retrieve requests (their SMETS2+ responses carry consumption and configuration data);
* User IDs by role (IS, GS, ED, OU, GT, RSA, ES), each with thresholds on both counters for every
  SRV its role is eligible for (G6.3(a)), plus the DCC's ``*`` thresholds per SRV (G6.6(a)); with
  the default 8,600 User IDs that is about 1.2 M keys;
* activity per User ID lognormal, SRV popularity skewed to reads, timestamps over two days with
  a daily cycle, a fifth of them whole seconds (ties); SMETS1 share 25%; data values for the
  tariff, price, debt and balance SRVs with limits, a few outside (G6.6(b));
* a few "compromised" User IDs sending bursts of critical commands (quarantines, G6.1(d)(ii)),
  and a small share of zero levels (G6.4A);
* the second contract (issue 12 section 1): 0.5% of the communications are Critical Commands not
  related to an SRV (``srv`` empty, ``command`` set) counted by the DCC's per-command thresholds
  (G6.6(c)); a tenth of the SMETS2 communications on the valued SRVs carry a value too (Signed
  Pre-Commands, G6.6(b): quarantined when outside the limits); and an exceptions file
  (G6.1(a)(i)): about 1% of the User keys with one or two exceptions of 2 to 12 hours.

    python benchmarks/gen_traffic.py --rows 20000000 --out-dir benchmarks/out [--csv]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

MATRIX = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duis-request-matrix.json"
ROLE_MIX = {"IS": 0.35, "GS": 0.25, "ED": 0.10, "OU": 0.15, "GT": 0.05, "RSA": 0.05, "ES": 0.05}
START_US = 1_772_323_200_000_000  # 2026-03-01T00:00:00Z
VALUE_PREFIXES = ("1.", "2.")  # tariff / price / debt / balance requests carry data values
COMMANDS = [f"CC{i:02d}" for i in range(1, 9)]  # Critical Commands not related to an SRV
COMMAND_SHARE = 0.005


def load_srvs(path: Path) -> list[dict]:
    rows = json.loads(path.read_text())
    for r in rows:
        name = r["Service Request Name"]
        r["critical"] = r["Critical"] == "Yes"
        r["encrypted"] = name.startswith(("Read", "Retrieve"))
        r["valued"] = r["Service Reference Variant"].startswith(VALUE_PREFIXES)
    return rows


def generate(rows: int, users: int, days: int, seed: int, out: Path, csv: bool,
             matrix: Path) -> dict:
    rng = np.random.default_rng(seed)
    srvs = load_srvs(matrix)
    names = np.array([s["Service Reference Variant"] for s in srvs])
    crit = np.array([s["critical"] for s in srvs])
    enc = np.array([s["encrypted"] for s in srvs])
    valued = np.array([s["valued"] for s in srvs])
    pop = rng.lognormal(0.0, 1.0, len(srvs)) * np.where(enc, 4.0, 1.0)
    roles = list(ROLE_MIX)
    user_role = rng.choice(len(roles), size=users, p=list(ROLE_MIX.values()))
    user_ids = np.array([f"{roles[r]}-{i:05d}" for i, r in enumerate(user_role)])
    activity = rng.lognormal(0.0, 1.2, users)
    activity /= activity.sum()
    eligible = [np.array([j for j, s in enumerate(srvs) if role in s["Eligible User Roles"]])
                for role in roles]

    nburst = max(rows // 1_000_000, 1)
    burst_n = min(rows // 200, 5000) + 1 if rows >= 400 else 0
    ordinary = rows - nburst * burst_n

    # --- ordinary traffic
    u = rng.choice(users, size=ordinary, p=activity)
    s = np.empty(ordinary, np.int64)
    for r, el in enumerate(eligible):
        m = np.flatnonzero(user_role[u] == r)
        p = pop[el] / pop[el].sum()
        s[m] = el[rng.choice(len(el), size=m.size, p=p)]
    span = days * 86_400_000_000
    phase = rng.random(ordinary)
    tod = (phase + 0.15 * np.sin(2 * np.pi * phase)) % 1.0  # a daily cycle
    ts = START_US + rng.integers(0, days, ordinary) * 86_400_000_000 + \
        (tod * 86_400_000_000).astype(np.int64)
    whole = rng.random(ordinary) < 0.2
    ts[whole] -= ts[whole] % 1_000_000

    # --- bursts from compromised User IDs (critical commands within an hour)
    bu, bs, bt = [u], [s], [ts]
    for _ in range(nburst if burst_n else 0):
        cu = int(rng.choice(np.flatnonzero(user_role == roles.index("IS"))))
        cs = int(rng.choice(np.flatnonzero(crit)))
        t0 = START_US + int(rng.integers(0, span - 3_600_000_000))
        bu.append(np.full(burst_n, cu))
        bs.append(np.full(burst_n, cs))
        bt.append(t0 + np.sort(rng.integers(0, 3_600_000_000, burst_n)))
    u, s, ts = np.concatenate(bu), np.concatenate(bs), np.concatenate(bt)
    order = np.argsort(ts, kind="stable")
    u, s, ts = u[order], s[order], ts[order]
    n = len(ts)

    smets1 = (rng.random(n) < 0.25).astype(np.int8)
    has_value = valued[s] & ((smets1 == 1) | (rng.random(n) < 0.1))
    value = np.where(has_value, np.round(rng.normal(50, 12, n), 2), np.nan)
    out_of_range = has_value & (rng.random(n) < 0.002)
    value[out_of_range] = np.where(rng.random(out_of_range.sum()) < 0.5, -5.0, 250.0)

    # --- thresholds: expected daily count per key, quarantine ~3x, warning ~1.5x
    k_user, k_srv, k_cnt = [], [], []
    for r, el in enumerate(eligible):
        members = np.flatnonzero(user_role == r)
        for j in el:
            for c in (0, 1):  # both counters for every eligible SRV (G6.3(a)(i) and (ii))
                k_user.append(members)
                k_srv.append(np.full(members.size, j))
                k_cnt.append(np.full(members.size, c))
    k_user, k_srv, k_cnt = np.concatenate(k_user), np.concatenate(k_srv), np.concatenate(k_cnt)
    pair_counts = np.bincount(u * len(srvs) + s, minlength=users * len(srvs)) / days
    lam = pair_counts[k_user * len(srvs) + k_srv]
    quarantine = np.ceil(3 * lam + 10).astype(np.int64)
    warning = np.ceil(1.5 * lam + 5).astype(np.int64).astype(object)
    warning[rng.random(len(k_user)) < 0.2] = ""
    zero = (k_cnt == 0) & crit[k_srv] & (rng.random(len(k_user)) < 0.005)  # G6.4A
    quarantine[zero] = 0
    warning[zero] = ""
    srv_daily = np.repeat(np.bincount(s, minlength=len(srvs)) / days, 2)
    star_w = [str(int(1.1 * d) + 10) for d in srv_daily]  # the DCC's levels (G6.6(a))
    star_q = (1.3 * srv_daily).astype(np.int64) + 20
    th = pa.table({
        "user_id": pa.array(np.concatenate([user_ids[k_user], np.full(2 * len(srvs), "*")])),
        "srv": pa.array(np.concatenate([names[k_srv], np.repeat(names, 2)])),
        "counter": pa.array(np.concatenate([np.where(k_cnt == 0, "critical", "encrypted"),
                                            np.tile(["critical", "encrypted"], len(srvs))])),
        "warning": pa.array([str(w) for w in warning] + star_w),
        "quarantine": pa.array(np.concatenate([quarantine, star_q]).astype(str)),
    })
    out.mkdir(parents=True, exist_ok=True)
    lim_srv = names[valued]
    _write_small(pa.table({"srv": lim_srv, "min": ["0"] * len(lim_srv),
                           "max": ["" if i % 5 == 4 else "200" for i in range(len(lim_srv))]}),
                 out / "limits.csv")

    # Critical Commands not related to an SRV (G6.6(c)): srv empty, command set, critical
    is_cmd = rng.random(n) < COMMAND_SHARE
    cmd_pick = rng.choice(len(COMMANDS), size=n, p=np.linspace(2, 1, len(COMMANDS)) /
                          np.linspace(2, 1, len(COMMANDS)).sum())
    srv_text = np.where(is_cmd, "", names[s])
    cmd_text = np.where(is_cmd, np.array(COMMANDS)[cmd_pick], "")
    critical = np.where(is_cmd, 1, crit[s]).astype(np.int8)
    encrypted = np.where(is_cmd, 0, enc[s]).astype(np.int8)
    value[is_cmd] = np.nan
    cmd_daily = np.bincount(cmd_pick[is_cmd], minlength=len(COMMANDS)) / days
    cmd_th = pa.table({
        "user_id": pa.array(["*"] * len(COMMANDS)), "srv": pa.array([""] * len(COMMANDS)),
        "command": pa.array(COMMANDS), "counter": pa.array(["critical"] * len(COMMANDS)),
        "warning": pa.array([str(int(0.9 * d)) for d in cmd_daily]),  # some warnings
        "quarantine": pa.array([str(int(1.3 * d) + 20) for d in cmd_daily])})
    th = th.add_column(2, "command", pa.array([""] * th.num_rows))
    th = pa.concat_tables([th, cmd_th])
    _write_small(th, out / "thresholds.csv")
    nexc = _write_exceptions(rng, th, out / "exceptions.csv", span)

    ids = pc.binary_join_element_wise(
        "C", pc.cast(pa.array(np.arange(n) * 7 + 1000003), pa.string()), "")
    table = pa.table({
        "id": ids,
        "ts": pa.array(ts, pa.timestamp("us", tz="UTC")),
        "user_id": pa.array(user_ids[u]).dictionary_encode(),
        "srv": pa.array(srv_text).dictionary_encode(),
        "critical": pa.array(critical),
        "encrypted": pa.array(encrypted),
        "smets1": pa.array(smets1),
        "value": pa.array(value, mask=np.isnan(value)),
        "command": pa.array(cmd_text).dictionary_encode(),
    })
    pq.write_table(table, out / "traffic.parquet", row_group_size=1 << 20, compression="snappy")
    if csv:
        write_csv(table, out / "traffic.csv")
    return {"rows": n, "keys": th.num_rows, "users": users, "srvs": len(srvs),
            "commands": len(COMMANDS), "exceptions": nexc}


def _write_exceptions(rng: np.random.Generator, th: pa.Table, path: Path, span: int) -> int:
    """About 1% of the keys (every kind) get one or two exceptions of 2 to 12 hours, levels
    raised (planned campaigns) or lowered (a suspected compromise), never overlapping."""
    nkeys = th.num_rows
    pick = np.flatnonzero(rng.random(nkeys) < 0.01)
    rows = []
    q_all = np.asarray(th.column("quarantine").to_pylist(), dtype=np.int64)
    for k in pick.tolist():
        t = START_US + int(rng.integers(0, span // 2))
        for _ in range(int(rng.integers(1, 3))):
            length = int(rng.integers(2, 13)) * 3_600_000_000
            q = int(q_all[k] * (3 if rng.random() < 0.5 else 0.5))
            w = "" if rng.random() < 0.3 else str(q // 2)
            rows.append((k, t, t + length, w, q))
            t += length + int(rng.integers(0, 6)) * 3_600_000_000
    idx = np.array([r[0] for r in rows], np.int64)
    iso = [str(np.datetime64(r[1], "us")) + "Z" for r in rows]
    iso_to = [str(np.datetime64(r[2], "us")) + "Z" for r in rows]
    table = pa.table({
        "user_id": th.column("user_id").take(pa.array(idx)),
        "srv": th.column("srv").take(pa.array(idx)),
        "command": th.column("command").take(pa.array(idx)),
        "counter": th.column("counter").take(pa.array(idx)),
        "from": pa.array(iso), "to": pa.array(iso_to),
        "warning": pa.array([r[3] for r in rows]),
        "quarantine": pa.array([str(r[4]) for r in rows])})
    _write_small(table, path)
    return len(rows)


def _write_small(table: pa.Table, path: Path) -> None:
    with open(path, "wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode())
        buf = pa.BufferOutputStream()
        pacsv.write_csv(table, buf, pacsv.WriteOptions(quoting_style="none", include_header=False))
        fh.write(buf.getvalue().to_pybytes())


def write_csv(table: pa.Table, path: Path, step: int = 1 << 21) -> None:
    """The same traffic as CSV with ISO 8601 'Z' timestamps (to the microsecond)."""
    opts = pacsv.WriteOptions(quoting_style="none", include_header=False)
    with open(path, "wb") as fh:
        fh.write(b"id,ts,user_id,srv,critical,encrypted,smets1,value,command\n")
        for off in range(0, table.num_rows, step):
            t = table.slice(off, step)
            us = t.column("ts").combine_chunks().cast(pa.int64()).to_numpy()
            text = np.char.add(np.datetime_as_string(us.astype("datetime64[us]"), unit="us"), "Z")
            t = t.set_column(1, "ts", pa.array(text))
            t = t.set_column(2, "user_id", t.column("user_id").cast(pa.string()))
            t = t.set_column(3, "srv", t.column("srv").cast(pa.string()))
            t = t.set_column(8, "command", t.column("command").cast(pa.string()))
            buf = pa.BufferOutputStream()
            pacsv.write_csv(t, buf, opts)
            fh.write(buf.getvalue().to_pybytes())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--users", type=int, default=8600, help="User IDs (8,600 gives ~1.2 M keys)")
    ap.add_argument("--days", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20260301)
    ap.add_argument("--out-dir", type=Path, default=Path(__file__).parent / "out")
    ap.add_argument("--csv", action="store_true", help="also write traffic.csv")
    ap.add_argument("--matrix", type=Path, default=Path(os.environ.get("DUIS_MATRIX", MATRIX)))
    a = ap.parse_args()
    t0 = time.perf_counter()
    info = generate(a.rows, a.users, a.days, a.seed, a.out_dir, a.csv, a.matrix)
    print(json.dumps({**info, "seconds": round(time.perf_counter() - t0, 1),
                      "out_dir": str(a.out_dir)}))


if __name__ == "__main__":
    main()
