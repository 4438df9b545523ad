"""The API of the exceptions, the owners' notices, the deletions and the traffic summary
(G6.1(a)(i), G6.1(a)(ii), G6.1(d)(i)): in the schema, visible as the pages are."""
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.anomaly.models import DeskNotice, QuarantinedCommunication, TrafficBucket

HEARTH_ID = "90-B3-D5-1F-30-00-0A-00"
LUMEN_ID = "90-B3-D5-1F-30-00-01-00"


def results(response):
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def test_the_new_endpoints_are_in_the_schema(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for route in ["/api/adt/exceptions/", "/api/adt/desk-notices/", "/api/adt/traffic/",
                  "/api/adt/traffic/buckets/"]:
        assert route in paths, route


def run_files(ids):
    traffic = "id,ts,user_id,srv,critical,encrypted,smets1,value\n" + "".join(
        f"{cid},2026-03-01T10:00:0{n}Z,{uid},6.17,1,0,1,9999\n"
        for n, (cid, uid) in enumerate(ids))
    decisions = "id,decision,warning,reason\n" + "".join(f"{cid},DELETE,0,limit\n"
                                                        for cid, _ in ids)
    return {"traffic": SimpleUploadedFile("t.csv", traffic.encode()),
            "decisions": SimpleUploadedFile("d.csv", decisions.encode())}


def test_a_load_says_what_it_added_and_the_owner_reads_its_notice(demo, api_for):
    QuarantinedCommunication.objects.all().delete()
    DeskNotice.objects.all().delete()
    loaded = api_for("dcc").post("/api/adt/quarantine/load/",
                                 run_files([("a1", HEARTH_ID), ("a2", LUMEN_ID)]),
                                 format="multipart")
    assert loaded.status_code == 201, loaded.content
    body = loaded.json()
    assert (body["loaded"], body["quarantined"], body["deleted"], len(body["notices"])) == \
        (2, 0, 2, 2)
    hearth = results(api_for("rep-HEARTH").get("/api/adt/desk-notices/"))
    assert [(n["party"], n["deleted"]) for n in hearth] == [("HEARTH", 1)]
    assert results(api_for("ssc-member").get("/api/adt/desk-notices/")) == []
    deleted = results(api_for("rep-HEARTH").get("/api/adt/quarantine/?status=dcc_deleted"))
    assert [(c["communication_id"], c["decision"], c["key"]) for c in deleted] == \
        [("a1", "delete", "limit")]


def test_the_dcc_loads_a_traffic_summary_and_a_party_reads_its_own(demo, api_for):
    TrafficBucket.objects.all().delete()
    traffic = ("id,ts,user_id,srv,critical,encrypted,smets1,value\n"
               f"t1,2026-03-01T10:00:00Z,{HEARTH_ID},7.1,1,0,0,\n"
               f"t2,2026-03-01T10:00:01Z,{LUMEN_ID},7.1,1,0,0,\n")
    upload = {"traffic": SimpleUploadedFile("t.csv", traffic.encode()), "window": 3600}
    assert api_for("rep-HEARTH").post("/api/adt/traffic/", upload,
                                      format="multipart").status_code == 403
    upload["traffic"].seek(0)
    loaded = api_for("dcc").post("/api/adt/traffic/", upload, format="multipart")
    assert loaded.status_code == 201 and loaded.json() == {"buckets": 2}
    assert [(k["user_id_value"], k["buckets"]) for k in results(api_for("rep-HEARTH").get(
        "/api/adt/traffic/"))] == [(HEARTH_ID, 1)]
    assert results(api_for("ssc-member").get("/api/adt/traffic/")) == []
    key = f"?user_id={HEARTH_ID}&srv=7.1&counter=critical"
    buckets = api_for("rep-HEARTH").get("/api/adt/traffic/buckets/" + key).json()
    assert [(b["communications"], b["peak"]) for b in buckets] == [(1, 1)]
    lumen_key = f"?user_id={LUMEN_ID}&srv=7.1&counter=critical"
    assert api_for("rep-HEARTH").get("/api/adt/traffic/buckets/" + lumen_key).json() == []
    assert len(api_for("dcc").get("/api/adt/traffic/buckets/" + lumen_key).json()) == 1
    bad = api_for("dcc").post("/api/adt/traffic/", {"traffic": SimpleUploadedFile(
        "t.csv", b"id,ts,user_id,srv,critical,encrypted\nx,2026-03-01T10:00:00Z,U,,1,0\n")},
        format="multipart")
    assert bad.status_code == 400 and "line 2, field 'srv'" in bad.json()["traffic"]


def test_exceptions_are_listed_as_their_thresholds_are_seen(demo, api_for):
    from secassure.anomaly.demo import load_anomaly_demo
    from secassure.anomaly.models import Threshold, ThresholdException
    from tests.conftest import TODAY
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    assert ThresholdException.objects.exists()
    hearth = results(api_for("rep-HEARTH").get("/api/adt/exceptions/"))
    assert hearth and {e["user_id"] for e in hearth} == {HEARTH_ID}
    assert results(api_for("rep-LUMEN").get("/api/adt/exceptions/")) == []
