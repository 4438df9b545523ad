"""Benchmark ``secassure adt live``: sustained throughput and append-to-decision latency.

    python benchmarks/adt_live.py                          # 100,000/s for 20 s
    python benchmarks/adt_live.py --rate 50000 --seconds 30
    python benchmarks/adt_live.py --redis redis://127.0.0.1:6379/0   # an existing server

Starts its own ``redis-server`` on a free port of 127.0.0.1 (no persistence) unless given one,
a producer process that appends communications at a stated rate (one entry per communication,
pipelined ``XADD`` written as raw RESP on a socket, every 10 ms), and ``secassure adt live
(with ``--deployed``: ``--trim-input``, and a reader that takes the decisions as they come and
trims what it has read, as a deployment would run them: Redis holds only what is not yet counted
or read; without it the streams are kept whole and the decisions read after the run).
Latency is the decision entry's stream id minus the input entry's (both the Redis server's
clock, in milliseconds); throughput is the communications decided over the time from the first
append to the last decision. The machine's CPU use (all cores) during the run is read from
/proc/stat. Prints one JSON object; thresholds: 2,000 User IDs x 4 SRVs x 2 counters and the
DCC's keys, window 24 h.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import redis

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
USERS = 2000
SRVS = ("1.1", "4.1", "6.2", "8.1")
BASE_US = 1_772_323_200_000_000


def _resp(*parts: bytes) -> bytes:
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        out.append(b"$%d\r\n%s\r\n" % (len(p), p))
    return b"".join(out)


def _iso(us: int) -> bytes:
    return (str(np.datetime64(us, "us")) + "Z").encode()


def produce(url: str, stream: str, rate: int, seconds: float, seed: int) -> None:
    """Append ``rate`` communications a second for ``seconds``, in ticks of 10 ms."""
    rng = random.Random(seed)
    host, port = _host_port(url)
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    per_tick = max(rate // 100, 1)
    ticks = int(seconds * 100)
    # pre-encode a pool of entries: only the communication id and ts change
    key = stream.encode()
    head = b"*19\r\n" + _resp(b"XADD", key, b"*", b"id")[4:]
    pool = []
    for _ in range(4096):
        rest = (b"user_id", b"u%d" % rng.randrange(USERS), b"srv", rng.choice(SRVS).encode(),
                b"critical", b"%d" % rng.randint(0, 1), b"encrypted", b"%d" % rng.randint(0, 1),
                b"smets1", b"%d" % rng.randint(0, 1), b"value", rng.choice([b"", b"", b"3", b"11"]))
        pool.append(_resp(*rest).split(b"\r\n", 1)[1])
    n = 0
    t0 = time.perf_counter()
    for tick in range(ticks):
        ts = _resp(b"ts", _iso(BASE_US + tick * 10_000))[4:]
        parts = []
        for _ in range(per_tick):
            cid = b"c%d" % n
            parts += (head, b"$%d\r\n%s\r\n" % (len(cid), cid), ts, pool[n & 4095])
            n += 1
        sock.sendall(b"".join(parts))
        _read_replies(sock, per_tick)
        delay = t0 + (tick + 1) / 100 - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
    sock.close()
    print(json.dumps({"produced": n, "seconds": time.perf_counter() - t0}), flush=True)


def consume(url: str, stream: str, total: int, out: str, live: bool = True) -> None:
    """Read the decisions as they come (as the DCC's systems would), note each one's latency
    (its id minus its input's ``in`` id, in ms) and trim what was read (``XTRIM MINID``), so
    Redis holds only what is not yet read.  Parsed with the engine's compiled RESP readers:
    reading costs little next to deciding.  Saves the latencies and the first input and last
    decision times to ``out`` (NumPy)."""
    from secassure.adt import resp

    wire = resp.Wire(url)
    names = np.frombuffer(b"in", np.uint8)
    name_off = np.array([0, 2], np.int64)
    lats, first_in, last_out, got, pos, idle = [], None, 0, 0, b"0-0", time.monotonic()
    while got < total and time.monotonic() - idle < 30:
        rep = wire.call(resp.pack(b"XREAD", b"COUNT", 20_000, b"BLOCK", 100, b"STREAMS",
                                  stream, pos), 1)
        streams = np.empty((1, 3), np.int64)
        ents = np.empty((max(rep.ntok // 3, 1), 3), np.int64)
        ns, _ = resp.xread_layout(rep.kind, rep.a, rep.b, rep.ntok, streams, ents)
        if ns <= 0:
            continue
        _, first, n = streams[0].tolist()
        out_ms, out_seq = np.empty(n, np.int64), np.empty(n, np.int64)
        resp.parse_ids(rep.buf, rep.a, rep.b, ents[first:first + n, 0].copy(), out_ms, out_seq)
        picked = np.empty((1, n), np.int64)
        resp.pick(rep.buf, rep.a, rep.b, ents, first, n, names, name_off, picked)
        in_ms, in_seq = np.empty(n, np.int64), np.empty(n, np.int64)
        resp.parse_ids(rep.buf, rep.a, rep.b, picked[0].copy(), in_ms, in_seq)
        lats.append(out_ms - in_ms)
        first_in = int(in_ms[0]) if first_in is None else first_in
        last_out = int(out_ms[-1])
        got += n
        pos = b"%d-%d" % (out_ms[-1], out_seq[-1])
        idle = time.monotonic()
        if live:
            wire.call(resp.pack(b"XTRIM", stream, b"MINID", b"~", pos), 1)
            time.sleep(0.05)  # read in large pages: the latency is in the ids, not the reader
    np.savez(out, lat=np.concatenate(lats) if lats else np.zeros(0, np.int64),
             span=np.array([first_in or 0, last_out], np.int64))


def _read_replies(sock: socket.socket, n: int) -> None:
    """n bulk-string replies (``$len\\r\\nid\\r\\n``): 2 CRLFs each; an error line fails."""
    buf = b""
    need = 2 * n
    seen = 0
    while seen < need:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise SystemExit("redis closed the connection")
        if chunk.startswith(b"-") or b"\r\n-" in chunk:
            raise SystemExit(f"XADD refused: {chunk[:200]!r}")
        seen += (buf + chunk).count(b"\r\n")  # a CRLF split across two reads counts once
        buf = chunk[-1:]


def _host_port(url: str) -> tuple[str, int]:
    rest = url.split("://", 1)[1].split("/", 1)[0]
    host, _, port = rest.partition(":")
    return host or "127.0.0.1", int(port or 6379)


def _cpu() -> tuple[int, int]:
    with open("/proc/stat") as fh:
        parts = [int(x) for x in fh.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts), idle


def _redis_cpu(r: redis.Redis) -> float:
    info = r.info("cpu")
    return round(float(info["used_cpu_user"]) + float(info["used_cpu_sys"]), 2)


def _files(d: Path) -> tuple[Path, Path]:
    th = d / "thresholds.csv"
    rows = ["user_id,srv,counter,warning,quarantine"]
    for u in range(USERS):
        for s in SRVS:
            rows.append(f"u{u},{s},critical,200,400")
            rows.append(f"u{u},{s},encrypted,300,600")
    for s in SRVS:
        rows.append(f"*,{s},critical,100000,200000")
    th.write_text("\n".join(rows) + "\n")
    lim = d / "limits.csv"
    lim.write_text("srv,min,max\n1.1,0,10\n6.2,,5\n")
    return th, lim


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--batch", type=int, default=20_000)
    ap.add_argument("--block-ms", type=int, default=2)
    ap.add_argument("--linger-ms", type=float, default=10.0)
    ap.add_argument("--checkpoint-seconds", type=float, default=1.0)
    ap.add_argument("--deployed", action="store_true", help="run as a deployment would: the "
                    "engine with --trim-input, and a reader that takes the decisions as they come "
                    "and trims what it read (Redis's memory stays flat; a fourth process on the "
                    "cores)")
    ap.add_argument("--redis")
    ap.add_argument("--produce", nargs=3, metavar=("URL", "RATE", "SECONDS"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--consume", nargs=3, metavar=("URL", "TOTAL", "OUT"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.produce:
        produce(args.produce[0], "bench:in", int(args.produce[1]), float(args.produce[2]), 1)
        return
    if args.consume:
        consume(args.consume[0], "bench:out", int(args.consume[1]), args.consume[2])
        return
    tmp = Path(tempfile.mkdtemp(prefix="adt-live-bench-"))
    server = None
    url = args.redis
    if url is None:
        if shutil.which("redis-server") is None:
            raise SystemExit("redis-server is not installed (apt-get install redis-server)")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                   "--save", "", "--appendonly", "no", "--dir", str(tmp)],
                                  stdout=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
    r = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            r.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    for k in r.scan_iter("bench:*"):
        r.delete(k)
    th, lim = _files(tmp)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    live = subprocess.Popen([sys.executable, "-m", "secassure.adt.live", "--redis", url,
                             "--input", "bench:in", "--output", "bench:out", "--thresholds",
                             str(th), "--limits", str(lim), "--batch", str(args.batch),
                             "--block-ms", str(args.block_ms), "--linger-ms",
                             str(args.linger_ms), "--checkpoint-seconds",
                             str(args.checkpoint_seconds), "--exit-when-idle", "3",
                             *(["--trim-input"] if args.deployed else [])],
                            env=env)
    time.sleep(3)  # imports and compiled kernels loaded; then traffic starts
    cpu0 = _cpu()
    load0 = os.getloadavg()
    expected = max(args.rate // 100, 1) * int(args.seconds * 100)
    latencies = tmp / "latencies.npz"
    consumer = subprocess.Popen([sys.executable, __file__, "--consume", url, str(expected),
                                 str(latencies)], env=env) if args.deployed else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    producer = subprocess.run([sys.executable, __file__, "--produce", url, str(args.rate),
                               str(args.seconds)], env=env, capture_output=True, text=True,
                              check=True)
    produced = json.loads(producer.stdout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    producer_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    cpu1 = _cpu()
    load1 = os.getloadavg()
    _, _, usage = os.wait4(live.pid, 0)
    live.returncode = 0
    engine_cpu = usage.ru_utime + usage.ru_stime
    total = produced["produced"]
    consumer_cpu = 0.0
    if consumer is not None:
        _, _, cusage = os.wait4(consumer.pid, 0)
        consumer.returncode = 0
        consumer_cpu = cusage.ru_utime + cusage.ru_stime
    else:  # the decisions were kept whole: read them now
        consume(url, "bench:out", expected, str(latencies), live=False)
    saved = np.load(latencies)
    lat, (first_in, last_out) = saved["lat"], saved["span"].tolist()
    got = int(lat.shape[0])
    busy = 1 - (cpu1[1] - cpu0[1]) / max(cpu1[0] - cpu0[0], 1)
    result = {"rate_asked": args.rate, "seconds": args.seconds, "produced": total,
              "produce_seconds": round(produced["seconds"], 2), "decided": got,
              "dead": int(r.hget("bench:out:progress", "dead") or 0),
              "throughput_per_s": round(got / max((last_out - first_in) / 1000, 1e-9))
              if got else 0,
              "latency_ms_p50": float(np.percentile(lat, 50)) if got else None,
              "latency_ms_p99": float(np.percentile(lat, 99)) if got else None,
              "latency_ms_max": int(lat.max()) if got else None,
              "machine_cpu_busy": round(busy, 3), "cores": os.cpu_count(),
              "loadavg_before_after": [round(load0[0], 2), round(load1[0], 2)],
              "batch": args.batch, "linger_ms": args.linger_ms,
              "checkpoint_seconds": args.checkpoint_seconds, "deployed": args.deployed,
              "redis_used_memory_mb": round(int(r.info("memory")["used_memory"]) / 1e6),
              "hiredis": redis.utils.HIREDIS_AVAILABLE,
              "state_bytes": int(r.hget("bench:out:checkpoint", "bytes") or 0),
              "cpu_s": {"redis": _redis_cpu(r), "engine": round(engine_cpu, 2),
                        "producer": round(producer_cpu, 2),
                        "reader": round(consumer_cpu, 2)}}
    print(json.dumps(result))
    if server is not None:
        server.terminate()
        server.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
