"""Evidence integrity (issue 8): an evidence file (what a finding rests on, G8.22(b)(ii)) or a
Director's Letter is served only while it has the SHA-256 recorded when it was uploaded.

A stored file that was deleted or altered is refused, on the page and over the API, with a
clear answer (409, saying which file and what is wrong) rather than a server error or the
altered content; the refusal is journaled, and the assessment page says so next to the file.
"""
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from secassure.assurance import services
from secassure.assurance.models import Assessment, EvidenceFile, RemediationPlan
from secassure.core.journal.models import JournalEntry
from secassure.core.journal.services import verify
from secassure.core.journal.words import describe
from tests.assurance.test_workflow_api_permissions import login

CONTENT = b"host,listed\nsrv-7,no\n"
LETTER = b"%PDF-1.4 I commit CloudVault to this plan."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads go to a temporary directory, not the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def client(demo, username: str) -> Client:
    signed_in = Client()
    signed_in.force_login(login(demo, username))
    return signed_in


def api(demo, username: str):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient
    caller = APIClient()
    token, _ = Token.objects.get_or_create(user=login(demo, username))
    caller.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return caller


@pytest.fixture
def evidence(demo) -> EvidenceFile:
    """SOLWAY's finding with a file of evidence, in a report issued to the SSC and the party."""
    solway = Assessment.objects.exclude(stage="recorded").get(party__party_id="SOLWAY")
    stored = services.attach_evidence(demo["cio-assessor"], solway.findings.get(),
                                      file=SimpleUploadedFile("servers.csv", CONTENT))
    services.issue_report(demo["cio-assessor"], solway, summary="All matters assessed.")
    return stored


@pytest.fixture
def plan(demo) -> RemediationPlan:
    """CLOUDVAULT's Remediation Plan with its Director's Letter (G8.28)."""
    cloud = Assessment.objects.get(party__party_id="CLOUDVAULT", stage="response_submitted")
    return services.submit_remediation_plan(
        login(demo, "rep-CLOUDVAULT"), cloud, plan="Review the policy by March.",
        director_name="Jo Director", director_statement="I commit CloudVault to this plan.",
        letter=SimpleUploadedFile("letter.pdf", LETTER))


def failures(action: str) -> list[JournalEntry]:
    return list(JournalEntry.objects.filter(action=action).order_by("id"))


def test_an_intact_file_is_served_and_its_digest_was_recorded(demo, evidence, plan):
    assert evidence.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert plan.letter_sha256 == hashlib.sha256(LETTER).hexdigest()
    got = client(demo, "ssc-member").get(f"/assurance/evidence/{evidence.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == CONTENT
    got = api(demo, "ssc-member").get(f"/api/assurance/remediation-plans/{plan.pk}/letter/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == LETTER
    assert failures("assurance.evidence_failed_check") == []
    assert failures("assurance.letter_failed_check") == []


def test_a_deleted_evidence_file_is_refused_clearly_and_journaled(demo, evidence):
    Path(evidence.file.path).unlink()
    response = client(demo, "ssc-member").get(f"/assurance/evidence/{evidence.pk}/")
    assert response.status_code == 409
    text = response.content.decode()
    assert "Evidence file servers.csv failed its integrity check" in text
    assert "the stored file is missing" in text and "recorded in the journal" in text
    answer = api(demo, "rep-SOLWAY").get(f"/api/assurance/evidence/{evidence.pk}/download/")
    assert answer.status_code == 409
    assert answer.json()["problem"] == "missing"
    assert answer.json()["sha256"] == evidence.sha256
    entries = failures("assurance.evidence_failed_check")
    assert [e.actor.username for e in entries] == ["ssc-member", "rep-SOLWAY"]
    assert entries[0].details["problem"] == "missing"
    assert entries[0].details["evidence"] == evidence.pk
    assert entries[0].party.party_id == "SOLWAY" and entries[0].classification == "RED"
    assert describe(entries[0]) == "evidence file failed its integrity check"
    assert verify() == []


def test_an_altered_evidence_file_is_not_served_as_if_valid(demo, evidence):
    Path(evidence.file.path).write_bytes(b"host,listed\nsrv-7,yes\n")  # same size, other text
    response = client(demo, "rep-SOLWAY").get(f"/assurance/evidence/{evidence.pk}/")
    assert response.status_code == 409
    assert b"srv-7,yes" not in response.content
    assert "the stored file was altered" in response.content.decode()
    answer = api(demo, "ssc-member").get(f"/api/assurance/evidence/{evidence.pk}/download/")
    assert answer.status_code == 409 and answer.json()["problem"] == "altered"
    [first, second] = failures("assurance.evidence_failed_check")
    assert first.details["found"] == hashlib.sha256(b"host,listed\nsrv-7,yes\n").hexdigest()
    assert first.details["sha256"] == evidence.sha256


def test_the_assessment_page_says_which_file_failed(demo, evidence):
    page = client(demo, "ssc-member").get(f"/assurance/{evidence.finding.assessment_id}/")
    assert "failed its integrity check" not in page.content.decode()
    Path(evidence.file.path).write_bytes(b"replaced")
    page = client(demo, "ssc-member").get(f"/assurance/{evidence.finding.assessment_id}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "servers.csv</a>" in text and "failed its integrity check: the stored file was " \
                                         "altered" in text
    assert failures("assurance.evidence_failed_check") == []  # reading the page journals nothing


def test_a_deleted_or_altered_directors_letter_is_refused_and_journaled(demo, plan):
    url = f"/assurance/plans/{plan.pk}/letter/"
    api_url = f"/api/assurance/remediation-plans/{plan.pk}/letter/"
    Path(plan.director_letter.path).write_bytes(b"%PDF-1.4 I commit to nothing.")
    response = client(demo, "ssc-member").get(url)
    assert response.status_code == 409
    assert "Director&#x27;s Letter failed its integrity check" in response.content.decode()
    assert api(demo, "rep-CLOUDVAULT").get(api_url).json()["problem"] == "altered"
    Path(plan.director_letter.path).unlink()
    assert api(demo, "ssc-member").get(api_url).status_code == 409
    assessment_page = client(demo, "ssc-member").get(f"/assurance/{plan.assessment_id}/")
    assert "failed its integrity check: the stored file is missing" in \
        assessment_page.content.decode()
    entries = failures("assurance.letter_failed_check")
    assert [e.details["problem"] for e in entries] == ["altered", "altered", "missing"]
    assert all(e.details["plan"] == plan.pk for e in entries)
    assert describe(entries[0]) == "Director's Letter failed its integrity check"


def test_a_failure_on_a_draft_is_journaled_for_its_drafters_only(demo):
    """A draft finding's evidence is the assessor's alone (G8.22-G8.23); so is the news that
    it failed its check."""
    solway = Assessment.objects.exclude(stage="recorded").get(party__party_id="SOLWAY")
    stored = services.attach_evidence(demo["cio-assessor"], solway.findings.get(),
                                      file=SimpleUploadedFile("servers.csv", CONTENT))
    Path(stored.file.path).unlink()
    assert client(demo, "cio-assessor").get(f"/assurance/evidence/{stored.pk}/").status_code \
        == 409
    from secassure.assurance.selectors import journal_entries
    actions = {e.action for e in journal_entries(demo["ssc-member"], solway)}
    assert "assurance.evidence_failed_check" not in actions
    actions = {e.action for e in journal_entries(demo["cio-assessor"], solway)}
    assert "assurance.evidence_failed_check" in actions
