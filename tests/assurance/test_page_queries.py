"""The SSC's meeting page and a party's page answer with a fixed number of queries, however
large the register: a small register and one a hundred times larger give the same counts.

`add_workflow_volume` also feeds benchmarks/assurance_pages.py (1,000 parties, 20,000
assessments in every stage of the workflow).
"""
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secassure.accounts.models import Person
from secassure.demo import load_synthetic

#: Pinned query counts (the session and the user included).
#: Issue 9: a schedule reads the roles each assessment covers (G8.30(a)(i)), and for a
#: party's own people which parties it may name behind an aggregated figure: one query each.
#: Issue 12: the home page says what waits in consultation and review (G6.7(b), G6.10): the
#: SSC's proposals awaiting its opinion (one count); a representative's thresholds overdue for
#: review (the review period SECAS sets, then one count).
PAGES = {"attention": 23, "resource user's party page": 20, "triage provider's party page": 20,
         "party page as its representative": 21, "home page of the committee": 15,
         "home page of a representative": 18}

#: The workflow stages the volume cycles through (category, stage, extra fields).
LIVE = [
    ("VUSA", "booked", {"due": 30}),
    ("VUSA", "report_issued", {"response_due": -7}),        # a response overdue (G8.24)
    ("VUSA", "report_issued", {}),                          # no response date set yet
    ("VUSA", "response_submitted", {}),                     # for the SSC's review (G8.27)
    ("FUSA", "response_submitted", {"initial": True}),      # for the Panel (G8.35)
    ("FUSA", "alternative_proposed", {}),                   # G8.27(b)
    ("VUSA", "plan_agreed", {"next_progress_due": 10}),     # steps overdue (G8.28)
    ("SSA", "ssa_submitted", {}),
    ("SSA", "ssa_reviewed", {}),                            # for the SSC to note
    ("FOLLOW_UP", "booked", {"due": 5}),                    # G8.29
]
HISTORY = ["FUSA", "VUSA", "SSA", "VUSA", "VUSA", "FUSA", "SSA"]


def add_workflow_volume(parties, today: date, person, per_party: int = 18) -> None:
    """Add `per_party` assessments to each party in bulk (not journaled: test data): most of
    them history, four in the workflow with findings, steps, plans; and some Shared Resource
    Providers and Users, Triage Facility Providers and Events of Default."""
    from secassure.assurance.models import (
        Assessment,
        ComplianceStatus,
        EventOfDefault,
        Finding,
        RemediationPlan,
        Step,
    )
    from secassure.core.journal.models import JournalEntry
    from secassure.registry.models import PartyRole

    parties = list(parties)
    PartyRole.objects.bulk_create(
        [PartyRole(party=p, role="shared_resource_provider") for p in parties[::50]]
        + [PartyRole(party=p, role="triage_facility_provider") for p in parties[6::50]])
    for number, provider in enumerate(parties[::50]):
        users = [p.pk for p in parties[number * 50 + 1:number * 50 + 6]]
        type(provider).objects.filter(pk__in=users).update(resource_provider=provider)
    issued = timezone.make_aware(datetime.combine(today - timedelta(days=20), time(10)))
    rows, live = [], []
    for i, party in enumerate(parties):
        for k in range(per_party - 4):
            category = HISTORY[k % len(HISTORY)]
            rows.append(Assessment(party=party, category=category, stage="recorded",
                                   completed=date(2008 + k, 1 + i % 12, 1 + i % 28)))
        for j in range(4):
            category, stage, extra = LIVE[(i * 4 + j) % len(LIVE)]
            fields = {key: today + timedelta(days=value) if isinstance(value, int) and
                      key != "initial" else value for key, value in extra.items()}
            report = stage not in ("booked", "ssa_submitted", "ssa_reviewed")
            a = Assessment(party=party, category=category, stage=stage, **fields,
                           fieldwork_end=today - timedelta(days=25) if report else None,
                           report_issued_at=issued if report else None,
                           response_submitted_at=issued + timedelta(days=9)
                           if stage in ("response_submitted", "alternative_proposed",
                                        "plan_agreed") else None)
            rows.append(a)
            live.append(a)
    Assessment.objects.bulk_create(rows, batch_size=2000)
    if parties[6::50]:  # a Triage Facility Provider approved subject to conditions (G12.7(b))
        Assessment.objects.filter(party__in=parties[6::50], category="FUSA",
                                  stage="response_submitted").update(
            assurance_status="approved_subject_to", status_set=today)
    findings = Finding.objects.bulk_create(
        [Finding(assessment=a, number=n, kind="risk_increase", title=f"Risk {n}",
                 evidence="Seen.") for a in live if a.report_issued_at for n in (1, 2)],
        batch_size=2000)
    stage_of = {a.pk: a.stage for a in live}
    Step.objects.bulk_create(
        [Step(finding=f, description="Remedy", due=today + timedelta(days=-3 if f.number == 1
                                                                     else 40),
              status="agreed" if stage_of[f.assessment_id] == "plan_agreed" else "proposed")
         for f in findings if stage_of[f.assessment_id] != "report_issued"], batch_size=2000)
    plan_status = ComplianceStatus.objects.get(code="compliant_subject_to_plan")
    agreed = [a for a in live if a.stage == "plan_agreed"]
    Assessment.objects.filter(pk__in=[a.pk for a in agreed[::2]]).update(
        compliance_status=plan_status, compliance_set=today)
    RemediationPlan.objects.bulk_create(
        RemediationPlan(assessment=a, plan="Steps.", director_name="A Director",
                        director_statement="I commit.", submitted_by=person)
        for a in agreed[::2])
    EventOfDefault.objects.bulk_create(
        EventOfDefault(party=p, clauses="G3.2", referral="Repeated.", referred_by=person,
                       referred_on=today) for p in parties[3::20])
    JournalEntry.objects.bulk_create(
        [JournalEntry(actor_label="volume", action="assurance.issue_report", clause="G8.23",
                      reason="report issued", party_id=a.party_id, subject=f"assessment:{a.pk}",
                      classification="RED", previous_hash="0" * 64,
                      entry_hash=f"{a.pk:064x}") for a in live], batch_size=2000)


