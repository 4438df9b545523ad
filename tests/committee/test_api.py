"""The committee's API: meetings, the agenda and papers a person may see, conflicts, actions
and the headlines; who may write."""
import pytest

from secassure.committee.models import AgendaItem, Meeting
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_secretariat_schedules_a_meeting_and_adds_an_item(api_for, demo):
    api = api_for("secas")
    created = api.post("/api/committee/meetings/", {"body": "ssc", "number": 400,
                                                    "date": TODAY.isoformat()}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    item = api.post(f"/api/committee/meetings/{pk}/items/",
                    {"title": "Risk register", "classification": "AMBER"}, format="json")
    assert item.status_code == 201 and item.json()["number"] == "2"
    again = api.post("/api/committee/meetings/", {"body": "ssc", "number": 400,
                                                  "date": TODAY.isoformat()}, format="json")
    assert again.status_code == 400 and again.json()["field"] == "number"


def test_a_member_may_not_schedule_a_meeting(api_for, demo):
    response = api_for("ssc-member").post("/api/committee/meetings/", {
        "body": "ssc", "number": 401, "date": TODAY.isoformat()}, format="json")
    assert response.status_code == 403
    assert not Meeting.objects.filter(number=401).exists()


def test_the_agenda_and_papers_follow_the_rule_and_a_conflict(api_for, meeting):
    m, red = meeting["meeting"], meeting["red"]
    hearth = api_for("rep-HEARTH").get(f"/api/committee/meetings/{m.pk}/agenda/").json()
    assert "CLOUDVAULT's FUSA" not in [i["title"] for i in hearth]
    member = api_for("ssc-member")
    papers = member.get("/api/committee/papers/").json()["results"]
    assert red.pk in [p["item"] for p in papers]
    assert member.post(f"/api/committee/meetings/{m.pk}/conflicts/", {"item": red.pk},
                       format="json").status_code == 201
    papers = member.get("/api/committee/papers/").json()["results"]
    assert red.pk not in [p["item"] for p in papers]
    hidden = AgendaItem.objects.get(pk=red.pk)
    assert api_for("rep-HEARTH").post(f"/api/committee/meetings/{m.pk}/conflicts/",
                                      {"item": hidden.pk}, format="json").status_code == 404


def test_the_headlines_over_the_api(api_for, meeting):
    m = meeting["meeting"]
    body = api_for("ssc-member").get(f"/api/committee/meetings/{m.pk}/headlines/").json()
    assert f"(SSC) {m.reference}" in body["markdown"].replace("*", "")
    assert api_for("rep-HEARTH").get(
        f"/api/committee/meetings/{m.pk}/headlines/").status_code == 404
