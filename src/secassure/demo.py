"""The demo register: fictional parties that show every track and every stage of entry.

Dates are relative to today, so the schedule always shows a mix of work: some overdue, some
due soon, some waiting on the Panel. Demo logins (password `demo`) sign in only in demo mode.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from secassure.code.dates import add_months

DEMO_PASSWORD = "demo"
DEMO_STAFF = {
    "secas": ("secas", None, "Sam", "Secretariat"),
    "ssc-member": ("ssc_member", None, "Sasha", "Committee"),
    "panel-member": ("panel_member", None, "Pat", "Panel"),
    "cio-assessor": ("cio_assessor", None, "Chris", "Assessor"),
    "dcc-assessor": ("dcc_assessor", None, "Dee", "DCC Assessor"),
    "dcc": ("dcc", None, "Dana", "DCC"),
    "triage-operator": ("triage_operator", "TRIAGEWORKS", "Toni", "Triage"),
}


def demo_document(today: date | None = None) -> dict:
    """The demo register in the interchange format."""
    today = today or timezone.localdate()

    def ago(months: int, days: int = 0) -> str:
        return (add_months(today, -months) - timedelta(days=days)).isoformat()

    def entry(months: int, status: str = "approved", lag_days: int = 40) -> dict:
        completed = add_months(today, -months)
        return {"type": "FUSA", "completed": completed.isoformat(), "initial": True,
                "assurance_status": status,
                "status_set": (completed + timedelta(days=lag_days)).isoformat()}

    def did(kind: str, months: int, days: int = 0) -> dict:
        return {"type": kind, "completed": ago(months, days)}

    def ids(role: str, *numbers: int) -> dict:
        return {role: [f"90-B3-D5-1F-30-{n // 256:02X}-{n % 256:02X}-00" for n in numbers]}

    parties: list[dict[str, Any]] = [
        {"id": "LUMEN", "name": "Lumen Energy plc", "roles": ["import_supplier", "gas_supplier"],
         "domestic_premises": 1_240_000, "non_domestic_premises": 31_000,
         "assessments": [entry(40), did("FUSA", 28), did("FUSA", 14)],
         "user_ids": ids("import_supplier", 1, 2) | ids("gas_supplier", 3)},
        {"id": "HEARTH", "name": "Hearth Gas & Power Ltd", "roles": ["import_supplier"],
         "domestic_premises": 92_000, "non_domestic_premises": 4_100,
         "shares_resources_with": ["KESTREL"], "resource_provider": "CLOUDVAULT",
         "assessments": [entry(30, "approved_subject_to"), did("FOLLOW_UP", 27),
                         did("VUSA", 16)],
         "user_ids": ids("import_supplier", 10)},
        {"id": "KESTREL", "name": "Kestrel Supply Ltd", "roles": ["gas_supplier"],
         "domestic_premises": 38_000, "non_domestic_premises": 1_200,
         "assessments": [entry(3, "deferred", lag_days=20)],
         "user_ids": ids("gas_supplier", 20)},
        {"id": "NEWCO", "name": "Newco Energy Ltd", "roles": ["import_supplier", "export_supplier"],
         "domestic_premises": 0, "non_domestic_premises": 0, "assessments": []},
        {"id": "BRAMBLE", "name": "Bramble Energy Ltd", "roles": ["import_supplier"],
         "domestic_premises": 5_000, "non_domestic_premises": 300,
         "assessments": [entry(5, "rejected", lag_days=30)]},
        {"id": "QUARTZ", "name": "Quartz Power Ltd", "roles": ["gas_supplier"],
         "domestic_premises": 12_000, "non_domestic_premises": 0,
         "assessments": [{"type": "FUSA", "completed": ago(1), "initial": True}]},
        {"id": "PYLON", "name": "Pylon Distribution plc",
         "roles": ["electricity_distributor", "registration_data_provider"],
         "domestic_premises": 2_100_000, "non_domestic_premises": 0,
         "assessments": [entry(26), did("VUSA", 13)],
         "user_ids": ids("electricity_distributor", 30) | ids("registration_data_provider", 31)},
        {"id": "MERIDIAN", "name": "Meridian Gas Networks Ltd", "roles": ["gas_transporter"],
         "domestic_premises": 180_000, "non_domestic_premises": 0,
         "resource_provider": "GRIDSHARE",
         "assessments": [entry(50), did("VUSA", 37), did("VUSA", 25), did("FUSA", 13)],
         "user_ids": ids("gas_transporter", 40)},
        {"id": "FENWAY", "name": "Fenway Electricity Networks Ltd",
         "roles": ["electricity_distributor"], "domestic_premises": 95_000,
         "non_domestic_premises": 0, "resource_provider": "GRIDSHARE",
         "assessments": [entry(20)], "user_ids": ids("electricity_distributor", 50)},
        {"id": "SOLWAY", "name": "Solway Pipelines Ltd", "roles": ["gas_transporter"],
         "domestic_premises": 61_000, "non_domestic_premises": 0,
         "assessments": [entry(38), did("VUSA", 25), did("SSA", 14, days=20)],
         "user_ids": ids("gas_transporter", 60)},
        {"id": "CLOUDVAULT", "name": "CloudVault Managed Services Ltd",
         "roles": ["shared_resource_provider"],
         "assessments": [entry(15)]},
        {"id": "GRIDSHARE", "name": "GridShare Hosting Ltd", "roles": ["shared_resource_provider"],
         "assessments": [entry(36), did("VUSA", 24), did("VUSA", 11)]},
        {"id": "ORBIT", "name": "Orbit Metering Services Ltd", "roles": ["other_user"],
         "assessments": [entry(34), did("VUSA", 21), did("SSA", 9)],
         "user_ids": ids("other_user", 70)},
        {"id": "TRIAGEWORKS", "name": "Triage Works Ltd", "roles": ["triage_facility_provider"],
         "assessments": [entry(8) | {"ssc_next_category": "VUSA"}]},  # G12.8
        {"id": "FIXLAB", "name": "FixLab Devices Ltd", "roles": ["triage_facility_provider"],
         "assessments": [entry(13, "approved_subject_to")]},
        {"id": "SUNNYSIDE", "name": "Sunnyside Export Ltd", "roles": ["export_supplier"],
         "user_ids": ids("export_supplier", 80)},
        {"id": "AGENTCO", "name": "Meter Agents Co-operative",
         "roles": ["registered_supplier_agent"], "user_ids": ids("registered_supplier_agent", 90)},
        {"id": "DCC", "name": "Smart DCC Ltd", "roles": ["dcc"]},  # G9.3(b)(i): its own cycle
    ]
    for party in parties:
        party.setdefault("assessments", [])
    return {"parties": parties}


def load_demo(today: date | None = None) -> bool:
    """Load the demo register and its logins into an empty register; False if not empty."""
    from secassure.accounts.models import Person
    from secassure.assurance.services import import_register
    from secassure.core.permissions import SYSTEM
    from secassure.registry.models import Party

    if Party.objects.exists():
        return False
    today = today or timezone.localdate()  # the services' date (TIME_ZONE), not the machine's
    with transaction.atomic():
        import_register(SYSTEM, demo_document(today), reason="demo register")
        password = make_password(DEMO_PASSWORD)  # one hash for every demo login: fast
        parties = {p.party_id: p for p in Party.objects.all()}
        people = [Person(username=username, kind=kind, party=parties.get(party or ""),
                         first_name=first, last_name=last, password=password, is_demo=True)
                  for username, (kind, party, first, last) in DEMO_STAFF.items()]
        people += [Person(username=f"rep-{pid}", kind="party_rep", party=party,
                          first_name="Representative", last_name=party.name,
                          password=password, is_demo=True)
                   for pid, party in parties.items() if not party.is_dcc]
        dcc = parties["DCC"]
        for person in people:
            person.is_staff = person.is_superuser = person.kind == "secas"  # SECAS: the admin
            if person.kind == "dcc":
                person.party = dcc
        Person.objects.bulk_create(people)
        from secassure.assurance.demo import load_assurance_demo
        everyone = {p.username: p for p in Person.objects.all()}
        load_assurance_demo(everyone, today)
        from secassure.anomaly.demo import load_anomaly_demo
        load_anomaly_demo(everyone, today)
        from secassure.notices.demo import load_notices_demo
        load_notices_demo(everyone, today)
        from secassure.committee.demo import load_committee_demo
        load_committee_demo(everyone, today)
    return True


def load_synthetic(size: int, prefix: str = "S") -> None:
    """Add `size` synthetic parties in bulk (roles, sharing, two assessments each), for
    measuring pages and queries at real volumes. Not journaled: it is test data."""
    from secassure.assurance.models import Assessment
    from secassure.registry.models import Party, PartyRole, ResourceSharing

    roles = ["import_supplier", "electricity_distributor", "other_user", "gas_supplier"]
    with transaction.atomic():
        parties = Party.objects.bulk_create(
            Party(party_id=f"{prefix}{i:05d}", name=f"Synthetic Party {i}",
                  domestic_premises=(i * 397) % 400_000, non_domestic_premises=i % 60_000)
            for i in range(size))
        PartyRole.objects.bulk_create(PartyRole(party=p, role=roles[i % 4])
                                      for i, p in enumerate(parties))
        pairs = zip(parties[::2], parties[1::2], strict=False)  # an odd one out shares nothing
        ResourceSharing.objects.bulk_create(ResourceSharing(party=a, partner=b) for a, b in pairs)
        Assessment.objects.bulk_create(
            Assessment(party=p, category=category, completed=date(2022 + k, 3, 1 + i % 28),
                       initial=k == 0, assurance_status="approved" if k == 0 else "",
                       status_set=date(2022, 4, 1 + i % 28) if k == 0 else None)
            for i, p in enumerate(parties) for k, category in enumerate(("FUSA", "VUSA")))
