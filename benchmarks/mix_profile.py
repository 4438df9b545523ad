"""Where a request of the load mix spends its time: `python3 benchmarks/mix_profile.py`

In one process, without a server or a load tool: loads the demo register into a throwaway
SQLite database (or DATABASE_URL), then asks every route of the load mix (`load_locustfile.py`:
pages and their API counterparts) as each demo person, through Django's test client with the
full middleware stack, and prints per route the median CPU time of a request (process time,
so other load on the machine does not count) and its database queries. The mean over the mix
is what each request costs the server; cores / that mean is the most it can answer.

    python3 benchmarks/mix_profile.py                    # the table
    python3 benchmarks/mix_profile.py --profile 25       # and cProfile's 25 costliest calls
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time

PEOPLE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc", "rep-HEARTH",
          "rep-LUMEN", "rep-MERIDIAN", "rep-CLOUDVAULT", "rep-PYLON"]


def routes(party: str, assessment: object, clause: str) -> list[tuple[str, str]]:
    """The load mix's routes, as (name, address), pages then API, in equal weight."""
    return [("/", "/"), ("/register/", "/register/"),
            ("/register/[party]/", f"/register/{party}/"), ("/schedule/", "/schedule/"),
            ("/assurance/", "/assurance/"), ("/assurance/[id]/", f"/assurance/{assessment}/"),
            ("/code/", "/code/"), ("/code/[clause]/", f"/code/{clause}/"), ("/adt/", "/adt/"),
            ("/api/parties/", "/api/parties/"),
            ("/api/parties/[party]/", f"/api/parties/{party}/"),
            ("/api/parties/[party]/schedule/", f"/api/parties/{party}/schedule/"),
            ("/api/schedule/", "/api/schedule/"),
            ("/api/assurance/assessments/", "/api/assurance/assessments/"),
            ("/api/assurance/assessments/[id]/", f"/api/assurance/assessments/{assessment}/"),
            ("/api/clauses/?section=G8", "/api/clauses/?section=G8"),
            ("/api/clauses/[clause]/", f"/api/clauses/{clause}/"),
            ("/api/adt/thresholds/", "/api/adt/thresholds/")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="requests per route and person")
    parser.add_argument("--profile", type=int, default=0, help="show N costliest functions")
    args = parser.parse_args()
    os.environ.setdefault("SECASSURE_DATA_DIR", tempfile.mkdtemp(prefix="secassure-mix-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secassure.web.settings")
    os.environ.setdefault("SECASSURE_DEMO", "1")
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from secassure.accounts.models import Person
    from secassure.assurance.selectors import assessments_for
    from secassure.demo import load_demo
    call_command("migrate", verbosity=0)
    load_demo()
    cpu: dict[str, list[float]] = {}
    queries: dict[str, list[int]] = {}
    statuses: dict[str, set[int]] = {}
    profiler = cProfile.Profile()
    for username in PEOPLE:
        person = Person.objects.get(username=username)
        client = Client()
        client.force_login(person)
        party = person.party.party_id if person.party else "HEARTH"
        assessment = assessments_for(person).order_by("pk").values_list(
            "pk", flat=True).first() or ""
        for name, url in routes(party, assessment, "G8.42"):
            client.get(url)  # warm caches (clause catalogue, templates)
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.process_time()
                    if args.profile:
                        profiler.enable()
                    answer = client.get(url)
                    if args.profile:
                        profiler.disable()
                    cpu.setdefault(name, []).append(time.process_time() - started)
                queries.setdefault(name, []).append(len(captured))
                statuses.setdefault(name, set()).add(answer.status_code)
    print(f"{'route':40} {'CPU ms (median)':>16} {'queries (max)':>14}  statuses")
    for name in cpu:
        print(f"{name:40} {statistics.median(cpu[name]) * 1000:16.1f} "
              f"{max(queries[name]):14}  {sorted(statuses[name])}")
    mean = statistics.mean(statistics.median(values) for values in cpu.values())
    print(f"\nmean over the mix: {mean * 1000:.1f} ms CPU per request -> at most "
          f"{os.cpu_count() / mean:.0f} requests/s on {os.cpu_count()} cores")
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
