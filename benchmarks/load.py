"""Load on the pages and API of a running platform (issue 8): `python3 benchmarks/load.py`

Starts `secassure serve --demo` on a free 127.0.0.1 port with a data directory of its own, on
SQLite (the default) or on PostgreSQL (`DATABASE_URL`, an empty database: the demo loads into
it), signs each demo person in for an API token, then drives the mix of
`load_locustfile.py` with locust (half people on the pages, signed in through the login form,
half API clients with a token) in two runs, 60 s each:

  latency   50 users, each pausing 0.5-1.5 s between requests
            (targets: p95 < 200 ms, p99 < 400 ms, no error)
  capacity  20 clients asking again at once (target: >= 150 requests/s, no error)

For each run it prints requests/s, errors and p50/p95/p99 over the whole run (the users'
sign-ins at the start included: 25 password checks within five seconds) and over the steady
state after the last user started; the sign-ins that load.py itself makes every 2 s while
the load runs (what a person waits to sign in under load); each route's figures; and the CPU
used by the server (in all, and per request), by PostgreSQL (with --db-pid), by locust itself
and by other processes, as shares of the machine's cores. On a shared machine the last share
says how far the figures are the platform's: the server's CPU per request is what it costs
whatever else runs, and cores / (its CPU per request) is what it could answer alone.

The load tool lives in a virtualenv of its own (the project's is locked):
    python3 -m venv /tmp/locust-venv && /tmp/locust-venv/bin/pip install locust==2.47.0
Written for and measured with locust 2.47.0.

    python3 benchmarks/load.py                                   # SQLite, both runs
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/load python3 benchmarks/load.py \
        --db-pid $(head -1 PGDATA/postmaster.pid)
    python3 benchmarks/load.py --runs capacity --seconds 30 --serve-args="--workers 1"
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: Who the users are, in turn: every kind of reader, and representatives of parties of each
#: track (a Supplier, a large one, a Network Party, a Shared Resource Provider and its User).
PEOPLE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc", "rep-HEARTH",
          "rep-LUMEN", "rep-MERIDIAN", "rep-CLOUDVAULT", "rep-PYLON"]
RUNS = {"latency": {"users": 50, "pause": True}, "capacity": {"users": 20, "pause": False}}
TARGETS = {"latency": "p95 < 200 ms, p99 < 400 ms, no error",
           "capacity": ">= 150 requests/s, no error"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default="latency,capacity",
                        help="which runs, comma-separated (latency, capacity)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--secassure", default=str(REPO / ".venv" / "bin" / "secassure"))
    parser.add_argument("--locust", default=shutil.which("locust") or "/tmp/locust-venv/bin/locust")
    parser.add_argument("--serve-args", default="", help="more arguments for secassure serve")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--db-pid", type=int, help="the PostgreSQL postmaster's pid: its "
                        "processes' CPU is reported as the database's (not as 'other')")
    parser.add_argument("--url", help="load a server already running there (with the demo "
                                      "register) instead of starting one")
    args = parser.parse_args()
    runs = [name.strip() for name in args.runs.split(",") if name.strip()]
    for name in runs:
        if name not in RUNS:
            parser.error(f"no run named {name!r} (latency, capacity)")
    if not Path(args.locust).exists():
        parser.error(f"no locust at {args.locust}: python3 -m venv /tmp/locust-venv && "
                     "/tmp/locust-venv/bin/pip install locust==2.47.0")

    data = Path(tempfile.mkdtemp(prefix="secassure-load-"))
    if args.url:
        try:
            plan = _plan(args.url.rstrip("/"), data)
            print(f"server: {args.url}; {os.cpu_count()} CPUs; locust: {args.locust}")
            for name in runs:
                _run(name, args, args.url.rstrip("/"), plan, data, None)
        finally:
            shutil.rmtree(data, ignore_errors=True)
        return 0
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, SECASSURE_DATA_DIR=str(data),
               SECASSURE_ALLOWED_HOSTS="127.0.0.1,localhost")
    database = env.get("DATABASE_URL", "").split("@")[-1] or f"SQLite in {data}"
    with open(data / "serve.log", "w") as log:
        server = subprocess.Popen(
            [args.secassure, "serve", "--demo", "--port", str(port), *args.serve_args.split()],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(url, server, data / "serve.log")
        plan = _plan(url, data)
        print(f"server: secassure serve --demo {args.serve_args} on {url} ({database}); "
              f"{os.cpu_count()} CPUs; locust: {args.locust}")
        for name in runs:
            _run(name, args, url, plan, data, server.pid)
    finally:
        _stop(server)
        if args.keep:
            print(f"data directory kept: {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)
    return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, log: Path, seconds: int = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/code/", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    sys.exit(f"the server did not answer within {seconds} s")


def _get(url: str, token: str) -> object:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}",
                                                   "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def _allowed(url: str, token: str) -> bool:
    try:
        _get(url, token)
    except urllib.error.HTTPError as error:
        if error.code in (403, 404):
            return False
        raise
    return True


def _plan(url: str, data: Path) -> Path:
    """Each person's token, the party they look at and the assessments they may open."""
    people = []
    parties: list[str] = []
    for username in PEOPLE:
        body = urllib.parse.urlencode({"username": username, "password": "demo"}).encode()
        with urllib.request.urlopen(url + "/api/token/", body, timeout=60) as answer:
            token = json.loads(answer.read())["token"]
        if not parties:
            listed = _get(url + "/api/parties/?limit=1000", token)
            parties = [p["id"] for p in listed["results"]]
        listed = _get(url + "/api/assurance/assessments/?limit=1000", token)
        assessments = [a["id"] for a in listed["results"]]
        # the party they look at: their own, or one whose assessment business they may see
        candidates = ([username[4:]] if username.startswith("rep-") else
                      parties[len(people) % 7:] + parties[:len(people) % 7])
        party = next((p for p in candidates if _allowed(f"{url}/api/parties/{p}/schedule/",
                                                        token)), None)
        people.append({"username": username, "token": token, "party": party or candidates[0],
                       "party_schedule": party is not None, "assessments": assessments})
    clauses = [c["ref"] for c in _get(url + "/api/clauses/?section=G8", people[0]["token"])
               if "(" not in c["ref"]][:40]
    path = data / "plan.json"
    path.write_text(json.dumps({"password": "demo", "people": people, "clauses": clauses}))
    return path


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds of these processes (those that still run)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _database(postmaster: int | None) -> list[int]:
    return [postmaster, *_children(postmaster)] if postmaster else []


