"""Consultation, notification and review (G6.7(b)-G6.10) through the pages and the API: who may
do what, the order rule as 409, bad input as 400 naming the field, another party's
consultation as a 404, and no User ID value in anything the SSC is shown (G6.8)."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from secassure.adt.signing import sign
from secassure.anomaly.demo import HEARTH_ID, LUMEN_IDS, demo_private_key, load_anomaly_demo
from secassure.anomaly.models import DccProposal, Threshold, UserConsultation
from secassure.registry.models import UserId
from tests.conftest import TODAY


@pytest.fixture
def client_for(demo):
    """A new page client per call (the shared one would sign the last person in for all)."""
    from django.test import Client

    def sign_in(username):
        client = Client()
        client.force_login(demo[username])
        return client
    return sign_in


@pytest.fixture
def adt(demo):
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    return demo


def body(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.content.decode() if not response.get("Content-Type", "").startswith(
        "application/json") else response.json()


def no_user_id_in(text: str) -> None:
    """G6.8: "without User IDs where the SSC has no need": no User ID value appears."""
    for value in UserId.objects.values_list("value", flat=True):
        assert value not in text, value


def hearth_applies(client, identifier, rows):
    content = json.dumps({"format": "secassure-thresholds/1", "id": identifier,
                          "party": "HEARTH", "thresholds": [
                              {"user_id": u, "srv": s, "counter": c, "warning": w,
                               "quarantine": q} for u, s, c, w, q in rows]}).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile
    response = client.post("/adt/submit/", {
        "content": SimpleUploadedFile("t.json", content),
        "signature": SimpleUploadedFile("t.sig", sign(content, demo_private_key("HEARTH")))})
    assert response.status_code in (200, 302), response.content[:300]


# --- G6.7(b) in the pages -----------------------------------------------------------------

def test_the_proposal_flow_in_the_pages(client_for, adt):
    """G6.7(b): proposed -> the SSC's opinion -> set; setting first is a 409 naming the
    clause; a second opinion is a 409; bad input is a 400 naming the field."""
    dcc, ssc = client_for("dcc"), client_for("ssc-member")
    bad = dcc.post("/adt/proposals/", {"srv": "7.1", "counter": "critical", "quarantine": "-1"})
    assert bad.status_code == 400 and "quarantine:" in bad.content.decode()
    both = dcc.post("/adt/proposals/", {"srv": "7.1", "command": "CS12", "counter": "critical",
                                        "quarantine": "10"})
    assert both.status_code == 400 and "srv: name an SRV or" in both.content.decode()
    for username in ("ssc-member", "secas", "rep-HEARTH"):
        assert client_for(username).post("/adt/proposals/", {
            "srv": "7.3", "counter": "critical", "quarantine": "10"}).status_code == 403
    made = dcc.post("/adt/proposals/", {"srv": "7.3", "counter": "critical", "quarantine": "900",
                                        "warning": "800", "reason": "new SRV in scope"})
    assert made.status_code == 302
    proposal = DccProposal.objects.get(srv__srv="7.3")
    url = f"/adt/proposals/{proposal.pk}/"
    early = dcc.post(url + "set/", {"account": ""})
    assert early.status_code == 409 and "G6.7(b)" in early.content.decode()
    assert 'id="give-opinion"' in body(ssc.get(url))
    assert 'id="give-opinion"' not in body(dcc.get(url))
    assert ssc.post(url + "opinion/", {"text": "Lower.", "level": "700"}).status_code == 302
    again = ssc.post(url + "opinion/", {"text": "Again."})
    assert again.status_code == 409 and "already given" in again.content.decode()
    departs = dcc.post(url + "set/", {"account": ""})
    assert departs.status_code == 400 and "account: the level 900 departs" in \
        departs.content.decode()
    assert dcc.post(url + "set/", {"account": "peaks of 850"}).status_code == 302
    assert dcc.post(url + "set/", {"account": "again"}).status_code == 409
    assert Threshold.objects.get(user_id=None, srv__srv="7.3").quarantine == 900
    assert dcc.post(url + "nonsense/", {}).status_code == 404
    for username in ("rep-HEARTH", "panel-member", "triage-operator"):
        assert client_for(username).get(url).status_code == 404
        assert client_for(username).get("/adt/proposals/").status_code == 403


# --- G6.8: the feed and summary without User IDs ------------------------------------------

def test_the_sscs_feed_and_summary_carry_no_user_id(client_for, api_for, adt):
    """G6.8(b): a User's signed file applied appears in the SSC's feed by party and User Role,
    never with its User ID, in the page and in the API."""
    hearth_applies(client_for("rep-HEARTH"), "HEARTH-feed-page", [(HEARTH_ID, "7.2", "critical",
                                                                   30, 44)])
    page = body(client_for("ssc-member").get("/adt/notices/"))
    assert "HEARTH-feed-page" in page and "Import Supplier" in page
    no_user_id_in(page)
    feed = body(api_for("ssc-member").get("/api/adt/notices/"))
    assert feed[0]["source"] == "HEARTH-feed-page" and feed[0]["quarantine"] == 44
    assert "user_id" not in feed[0]
    no_user_id_in(json.dumps(feed))
    summary = body(api_for("ssc-member").get("/api/adt/notices/summary/"))
    assert {"target": "7.2", "counter": "critical"}.items() <= next(
        r for r in summary if r["target"] == "7.2").items()
    no_user_id_in(json.dumps(summary))
    assert api_for("ssc-member").get("/api/adt/notices/summary/?month=2026-13").status_code \
        == 400
    assert client_for("ssc-member").get("/adt/notices/?month=nope").status_code == 400
    for username in ("rep-HEARTH", "panel-member"):
        assert client_for(username).get("/adt/notices/").status_code == 403
        assert api_for(username).get("/api/adt/notices/").status_code == 403
    assert client_for("dcc").get("/adt/notices/").status_code == 200


# --- G6.9: consultations ------------------------------------------------------------------

def test_the_consultation_flow_and_who_sees_it(client_for, api_for, adt):
    """G6.9: the User's own people ask, the DCC answers once; another party's consultation is a
    404; the SSC sees it by party and User Role, no User ID; the register shows the opinion
    beside the level set."""
    hearth = client_for("rep-HEARTH")
    asked = hearth.post("/adt/consultations/", {"user_id": HEARTH_ID, "srv": "11.3",
                                                "counter": "critical", "quarantine": "25"})
    assert asked.status_code == 302
    consultation = UserConsultation.objects.get(srv__srv="11.3")
    url = f"/adt/consultations/{consultation.pk}/"
    lumen = UserConsultation.objects.get(user_id__value=LUMEN_IDS[1])
    assert client_for("rep-HEARTH").get(f"/adt/consultations/{lumen.pk}/").status_code == 404
    assert api_for("rep-HEARTH").get(
        f"/api/adt/consultations/{lumen.pk}/").status_code == 404
    for username in ("panel-member", "cio-assessor"):
        assert client_for(username).get(url).status_code in (403, 404)
    ssc_page = body(client_for("ssc-member").get(url))
    assert "HEARTH" in ssc_page
    no_user_id_in(ssc_page)
    no_user_id_in(body(client_for("ssc-member").get("/adt/consultations/")))
    as_ssc = body(api_for("ssc-member").get("/api/adt/consultations/"))
    rows = as_ssc["results"] if isinstance(as_ssc, dict) else as_ssc
    assert rows and all(r["user_id"] is None for r in rows)
    no_user_id_in(json.dumps(as_ssc))
    assert HEARTH_ID in body(hearth.get(url))
    # another party cannot consult on HEARTH's User ID (the form offers only its own)
    assert client_for("rep-LUMEN").post("/adt/consultations/", {
        "user_id": HEARTH_ID, "srv": "11.3", "counter": "critical",
        "quarantine": "5"}).status_code == 400
    refused = api_for("rep-LUMEN").post("/api/adt/consultations/", {
        "user_id": HEARTH_ID, "srv": "11.3", "counter": "critical", "quarantine": 5},
        format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "user_id"
    dcc = client_for("dcc")
    assert hearth.post(url + "answer/", {"text": "x", "level": "1"}).status_code == 403
    bad = dcc.post(url + "answer/", {"text": "20 is enough."})
    assert bad.status_code == 400 and "level" in bad.content.decode()
    assert dcc.post(url + "answer/", {"text": "20 is enough.", "level": "20"}).status_code == 302
    twice = api_for("dcc").post(f"/api/adt/consultations/{consultation.pk}/answer/",
                                {"text": "again", "level": 21}, format="json")
    assert twice.status_code == 409 and "G6.9" in twice.json()["detail"]
    hearth_applies(hearth, "HEARTH-after-consult", [(HEARTH_ID, "11.3", "critical", None, 20)])
    register = body(hearth.get("/adt/?party=HEARTH&srv=11.3"))
    assert "DCC advised 20" in register
    assert "not consulted" in body(hearth.get("/adt/?party=HEARTH&srv=4.8.1"))


# --- G6.7(b) and G6.10 in the API ---------------------------------------------------------

def test_the_proposal_and_review_api(api_for, adt):
    dcc, ssc = api_for("dcc"), api_for("ssc-member")
    made = dcc.post("/api/adt/proposals/", {"command": "CS14", "counter": "critical",
                                            "quarantine": 30}, format="json")
    assert made.status_code == 201 and made.json()["state"] == "proposed"
    pk = made.json()["id"]
    early = dcc.post(f"/api/adt/proposals/{pk}/set/", {}, format="json")
    assert early.status_code == 409 and "G6.7(b)" in early.json()["detail"]
    assert api_for("rep-HEARTH").get(f"/api/adt/proposals/{pk}/").status_code == 404
    assert dcc.post(f"/api/adt/proposals/{pk}/opinion/", {"text": "x"},
                    format="json").status_code == 403
    assert ssc.post(f"/api/adt/proposals/{pk}/opinion/", {"text": "Fine.", "level": 30},
                    format="json").status_code == 200
    done = dcc.post(f"/api/adt/proposals/{pk}/set/", {}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "set"
    commands = [t for t in body(dcc.get("/api/adt/thresholds/?party=*"))["results"]
                if t["command"]]
    assert [(t["srv"], t["command"], t["quarantine"]) for t in commands] == [(None, "CS14", 30)]
    bad = dcc.post("/api/adt/proposals/", {"srv": "7.1", "counter": "critical",
                                           "quarantine": 5, "warning": 9}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "warning"
    # G6.6(b): an SRV's value limits are proposed the same way
    limits = dcc.post("/api/adt/proposals/", {"srv": "1.5", "value_min": "0",
                                              "value_max": "450"}, format="json")
    assert limits.status_code == 201 and limits.json()["value_max"] == "450.000000"
    pk = limits.json()["id"]
    assert ssc.post(f"/api/adt/proposals/{pk}/opinion/", {"text": "Agreed."},
                    format="json").status_code == 200
    assert body(dcc.post(f"/api/adt/proposals/{pk}/set/", {}, format="json"))["state"] == "set"
    assert body(dcc.get("/api/adt/srvs/1.5/"))["value_max"] == "450.000000"
    # G6.10: SECAS sets the period; the owner reviews
    assert api_for("dcc").post("/api/adt/reviews/period/", {"months": 6},
                               format="json").status_code == 403
    assert api_for("secas").post("/api/adt/reviews/period/", {"months": 0},
                                 format="json").status_code == 400
    assert body(api_for("secas").post("/api/adt/reviews/period/", {"months": 6},
                                      format="json"))["months"] == 6
    threshold = Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv="7.2")
    for username in ("rep-LUMEN", "dcc"):
        assert api_for(username).post("/api/adt/reviews/", {
            "threshold": threshold.pk, "outcome": "appropriate", "reasons": "x"},
            format="json").status_code in (400, 403)
    reviewed = api_for("rep-HEARTH").post("/api/adt/reviews/", {
        "threshold": threshold.pk, "outcome": "no_longer", "reasons": "volumes doubled"},
        format="json")
    assert reviewed.status_code == 201
    assert body(api_for("rep-HEARTH").get(f"/api/adt/thresholds/{threshold.pk}/"))["flagged"]


def test_review_in_the_pages(client_for, adt):
    """G6.10: the owner records a review from the threshold page; "no longer appropriate"
    shows in the register until replaced; SECAS sets the period on the review page."""
    threshold = Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv="4.1.1")
    url = f"/adt/thresholds/{threshold.pk}/"
    hearth = client_for("rep-HEARTH")
    assert 'id="review-threshold"' in body(hearth.get(url))
    assert 'id="review-threshold"' not in body(client_for("dcc").get(url))
    assert client_for("dcc").post(url + "reviewed/", {"outcome": "appropriate",
                                                      "reasons": "x"}).status_code == 403
    missing = hearth.post(url + "reviewed/", {"outcome": "no_longer", "reasons": ""})
    assert missing.status_code == 400 and "reasons" in missing.content.decode()
    assert hearth.post(url + "reviewed/", {"outcome": "no_longer",
                                           "reasons": "portfolio doubled"}).status_code == 302
    assert "no longer appropriate" in body(hearth.get("/adt/?party=HEARTH&srv=4.1.1"))
    assert "portfolio doubled" in body(hearth.get(url))
    assert client_for("dcc").post("/adt/reviews/", {"months": "6"}).status_code == 403
    assert client_for("secas").post("/adt/reviews/", {"months": "200"}).status_code == 400
    assert client_for("secas").post("/adt/reviews/", {"months": "3"}).status_code == 302
    Threshold.objects.filter(user_id__value=HEARTH_ID).update(
        set_at=timezone.now() - timedelta(days=2000))
    page = body(hearth.get("/adt/reviews/"))
    assert 'id="period">3 months' in page and "HEARTH" in page
    home = body(hearth.get("/"))
    assert "Thresholds not reviewed within the review period" in home


def test_the_ssc_does_not_read_a_partys_signed_file(api_for, adt):
    """A signed file's content (User IDs and levels) is its party's own people's and the DCC's:
    the SSC and SECAS see that it was applied, not what it says (G6.8)."""
    for username in ("ssc-member", "secas"):
        listed = body(api_for(username).get("/api/adt/submissions/?limit=100"))["results"]
        assert listed and all(s["content"] is None for s in listed), username
        no_user_id_in(json.dumps(listed))
    hearth = body(api_for("rep-HEARTH").get("/api/adt/submissions/"))["results"]
    assert all(HEARTH_ID in s["content"] for s in hearth if s["status"] == "applied"
               and s["kind"] == "thresholds")
    dcc = body(api_for("dcc").get("/api/adt/submissions/?limit=100"))["results"]
    assert all(s["content"] for s in dcc)
