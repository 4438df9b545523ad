"""How fast is the schedule? `python benchmarks/schedule_bench.py [--parties N]`

Builds a random register of N parties (default 10,000) with every kind of role, sharing,
providers and three years of history, then times parsing the JSON document and computing the
schedule (the work `secassure schedule --input` does), best of five runs.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date, timedelta

from secassure.code.interchange import parse_register
from secassure.code.schedule import schedule

ROLES = [["import_supplier"], ["gas_supplier", "import_supplier"], ["electricity_distributor"],
         ["gas_transporter"], ["other_user"], ["export_supplier"], ["triage_facility_provider"],
         ["registered_supplier_agent"]]


def register(size: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    providers = [f"SRP{i}" for i in range(max(1, size // 100))]
    parties = []
    for i in range(size - len(providers)):
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(900))
        history = [{"type": "FUSA", "completed": start.isoformat(), "initial": True,
                    "assurance_status": rng.choice(["approved", "approved_subject_to",
                                                    "deferred", "rejected"]),
                    "status_set": (start + timedelta(days=30)).isoformat()}]
        for year, kind in enumerate(rng.sample(["VUSA", "SSA", "FUSA"], rng.randrange(4))):
            history.append({"type": kind,
                            "completed": (start + timedelta(days=365 * (year + 1))).isoformat()})
        party = {"id": f"P{i}", "name": f"Party {i}", "roles": rng.choice(ROLES),
                 "domestic_premises": rng.randrange(400_000),
                 "non_domestic_premises": rng.randrange(60_000), "assessments": history}
        if i and rng.random() < 0.2:
            party["shares_resources_with"] = [f"P{rng.randrange(i)}"]
        if rng.random() < 0.3:
            party["resource_provider"] = rng.choice(providers)
        parties.append(party)
    parties += [{"id": p, "roles": ["shared_resource_provider"], "assessments": []}
                for p in providers]
    return {"parties": parties}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=10_000)
    args = parser.parse_args()
    text = json.dumps(register(args.parties))
    best_parse = best_schedule = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        records = parse_register(json.loads(text))
        parsed = time.perf_counter()
        entries = schedule([r.facts() for r in records], date(2025, 1, 10))
        done = time.perf_counter()
        best_parse = min(best_parse, parsed - started)
        best_schedule = min(best_schedule, done - parsed)
    assert len(entries) == args.parties
    print(f"{args.parties} parties ({len(text) / 1e6:.1f} MB of JSON): parse {best_parse:.3f} s, "
          f"schedule {best_schedule:.3f} s, total {best_parse + best_schedule:.3f} s")


if __name__ == "__main__":
    main()
