"""The committee's pages, downloads and the iCal feed."""
from datetime import timedelta

import pytest
from icalendar import Calendar

from secassure.committee import services
from secassure.committee.models import AgendaItem, Meeting, PaperVersion
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_secretariat_schedules_a_meeting_and_prepares_its_agenda(client_for):
    client = client_for("secas")
    response = client.post("/committee/", {"body": "ssc", "number": "200",
                                           "date": TODAY.isoformat()})
    meeting = Meeting.objects.get(number=200)
    assert response.status_code == 302
    client.post(f"/committee/meetings/{meeting.pk}/", {
        "do": "add_item", "title": "Risk register", "classification": "AMBER"})
    assert AgendaItem.objects.filter(meeting=meeting, title="Risk register",
                                     number=2).exists()
    page = client.get(f"/committee/meetings/{meeting.pk}/").content.decode()
    assert "2. Risk register" in page


def test_a_member_cannot_add_an_item(client_for, meeting):
    client = client_for("ssc-member")
    response = client.post(f"/committee/meetings/{meeting['meeting'].pk}/",
                           {"do": "add_item", "title": "x", "classification": "RED"})
    assert response.status_code == 403


def test_a_conflict_declared_on_the_page_withholds_the_papers(client_for, meeting):
    m, red = meeting["meeting"], meeting["red"]
    version = PaperVersion.objects.get(paper__item=red)
    client = client_for("ssc-member")
    assert client.get(f"/committee/papers/{version.pk}/").status_code == 200
    client.post(f"/committee/meetings/{m.pk}/", {"do": "conflict", "item": red.pk})
    assert client.get(f"/committee/papers/{version.pk}/").status_code == 404
    assert client.get("/committee/papers/999999/").status_code == 404   # like a missing one
    page = client.get(f"/committee/meetings/{m.pk}/").content.decode()
    assert "papers are withheld from you" in page


def test_a_party_does_not_download_another_partys_paper(client_for, meeting):
    version = PaperVersion.objects.get(paper__item=meeting["red"])
    assert client_for("rep-HEARTH").get(f"/committee/papers/{version.pk}/").status_code == 404


def test_the_headlines_page_and_downloads(client_for, meeting):
    m = meeting["meeting"]
    client = client_for("secas")
    page = client.get(f"/committee/meetings/{m.pk}/headlines/").content.decode().replace("*", "")
    assert f"Headlines of the Security Sub-Committee (SSC) 106_{TODAY:%d%m}" in page
    assert "3. SEC Section G3.20: SECAS presented the changes. (AMBER)" in page
    pdf = client.get(f"/committee/meetings/{m.pk}/headlines.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/committee/meetings/{m.pk}/headlines.docx")
    assert docx.content.startswith(b"PK")
    assert client_for("rep-HEARTH").get(
        f"/committee/meetings/{m.pk}/headlines/").status_code == 404


def test_headlines_naming_a_party_are_refused(client_for, meeting, demo):
    services.set_headline(demo["secas"], meeting["white"], headline="CLOUDVAULT presented.",
                          publish=True)
    response = client_for("secas").get(f"/committee/meetings/{meeting['meeting'].pk}/"
                                       "headlines/", follow=True)
    assert "names party CLOUDVAULT" in response.content.decode()


def test_minutes_download_only_for_those_who_may_read_them(client_for, meeting, demo):
    services.draft_minutes(demo["secas"], meeting["meeting"])
    pk = meeting["meeting"].pk
    assert client_for("ssc-member").get(
        f"/committee/meetings/{pk}/minutes.pdf").content.startswith(b"%PDF")
    assert client_for("rep-HEARTH").get(
        f"/committee/meetings/{pk}/minutes.docx").status_code == 404


def test_the_monthly_report_from_the_database(client_for, demo):
    page = client_for("ssc-member").get(f"/committee/monthly/?month={TODAY:%Y-%m}")
    assert page.status_code == 200
    assert b"The Panel is requested to NOTE the content of this paper." in page.content
    assert client_for("ssc-member").get(
        f"/committee/monthly.docx?month={TODAY:%Y-%m}&appendix=1").content.startswith(b"PK")


def test_the_ical_feed_lists_meetings_papers_due_and_my_actions(client_for, demo, meeting):
    m = meeting["meeting"]
    m.papers_due = TODAY
    m.save()
    services.record_action(demo["secas"], m, text="Write the risk paper", owner_name="SSC",
                           owner=demo["ssc-member"], due=TODAY + timedelta(days=3))
    feed = client_for("ssc-member").get("/committee/calendar.ics")
    assert feed["Content-Type"] == "text/calendar"
    events = {str(e["SUMMARY"]): e.decoded("DTSTART")
              for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert events[str(m)] == TODAY
    assert events[f"Papers due: {m}"] == TODAY
    assert events["Action 106/01 due: Write the risk paper"] == TODAY + timedelta(days=3)
    other = client_for("rep-HEARTH").get("/committee/calendar.ics").content.decode()
    assert "Write the risk paper" not in other


def test_the_members_page_shows_vacancies(client_for, demo, no_members):
    services.appoint_member(demo["secas"], seat="dcc", name="Dee", started=TODAY)
    page = client_for("ssc-member").get("/committee/members/").content.decode()
    assert "Dee" in page and "Supplier Member (Large Supplier Parties)" in page


def test_an_election_is_run_from_the_members_page(client_for, demo, no_members):
    """G7.14: nominations, the SSC's rejection within 5 Working Days, the referral and the
    Panel's determination, the result; the Chair needs the Secretary of State's no-objection."""
    from datetime import date

    from secassure.committee.models import Election, Membership, Nomination
    secas = client_for("secas")
    secas.post("/committee/members/", {"do": "open_election", "seat": "other_user",
                                       "nominations_close": "2020-08-26"})
    election = Election.objects.get(seat="other_user")
    page = secas.get("/committee/members/").content.decode()
    assert "until Thursday 3 September 2020" in page   # 5 Working Days, bank holiday skipped
    for name in ("Alice", "Bob"):
        secas.post("/committee/members/", {"do": "nominate", "election": election.pk,
                                           "candidate": name})
    alice = Nomination.objects.get(candidate="Alice")
    member = client_for("ssc-member")
    late = member.post("/committee/members/", {"do": "reject", "nomination": alice.pk,
                                               "on": "2020-09-04", "reason": "(iii)"},
                       follow=True)
    assert "G7.14(a)" in late.content.decode()
    member.post("/committee/members/", {"do": "reject", "nomination": alice.pk,
                                        "on": "2020-09-03", "reason": "(iii)"})
    secas = client_for("secas")
    secas.post("/committee/members/", {"do": "refer", "nomination": alice.pk,
                                       "on": "2020-09-08"})
    client_for("panel-member").post("/committee/members/", {
        "do": "determine", "nomination": alice.pk, "eligible": "yes"})
    secas = client_for("secas")
    secas.post("/committee/members/", {"do": "result", "nomination": alice.pk,
                                       "started": "2020-10-01"})
    assert Membership.objects.get(seat="other_user").term_ends == date(2022, 10, 1)
    refused = secas.post("/committee/members/", {"do": "appoint", "seat": "chair",
                                                 "name": "C", "started": "2020-10-01"},
                         follow=True)
    assert "G7.5(f)(ii)" in refused.content.decode()
