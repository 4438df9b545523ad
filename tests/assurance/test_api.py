"""Reading the assurance workflow over the API: what each kind of person sees of each record
type, filters, evidence files, the error shapes and the schema.

The visibility rule (secassure.code.classification): assessment business is RED, for the
committee, the assessor and the party; a Shared Resource Provider's reports, responses, steps
and progress reach its Shared Resource Users (G10.8); a draft report's findings are the
assessor's alone until it is issued (G8.22-G8.23); Events of Default are not shared (G8.58(a)
names who is told).
"""
import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.assurance import services
from secassure.assurance.models import Assessment, EventOfDefault, Finding
from secassure.registry.models import Party
from tests.assurance.test_workflow_api_permissions import EVERYONE, assessment, login, sees
from tests.conftest import TODAY

A = "/api/assurance"
LOGINS = EVERYONE + ["rep-CLOUDVAULT", "rep-LUMEN", "rep-SOLWAY", "rep-BRAMBLE", "rep-FENWAY"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence and letters go to a temporary directory, not the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def results(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def test_anonymous_callers_get_nothing(api_for):
    for url in ["/assessments/", "/findings/", "/steps/", "/decisions/", "/events-of-default/",
                "/evidence/", "/answers/", "/progress-reports/", "/appeals/",
                "/remediation-plans/"]:
        assert api_for(None).get(A + url).status_code == 401, url


@pytest.mark.parametrize("username", LOGINS)
def test_each_person_lists_exactly_the_assessments_they_may_see(username, demo, api_for):
    login(demo, username)
    listed = results(api_for(username), f"{A}/assessments/?limit=1000")
    everyone = Assessment.objects.select_related("party")
    want = {a.pk for a in everyone if sees(username, a)}
    assert {a["id"] for a in listed} == want


def test_a_shared_resource_user_sees_its_providers_findings_not_others(demo, api_for):
    """G10.8(a): HEARTH uses CLOUDVAULT's Shared Resources, so it receives CLOUDVAULT's report;
    LUMEN's is none of its business."""
    api = api_for("rep-HEARTH")
    cloud, lumen = assessment("CLOUDVAULT", "response_submitted"), assessment(
        "LUMEN", "alternative_proposed")
    detail = api.get(f"{A}/assessments/{cloud.pk}/").json()
    assert [f["title"] for f in detail["findings"]] == [
        "Information security policy not reviewed", "Patching of a shared jump host late"]
    assert all(f["answer"]["accepted"] for f in detail["findings"])  # G10.8(b): the response
    assert detail["actions"] == []  # it may read, not act
    assert api.get(f"{A}/assessments/{lumen.pk}/").status_code == 404
    assert results(api, f"{A}/findings/?assessment={lumen.pk}") == []
    assert api.get(f"{A}/findings/{lumen.findings.get().pk}/").status_code == 404
    titles = {f["title"] for f in results(api, f"{A}/findings/")}
    assert "Monitoring gaps" not in titles and "Patching of a shared jump host late" in titles


def test_only_the_assessor_sees_a_draft_reports_findings(demo, api_for):
    """G8.22-G8.23: until the report is issued its findings are the assessor's draft; the SSC
    and the party see them once it is issued."""
    solway = assessment("SOLWAY", "booked")
    # the Panel does not see a FUSA after entry at all (G8.34): 404, as if there were none
    assert api_for("panel-member").get(f"{A}/assessments/{solway.pk}/").status_code == 404
    for username in ["secas", "ssc-member", "rep-SOLWAY"]:
        api = api_for(login(demo, username).username)
        assert api.get(f"{A}/assessments/{solway.pk}/").json()["findings"] == []
        assert results(api, f"{A}/findings/?assessment={solway.pk}") == []
        assert results(api, f"{A}/assessments/{solway.pk}/findings/") == []
    assessor = api_for("cio-assessor")
    assert [f["title"] for f in results(assessor, f"{A}/findings/?assessment={solway.pk}")] == [
        "Asset inventory incomplete"]
    assessor.post(f"{A}/assessments/{solway.pk}/issue-report/", {"summary": "Done."},
                  format="json")
    login(demo, "rep-SOLWAY")
    assert [f["title"] for f in results(api_for("rep-SOLWAY"),
                                        f"{A}/findings/?assessment={solway.pk}")] == [
        "Asset inventory incomplete"]


RECORDS = {
    # endpoint: (the assessment, or Event of Default, a record belongs to; whether G10.8 sends it
    # to the Users a Shared Resource Provider served: its report, response, agreed steps and
    # progress reports, not its decisions, Remediation Plans or appeals)
    "findings": (lambda r: Finding.objects.get(pk=r["id"]).assessment, True),
    "steps": (lambda r: Assessment.objects.get(pk=r["assessment"]), True),
    "answers": (lambda r: Finding.objects.get(pk=r["finding"]).assessment, True),
    "progress-reports": (lambda r: Assessment.objects.get(pk=r["assessment"]), True),
    "decisions": (lambda r: Assessment.objects.get(pk=r["assessment"]), False),
    "appeals": (lambda r: Assessment.objects.get(pk=r["assessment"]), False),
    "remediation-plans": (lambda r: Assessment.objects.get(pk=r["assessment"]), False),
    "events-of-default": (lambda r: EventOfDefault.objects.get(pk=r["id"]), False),
}


@pytest.fixture
def provider_referral(demo):
    """An Event of Default referred for CLOUDVAULT: not for its Shared Resource Users."""
    return services.refer_event_of_default(demo["ssc-member"],
                                           Party.objects.get(party_id="CLOUDVAULT"),
                                           clauses="G5.19", referral="Policy unreviewed.")


@pytest.mark.parametrize("endpoint", RECORDS)
def test_each_record_type_is_seen_by_exactly_those_the_rule_names(endpoint, demo, api_for,
                                                                   provider_referral):
    party_of, shared = RECORDS[endpoint]
    every = list({r["id"]: r for who in ("secas", "cio-assessor")  # SOLWAY's drafts too
                  for r in results(api_for(who), f"{A}/{endpoint}/?limit=1000")}.values())
    assert every, f"the demo holds {endpoint}"
    drafts = set(Finding.objects.filter(assessment__report_issued_at__isnull=True)
                 .values_list("pk", flat=True)) if endpoint == "findings" else set()
    assert len(drafts) == (endpoint == "findings")  # SOLWAY's draft finding
    for username in LOGINS:
        login(demo, username)
        seen = results(api_for(username), f"{A}/{endpoint}/?limit=1000")
        want = [r["id"] for r in every if sees(username, party_of(r), shared=shared,
                                               draft=r["id"] in drafts)]
        assert sorted(r["id"] for r in seen) == sorted(want), (endpoint, username)
        for record in every:
            status = api_for(username).get(f"{A}/{endpoint}/{record['id']}/").status_code
            assert status == (200 if record["id"] in want else 404), (endpoint, username)


def test_events_of_default_are_not_shared_with_resource_users(demo, api_for,
                                                               provider_referral):
    assert results(api_for("rep-HEARTH"), f"{A}/events-of-default/") == []
    login(demo, "rep-CLOUDVAULT")
    assert [e["party"] for e in results(api_for("rep-CLOUDVAULT"),
                                        f"{A}/events-of-default/")] == ["CLOUDVAULT"]


def test_filters_by_party_stage_and_category(demo, api_for):
    api = api_for("ssc-member")
    listed = results(api, f"{A}/assessments/?party=PYLON&stage=plan_agreed")
    assert [(a["party"], a["category"]) for a in listed] == [("PYLON", "VUSA")]
    assert {a["party"] for a in results(api, f"{A}/assessments/?category=SSA")} >= {"HEARTH",
                                                                                    "ORBIT"}
    assert {a["stage"] for a in results(api, f"{A}/assessments/?stage=booked")} == {"booked"}
    bad = api.get(f"{A}/assessments/?stage=pondering")
    assert bad.status_code == 400 and bad.json()["field"] == "stage"
    pylon = assessment("PYLON", "plan_agreed")
    steps = results(api, f"{A}/steps/?assessment={pylon.pk}&status=agreed")
    assert len(steps) == 2 and {s["status"] for s in steps} == {"agreed"}
    for endpoint in ["findings", "answers", "steps", "decisions", "evidence", "appeals",
                     "progress-reports", "remediation-plans"]:
        for record in results(api, f"{A}/{endpoint}/?assessment={pylon.pk}"):
            assert record.get("assessment", pylon.pk) == pylon.pk, endpoint
    assert len(results(api, f"{A}/decisions/?assessment={pylon.pk}")) == 2


def test_the_assessment_detail_holds_the_whole_visible_record(demo, api_for):
    dcc = assessment("DCC", "plan_agreed")
    detail = api_for("dcc").get(f"{A}/assessments/{dcc.pk}/").json()
    assert detail["party"] == "DCC" and detail["dcc_trigger"] == "annual"
    kinds = [d["kind"] for d in detail["decisions"]]
    assert kinds == ["plan_accepted", "dcc_outcome"]
    assert [a["to"] for a in detail["appeals"]] == ["panel"]  # G9.33
    assert detail["findings"][0]["steps"][0]["status"] == "agreed"
    assert set(detail["actions"]) == {"report_progress", "submit_remediation_plan",
                                      "record_appeal"}


def test_listing_assessments_takes_a_fixed_number_of_queries(demo, api_for,
                                                             django_assert_max_num_queries):
    api = api_for("secas")
    api.get(f"{A}/assessments/")  # warm the token and the caches
    with django_assert_max_num_queries(6):
        assert api.get(f"{A}/assessments/?limit=1000").status_code == 200
    with django_assert_max_num_queries(16):
        assert api.get(f"{A}/assessments/{assessment('DCC', 'plan_agreed').pk}/").status_code \
            == 200


def test_evidence_upload_download_and_its_visibility(demo, api_for):
    """The assessor's evidence (G8.22(b)(ii)) is stored with its SHA-256; it is downloaded only
    by those who may see the finding: the assessor while the report is a draft, then the SSC,
    the party and its Shared Resource Users."""
    solway = assessment("SOLWAY", "booked")
    content = b"server,on inventory\nsrv-07,no\nsrv-09,no\n"
    created = api_for("cio-assessor").post(f"{A}/assessments/{solway.pk}/findings/", {
        "kind": "potential_non_compliance", "clause": "G5.14", "title": "Two unlisted servers",
        "evidence": "See the attached extract.",
        "files": [SimpleUploadedFile("extract.csv", content)]}, format="multipart")
    assert created.status_code == 201, created.content
    file = created.json()["files"][0]
    assert file["sha256"] == hashlib.sha256(content).hexdigest()
    assert file["size"] == len(content) and file["name"] == "extract.csv"
    download = f"{A}/evidence/{file['id']}/download/"
    assert file["download"] == download
    got = api_for("cio-assessor").get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == content
    assert "attachment" in got["Content-Disposition"]
    for username in ["secas", "ssc-member", "rep-SOLWAY"]:
        assert api_for(login(demo, username).username).get(download).status_code == 404
    services.issue_report(demo["cio-assessor"], solway, summary="Issued.")
    assert api_for("rep-SOLWAY").get(download).status_code == 200
    assert api_for("ssc-member").get(f"{A}/evidence/{file['id']}/").json()["sha256"] == \
        file["sha256"]
    assert api_for("rep-HEARTH").get(download).status_code == 404


def test_a_finding_with_a_bad_file_records_nothing(demo, api_for):
    """Finding and files are one action: a refused file leaves no finding behind."""
    from secassure.assurance.services import reporting
    solway = assessment("SOLWAY", "booked")
    original = reporting.MAX_EVIDENCE_BYTES
    reporting.MAX_EVIDENCE_BYTES = 4
    try:
        response = api_for("cio-assessor").post(f"{A}/assessments/{solway.pk}/findings/", {
            "kind": "non_compliance", "clause": "G5.14", "title": "T", "evidence": "E",
            "files": [SimpleUploadedFile("big.bin", b"0123456789")]}, format="multipart")
    finally:
        reporting.MAX_EVIDENCE_BYTES = original
    assert response.status_code == 400 and response.json()["field"] == "file"
    assert solway.findings.count() == 1


def test_a_directors_letter_is_uploaded_and_downloaded(demo, api_for):
    cloud = assessment("CLOUDVAULT", "response_submitted")
    login(demo, "rep-CLOUDVAULT")
    created = api_for("rep-CLOUDVAULT").post(f"{A}/assessments/{cloud.pk}/remediation-plans/", {
        "plan": "Review the policy by March.", "director_name": "Jo Director",
        "director_statement": "I commit CloudVault to this plan.",
        "letter": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 signed")}, format="multipart")
    assert created.status_code == 201, created.content
    letter = created.json()["letter"]
    assert api_for("ssc-member").get(letter).status_code == 200
    # G10.8 sends a provider's Users its report, response, agreed steps and progress reports,
    # not its Remediation Plans and Directors' Letters: to HEARTH as if there were none
    assert api_for("rep-HEARTH").get(letter).status_code == 404
    login(demo, "rep-LUMEN")
    assert api_for("rep-LUMEN").get(letter).status_code == 404


def test_the_whole_flow_over_the_api(demo, api_for):
    """G8.22-G8.29 end to end: the report, the response, the SSC's other dates, the party's
    agreement, progress and completion, a Follow-up."""
    login(demo, "rep-MERIDIAN")
    ssc, rep = api_for("ssc-member"), api_for("rep-MERIDIAN")
    meridian = assessment("MERIDIAN", "report_issued")
    finding = meridian.findings.get()
    url = f"{A}/assessments/{meridian.pk}"
    assert ssc.post(f"{url}/response-due/", {"response_due": str(TODAY + timedelta(days=7))},
                    format="json").json()["response_due"] == str(TODAY + timedelta(days=7))
    answered = rep.post(f"{url}/submit-response/", {"summary": "We accept.", "answers": [{
        "finding": finding.pk, "accepted": True, "steps": [
            {"description": "Vet the service desk staff", "due": str(TODAY + timedelta(90))},
            {"description": "Contract clause added", "taken": True}]}]}, format="json")
    assert answered.status_code == 200 and answered.json()["stage"] == "response_submitted"
    proposed = ssc.post(f"{url}/propose-alternative/", {"reason": "Ninety days is too long.",
                                                        "steps": [{
        "finding": finding.pk, "description": "Vet the service desk staff",
        "due": str(TODAY + timedelta(30))}]}, format="json")
    assert proposed.json()["stage"] == "alternative_proposed"
    agreed = rep.post(f"{url}/agree-alternative/", format="json").json()
    statuses = sorted(s["status"] for s in agreed["findings"][0]["steps"])
    assert agreed["stage"] == "plan_agreed" and statuses == ["agreed", "superseded", "taken"]
    step = next(s for s in agreed["findings"][0]["steps"] if s["status"] == "agreed")
    assert ssc.post(f"{url}/progress-interval/", {"days": 30},
                    format="json").json()["next_progress_due"] == str(TODAY + timedelta(30))
    done = rep.post(f"{url}/progress/", {"kind": "completion", "step": step["id"],
                                         "text": "All staff vetted."}, format="json")
    assert done.status_code == 201 and done.json()["kind"] == "completion"
    follow_up = ssc.post(f"{url}/follow-up/", {"by": str(TODAY + timedelta(60))},
                         format="json")
    assert follow_up.status_code == 201
    assert (follow_up.json()["category"], follow_up.json()["follows"]) == ("FOLLOW_UP",
                                                                           meridian.pk)
    record = ssc.get(f"{url}/").json()
    assert [d["kind"] for d in record["decisions"]] == ["alternative_proposed",
                                                        "alternative_agreed",
                                                        "follow_up_requested"]
    assert record["follow_ups"] == [follow_up.json()["id"]]
    assert record["progress_reports"][0]["text"] == "All staff vetted."


def test_events_of_default_over_the_api(demo, api_for):
    """G8.57 the SSC refers; G8.58 the Panel decides and names the steps; G8.60 it approves
    the remedial action plan."""
    referred = api_for("ssc-member").post(f"{A}/events-of-default/", {
        "party": "LUMEN", "clauses": "G3.2; g5.14", "referral": "Alerts still unreviewed.",
        "assessment": assessment("LUMEN", "alternative_proposed").pk}, format="json")
    assert referred.status_code == 201, referred.content
    assert referred.json()["clauses"] == "G3.2, G5.14"
    panel = api_for("panel-member")
    url = f"{A}/events-of-default/{referred.json()['id']}"
    missing = panel.post(f"{url}/decide/", {"is_event_of_default": True, "reason": "Material."},
                         format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "steps"
    decided = panel.post(f"{url}/decide/", {"is_event_of_default": True, "reason": "Material.",
                                            "steps": "Remedial plan within 30 days.",
                                            "affected": ["HEARTH"]}, format="json")
    assert decided.status_code == 200 and decided.json()["affected"] == ["HEARTH"]
    again = panel.post(f"{url}/decide/", {"is_event_of_default": False, "reason": "x"},
                       format="json")
    assert again.status_code == 409  # already decided: a conflict of state
    approved = panel.post(f"{url}/remedial-plan/", {"plan": "Weekly alert review."},
                          format="json")
    assert approved.json()["remedial_plan_approved_on"] == str(TODAY)
    bad = api_for("ssc-member").post(f"{A}/events-of-default/", {
        "party": "LUMEN", "clauses": "G8.1", "referral": "x"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "clauses"
    assert EventOfDefault.objects.filter(party__party_id="LUMEN").count() == 1


def test_the_schema_describes_every_assurance_endpoint(client):
    """Every action is in the OpenAPI schema with its request body and its refusals."""
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    actions = ["issue-report", "submit-response", "accept-plan", "propose-alternative",
               "agree-alternative", "progress", "follow-up", "assurance-status",
               "compliance-status", "dcc-outcome", "remediation-plans", "appeals",
               "triage-approval", "submit-self-assessment", "review-self-assessment",
               "note-self-assessment", "findings", "response-due", "progress-interval",
               "follow-up-satisfies", "cancel"]
    for name in actions:
        post = paths[f"/api/assurance/assessments/{{id}}/{name}/"]["post"]
        if name != "agree-alternative":
            assert "requestBody" in post, name
        assert {"400", "403", "404", "409"} <= set(post["responses"]), name
        assert {"200", "201"} & set(post["responses"]), name
    for path in ["/api/assurance/assessments/", "/api/assurance/findings/{id}/evidence/",
                 "/api/assurance/evidence/{id}/download/",
                 "/api/assurance/remediation-plans/{id}/decide/",
                 "/api/assurance/events-of-default/{id}/decide/",
                 "/api/assurance/events-of-default/{id}/remedial-plan/",
                 "/api/assurance/assessments/{id}/export-pdf/",
                 "/api/assurance/assessments/{id}/export-docx/"]:
        assert path in paths, path
    evidence = paths["/api/assurance/findings/{id}/evidence/"]["post"]["requestBody"]
    assert "multipart/form-data" in evidence["content"]
    listing = {p["name"] for p in paths["/api/assurance/assessments/"]["get"]["parameters"]}
    assert {"party", "stage", "category"} <= listing