@pytest.fixture
def register(db):
    """A register of `size` synthetic parties with their workflow, and the people looking."""
    from secassure.registry.models import Party
    committee = Person.objects.create(username="committee", kind="ssc_member")
    today = timezone.localdate()

    def grow(size: int, prefix: str):
        load_synthetic(size, prefix=prefix)
        add_workflow_volume(Party.objects.filter(party_id__startswith=prefix).order_by("id"),
                            today, committee)
    grow(10, "S")
    user = Party.objects.get(party_id="S00001")
    Person.objects.create(username="rep", kind="party_rep", party=user)
    return {"grow": grow, "committee": committee}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(captured)


def measure(client, people) -> dict:
    """The query count of each page, each as the person who would use it."""
    counts = {}
    client.force_login(people["committee"])
    counts["attention"] = queries_for(client, "/assurance/attention/")
    counts["home page of the committee"] = queries_for(client, "/")
    counts["resource user's party page"] = queries_for(client, "/register/S00001/")
    counts["triage provider's party page"] = queries_for(client, "/register/S00006/")
    client.force_login(Person.objects.get(username="rep"))
    counts["party page as its representative"] = queries_for(client, "/register/S00001/")
    counts["home page of a representative"] = queries_for(client, "/")
    return counts


def test_the_meeting_and_party_pages_answer_in_a_fixed_number_of_queries(client, register):
    """10 parties (200 assessments) and 1,000 parties (20,000 assessments): same counts."""
    from secassure.assurance.models import Assessment
    small = measure(client, register)
    register["grow"](990, "T")
    assert Assessment.objects.count() == 20_000
    large = measure(client, register)
    assert small == large == PAGES


def test_the_volume_fills_every_section_of_the_meeting_page(client, register):
    client.force_login(register["committee"])
    text = client.get("/assurance/attention/").content.decode()
    for section in ["review", "responses_overdue", "response_date", "steps", "plans",
                    "ssa_to_note", "assurance_status", "defaults", "follow_ups", "triage",
                    "compliance_status"]:
        assert f'<section class="panel attention" id="{section}">' in text, section
    assert "S00001" in client.get("/register/S00001/").content.decode()


def test_the_home_page_counts_what_the_meeting_page_lists(register):
    """The home page counts the meeting page's sections without reading their records; its
    counts are the meeting page's, for the committee and for a party's representative."""
    from secassure.assurance.selectors import attention, attention_counts
    from secassure.assurance.views.lists import HORIZON
    today = timezone.localdate()
    counts = {}
    for person in (register["committee"], Person.objects.get(username="rep")):
        listed = attention(person, today, today + HORIZON)
        counts[person.username] = attention_counts(person, today, today + HORIZON)
        assert counts[person.username] == {key: n for key, (_, n) in listed.items()}
    assert all(counts["committee"][key] > 0
               for key in ("review", "steps", "plans", "defaults", "follow_ups"))
