"""Issue 9 section 2, the workflow's missing turns: what a finding may cite (G9.16, G9.19,
G12.4), the fieldwork dates of an issued report (G8.22), the response deadline shown where the
party acts (G8.24)."""
from datetime import timedelta

import pytest
from django.test import Client

from secassure.assurance import services
from secassure.assurance.models import Assessment
from secassure.assurance.services import AssuranceError
from secassure.code.findings import check_finding
from tests.conftest import TODAY

# --- What a finding may cite ----------------------------------------------------------------

CITED = [
    # G9.19(c): "non-compliance of the DCC with its obligations under DCC Licence Condition 8"
    ("DCC_FULL", "LC8", "LC8"),
    ("DCC_FULL", "Licence Condition 8.3", "LC8.3"),
    ("DCC_FULL", "DCC Licence Condition 8", "LC8"),
    # G9.19(d): "... under SEC Appendix Z, Sections 6 and 7"
    ("DCC_FULL", "Appendix Z Section 6", "Z6"),
    ("DCC_FULL", "z7.2", "Z7.2"),
    # G9.19(b): "Sections G2 and G4 to G6"
    ("DCC_FULL", "g2.1", "G2.1"),
]
REFUSED = [
    ("DCC_FULL", "Appendix Z Section 5", "not a clause reference"),  # only Sections 6 and 7
    ("DCC_FULL", "G3.2", "outside G2, G4, G5, G6"),                  # G3 is the Users'
    ("FUSA", "LC8", "not a clause reference"),   # a User has no Licence Condition 8
    ("FUSA", "G12.4", "outside G3, G4, G5, G6"),  # G12.4 binds Triage Facility Providers only
]


@pytest.mark.parametrize(("category", "clause", "canonical"), CITED)
def test_a_dcc_finding_may_cite_licence_condition_8_and_appendix_z(category, clause, canonical):
    assert check_finding(category, "non_compliance", clause) == canonical


@pytest.mark.parametrize(("category", "clause", "message"), REFUSED)
def test_what_a_finding_may_not_cite(category, clause, message):
    with pytest.raises(ValueError, match=message):
        check_finding(category, "non_compliance", clause)


def test_a_triage_facility_providers_finding_may_cite_g12_4():
    """G12.4: each Triage Facility Provider shall (a)-(k); its assessment may find it broken."""
    assert check_finding("FUSA", "non_compliance", "G12.4(c)", triage_provider=True) == "G12.4(c)"
    assert check_finding("FUSA", "non_compliance", "G12.4", triage_provider=True) == "G12.4"
    with pytest.raises(ValueError, match="outside"):
        check_finding("FUSA", "non_compliance", "G12.6", triage_provider=True)


def test_the_assessor_records_a_g12_4_finding_only_for_a_triage_facility_provider(flow, people):
    triage = Assessment.objects.get(party__party_id="TRIAGEWORKS", initial=True)
    booked = services.book_assessment(
        people["secas"], triage.party, "FUSA", roles=list(triage.party.roles.all()),
        assessor=people["cio-assessor"], fieldwork_start=TODAY - timedelta(days=5),
        fieldwork_end=TODAY - timedelta(days=1))
    finding = services.record_finding(people["cio-assessor"], booked, kind="non_compliance",
                                      clause="G12.4(f)", title="No asset register",
                                      evidence="No record of triage activities.")
    assert finding.clause == "G12.4(f)"
    with pytest.raises(AssuranceError, match="clause: G12.4.* is outside"):
        services.record_finding(people["cio-assessor"], flow.book(), kind="non_compliance",
                                clause="G12.4(f)", title="t", evidence="e")


# --- The report's fieldwork dates (G8.22) ---------------------------------------------------

def test_a_report_is_not_issued_with_fieldwork_ending_before_it_started(flow, people):
    assessment = flow.book()
    with pytest.raises(AssuranceError, match=r"^fieldwork_end: .* before fieldwork started"):
        services.issue_report(people["cio-assessor"], assessment, summary="s",
                              fieldwork_end=TODAY - timedelta(days=30))
    with pytest.raises(AssuranceError, match=r"^fieldwork_end: .* after the report's issue"):
        services.issue_report(people["cio-assessor"], assessment, summary="s",
                              fieldwork_end=TODAY + timedelta(days=1))
    assert services.issue_report(people["cio-assessor"], assessment, summary="s",
                                 fieldwork_end=TODAY - timedelta(days=20)).stage == \
        "report_issued"


def test_the_issue_page_refuses_fieldwork_ending_before_it_started_naming_the_field(flow,
                                                                                    people):
    assessment = flow.book()
    client = Client()
    client.force_login(people["cio-assessor"])
    response = client.post(f"/assurance/{assessment.pk}/issue-report/", {
        "summary": "s", "fieldwork_end": (TODAY - timedelta(days=30)).isoformat(),
        "seen_stage": "booked"})
    assert response.status_code == 400
    assert "fieldwork_end" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).stage == "booked"


# --- The response deadline where the party acts (G8.24) -------------------------------------

def test_the_party_sees_its_response_deadline_in_the_list(people):
    meridian = Assessment.objects.get(party__party_id="MERIDIAN", stage="report_issued")
    client = Client()
    client.force_login(people["rep-MERIDIAN"])
    text = client.get("/assurance/").content.decode()
    assert f"response due by {meridian.response_due:%-d %b %Y}" in text
    assert "overdue" in text
