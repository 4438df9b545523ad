"""How fast are the register pages at real volumes? `python benchmarks/pages_bench.py`

Creates a throwaway SQLite database (or uses DATABASE_URL), adds N synthetic parties
(default 1,000) with roles, sharing and history, then times each page through Django's test
client as SECAS (median of 20 requests) and counts its queries.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("SECASSURE_DATA_DIR", tempfile.mkdtemp(prefix="secassure-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secassure.web.settings")
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from secassure.accounts.models import Person
    from secassure.demo import load_synthetic
    call_command("migrate", verbosity=0)
    load_synthetic(args.parties, prefix=f"B{time.time_ns() % 10_000}-")
    person = Person.objects.create(username=f"bench{time.time_ns()}", kind="secas")
    client = Client()
    client.force_login(person)
    from secassure.registry.models import Party
    some_party = Party.objects.order_by("id")[args.parties // 2].party_id
    for url in ["/register/", "/schedule/", f"/register/{some_party}/", "/"]:
        client.get(url)  # warm up (clause catalogue, templates)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        print(f"{url:<28} median {statistics.median(times) * 1000:6.1f} ms  "
              f"max {max(times) * 1000:6.1f} ms  {len(captured)} queries")


if __name__ == "__main__":
    main()
