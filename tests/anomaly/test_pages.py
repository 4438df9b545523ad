"""The thresholds pages and the quarantine desk, as each kind of person sees and uses them."""
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.adt.signing import generate_key, sign
from secassure.anomaly import services
from secassure.anomaly.demo import HEARTH_ID, LUMEN_IDS, demo_private_key, load_anomaly_demo
from secassure.anomaly.models import (
    CriticalTestStatus,
    QuarantinedCommunication,
    ServiceReferenceVariant,
    SignedSubmission,
    SigningKey,
    Threshold,
)
from secassure.anomaly.views.desk import demo_key_path
from tests.conftest import TODAY

HEARTH_QUEUE = {f"demo-q{n:02d}" for n in range(1, 7)}
LUMEN_QUEUE = {"demo-q07", "demo-q08", "demo-q09", "demo-q10"}  # demo-q11 already released


@pytest.fixture
def adt(demo):
    """The demo register with its thresholds, keys, submissions and desk (anomaly/demo.py)."""
    if not Threshold.objects.exists():
        load_anomaly_demo(demo, TODAY)
    return demo


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def snapshot():
    """Everything a refused submission must leave as it was."""
    return (sorted(Threshold.objects.values_list("id", "quarantine", "warning", "submission")),
            sorted(QuarantinedCommunication.objects.values_list("communication_id", "status")))