def _children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (PostgreSQL's backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _group(pgid: int) -> list[int]:
    """The processes of a process group (the server and its workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return pids


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _run(name: str, args: argparse.Namespace, url: str, plan: Path, data: Path,
         server_pgid: int | None) -> None:
    users = RUNS[name]["users"]
    log = data / f"{name}.json"
    env = dict(os.environ, LOAD_PLAN=str(plan), LOAD_LOG=str(log),
               LOAD_PAUSE="1" if RUNS[name]["pause"] else "0")
    command = [args.locust, "-f", str(HERE / "load_locustfile.py"), "--headless",
               "-u", str(users), "-r", str(min(users, 10)), "-t", f"{args.seconds}s",
               "--host", url, "--only-summary", "--loglevel", "WARNING"]
    server_pids = _group(server_pgid) if server_pgid is not None else []
    server_before = _cpu_seconds(server_pids)
    database_before = {pid: _cpu_seconds([pid]) for pid in _database(args.db_pid)}
    busy_before, total_before = _machine_busy()
    probe = LoginProbe(url, start_after=10.0)
    probe.start()
    started = time.monotonic()
    with open(data / f"{name}.log", "w") as out:
        locust = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(locust.pid, 0)
        locust.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    probe.stop()
    server_cpu = _cpu_seconds(server_pids) - server_before
    database_cpu = sum(_cpu_seconds([pid]) - database_before.get(pid, 0.0)
                       for pid in _database(args.db_pid))  # backends that began count whole
    busy_after, total_after = _machine_busy()
    locust_cpu = usage.ru_utime + usage.ru_stime
    cores = os.cpu_count() or 1
    machine = (busy_after - busy_before) / max(1, total_after - total_before)

    pausing = "pausing 0.5-1.5 s" if RUNS[name]["pause"] else "without pauses"
    print(f"\n{name}: {users} users {pausing}, {args.seconds} s (target: {TARGETS[name]})")
    if locust.returncode not in (0, 1):  # 1: some requests failed (reported below)
        print(f"  locust exited with {locust.returncode}; see {data / (name + '.log')}")
    if not log.exists():
        return
    requests = json.loads(log.read_text())
    spawned = next((at for at, route, _, _ in requests if route == "(all users started)"),
                   None)
    requests = [r for r in requests if r[1] != "(all users started)"]
    first, last = min(r[0] for r in requests), max(r[0] for r in requests)
    steady = [r for r in requests if spawned is not None and r[0] >= spawned]
    print("  " + _figures("whole run (the users' sign-ins at the start included)", requests,
                          max(1e-9, last - first)))
    if steady:
        print("  " + _figures("after the last user started", steady,
                              max(1e-9, last - spawned)))
    print(f"  sign-ins while the load runs (one every 2 s, by load.py): {probe.figures()}")
    others = max(0.0, machine - (server_cpu + database_cpu + locust_cpu) / elapsed / cores)
    database = (f"PostgreSQL {database_cpu:.1f} s ({database_cpu / elapsed / cores:.0%}; "
                f"{database_cpu / len(requests) * 1000:.1f} ms a request), "
                if args.db_pid else "")
    print(f"  CPU over {elapsed:.0f} s on {cores} cores: server {server_cpu:.1f} s "
          f"({server_cpu / elapsed / cores:.0%} of the machine; "
          f"{server_cpu / len(requests) * 1000:.1f} ms a request), {database}locust "
          f"{locust_cpu:.1f} s ({locust_cpu / elapsed / cores:.0%}), other processes "
          f"{others:.0%}, the whole machine busy {machine:.0%}")
    print(f"  {'route':<40} {'count':>6} {'p50':>6} {'p95':>6} {'p99':>6} errors")
    routes: dict[str, list] = {}
    for r in requests:
        routes.setdefault(r[1], []).append(r)
    for route, rows in sorted(routes.items(), key=lambda kv: -_percentile(
            [r[2] for r in kv[1]], 95)):
        times = [r[2] for r in rows]
        print(f"  {route:<40} {len(rows):>6} {_percentile(times, 50):>6.0f} "
              f"{_percentile(times, 95):>6.0f} {_percentile(times, 99):>6.0f} "
              f"{sum(1 for r in rows if r[3]):>6}")
    failures = data / f"{name}.log"
    if any(r[3] for r in requests):
        print(f"  errors: see {failures} (run with --keep)")


def _percentile(values: list[float], percent: float) -> float:
    """The nearest-rank percentile (what locust reports, without its rounding)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * percent // 100) - 1))]


def _figures(label: str, requests: list, seconds: float) -> str:
    times = [r[2] for r in requests]
    errors = sum(1 for r in requests if r[3])
    return (f"{label}: {len(times)} requests, {len(times) / seconds:.1f}/s, errors {errors}; "
            f"p50 {_percentile(times, 50):.0f} ms, p95 {_percentile(times, 95):.0f} ms, "
            f"p99 {_percentile(times, 99):.0f} ms, max {max(times):.0f} ms")


class LoginProbe(threading.Thread):
    """Signs a person in through the login form every 2 s while the load runs, and times the
    sign-in itself (the POST that checks the password): what a person waits under load."""

    def __init__(self, url: str, start_after: float) -> None:
        super().__init__(daemon=True)
        self.url, self.start_after = url, start_after
        self.times: list[float] = []
        self.failures = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        if self.stopping.wait(self.start_after):
            return
        while not self.stopping.is_set():
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                                 _NoRedirect)
            try:
                form = opener.open(self.url + "/accounts/login/", timeout=60).read().decode()
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
                body = urllib.parse.urlencode({"username": "ssc-member", "password": "demo",
                                               "csrfmiddlewaretoken": token}).encode()
                started = time.perf_counter()
                try:
                    opener.open(self.url + "/accounts/login/", body, timeout=60)
                    self.failures += 1  # a 200 is the form again: the sign-in failed
                except urllib.error.HTTPError as answer:
                    if answer.code == 302:
                        self.times.append((time.perf_counter() - started) * 1000)
                    else:
                        self.failures += 1
            except (OSError, AttributeError):
                self.failures += 1
            self.stopping.wait(2.0)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=70)

    def figures(self) -> str:
        if not self.times:
            return f"none signed in ({self.failures} failed)"
        return (f"{len(self.times)}, median {statistics.median(self.times):.0f} ms, "
                f"max {max(self.times):.0f} ms, failed {self.failures}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
