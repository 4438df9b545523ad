"""Do concurrent writers lose writes? `python benchmarks/concurrent_writes.py [--writers 20]`

Issue 8, "Concurrent writes": N writers released together (a `threading.Barrier`) against a
real server (`secassure serve --demo`, waitress, on 127.0.0.1), through the token API, mixing
what people do at the same moment:
- SECAS books Verification assessments for several parties, one of them twice at once (a
  double click);
- the User CIO records findings on booked assessments, several on each;
- two SSC members request a Follow-up of the same assessment at once (G8.29);
- two SSC members set conflicting compliance statuses on the same assessment (G7.20).
Each round's targets are prepared first (through the services, in this process), then the N
requests go out together. Afterwards: the share of writes answered 5xx (and why), how many
Follow-ups each double request booked, how many of each pair of conflicting statuses were
accepted, how many double bookings were made, and `secassure journal verify`.

SQLite by default (a throwaway data directory); `--database-url postgres://...` uses that
server (the database is dropped and created again). Start PostgreSQL as in RECIPES.md.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: Parties whose Verification assessments are booked in the measured requests (each round
#: books each of them once, the first one twice at once).
BOOKED = ["KESTREL", "FENWAY", "HEARTH", "LUMEN", "MERIDIAN", "ORBIT", "SUNNYSIDE"]
#: Parties whose Full assessment is taken to "plan agreed" before a round: the target of the
#: double Follow-up request and of the conflicting compliance statuses.
TARGETS = ["PYLON", "GRIDSHARE", "CLOUDVAULT", "FENWAY", "KESTREL", "MERIDIAN", "LUMEN",
           "SUNNYSIDE", "HEARTH", "ORBIT"]
#: Parties whose booked Verification assessments receive the findings.
FOR_FINDINGS = ["AGENTCO", "FIXLAB", "TRIAGEWORKS"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_postgres(url: str) -> None:
    """Drop and create the database the URL names (on the same server)."""
    import psycopg
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secassure.web.settings")
    import django
    django.setup()


class Bench:
    def __init__(self, writers: int, port: int):
        self.writers, self.port = writers, port
        self.base = f"http://127.0.0.1:{port}/api/assurance"
        self.tokens: dict[str, str] = {}

    # --- preparing a round, through the services ------------------------------------------

    def prepare_target(self, round_no: int) -> int:
        """A Full assessment of a party with its plan agreed: Follow-ups and compliance
        statuses may be set on it."""
        from secassure.accounts.models import Person
        from secassure.assurance import services
        from secassure.code.findings import Answer, PlannedStep
        from secassure.registry.models import Party
        people = {p.username: p for p in Person.objects.all()}
        pid = TARGETS[round_no % len(TARGETS)]
        party = Party.objects.get(party_id=pid)
        today = date.today()
        target = services.book_assessment(
            people["secas"], party, "FUSA", roles=list(party.roles.all()),
            assessor=people["cio-assessor"], fieldwork_start=today - timedelta(days=20),
            fieldwork_end=today - timedelta(days=10), reason=f"bench round {round_no}")
        finding = services.record_finding(people["cio-assessor"], target,
                                          kind="non_compliance", clause="G5.14",
                                          title="Asset list", evidence="Two servers missing.")
        services.issue_report(people["cio-assessor"], target, summary="Assessed.")
        services.submit_response(people[f"rep-{pid}"], target, {finding.pk: Answer(
            True, "", (PlannedStep("Update the list", False, today + timedelta(days=30)),))})
        services.accept_plan(people["ssc-member"], target, "fine")
        return target.pk

    def booked(self) -> list[int]:
        """Verification assessments booked once, for the findings of every round."""
        from secassure.accounts.models import Person
        from secassure.assurance import services
        from secassure.assurance.models import Assessment
        from secassure.registry.models import Party
        found = list(Assessment.objects.filter(
            stage="booked", category="VUSA", party__party_id__in=FOR_FINDINGS)
            .order_by("id").values_list("pk", flat=True))
        if found:
            return found
        people = {p.username: p for p in Person.objects.all()}
        for party in Party.objects.filter(party_id__in=FOR_FINDINGS):
            services.book_assessment(people["secas"], party, "VUSA",
                                     roles=list(party.roles.all()),
                                     assessor=people["cio-assessor"])
        return self.booked()

    def cancel(self, pks: list[int]) -> None:
        from secassure.accounts.models import Person
        from secassure.assurance import services
        from secassure.assurance.models import Assessment
        secas = Person.objects.get(username="secas")
        for assessment in Assessment.objects.filter(pk__in=pks, stage="booked"):
            services.cancel_booking(secas, assessment, "bench: next round")

    def roles(self, pid: str) -> list[str]:
        from secassure.registry.models import Party
        return [r.role for r in Party.objects.get(party_id=pid).roles.all()]

    # --- the measured requests ------------------------------------------------------------

    def post(self, who: str, path: str, body: dict[str, Any]) -> tuple[int, str]:
        request = urllib.request.Request(
            f"{self.base}/{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Token {self.tokens[who]}",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read().decode()[:300]
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")[:300]

    def requests(self, round_no: int, target: int, booked: list[int]) -> list[tuple]:
        """The round's N writes: (kind, who, path, body)."""
        today = date.today()
        plan: list[tuple] = []
        parties = [BOOKED[0]] + BOOKED  # the first party twice: a double click
        for pid in parties:
            plan.append(("booking", "secas", "assessments/", {
                "party": pid, "category": "VUSA", "roles": self.roles(pid),
                "assessor": "cio-assessor",
                "fieldwork_start": (today - timedelta(days=9)).isoformat(),
                "fieldwork_end": (today - timedelta(days=2)).isoformat()}))
        plan.append(("follow_up", "ssc-member", f"assessments/{target}/follow-up/",
                     {"by": (today + timedelta(days=60)).isoformat()}))
        plan.append(("follow_up", "ssc-member", f"assessments/{target}/follow-up/",
                     {"by": (today + timedelta(days=60)).isoformat()}))
        plan.append(("compliance", "ssc-member", f"assessments/{target}/compliance-status/",
                     {"status": "compliant", "reason": "All steps are agreed."}))
        plan.append(("compliance", "ssc-member", f"assessments/{target}/compliance-status/",
                     {"status": "compliant_subject_to_plan", "reason": "A plan is needed."}))
        number = 0
        while len(plan) < self.writers:
            pk = booked[number % len(booked)]
            number += 1
            plan.append(("finding", "cio-assessor", f"assessments/{pk}/findings/", {
                "kind": "risk_increase", "title": f"Round {round_no} finding {number}",
                "evidence": "Seen during fieldwork."}))
        return plan[:self.writers]

    def round(self, round_no: int) -> dict[str, Any]:
        booked = self.booked()
        target = self.prepare_target(round_no)
        plan = self.requests(round_no, target, booked)
        from secassure.assurance.models import Assessment, Decision
        before = Assessment.objects.order_by("-id").values_list("id", flat=True).first()
        barrier = threading.Barrier(len(plan))
        results: list[tuple | None] = [None] * len(plan)

        def write(index: int, kind: str, who: str, path: str, body: dict) -> None:
            barrier.wait()
            started = time.perf_counter()
            code, text = self.post(who, path, body)
            results[index] = (kind, code, text, time.perf_counter() - started)

        threads = [threading.Thread(target=write, args=(i, *p)) for i, p in enumerate(plan)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        follow_ups = Assessment.objects.filter(follows_id=target).count()
        statuses = Decision.objects.filter(assessment_id=target,
                                           kind="compliance_status").count()
        doubles = Assessment.objects.filter(party__party_id=BOOKED[0], category="VUSA",
                                            id__gt=before).count()
        self.cancel(list(Assessment.objects.filter(category="VUSA", id__gt=before)
                         .values_list("pk", flat=True)))
        return {"results": results, "follow_ups": follow_ups, "statuses": statuses,
                "double_bookings": doubles - 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--database-url", default="",
                        help="postgres://... (dropped and created again); default SQLite")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="secassure-writes-")
    env = {**os.environ, "SECASSURE_DATA_DIR": data, "SECASSURE_DEMO": "1",
           "DJANGO_SETTINGS_MODULE": "secassure.web.settings"}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        fresh_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    os.environ.update(env)
    if not args.database_url:
        os.environ.pop("DATABASE_URL", None)
    setup_django()
    from django.core.management import call_command

    from secassure.accounts.services import api_token
    from secassure.demo import load_demo
    call_command("migrate", verbosity=0)
    load_demo()
    port = free_port()
    bench = Bench(args.writers, port)
    bench.tokens = {who: api_token(who) for who in ("secas", "cio-assessor", "ssc-member")}
    log = open(Path(data) / "server.log", "w")  # noqa: SIM115 (closed after the server)
    server = subprocess.Popen(
        [sys.executable, "-m", "secassure.cli", "serve", "--demo", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=data)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        rounds = [bench.round(n) for n in range(args.rounds)]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    verify = subprocess.run([sys.executable, "-m", "secassure.cli", "journal", "verify"],
                            env=env, cwd=data, capture_output=True, text=True)
    report(args, rounds, verify, Path(data) / "server.log")
    shutil.rmtree(data, ignore_errors=True)
    return 0


def report(args: argparse.Namespace, rounds: list[dict], verify: Any, log: Path) -> None:
    results = [r for rnd in rounds for r in rnd["results"]]
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    failures: collections.Counter = collections.Counter()
    for kind, code, text, _ in results:
        by_kind[kind][code] += 1
        if code >= 500:
            failures[_why(text)] += 1
    server_errors = sum(1 for r in results if r[1] >= 500)
    times = sorted(r[3] for r in results)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{database}: {args.rounds} rounds of {args.writers} writers released together")
    print(f"  writes: {len(results)}, answered 5xx: {server_errors} "
          f"({100 * server_errors / len(results):.1f}%)")
    for kind, codes in sorted(by_kind.items()):
        print(f"    {kind:<11} " + ", ".join(f"{code}: {n}" for code, n in sorted(codes.items())))
    for why, n in failures.most_common():
        print(f"    5xx because: {why} ({n})")
    print(f"  latency: median {times[len(times) // 2] * 1000:.0f} ms, "
          f"max {times[-1] * 1000:.0f} ms")
    print("  Follow-ups booked per double request: "
          + " ".join(str(r["follow_ups"]) for r in rounds))
    print("  compliance statuses accepted per conflicting pair: "
          + " ".join(str(r["statuses"]) for r in rounds))
    print("  double bookings made: " + str(sum(r["double_bookings"] for r in rounds)))
    print(f"  journal verify: {verify.stdout.strip() or verify.stderr.strip()} "
          f"(exit {verify.returncode})")
    text = log.read_text(errors="replace")
    for marker in ("deadlock detected", "database is locked", "could not serialize",
                   "lost a race"):
        if marker in text:
            print(f"  server log mentions {marker!r} {text.count(marker)} times")


def _why(text: str) -> str:
    for marker in ("deadlock detected", "database is locked", "could not serialize"):
        if marker in text:
            return marker
    return text.strip().splitlines()[0][:80] if text.strip() else "(empty body)"


if __name__ == "__main__":
    sys.exit(main())
