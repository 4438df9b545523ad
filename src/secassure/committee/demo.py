"""The committee in the demo register, made through the real services (journaled): the SSC's
members and a vacancy, an election in its G7.14 windows, the invitees of G7.16, a meeting held
a fortnight ago (agenda, papers, attendance, a conflict, decisions, actions, minutes) and the
next one, where those minutes are approved."""
from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from secassure.registry.models import Party

from . import services
from .rules import rejection_deadline


def load_committee_demo(people: dict[str, Any], today: date) -> None:
    secas, member = people["secas"], people["ssc-member"]
    parties = {p.party_id: p for p in Party.objects.all()}
    started = today - timedelta(days=200)
    services.appoint_member(secas, seat="chair", name="Chris Chair", started=started,
                            no_objection_on=started - timedelta(days=30))
    services.appoint_member(secas, seat="supplier_large", name=str(member), person=member,
                            started=started, organisation=parties.get("HEARTH"))
    services.appoint_member(secas, seat="supplier_small", name="Sam Small", started=started)
    services.appoint_member(secas, seat="network_gas", name="Gwen Gas", started=started)
    services.appoint_member(secas, seat="dcc", name="Dee Nominee", started=started)
    services.add_invitee(secas, name="Secretary of State's representative",
                         kind="secretary_of_state")
    services.add_invitee(secas, name="Authority's representative", kind="authority")
    close = today - timedelta(days=10)
    election = services.open_election(secas, seat="other_user", nominations_close=close)
    services.nominate(secas, election, candidate="Olive Other")
    rejected = services.nominate(secas, election, candidate="Rex Rejected")
    services.reject_candidate(member, rejected, on=rejection_deadline(close),
                              reason="G7.14(a)(iii): no BS7858 assessment confirmed")

    held = services.schedule_meeting(secas, body="ssc", number=95,
                                     date=today - timedelta(days=14))
    outcomes = services.add_item(secas, held, title="User Security Assessment outcomes",
                                 presenter="SECAS", party=parties.get("CLOUDVAULT"))
    services.add_paper(secas, outcomes, title="CLOUDVAULT FUSA summary",
                       upload=io.BytesIO(b"Summary of the FUSA findings."),
                       filename="cloudvault-fusa.txt")
    g320 = services.add_item(secas, held, title="SEC Section G3.20", classification="AMBER",
                             presenter="SECAS",
                             headline="SECAS presented the proposed change to the process.",
                             publish=True)
    services.add_paper(secas, g320, title="G3.20 process paper", classification="AMBER",
                       upload=io.BytesIO(b"The process."), filename="g320.txt")
    services.add_item(secas, held, title="CPA monitoring", classification="GREEN",
                      headline="The SSC noted the CPA update.", publish=True)
    for name in ("Chris Chair", str(member), "Sam Small", "Gwen Gas"):
        services.record_attendance(secas, held, name=name,
                                   person=member if name == str(member) else None)
    services.record_attendance(secas, held, name="Dee Nominee", present=False)
    services.declare_conflict(member, outcomes, note="HEARTH uses CLOUDVAULT's services")
    services.hold_meeting(secas, held, members_in_office=5)
    services.record_decision(secas, held, text="The SSC agreed the forward plan.",
                             classification="GREEN")
    services.record_action(secas, held, text="Circulate the G3.20 process paper to Parties",
                           owner_name="SECAS", owner=secas, due=today - timedelta(days=2),
                           item=g320)
    services.record_action(secas, held, text="Review the risk register", owner_name=str(member),
                           owner=member, due=today + timedelta(days=10))
    minutes = services.draft_minutes(secas, held)

    nxt = services.schedule_meeting(secas, body="ssc", number=96, date=today,
                                    papers_due=today + timedelta(days=3))
    services.add_item(secas, nxt, title="Security incidents and vulnerabilities",
                      classification="RED")
    services.attach_business(secas, nxt)
    services.approve_minutes(secas, minutes, at=nxt)
    services.schedule_meeting(secas, body="ssc", number=97, date=today + timedelta(days=14),
                              papers_due=today + timedelta(days=7))
    wg = services.schedule_meeting(secas, body="working_group", title="SSC Risk Working Group",
                                   number=12, date=today - timedelta(days=7))
    services.record_attendance(secas, wg, name="Gwen Gas")
    services.record_action(secas, wg, text="Draft the risk treatment plan", owner_name="Gwen Gas",
                           due=today + timedelta(days=21))
