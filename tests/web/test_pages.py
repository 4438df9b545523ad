"""The web pages, as each kind of person sees them."""
import re

import pytest

from tests.conftest import PEOPLE, TODAY


def test_anonymous_visitors_see_only_public_pages(client, demo):
    for public in ["/", "/code/", "/code/G8/", "/code/G8.42/", "/accounts/login/"]:
        assert client.get(public).status_code == 200, public
    for private in ["/register/", "/register/HEARTH/", "/schedule/", "/journal/",
                    "/register/new/"]:
        response = client.get(private)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_clause_pages_have_stable_addresses(client):
    page = client.get("/code/G8.42/").content.decode()
    assert "within 12 months after each Verification User Security Assessment" in page
    assert "Supplier Parties" in page
    assert client.get("/code/G8.42(a)/").status_code == 200
    assert client.get("/code/G2.22A/").status_code == 200
    assert client.get("/code/g8.42/")["Location"] == "/code/G8.42/"
    assert client.get("/code/G8.99/").status_code == 404
    assert client.get("/code/?q=G8.42")["Location"] == "/code/G8.42/"
    assert "G10.2" in client.get("/code/?q=Shared+Resource+Provider").content.decode()


def test_demo_logins_sign_in_with_password_demo(client, demo):
    for username in ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc",
                     "triage-operator", "rep-LUMEN", "rep-AGENTCO"]:
        assert client.login(username=username, password="demo"), username
        client.logout()


def test_demo_logins_are_refused_outside_demo_mode(client, demo, settings):
    settings.SECASSURE_DEMO = False
    assert not client.login(username="secas", password="demo")


def test_a_representative_sees_only_its_own_party(client_for):
    client = client_for("rep-HEARTH")
    page = client.get("/register/").content.decode()
    assert "HEARTH" in page and "LUMEN" not in page
    assert client.get("/register/LUMEN/").status_code == 404
    party = client.get("/register/HEARTH/").content.decode()
    assert "Next assessment" in party and "SSA" in party
    schedule = client.get("/schedule/").content.decode()
    assert "HEARTH" in schedule and "LUMEN" not in schedule


def test_the_register_page_lists_every_party_for_the_committee(client_for):
    page = client_for("ssc-member").get("/register/").content.decode()
    assert all(pid in page for pid in ["LUMEN", "HEARTH", "PYLON", "TRIAGEWORKS", "AGENTCO"])


def test_the_schedule_shows_every_track_sorted_by_due_date(client_for):
    page = client_for("secas").get(f"/schedule/?as_of={TODAY}").content.decode()
    for label in ["Large Supplier Party", "Supplier Party", "Large Network Party",
                  "Network Party", "Other User", "Triage Facility Provider",
                  "No assessment cycle"]:
        assert label in page, label
    dues = re.findall(r"<td>(\d{1,2} \w{3} \d{4})", page)
    from datetime import datetime
    parsed = [datetime.strptime(d, "%d %b %Y") for d in dues]
    assert parsed == sorted(parsed) and len(parsed) > 5
    descending = client_for("secas").get("/schedule/?sort=-due").content.decode()
    parsed = [datetime.strptime(d, "%d %b %Y")
              for d in re.findall(r"<td>(\d{1,2} \w{3} \d{4})", descending)]
    assert parsed == sorted(parsed, reverse=True)


def test_the_schedule_can_show_only_overdue(client_for):
    page = client_for("secas").get(f"/schedule/?as_of={TODAY}&overdue=1").content.decode()
    assert "overdue" in page and "AGENTCO" not in page


def test_a_party_page_lists_the_obligations_of_each_role(client_for):
    page = client_for("secas").get("/register/SUNNYSIDE/").content.decode()
    assert "Export Supplier" in page and "G1.7(c)" in page and "G3.2" in page
    assert 'href="/code/G3.1/"' not in page  # G3.1 is not among G1.7's list


@pytest.mark.parametrize("username", sorted(PEOPLE))
def test_every_kind_of_person_can_use_the_pages_they_may_see(client_for, username):
    client = client_for(username)
    assert client.get("/").status_code == 200
    assert client.get("/register/").status_code == 200
    assert client.get("/schedule/").status_code == 200
    expected = 200 if username in {"secas", "ssc-member", "panel-member",
                                   "cio-assessor"} else 403
    assert client.get("/journal/").status_code == expected
    assert client.get("/register/new/").status_code == (200 if username == "secas" else 403)


def test_secas_adds_and_edits_a_party_and_it_is_journaled(client_for):
    client = client_for("secas")
    response = client.post("/register/new/", {
        "party_id": "ACME", "name": "Acme Energy", "roles": ["import_supplier"],
        "domestic_premises": 1000, "non_domestic_premises": 10,
        "user_ids": "import_supplier: 90-B3-D5-1F-30-99-00-00", "reason": "new supplier"})
    assert response.status_code == 302 and response["Location"] == "/register/ACME/"
    page = client.get("/register/ACME/").content.decode()
    assert "Acme Energy" in page and "90-B3-D5-1F-30-99-00-00" in page and "new supplier" in page
    response = client.post("/register/ACME/edit/", {
        "party_id": "ACME", "name": "Acme Energy plc", "roles": ["import_supplier"],
        "domestic_premises": 300000, "non_domestic_premises": 10, "user_ids": ""})
    assert response.status_code == 302
    assert "Acme Energy plc" in client.get("/register/ACME/").content.decode()
    from secassure.core.journal.models import JournalEntry
    actions = list(JournalEntry.objects.filter(party__party_id="ACME").values_list(
        "action", "actor_label"))
    assert actions == [("registry.party.created", "secas"), ("registry.party.replaced", "secas")]


def test_the_party_form_refuses_bad_data_with_a_clear_message(client_for):
    client = client_for("secas")
    response = client.post("/register/new/", {
        "party_id": "HEARTH", "roles": ["import_supplier"], "domestic_premises": 1,
        "non_domestic_premises": 0})
    assert "already in the register" in response.content.decode()
    response = client.post("/register/new/", {
        "party_id": "ACME", "roles": ["import_supplier"], "domestic_premises": -1,
        "non_domestic_premises": 0})
    assert response.status_code == 200 and "greater than or equal to 0" in \
        response.content.decode()
    response = client.post("/register/new/", {
        "party_id": "ACME", "roles": ["import_supplier"], "domestic_premises": 1,
        "non_domestic_premises": 0, "user_ids": "import_supplier: 90-B3-D5-1F-30-00-0A-00"})
    assert "already used by party HEARTH" in response.content.decode()


def test_references_in_the_text_are_links(client):
    page = client.get("/code/G8.36/").content.decode()
    assert 'href="/code/G8.26(b)/">G8.26(b)</a>' in page
    assert 'href="/code/G8.35/">G8.35</a>' in page


def test_secas_is_the_admin_in_demo_mode(client_for):
    assert client_for("secas").get("/admin/registry/party/").status_code == 200
    assert client_for("ssc-member").get("/admin/registry/party/").status_code == 302


def test_a_booking_stands_in_for_the_next_assessment(client_for):
    """A booked assessment clears the party's "next" on the schedule and the party's page."""
    client = client_for("secas")
    schedule = client.get("/schedule/").content.decode()
    row = schedule[schedule.index('/register/NEWCO/'):]
    row = row[:row.index("</tr>")]
    assert "booked: FUSA" in row
    assert "booked: Full User Security Assessment" in client.get(
        "/register/NEWCO/").content.decode()
