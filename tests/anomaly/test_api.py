"""The thresholds API (/api/adt/): who sees what, who may change what, and refusals that name
the reason and change nothing."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.adt.signing import generate_key, sign
from secassure.anomaly import services
from secassure.anomaly.demo import HEARTH_ID, LUMEN_IDS, demo_private_key, load_anomaly_demo
from secassure.anomaly.models import QuarantinedCommunication, ServiceReferenceVariant, Threshold
from tests.conftest import TODAY


@pytest.fixture
def adt(demo):
    """The demo register with its thresholds, keys, submissions and desk (anomaly/demo.py)."""
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    return demo


def results(response):
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def test_every_endpoint_is_in_the_schema(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for route in ["/api/adt/thresholds/", "/api/adt/thresholds/{id}/",
                  "/api/adt/thresholds/{id}/opinion/", "/api/adt/thresholds/{id}/review-date/",
                  "/api/adt/srvs/", "/api/adt/srvs/{srv}/", "/api/adt/srvs/{srv}/dcc-threshold/",
                  "/api/adt/coverage/{party_id}/", "/api/adt/coverage/{party_id}/test-status/",
                  "/api/adt/submissions/", "/api/adt/submissions/{id}/", "/api/adt/quarantine/",
                  "/api/adt/quarantine/summary/", "/api/adt/quarantine/load/", "/api/adt/keys/"]:
        assert route in paths, route
    assert "multipart/form-data" in paths["/api/adt/submissions/"]["post"]["requestBody"][
        "content"]
    assert "patch" in paths["/api/adt/srvs/{srv}/"] and "put" not in paths["/api/adt/srvs/{srv}/"]


def test_anonymous_requests_are_refused(api_for, adt):
    for url in ["/api/adt/thresholds/", "/api/adt/srvs/", "/api/adt/coverage/HEARTH/",
                "/api/adt/submissions/", "/api/adt/quarantine/", "/api/adt/keys/"]:
        assert api_for(None).get(url).status_code == 401, url


def test_thresholds_as_each_person_may_see_them(api_for, adt):
    hearth = results(api_for("rep-HEARTH").get("/api/adt/thresholds/"))
    assert {t["party"] for t in hearth} == {"HEARTH"} and len(hearth) == 6
    every = results(api_for("dcc").get("/api/adt/thresholds/?limit=500"))
    assert {t["party"] for t in every} == {"HEARTH", "LUMEN", None}
    dcc_own = results(api_for("ssc-member").get("/api/adt/thresholds/?party=*"))
    assert {(t["user_id"], t["srv"], t["counter"], t["quarantine"]) for t in dcc_own} == {
        ("*", "7.1", "critical", 5000), ("*", "7.2", "critical", 5000),
        ("*", "4.1.1", "encrypted", 200000)}
    one = results(api_for("dcc").get("/api/adt/thresholds/?party=HEARTH&srv=7.2&counter=critical"))
    assert [(t["user_id"], t["warning"], t["quarantine"], t["dcc_opinion"][:8]) for t in one] == [
        (HEARTH_ID, 40, 50, "In line ")]
    lumen = Threshold.objects.filter(user_id__value=LUMEN_IDS[0]).first()
    assert api_for("rep-HEARTH").get(f"/api/adt/thresholds/{lumen.pk}/").status_code == 404
    assert api_for("dcc").get(f"/api/adt/thresholds/{lumen.pk}/").json()["party"] == "LUMEN"


def test_opinions_and_review_dates(api_for, adt):
    """G6.9 (the DCC), G6.8 and G7.21(b) (the SSC), G6.10 (the owner or the DCC)."""
    pk = Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv="6.15.1").pk
    url = f"/api/adt/thresholds/{pk}/"
    for username in ["rep-HEARTH", "secas"]:
        assert api_for(username).post(url + "opinion/", {"text": "x"}).status_code == 403
    assert api_for("dcc").post(url + "opinion/", {"text": "Fine."}).json()["dcc_opinion"] == \
        "Fine."
    assert api_for("ssc-member").post(url + "opinion/", {"text": "Ok."}).json()["ssc_view"] == \
        "Ok."
    empty = api_for("dcc").post(url + "opinion/", {"text": " "})
    assert empty.status_code == 400
    assert api_for("ssc-member").post(url + "review-date/",
                                      {"review_by": "2027-05-01"}).status_code == 403
    assert api_for("rep-LUMEN").post(url + "review-date/",
                                     {"review_by": "2027-05-01"}).status_code == 404
    done = api_for("rep-HEARTH").post(url + "review-date/", {"review_by": "2027-05-01"})
    assert done.status_code == 200 and done.json()["review_by"] == "2027-05-01"


def test_srvs_are_listed_and_kept_by_the_dcc(api_for, adt):
    """G6.4(b) guidance, G6.3(a)(ii) encrypted flag, G6.6(b) limits: the DCC's PATCH."""
    srvs = results(api_for("rep-HEARTH").get("/api/adt/srvs/"))
    assert len(srvs) == 129 and sum(s["critical"] for s in srvs) == 37
    meter = api_for("rep-HEARTH").get("/api/adt/srvs/1.5/").json()
    assert (meter["value_min"], meter["value_max"]) == ("0.000000", "500.000000")
    assert meter["eligible_roles"] == ["gas_supplier", "import_supplier"]
    for username in ["rep-HEARTH", "secas", "ssc-member"]:
        assert api_for(username).patch("/api/adt/srvs/7.3/", {"guidance_critical": 9},
                                       format="json").status_code == 403
        assert api_for(username).post("/api/adt/srvs/7.3/dcc-threshold/", {
            "counter": "critical", "quarantine": 9}, format="json").status_code == 403
    dcc = api_for("dcc")
    changed = dcc.patch("/api/adt/srvs/7.3/", {"guidance_critical": 9, "returns_encrypted": True},
                        format="json")
    assert changed.status_code == 200 and changed.json()["guidance_critical"] == 9
    refused = dcc.patch("/api/adt/srvs/1.5/", {"value_max": -1}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "value_max"
    unagreed = dcc.patch("/api/adt/srvs/1.5/", {"value_max": 600}, format="json")
    assert unagreed.status_code == 409 and "G6.6(b)" in unagreed.json()["detail"]
    assert ServiceReferenceVariant.objects.get(srv="1.5").value_max == 500
    assert dcc.put("/api/adt/srvs/7.3/", {}, format="json").status_code == 405
    assert dcc.get("/api/adt/srvs/99.9/").status_code == 404
    early = dcc.post("/api/adt/srvs/7.3/dcc-threshold/", {"counter": "critical",
                                                         "quarantine": 700}, format="json")
    assert early.status_code == 409 and "G6.7(b)" in early.json()["detail"]  # SSC not consulted
    proposal = services.propose_dcc_threshold(adt["dcc"], "critical", 700, srv="7.3")
    services.give_ssc_opinion_on_proposal(adt["ssc-member"], proposal, "Fine.")
    made = dcc.post("/api/adt/srvs/7.3/dcc-threshold/", {"counter": "critical",
                                                        "quarantine": 700}, format="json")
    assert made.status_code == 200 and made.json()["user_id"] == "*"
    bad = dcc.post("/api/adt/srvs/7.3/dcc-threshold/", {"counter": "critical", "quarantine": 7,
                                                       "warning": 8}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "warning"


def test_coverage_per_party(api_for, adt):
    """G6.3: the mandatory thresholds each User ID lacks; G6.4A: untested must be zero."""
    hearth = api_for("rep-HEARTH").get("/api/adt/coverage/HEARTH/").json()
    assert len(hearth["gaps"]) == 30 and {"srv": "7.3", "counter": "critical"}.items() <= \
        next(g for g in hearth["gaps"] if g["srv"] == "7.3").items()
    assert {(t["srv"], t["passed"]) for t in hearth["test_statuses"]} == {("7.2", True),
                                                                          ("11.3", True)}
    assert api_for("rep-HEARTH").get("/api/adt/coverage/LUMEN/").status_code == 404
    lumen = api_for("dcc").get("/api/adt/coverage/LUMEN/").json()
    keys = [(g["user_id"], g["srv"], g["counter"]) for g in lumen["gaps"]]
    assert len(keys) == len(set(keys))
    assert [g["problem"] for g in lumen["gaps"] if g["user_id"] == LUMEN_IDS[0]] == [
        "not tested: must be 0 (G6.4A)"]


def test_test_statuses_through_the_api(api_for, adt):
    body = {"user_id": HEARTH_ID, "srv": "7.3", "passed": True}
    url = "/api/adt/coverage/HEARTH/test-status/"
    assert api_for("rep-HEARTH").post(url, body, format="json").status_code == 403
    assert api_for("dcc").post(url, body, format="json").json()["passed"] is True
    wrong = api_for("dcc").post(url, {**body, "user_id": LUMEN_IDS[0]}, format="json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "user_id"
    noncritical = api_for("secas").post(url, {**body, "srv": "4.1.1"}, format="json")
    assert noncritical.status_code == 400 and "not a Critical Service Request" in \
        noncritical.json()["detail"]


def document(identifier="HEARTH-api-001", quarantine=4):
    return json.dumps({"format": "secassure-thresholds/1", "id": identifier, "party": "HEARTH",
                       "thresholds": [{"user_id": HEARTH_ID, "srv": "4.8.1",
                                       "counter": "encrypted", "quarantine": quarantine}]}
                      ).encode()


def post_file(api, content, signature):
    data = {"content": SimpleUploadedFile("f.json", content)}
    if signature is not None:
        data["signature"] = SimpleUploadedFile("f.json.sig", signature)
    return api.post("/api/adt/submissions/", data, format="multipart")


def test_a_signed_file_is_applied_through_the_api(api_for, adt):
    content = document()
    response = post_file(api_for("rep-HEARTH"), content, sign(content,
                                                               demo_private_key("HEARTH")))
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["identifier"]) == ("applied",
                                                                          "HEARTH-api-001")
    assert Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv="4.8.1").quarantine == 4


@pytest.mark.parametrize("tamper, reason", [
    ("modified", "signature: the signature does not match"),
    ("wrong key", "signature: the signature does not match"),
    ("unsigned", "signature: the file is not signed"),
    ("replayed", "id: the file 'HEARTH-api-001' has already been applied"),
])
def test_refused_files_name_the_reason_and_change_nothing(api_for, adt, tamper, reason):
    """G6.6A: a modified, wrongly signed, unsigned or replayed file is refused whole."""
    api, key = api_for("rep-HEARTH"), demo_private_key("HEARTH")
    content = document()
    signature = sign(content, key)
    if tamper == "replayed":
        assert post_file(api, content, signature).status_code == 201
    before = sorted(Threshold.objects.values_list("id", "quarantine", "warning"))
    if tamper == "modified":
        content = document(quarantine=4000)
    elif tamper == "wrong key":
        signature = sign(content, generate_key()[0])
    elif tamper == "unsigned":
        signature = None
    response = post_file(api, content, signature)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(reason)
    assert response.json()["field"] == reason.split(":")[0]
    assert sorted(Threshold.objects.values_list("id", "quarantine", "warning")) == before
    mine = results(api.get("/api/adt/submissions/"))
    assert mine[0]["status"] == "refused" and mine[0]["reason"].startswith(reason)


def test_submissions_are_listed_for_their_party_and_submitted_only_by_it(api_for, adt):
    assert {s["party"] for s in results(api_for("rep-HEARTH").get("/api/adt/submissions/"))} \
        == {"HEARTH"}
    assert {s["party"] for s in results(api_for("dcc").get("/api/adt/submissions/"))} == {
        "HEARTH", "LUMEN"}
    content = document()
    signature = sign(content, demo_private_key("HEARTH"))
    for username in ["secas", "rep-LUMEN"]:
        assert post_file(api_for(username), content, signature).status_code == 403
    missing = api_for("rep-HEARTH").post("/api/adt/submissions/", {}, format="multipart")
    assert missing.status_code == 400 and "content" in missing.json()


def test_the_quarantine_queue_with_its_age(api_for, adt):
    """G6.1(a)(iii): the owner sees its own; the DCC sees all, oldest first, with age."""
    hearth = results(api_for("rep-HEARTH").get("/api/adt/quarantine/"))
    assert {c["party"] for c in hearth} == {"HEARTH"} and len(hearth) == 6
    ages = [c["age_seconds"] for c in hearth]
    assert ages == sorted(ages, reverse=True) and 74 * 3600 < ages[0] < 76 * 3600
    every = results(api_for("dcc").get("/api/adt/quarantine/"))
    assert len(every) == 10
    processed = results(api_for("dcc").get("/api/adt/quarantine/?status=processed"))
    assert [c["communication_id"] for c in processed] == ["demo-q11"]
    assert api_for("dcc").get("/api/adt/quarantine/?status=lost").status_code == 400
    summary = api_for("dcc").get("/api/adt/quarantine/summary/").json()
    assert {row["party"]: row["pending"] for row in summary} == {"HEARTH": 6, "LUMEN": 4}
    assert [row["party"] for row in api_for("rep-LUMEN").get(
        "/api/adt/quarantine/summary/").json()] == ["LUMEN"]


def test_only_the_dcc_loads_a_run_through_the_api(api_for, adt):
    def files(rows, ts="2026-03-01T10:00:00Z"):
        return {"traffic": SimpleUploadedFile("t.csv", ("id,ts,user_id,srv\n" + "".join(
                    f"{r},{ts},{HEARTH_ID},7.2\n" for r in rows)).encode()),
                "decisions": SimpleUploadedFile("d.csv", ("id,decision\n" + "".join(
                    f"{r},QUARANTINE\n" for r in rows)).encode())}
    assert api_for("rep-HEARTH").post("/api/adt/quarantine/load/", files(["a1"]),
                                      format="multipart").status_code == 403
    loaded = api_for("dcc").post("/api/adt/quarantine/load/", files(["a1", "a2"]),
                                 format="multipart")
    assert loaded.status_code == 201 and loaded.json() == {
        "loaded": 2, "quarantined": 2, "deleted": 0, "notices": loaded.json()["notices"]}
    assert len(loaded.json()["notices"]) == 1   # HEARTH's (G6.1(a)(ii))
    bad = api_for("dcc").post("/api/adt/quarantine/load/", files(["a3"], ts="later"),
                              format="multipart")
    assert bad.status_code == 400 and bad.json()["detail"].startswith(
        "traffic, line 2, field 'ts'")
    assert not QuarantinedCommunication.objects.filter(communication_id="a3").exists()


def test_signing_keys(api_for, adt):
    """G6.6A: the party's registered public key; only the party's own people register it
    (G6.4), never SECAS or the DCC in its name."""
    assert {k["party"] for k in results(api_for("rep-HEARTH").get("/api/adt/keys/"))} == {
        "HEARTH"}
    _, public = generate_key()
    body = {"party": "HEARTH", "public_pem": public.decode()}
    for username in ["secas", "dcc", "ssc-member"]:
        assert api_for(username).post("/api/adt/keys/", body, format="json").status_code == 403
    made = api_for("rep-HEARTH").post("/api/adt/keys/", body, format="json")
    assert made.status_code == 201 and len(made.json()["fingerprint"]) == 64
    again = api_for("rep-HEARTH").post("/api/adt/keys/", body, format="json")
    assert again.status_code == 400 and again.json()["field"] == "public_pem"
    nobody = api_for("dcc").post("/api/adt/keys/", {**body, "party": "NOPE"}, format="json")
    assert nobody.status_code == 400 and nobody.json()["field"] == "party"