def test_anonymous_visitors_are_sent_to_sign_in(client, adt):
    for url in ["/adt/", "/adt/srvs/", "/adt/srvs/7.1/", "/adt/party/HEARTH/", "/adt/submit/",
                "/adt/quarantine/", "/adt/quarantine/instruction/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_representative_sees_only_its_own_thresholds(client_for, adt):
    hearth = client_for("rep-HEARTH")
    text = page(hearth, "/adt/")
    assert HEARTH_ID in text and not any(value in text for value in LUMEN_IDS)
    assert "all Users" not in text  # the DCC's thresholds are AMBER business of the DCC
    lumen = Threshold.objects.filter(user_id__value=LUMEN_IDS[0]).first()
    page(hearth, f"/adt/thresholds/{lumen.pk}/", 404)
    page(hearth, "/adt/party/LUMEN/", 404)


def test_the_dcc_sees_every_threshold_and_filters_them(client_for, adt):
    dcc = client_for("dcc")
    text = page(dcc, "/adt/")
    assert HEARTH_ID in text and LUMEN_IDS[0] in text and "all Users" in text
    only_dcc = page(dcc, "/adt/?party=*")
    assert "3 thresholds" in only_dcc and HEARTH_ID not in only_dcc
    one = page(dcc, "/adt/?party=HEARTH&srv=7.2&counter=critical")
    assert "1 threshold " in one and HEARTH_ID in one
    assert "0 thresholds" in page(dcc, "/adt/?user_id=nobody")


def test_attention_filters_for_the_ssc_and_reviews(client_for, adt):
    ssc = client_for("ssc-member")
    waiting = page(ssc, "/adt/?party=HEARTH&attention=no_ssc_view")
    assert "5 thresholds" in waiting  # six of HEARTH's, one has the SSC's view
    due = page(ssc, "/adt/?party=HEARTH&attention=review_due")
    assert "5 thresholds" in due and "bad\">due" in due  # four not set, 7.2's date passed


def hearth_threshold(srv="4.1.1", counter="encrypted"):
    return Threshold.objects.get(user_id__value=HEARTH_ID, srv__srv=srv, counter=counter)


def test_opinions_on_a_threshold_by_the_dcc_and_the_ssc(client_for, adt):
    """G6.9: the DCC's opinion when consulted; G6.8, G7.21(b): the SSC's view."""
    threshold = hearth_threshold("6.15.1", "critical")
    url = f"/adt/thresholds/{threshold.pk}/"
    assert "The DCC&#x27;s opinion (G6.9)" in page(client_for("dcc"), url)
    for username in ["rep-HEARTH", "secas", "panel-member"]:
        assert "Record the opinion" not in page(client_for(username), url)
        assert client_for(username).post(url + "opinion/", {"text": "x"}).status_code == 403
    assert client_for("dcc").post(url + "opinion/", {"text": "Too high."}).status_code == 302
    assert client_for("ssc-member").post(url + "opinion/", {"text": "Agreed."}).status_code == 302
    threshold.refresh_from_db()
    assert (threshold.dcc_opinion, threshold.ssc_view) == ("Too high.", "Agreed.")
    refused = client_for("dcc").post(url + "opinion/", {"text": ""})
    assert refused.status_code == 400
    assert "text: This field is required." in refused.content.decode()


def test_the_review_date_is_set_by_the_owner_or_the_dcc(client_for, adt):
    """G6.10: each threshold is kept under review."""
    threshold = hearth_threshold("6.15.1", "critical")
    url = f"/adt/thresholds/{threshold.pk}/review/"
    for username in ["ssc-member", "secas"]:
        assert client_for(username).post(url, {"review_by": "2027-01-31"}).status_code == 403
    assert client_for("rep-LUMEN").post(url, {"review_by": "2027-01-31"}).status_code == 404
    assert client_for("rep-HEARTH").post(url, {"review_by": "2027-01-31"}).status_code == 302
    assert client_for("rep-HEARTH").post(url, {"review_by": "soon"}).status_code == 400
    threshold.refresh_from_db()
    assert str(threshold.review_by) == "2027-01-31"


def test_the_srv_list_shows_all_129_with_flags_roles_and_the_dccs_data(client_for, adt):
    text = page(client_for("rep-HEARTH"), "/adt/srvs/")
    assert text.count('class="ref" href="/adt/srvs/') == 129
    assert "Update Meter Balance" in text and "0 to 500" in text
    assert "Record Network Data (GAS)" in text and "Gas Transporter" in text
    critical = page(client_for("dcc"), "/adt/srvs/?critical=1")
    assert critical.count('class="ref" href="/adt/srvs/') == 37
    assert "5000 / —" in critical  # the DCC's critical threshold on 7.1


def test_only_the_dcc_keeps_an_srv_and_sets_its_thresholds(client_for, adt):
    """G6.4(b), G6.6(a), G6.6(b): the DCC's guidance, thresholds and SMETS1 limits."""
    body = {"guidance_critical": "60", "value_min": "1", "value_max": "9"}
    for username in ["rep-HEARTH", "secas", "ssc-member"]:
        assert "Keep the reference" not in page(client_for(username), "/adt/srvs/7.3/")
        client = client_for(username)
        assert client.post("/adt/srvs/7.3/reference/", body).status_code == 403
        assert client.post("/adt/srvs/7.3/dcc-threshold/", {
            "counter": "critical", "quarantine": "9"}).status_code == 403
    dcc = client_for("dcc")
    early = dcc.post("/adt/srvs/7.3/reference/", body)  # limits not agreed with the SSC
    assert early.status_code == 409 and "G6.6(b)" in early.content.decode()
    limits = services.propose_dcc_limits(adt["dcc"], "7.3", 1, 9)
    services.give_ssc_opinion_on_proposal(adt["ssc-member"], limits, "Agreed.")
    dcc = client_for("dcc")
    assert dcc.post("/adt/srvs/7.3/reference/", body).status_code == 302
    variant = ServiceReferenceVariant.objects.get(srv="7.3")
    assert (variant.guidance_critical, variant.value_min, variant.value_max) == (60, 1, 9)
    refused = dcc.post("/adt/srvs/7.3/reference/", {**body, "value_max": "0"})
    assert refused.status_code == 400 and "value_max: below value_min" in refused.content.decode()
    variant.refresh_from_db()
    assert variant.value_max == 9
    early = dcc.post("/adt/srvs/7.3/dcc-threshold/", {"counter": "critical", "quarantine": "900",
                                                      "warning": "800"})
    assert early.status_code == 409 and "G6.7(b)" in early.content.decode()  # SSC not consulted
    proposal = services.propose_dcc_threshold(adt["dcc"], "critical", 900, 800, srv="7.3")
    services.give_ssc_opinion_on_proposal(adt["ssc-member"], proposal, "Fine.")
    assert dcc.post("/adt/srvs/7.3/dcc-threshold/", {"counter": "critical", "quarantine": "900",
                                                     "warning": "800"}).status_code == 302
    assert Threshold.objects.get(user_id=None, srv__srv="7.3").quarantine == 900
    bad = dcc.post("/adt/srvs/7.3/dcc-threshold/", {"counter": "critical", "quarantine": "5",
                                                    "warning": "6"})
    assert bad.status_code == 400 and "warning: 0 or more, and not above" in bad.content.decode()


def test_the_party_page_shows_coverage_gaps_tests_keys_and_submissions(client_for, adt):
    """G6.3: a missing mandatory threshold is a gap; G6.4A: untested must be zero."""
    text = page(client_for("rep-HEARTH"), "/adt/party/HEARTH/")
    assert "30 gaps" in text and ">7.3</a>" in text  # 7.3 Arm Supply: no threshold yet
    assert "passed" in text and "11.3" in text  # test statuses
    assert "already been applied" in text  # the replayed file, refused
    # its own key is its own to register (G6.4, G6.6A); the test status is the DCC's (G6.4A)
    assert "Record the test status" not in text and "Register the key" in text
    assert '/register/HEARTH/' in text
    lumen = page(client_for("dcc"), "/adt/party/LUMEN/")
    assert "not tested: must be 0 (G6.4A)" in lumen
    assert lumen.count("not tested: must be 0 (G6.4A)") == 1  # each gap once
    assert "1 gap</span> (0 missing)" in lumen  # LUMEN's first User ID: complete but 6.17
    assert "Record the test status" in lumen and "Register the key" not in lumen


def test_test_statuses_are_recorded_by_the_dcc_or_secas(client_for, adt):
    body = {"user_id": HEARTH_ID, "srv": "7.3", "passed": "yes"}
    for username in ["rep-HEARTH", "ssc-member"]:
        assert client_for(username).post("/adt/party/HEARTH/test-status/",
                                         body).status_code == 403
    assert client_for("secas").post("/adt/party/HEARTH/test-status/", body).status_code == 302
    assert CriticalTestStatus.objects.get(user_id__value=HEARTH_ID, srv__srv="7.3").passed
    bad = client_for("dcc").post("/adt/party/HEARTH/test-status/", {**body, "srv": "4.1.1"})
    assert bad.status_code == 400 and "not one of the available choices" in bad.content.decode()


def test_signing_keys_are_registered_by_the_partys_own_people(client_for, adt):
    """G6.4, G6.6A: the party registers its key; SECAS and the DCC may not in its name."""
    _, public = generate_key()
    for username in ["secas", "dcc", "ssc-member"]:
        assert client_for(username).post("/adt/party/HEARTH/keys/",
                                         {"public_pem": public.decode()}).status_code == 403
    assert client_for("rep-HEARTH").post("/adt/party/HEARTH/keys/",
                                         {"public_pem": public.decode()}).status_code == 302
    assert SigningKey.objects.filter(party__party_id="HEARTH").count() == 2
    again = client_for("rep-HEARTH").post("/adt/party/HEARTH/keys/",
                                          {"public_pem": public.decode()})
    assert again.status_code == 400 and "already registered" in again.content.decode()
    junk = client_for("rep-HEARTH").post("/adt/party/HEARTH/keys/", {"public_pem": "hello"})
    assert junk.status_code == 400 and "public_pem: not a PEM public key" in junk.content.decode()


def threshold_file(identifier="HEARTH-web-001", quarantine=3):
    return json.dumps({"format": "secassure-thresholds/1", "id": identifier, "party": "HEARTH",
                       "thresholds": [{"user_id": HEARTH_ID, "srv": "4.8.1",
                                       "counter": "encrypted", "quarantine": quarantine}]}
                      ).encode()


def upload(client, content, signature):
    files = {"content": SimpleUploadedFile("t.json", content)}
    if signature is not None:
        files["signature"] = SimpleUploadedFile("t.json.sig", signature)
    return client.post("/adt/submit/", files)


def test_a_signed_file_submitted_on_the_web_is_applied(client_for, adt):
    content = threshold_file()
    response = upload(client_for("rep-HEARTH"), content, sign(content,
                                                               demo_private_key("HEARTH")))
    assert response.status_code == 302 and response["Location"] == "/adt/party/HEARTH/"
    assert hearth_threshold("4.8.1").quarantine == 3


@pytest.mark.parametrize("tamper, reason", [
    ("modified", "signature: the signature does not match"),
    ("wrong key", "signature: the signature does not match"),
    ("unsigned", "signature: the file is not signed"),
    ("replayed", "id: the file &#x27;HEARTH-20"),
])
def test_refused_files_show_the_reason_and_change_nothing(client_for, adt, tamper, reason):
    """G6.6A: applied only after a successful Check Cryptographic Protection and only once."""
    key = demo_private_key("HEARTH")
    content = threshold_file()
    signature = sign(content, key)
    if tamper == "modified":
        content = threshold_file(quarantine=3000)
    elif tamper == "wrong key":
        signature = sign(content, generate_key()[0])
    elif tamper == "unsigned":
        signature = None
    elif tamper == "replayed":
        applied = SignedSubmission.objects.get(identifier__startswith="HEARTH-",
                                               status="applied")
        content, signature = applied.content.encode(), applied.signature.encode()
    before, refusals = snapshot(), SignedSubmission.objects.filter(status="refused").count()
    response = upload(client_for("rep-HEARTH"), content, signature)
    text = response.content.decode()
    assert response.status_code == 400 and "Refused, nothing changed: " + reason in text
    assert snapshot() == before
    assert SignedSubmission.objects.filter(status="refused").count() == refusals + 1


def test_only_the_partys_people_or_the_dcc_submit(client_for, adt):
    content = threshold_file()
    signature = sign(content, demo_private_key("HEARTH"))
    for username in ["secas", "ssc-member", "rep-LUMEN"]:
        assert upload(client_for(username), content, signature).status_code == 403
    assert upload(client_for("rep-HEARTH"), b"", None).status_code == 400  # no file at all


def test_the_demo_key_path_is_shown_in_demo_mode_only(client_for, adt, settings):
    assert "demo-keys/HEARTH.pem" in page(client_for("rep-HEARTH"), "/adt/submit/")
    assert Path(settings.DATA_DIR, "demo-keys", "HEARTH.pem").exists()
    assert "demo-keys" not in page(client_for("dcc"), "/adt/submit/")
    settings.SECASSURE_DEMO = False
    assert demo_key_path(adt["rep-HEARTH"]) is None


def test_the_desk_shows_the_owner_only_its_own_communications_with_their_age(client_for, adt):
    """G6.1(a)(iii): the owning User sees its own quarantined communications."""
    text = page(client_for("rep-HEARTH"), "/adt/quarantine/")
    assert all(c in text for c in HEARTH_QUEUE) and not any(c in text for c in LUMEN_QUEUE)
    assert "3\xa0days" in text and "Queue by party" not in text  # demo-q06: 75 hours
    assert "Load a run" not in text


def test_the_dcc_sees_every_queue_with_counts_and_age(client_for, adt):
    text = page(client_for("dcc"), "/adt/quarantine/")
    assert all(c in text for c in HEARTH_QUEUE | LUMEN_QUEUE) and "demo-q11" not in text
    overview = text.split('id="overview"')[1].split("</table>")[0]
    assert "HEARTH" in overview and ">6</td>" in overview and ">4</td>" in overview
    assert "Load a run" in text and 'name="pick"' not in text


def test_the_owner_prepares_and_downloads_the_instruction_to_sign(client_for, adt):
    hearth = client_for("rep-HEARTH")
    query = "pick=demo-q01&pick=demo-q02&action-demo-q02=delete&pick=demo-q07"
    text = page(hearth, f"/adt/quarantine/?{query}")
    assert "ready to sign" in text and "demo-q07" not in text.split('id="instruction"')[1]
    identifier = text.split('download="')[1].split('.json"')[0]
    download = hearth.get(f"/adt/quarantine/instruction/?{query}&id={identifier}")
    assert download["Content-Disposition"] == f'attachment; filename="{identifier}.json"'
    document = json.loads(download.content)
    assert document == {"format": "secassure-exit-quarantine/1", "id": identifier,
                        "party": "HEARTH", "instructions": [
                            {"communication": "demo-q01", "action": "process"},
                            {"communication": "demo-q02", "action": "delete"}]}
    assert page(hearth, "/adt/quarantine/instruction/?pick=demo-q07&id=x", 400)
    assert "Prepare the instruction" not in page(client_for("dcc"), "/adt/quarantine/")


def test_a_signed_instruction_releases_and_deletes(client_for, adt):
    content = json.dumps({"format": "secassure-exit-quarantine/1", "id": "HEARTH-exit-t1",
                          "party": "HEARTH", "instructions": [
                              {"communication": "demo-q01", "action": "process"},
                              {"communication": "demo-q02", "action": "delete"}]}).encode()
    hearth = client_for("rep-HEARTH")
    response = upload(hearth, content, sign(content, demo_private_key("HEARTH")))
    assert response.status_code == 302 and response["Location"] == "/adt/quarantine/"
    text = page(hearth, "/adt/quarantine/")
    assert "demo-q01" not in text and "demo-q02" not in text and "demo-q03" in text
    replay = upload(hearth, content, sign(content, demo_private_key("HEARTH")))
    assert replay.status_code == 400 and "already been applied" in replay.content.decode()


def runs(tmp_path, rows):
    traffic = tmp_path / "t.csv"
    traffic.write_text("id,ts,user_id,srv\n" + "".join(
        f"{cid},2026-03-01T10:00:0{n}Z,{HEARTH_ID},7.2\n" for n, cid in enumerate(rows)))
    decisions = tmp_path / "d.csv"
    decisions.write_text("id,decision,warning,key\n" + "".join(
        f"{cid},QUARANTINE,0,k\n" for cid in rows))
    return {"traffic": SimpleUploadedFile("t.csv", traffic.read_bytes()),
            "decisions": SimpleUploadedFile("d.csv", decisions.read_bytes())}


def test_only_the_dcc_loads_a_run(client_for, adt, tmp_path):
    """G6.1(a)(ii): the quarantined communications of a run join the desk."""
    for username in ["rep-HEARTH", "secas"]:
        assert client_for(username).post("/adt/quarantine/load/",
                                         runs(tmp_path, ["n1"])).status_code == 403
    dcc = client_for("dcc")
    assert dcc.post("/adt/quarantine/load/", runs(tmp_path, ["n1", "n2"])).status_code == 302
    assert "n2" in page(client_for("rep-HEARTH"), "/adt/quarantine/")
    bad = runs(tmp_path, ["n3"])
    bad["traffic"] = SimpleUploadedFile("t.csv", b"id,ts,user_id,srv\nn3,yesterday,U,7.1\n")
    refused = client_for("dcc").post("/adt/quarantine/load/", bad)
    assert refused.status_code == 400
    assert "traffic, line 2, field &#x27;ts&#x27;" in refused.content.decode()
    assert not QuarantinedCommunication.objects.filter(communication_id="n3").exists()


def test_pages_run_a_fixed_number_of_queries(client_for, adt, django_assert_max_num_queries):
    """No query per row: the party page, the list and the desk are sets of a few queries."""
    for username, url, most in [("dcc", "/adt/", 6), ("dcc", "/adt/party/LUMEN/", 16),
                                ("dcc", "/adt/quarantine/", 7), ("dcc", "/adt/srvs/", 6),
                                ("rep-HEARTH", "/adt/quarantine/?pick=demo-q01", 7)]:
        client = client_for(username)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
