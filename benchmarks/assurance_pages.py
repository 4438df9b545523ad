"""How fast are the assurance pages at real volumes? `python benchmarks/assurance_pages.py`

Creates a throwaway SQLite database (or uses DATABASE_URL), adds N synthetic parties
(default 1,000) with 20 assessments each (20,000: history, and every stage of the workflow
with findings, steps, Remediation Plans, Events of Default; see
tests/assurance/test_page_queries.py), then times the SSC's meeting page and party pages
through Django's test client (median of 20 requests) and counts their queries.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.assurance
    os.environ.setdefault("SECASSURE_DATA_DIR", tempfile.mkdtemp(prefix="secassure-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secassure.web.settings")
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from secassure.accounts.models import Person
    from secassure.assurance.models import Assessment
    from secassure.demo import load_synthetic
    from secassure.registry.models import Party
    from tests.assurance.test_page_queries import add_workflow_volume

    call_command("migrate", verbosity=0)
    prefix = f"B{time.time_ns() % 10_000}-"
    started = time.perf_counter()
    committee = Person.objects.create(username=f"ssc{time.time_ns()}", kind="ssc_member")
    load_synthetic(args.parties, prefix=prefix)
    parties = Party.objects.filter(party_id__startswith=prefix).order_by("id")
    add_workflow_volume(parties, timezone.localdate(), committee)
    print(f"{parties.count()} parties, {Assessment.objects.count()} assessments "
          f"(built in {time.perf_counter() - started:.1f} s)")
    user = parties[1]  # a Shared Resource User
    rep = Person.objects.create(username=f"rep{time.time_ns()}", kind="party_rep", party=user)
    pages = [(committee, "/assurance/attention/"),
             (committee, f"/register/{parties[args.parties // 2 + 1].party_id}/"),
             (committee, f"/register/{parties[6].party_id}/"),
             (rep, f"/register/{user.party_id}/")]
    for person, url in pages:
        client = Client()
        client.force_login(person)
        client.get(url)  # warm up (clause catalogue, templates)
        times = []
        for _ in range(args.repeat):
            begun = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - begun)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        who = person.get_kind_display()
        print(f"{url:<32} {who:<22} median {statistics.median(times) * 1000:6.1f} ms  "
              f"max {max(times) * 1000:6.1f} ms  {len(captured)} queries")


if __name__ == "__main__":
    main()
