"""The notices API: a User's own tooling files them (OpenAPI); bad input is a 400 naming the
field and writes nothing; a notice another party may not see is a 404, as a missing one."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.notices.models import Notice, NoticeAttachment
from tests.conftest import TODAY

INCIDENT = {"party": "HEARTH", "kind": "incident", "title": "Phishing", "description": "d",
            "event_on": TODAY.isoformat(), "user_ids": []}


def test_a_party_files_an_incident_and_reads_it_back(api_for):
    api = api_for("rep-HEARTH")
    made = api.post("/api/notices/notices/", INCIDENT, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["clause"], body["state"], body["classification"]) == ("G3.5", "filed", "RED")
    assert api.get(f"/api/notices/notices/{body['id']}/").status_code == 200
    assert api_for("panel-member").get(f"/api/notices/notices/{body['id']}/").status_code == 200
    other = api_for("rep-KESTREL").get(f"/api/notices/notices/{body['id']}/")
    missing = api_for("rep-KESTREL").get("/api/notices/notices/999999999/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()


@pytest.mark.parametrize("change, field, code", [
    ({"kind": "rumour"}, "kind", 400),
    ({"event_on": "yesterday"}, "event_on", 400),
    ({"event_on": (TODAY + timedelta(days=3)).isoformat()}, "event_on", 400),
    ({"party": "NOSUCH"}, "party", 400),
    ({"party": "KESTREL"}, "party", 400),  # another party's: as if it did not exist
])
def test_bad_input_is_refused_and_nothing_is_written(api_for, change, field, code):
    before = Notice.objects.count()
    answer = api_for("rep-HEARTH").post("/api/notices/notices/", {**INCIDENT, **change},
                                        format="json")
    assert answer.status_code == code, answer.content
    if field:
        assert answer.json()["field"] == field
    assert Notice.objects.count() == before


def test_the_gate_over_the_api(api_for):
    rep = api_for("rep-HEARTH")
    made = rep.post("/api/notices/notices/", {
        **INCIDENT, "kind": "new_system", "event_on": (TODAY + timedelta(days=9)).isoformat(),
        "purpose": "p", "relationship": "r"}, format="json").json()
    url = f"/api/notices/notices/{made['id']}/"
    assert rep.post(url + "operational/", {"on": TODAY.isoformat()},
                    format="json").status_code == 409
    assert rep.post(url + "review/", {"action": "authorise"}, format="json").status_code == 403
    ssc = api_for("ssc-member")
    assert ssc.post(url + "review/", {"action": "withhold"}, format="json").status_code == 400
    assert ssc.post(url + "review/", {"action": "authorise"},
                    format="json").json()["state"] == "authorised"
    assert rep.post(url + "operational/", {"on": TODAY.isoformat()},
                    format="json").json()["operational_on"] == TODAY.isoformat()


def test_an_attachment_is_stored_with_its_sha256(api_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rep = api_for("rep-HEARTH")
    made = rep.post("/api/notices/notices/", INCIDENT, format="json").json()
    upload = SimpleUploadedFile("timeline.txt", b"09:00 detected\n")
    answer = rep.post(f"/api/notices/notices/{made['id']}/attachments/", {"file": upload},
                      format="multipart")
    assert answer.status_code == 200, answer.content
    row = NoticeAttachment.objects.get(notice_id=made["id"])
    assert row.sha256 == hashlib.sha256(b"09:00 detected\n").hexdigest()


def test_sms_counts_and_provider_lists(api_for):
    rep = api_for("rep-QUARTZ")
    assert rep.post("/api/notices/sms-counts/", {"party": "QUARTZ", "count": -5},
                    format="json").status_code == 400
    made = rep.post("/api/notices/sms-counts/", {"party": "QUARTZ", "count": 1200},
                    format="json")
    assert made.status_code == 201, made.content
    assert api_for("rep-HEARTH").get("/api/notices/sms-counts/?party=QUARTZ").json()[
        "results"] == []
    grid = api_for("rep-GRIDSHARE")
    answer = grid.post("/api/notices/provider-lists/", {"provider": "GRIDSHARE",
                                                         "users": ["MERIDIAN"]}, format="json")
    assert answer.status_code == 201, answer.content
    assert grid.post("/api/notices/provider-lists/", {"provider": "GRIDSHARE",
                                                       "users": ["NOSUCH"]},
                     format="json").status_code == 400


def test_the_schema_documents_the_notices_api(api_for):
    schema = api_for("secas").get("/api/schema/", {"format": "json"}).json()
    assert "/api/notices/notices/" in schema["paths"]
    assert "/api/notices/notices/{id}/review/" in schema["paths"]


def test_a_cpa_certificate_remedial_plan_is_filed_and_reviewed_g8_64(api_for):
    from secassure.notices.models import CplEntry
    entry = CplEntry.objects.filter(classification="GREEN").first()  # seen by every Supplier
    rep = api_for("rep-LUMEN")
    bad = rep.post("/api/notices/remedial-plans/", {"party": "LUMEN", "entry": entry.pk,
                                                    "plan": "p", "review_by": "2000-01-01"},
                   format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "review_by"
    made = rep.post("/api/notices/remedial-plans/", {
        "party": "LUMEN", "entry": entry.pk, "plan": "Replace the meters.",
        "review_by": (TODAY + timedelta(days=30)).isoformat()}, format="json")
    assert made.status_code == 201, made.content
    url = f"/api/notices/remedial-plans/{made.json()['id']}/reviewed/"
    assert rep.post(url).status_code == 403
    assert api_for("rep-HEARTH").post(url).status_code == 404  # another party's plan
    ssc = api_for("ssc-member")
    assert ssc.post(url).json()["reviewed_on"] == TODAY.isoformat()
    assert ssc.post(url).status_code == 409


def test_the_ssc_asks_for_changes_to_a_remedial_plan_over_the_api_with_reasons(api_for):
    from secassure.notices.models import RemedialPlan
    plan = RemedialPlan.objects.filter(party__party_id="LUMEN", state="filed").first()
    url = f"/api/notices/remedial-plans/{plan.pk}/reviewed/"
    ssc = api_for("ssc-member")
    bare = ssc.post(url, {"outcome": "changes"}, format="json")
    assert bare.status_code == 400 and bare.json()["field"] == "reasons"
    assert ssc.post(url, {"outcome": "maybe"}, format="json").status_code == 400
    plan.refresh_from_db()
    assert (plan.state, plan.reviewed_on) == ("filed", None)
    asked = ssc.post(url, {"outcome": "changes", "reasons": "Give dates."}, format="json")
    assert asked.status_code == 200
    assert (asked.json()["state"], asked.json()["reasons"]) == ("changes", "Give dates.")
