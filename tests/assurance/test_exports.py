"""An assessment's full record for the papers of a meeting, as PDF and as Word.

Only for people who may see the assessment (404 for everyone else); what it holds is what the
reader may see (a draft report's findings only for the assessor, G8.22-G8.23); the
classification is a banner on every page.
"""
import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from secassure.assurance import exports, services
from secassure.assurance.exports.pdf import pdf_document
from secassure.core.journal.words import words_for
from tests.assurance.test_workflow_api_permissions import assessment, login

TITLES = ["Information security policy not reviewed", "Patching of a shared jump host late"]
EVIDENCE = b"policy,last reviewed\ninfosec,2024-09\n"


@pytest.fixture
def cloudvault(demo):
    """CLOUDVAULT's FUSA with evidence, the plan accepted (G8.27(a)) and a compliance status
    set: findings, answers, steps, decisions."""
    cloud = assessment("CLOUDVAULT", "response_submitted")
    services.accept_plan(demo["ssc-member"], cloud, "The steps and dates are appropriate.")
    services.set_compliance_status(demo["ssc-member"], cloud, "compliant_subject_to_plan",
                                   "Covered by the agreed steps.")
    return cloud


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence and letters go to a temporary directory, not the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def squeeze(text: str) -> str:
    return "".join(text.split())


def page_texts(document) -> list[tuple[str, str]]:
    """For each laid-out PDF page: the text of its top margin box (the banner) and of the
    whole page."""
    def text(box):
        return " ".join(b.text for b in box.descendants() if hasattr(b, "text"))
    pages = []
    for page in document.pages:
        banner = [c for c in page._page_box.children
                  if getattr(c, "at_keyword", "") == "@top-center"]
        pages.append((text(banner[0]) if banner else "", text(page._page_box)))
    return pages


def test_the_pdf_holds_the_findings_and_decisions_with_red_on_every_page(cloudvault, demo,
                                                                          client_for):
    response = client_for("ssc-member").get(reverse("assessment-export-pdf",
                                                    args=[cloudvault.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert 'attachment; filename="assessment-' in response["Content-Disposition"]
    document = pdf_document(exports.outline(demo["ssc-member"], cloudvault))
    pages = page_texts(document)
    assert len(pages) >= 2
    assert all(banner == "RED" for banner, _ in pages), "the classification on every page"
    everything = squeeze(" ".join(text for _, text in pages))  # lines wrap inside words
    for title in TITLES:
        assert squeeze(title) in everything
    assert squeeze("Steps and timetable accepted (G8.27(a))") in everything
    assert squeeze("Compliance status (SSC)") in everything
    assert "compliant_subject_to_plan" in everything
    assert f"Page1of{len(pages)}" in everything


def test_the_docx_holds_the_findings_decisions_and_evidence_hashes(cloudvault, client_for, demo):
    finding = cloudvault.findings.order_by("number").first()
    stored = _evidence_after_the_fact(finding, demo)
    response = client_for("ssc-member").get(reverse("assessment-export-docx",
                                                    args=[cloudvault.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.DOCX
    text = docx_text(response.content)
    for title in TITLES:
        assert f": {title}" in text
    assert "Steps and timetable accepted (G8.27(a))" in text
    assert "The steps and dates are appropriate." in text  # the reasons
    assert stored.sha256 in text and stored.name in text
    assert "Remedy: information security policy not reviewed" in text  # the steps
    assert "Agreed: binding (G8.28)" in text
    assert "steps and timetable accepted" in text and "G8.27(a)" in text  # the journal, in words
    header = Document(BytesIO(response.content)).sections[0].header.paragraphs[0].text
    assert header == "RED"


def _evidence_after_the_fact(finding, demo):
    """Evidence is attached while the report is a draft; the model holds it as it would."""
    from secassure.assurance.models import EvidenceFile
    upload = SimpleUploadedFile("policy-review.csv", EVIDENCE)
    return EvidenceFile.objects.create(finding=finding, file=upload, name=upload.name,
                                       sha256=hashlib.sha256(EVIDENCE).hexdigest(),
                                       size=len(EVIDENCE), uploaded_by=demo["cio-assessor"])


@pytest.mark.parametrize("username, status", [
    ("ssc-member", 200), ("rep-CLOUDVAULT", 200),
    ("rep-HEARTH", 200),   # G10.8: the Shared Resource User receives the provider's report
    ("cio-assessor", 200),  # its assessor (G8.22-G8.23)
    ("panel-member", 404),  # not an initial FUSA: not the Panel's papers (G8.34)
    ("dcc-assessor", 404),  # the DCC's assessor sees the DCC's business only (G9.4)
    ("rep-LUMEN", 404), ("dcc", 404), ("triage-operator", 404)])
def test_only_those_who_may_see_the_assessment_get_it(username, status, demo, client_for):
    login(demo, username)
    cloud = assessment("CLOUDVAULT", "response_submitted")
    client = client_for(username)
    for name in ["assessment-export-pdf", "assessment-export-docx"]:
        assert client.get(reverse(name, args=[cloud.pk])).status_code == status, name


def test_anonymous_visitors_are_sent_to_sign_in(demo, client):
    response = client.get(reverse("assessment-export-docx", args=[1]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_draft_reports_findings_are_only_in_the_assessors_copy(demo, client_for):
    """G8.22-G8.23: the SSC sees SOLWAY's assessment is booked, not the draft findings."""
    solway = assessment("SOLWAY", "booked")
    url = reverse("assessment-export-docx", args=[solway.pk])
    assert "Asset inventory incomplete" in docx_text(client_for("cio-assessor").get(url).content)
    for username in ["secas", "rep-SOLWAY"]:
        login(demo, username)
        text = docx_text(client_for(username).get(url).content)
        assert "Asset inventory incomplete" not in text, username  # nor in the journal
        assert "The report has not been issued." in text


def test_the_api_serves_the_same_documents(cloudvault, api_for, demo):
    api = api_for("rep-HEARTH")
    pdf = api.get(f"/api/assurance/assessments/{cloudvault.pk}/export-pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    docx = api.get(f"/api/assurance/assessments/{cloudvault.pk}/export-docx/")
    assert docx.status_code == 200 and TITLES[0] in docx_text(docx.content)
    login(demo, "rep-LUMEN")
    assert api_for("rep-LUMEN").get(
        f"/api/assurance/assessments/{cloudvault.pk}/export-pdf/").status_code == 404


def test_the_journal_in_an_export_is_what_the_reader_may_see(cloudvault, demo):
    """The journal of an assessment is RED business of the party: the Shared Resource User
    reads the report (G10.8) but not the provider's journal."""
    committee = exports.outline(demo["ssc-member"], cloudvault)
    user = exports.outline(login(demo, "rep-HEARTH"), cloudvault)
    journal = {o.reader: next(s for s in o.sections if s.title == "Journal")
               for o in (committee, user)}
    actions = [row[2] for row in journal["ssc-member"].tables[0].rows]
    said = [words_for(name) for name in ("assurance.book", "assurance.record_finding",
                                         "assurance.record_finding")]
    assert actions[:3] == said, "what happened, in words, oldest first"
    assert not [a for a in actions if "assurance." in a or "_" in a], actions
    assert journal["rep-HEARTH"].tables == []
