"""Demo notices: a few of each kind in different states, filed and decided through the
services (so each is journaled as a real one would be)."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.registry.models import Party

from . import services
from .rules import add_months
from .services.base import today as service_today


def load_notices_demo(people: dict[str, Any], today: date) -> None:
    parties = {p.party_id: p for p in Party.objects.all()}
    # A system notified "today" is notified before it goes live (G3.9(a)(i)) by the services'
    # clock, which may have passed midnight since `today` was taken (a long test run).
    planned = max(today, service_today())
    secas, ssc = people["secas"], people["ssc-member"]

    def rep(pid: str) -> Any:
        return people["dcc"] if pid == "DCC" else people[f"rep-{pid}"]

    def file(pid: str, kind: str, title: str, event_on: date, **extra: Any) -> Any:
        return services.file_notice(rep(pid), party=parties[pid], kind=kind, title=title,
                                    description=extra.pop("description", title + "."),
                                    event_on=event_on, **extra)

    # Major Security Incidents (G3.5, G2.11)
    hearth = file("HEARTH", "incident", "Credential stuffing against the customer portal",
                  today - timedelta(days=2), systems="Customer portal; head-end gateway")
    services.add_update(rep("HEARTH"), hearth, "Accounts locked; the portal is behind MFA now.")
    services.attach(rep("HEARTH"), hearth, SimpleUploadedFile(
        "incident-timeline.txt", b"09:02 alert raised\n09:40 accounts locked\n"))
    lumen = file("LUMEN", "incident", "Compromised service account", today - timedelta(days=20))
    services.review_notice(secas, lumen, "note", meeting="SSC 12/2026")
    dcc = file("DCC", "incident", "SMETS1 CSP outage with suspected tampering",
               today - timedelta(days=40), smets1_csp=True)
    services.review_notice(ssc, dcc, "close", "Root cause found and fixed.")
    # material vulnerabilities (G3.9(b), G3.17-G3.19)
    file("HEARTH", "vulnerability", "Outdated TLS library on the head-end",
         today - timedelta(days=45), manufacturer="notified", steps="Upgrade the library.",
         complete_by=today - timedelta(days=5), incident=hearth)
    kestrel = file("KESTREL", "vulnerability", "Default credentials on a test router",
                   today - timedelta(days=30), manufacturer="aware",
                   steps="Change them; audit the others.", complete_by=today + timedelta(days=10))
    services.complete_steps(rep("KESTREL"), kestrel, today - timedelta(days=1))
    # new systems: the SSC's gate (G3.9(a))
    file("NEWCO", "new_system", "Second head-end", today + timedelta(days=30),
         purpose="Resilience", relationship="Behind the DCC gateway, beside the first")
    lumen_system = file("LUMEN", "new_system", "Tariff engine", planned,
                        purpose="Tariffs", relationship="Reads from the CRM only")
    services.review_notice(ssc, lumen_system, "authorise")
    services.mark_operational(rep("LUMEN"), lumen_system, planned)
    bramble = file("BRAMBLE", "new_system", "Cloud CRM", planned, purpose="Customer records",
                   relationship="Sends Service Requests through the adapter")
    services.mark_operational(secas, bramble, planned)
    quartz = file("QUARTZ", "new_system", "Remote support tool", today + timedelta(days=5),
                  purpose="Support", relationship="Full access to the User Systems")
    services.review_notice(ssc, quartz, "withhold", "No segregation from the DCC interface.")
    # decommissioning (G3.9(c))
    file("LUMEN", "decommissioning", "Legacy billing system", today + timedelta(days=60))
    # Shared Resources (G5.26, G5.27, G10.2-G10.4)
    file("KESTREL", "shared_resources", "Hosting of the head-end at GridShare", today -
         timedelta(days=190), provider=parties["GRIDSHARE"], provider_contact="ops@gridshare",
         services="Hosting and operation of the head-end")
    file("MERIDIAN", "shared_resources", "Hosting at GridShare", today - timedelta(days=400),
         provider=parties["GRIDSHARE"], provider_contact="ops@gridshare", services="Hosting")
    services.report_sms_count(rep("KESTREL"), parties["KESTREL"], 48_000,
                              add_months(today + timedelta(days=7), -6))
    services.report_sms_count(rep("MERIDIAN"), parties["MERIDIAN"], 210_000,
                              add_months(today, -7))
    file("HEARTH", "provider_change", "Moving from CloudVault to GridShare", today,
         provider=parties["GRIDSHARE"], provider_contact="ops@gridshare",
         services="Hosting of the head-end and the adapter")
    services.submit_provider_list(rep("GRIDSHARE"), parties["GRIDSHARE"],
                                  [p for pid, p in parties.items()
                                   if p.resource_provider_id == parties["GRIDSHARE"].pk])
    services.submit_provider_list(rep("CLOUDVAULT"), parties["CLOUDVAULT"], [parties["HEARTH"]])
    # CPL entries and a CPA Certificate Remedial Plan (G7.20(d), G8.64)
    entry = services.add_cpl_entry(
        secas, manufacturer="Acme Meters", model_hex="00A1", firmware_version="0105",
        firmware_sha256=hashlib.sha256(b"demo firmware 0105").hexdigest(),
        certificate="CPA-2026-001", certificate_expires=today + timedelta(days=10),
        classification="GREEN")
    beta = services.add_cpl_entry(
        secas, manufacturer="Beta Devices", model_hex="1F02", firmware_version="0201",
        firmware_sha256=hashlib.sha256(b"demo firmware 0201").hexdigest(),
        certificate="CPA-LT-7", certificate_renewal=today + timedelta(days=300),
        classification="GREEN")
    services.file_remedial_plan(rep("LUMEN"), parties["LUMEN"], entry,
                                "Replace the affected meters within 12 months.",
                                today + timedelta(days=20))
    # KESTREL's plan for the Beta entry: changes asked, then the revised plan accepted (G8.64)
    first = services.file_remedial_plan(rep("KESTREL"), parties["KESTREL"], beta,
                                        "Update the firmware when the vendor can.",
                                        today + timedelta(days=30))
    services.review_remedial_plan(ssc, first, outcome="changes",
                                  reasons="Say by when, and what is done until then.")
    revised = services.file_remedial_plan(
        rep("KESTREL"), parties["KESTREL"], beta, "Firmware 0202 on every meter within three "
        "months; until then the affected meters are read remotely only.",
        today + timedelta(days=30))
    services.review_remedial_plan(ssc, revised, outcome="accept")
