"""The assurance pages, as each kind of person sees them and acts on them.

Read as the specification of who may see and do what: the report goes to the SSC and the
party (G8.23) and to a provider's Shared Resource Users (G10.8(a)); drafts stay with the
assessor (G8.22); each action belongs to the person the Code gives it to, and a refusal says
why (403 wrong person, 409 wrong stage, 400 input the Code does not allow).
"""
import html
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.accounts.models import Person
from secassure.assurance.models import Assessment, EventOfDefault, EvidenceFile, Step
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party, PartyRole
from tests.conftest import TODAY


@pytest.fixture
def signed_in(demo):
    """A separate client for each person, so a walk can switch between them."""
    from django.test import Client

    def make(username):
        client = Client()
        client.force_login(demo[username])
        return client
    return make


def live(pid, **filters):
    """The demo's platform-run assessment of party `pid` (not its imported history)."""
    return Assessment.objects.exclude(stage="recorded").get(party__party_id=pid, **filters)


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def later(days):
    return (TODAY + timedelta(days=days)).isoformat()


# --- Who sees what ---------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    solway = live("SOLWAY")
    for url in ["/assurance/", f"/assurance/{solway.pk}/", "/assurance/attention/",
                "/assurance/defaults/", "/assurance/book/HEARTH/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_committee_lists_every_assessment_and_filters_them(signed_in):
    client = signed_in("ssc-member")
    listing = page(client, "/assurance/")
    assert all(pid in listing for pid in ["SOLWAY", "MERIDIAN", "CLOUDVAULT", "LUMEN", "DCC"])
    only = page(client, "/assurance/?stage=plan_agreed")
    assert "PYLON" in only and "GRIDSHARE" in only and "MERIDIAN" not in only
    assert "HEARTH" in page(client, "/assurance/?category=SSA&party=hearth")
    assert "No assessment matches" in page(client, "/assurance/?category=VUSA&party=HEARTH"
                                                   "&stage=booked")


def test_a_shared_resource_user_sees_its_providers_report_but_no_one_elses(signed_in):
    """G10.8(a)-(b): HEARTH uses CLOUDVAULT's Shared Resources, so it receives CLOUDVAULT's
    report and response; LUMEN's business stays LUMEN's."""
    client = signed_in("rep-HEARTH")
    listing = page(client, "/assurance/")
    assert "CLOUDVAULT" in listing and "LUMEN" not in listing and "PYLON" not in listing
    report = page(client, f"/assurance/{live('CLOUDVAULT').pk}/")
    assert "Information security policy not reviewed" in report  # finding 1 (G8.22(b))
    assert "Remedy: information security policy not reviewed" in report  # its response
    assert "What you can do now" not in report  # it reads its provider's record, it does not act
    page(client, f"/assurance/{live('LUMEN').pk}/", status=404)
    assert "Monitoring gaps" not in page(client, "/assurance/?party=LUMEN")


def test_nobody_but_the_assessor_sees_solways_draft_findings(signed_in):
    """G8.22-G8.23: until the report is issued, its findings are the assessor's draft."""
    solway = live("SOLWAY")
    draft = "Asset inventory incomplete"
    assert draft in page(signed_in("cio-assessor"), f"/assurance/{solway.pk}/")
    page(signed_in("panel-member"), f"/assurance/{solway.pk}/", status=404)  # not entry (G8.34)
    for username in ["secas", "ssc-member", "rep-SOLWAY"]:
        text = page(signed_in(username), f"/assurance/{solway.pk}/")
        assert draft not in text and "The report is not issued yet" in text, username


def test_evidence_files_are_served_only_to_those_who_may_see_the_finding(signed_in, demo):
    solway = live("SOLWAY")
    finding = solway.findings.get()
    cio = signed_in("cio-assessor")
    response = cio.post(f"/assurance/{solway.pk}/attach-evidence/{finding.pk}/", {
        "file": SimpleUploadedFile("servers.csv", b"host,listed\nsrv-7,no\n")})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get(finding=finding)
    assert len(evidence.sha256) == 64
    download = cio.get(f"/assurance/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"srv-7" in b"".join(download.streaming_content)
    assert "attachment" in download["Content-Disposition"]
    for username in ["ssc-member", "rep-SOLWAY", "rep-HEARTH"]:  # a draft (G8.22)
        page(signed_in(username), f"/assurance/evidence/{evidence.pk}/", status=404)
    cio.post(f"/assurance/{solway.pk}/issue-report/", {"summary": "All matters assessed."})
    assert signed_in("ssc-member").get(f"/assurance/evidence/{evidence.pk}/").status_code == 200
    assert signed_in("rep-SOLWAY").get(f"/assurance/evidence/{evidence.pk}/").status_code == 200
    page(signed_in("rep-HEARTH"), f"/assurance/evidence/{evidence.pk}/", status=404)


def test_each_person_sees_only_the_actions_the_code_gives_them(signed_in):
    cloud = live("CLOUDVAULT")  # response submitted: the SSC reviews it (G8.27)
    ssc = page(signed_in("ssc-member"), f"/assurance/{cloud.pk}/")
    assert "Accept the steps and timetable" in ssc and "Propose other steps or dates" in ssc
    assert 'href="/code/G8.27(a)/"' in ssc  # the clause beside the button
    for username in ["cio-assessor", "secas"]:
        other = page(signed_in(username), f"/assurance/{cloud.pk}/")
        assert "Accept the steps and timetable" not in other, username
    meridian = live("MERIDIAN")  # report issued: the party responds (G8.24)
    assert "Submit the response" in page(signed_in("rep-MERIDIAN"), f"/assurance/{meridian.pk}/")
    assert "Submit the response" not in page(signed_in("ssc-member"),
                                              f"/assurance/{meridian.pk}/")


def test_agreed_steps_past_their_date_show_as_overdue(signed_in):
    """G8.28(a): the agreed plan binds the party; a step past its date without a completion
    is overdue."""
    text = page(signed_in("rep-PYLON"), f"/assurance/{live('PYLON').pk}/")
    assert 'class="overdue"' in text and "Agreed: binding (G8.28)" in text
    assert "Report progress, completion or failure" in text


def test_the_assessment_page_shows_its_journal(signed_in):
    text = page(signed_in("ssc-member"), f"/assurance/{live('PYLON').pk}/")
    assert "Journal of this assessment" in text
    assert "steps and timetable accepted" in text and "compliance status set" in text


# --- The SSC's next meeting --------------------------------------------------------------------

@pytest.mark.parametrize("username", ["rep-HEARTH", "dcc", "triage-operator"])
def test_the_meeting_page_is_for_the_committee(signed_in, username):
    assert signed_in(username).get("/assurance/attention/").status_code == 403


def test_the_meeting_page_lists_what_needs_deciding(signed_in):
    text = html.unescape(page(signed_in("ssc-member"), "/assurance/attention/"))
    sections = {
        "Responses awaiting the SSC's review": "CLOUDVAULT",  # G8.27
        "Responses overdue": "MERIDIAN",                      # G8.24
        "Agreed steps overdue": "PYLON",                      # G8.28(a)
        "Remediation Plans submitted": "PYLON",
        "Self-assessments reviewed, to note": "ORBIT",
        "Events of Default to decide": "BRAMBLE",             # G8.57-G8.58
        "DCC appeals to the Panel": "DCC",                    # G9.33
        "Assurance status to set": "BRAMBLE",                 # G8.36(d)(ii): reconsider
    }
    for title, pid in sections.items():
        start = text.index(title)
        assert pid in text[start:text.index("</section>", start)], title
    start = text.index("Assurance status to set")
    assert "QUARTZ" not in text[start:text.index("</section>", start)]  # QUARTZ's is set


def test_the_meeting_page_lists_progress_reports_and_follow_ups_due_by_the_meeting(signed_in):
    client = signed_in("ssc-member")  # progress is reported to the SSC (G8.28(b))
    soon = page(client, "/assurance/attention/")
    assert "Progress reports due (" in soon  # PYLON reports every 30 days: not yet
    meeting = page(client, f"/assurance/attention/?until={later(100)}")
    start = meeting.index("Progress reports due")
    assert "PYLON" in meeting[start:]
    assert "Follow-ups due" in meeting and "QUARTZ" in meeting[meeting.index("Follow-ups due"):]


# --- Booking (G8.15-G8.19, G8.30(a)(i), G8.40) -------------------------------------------------

@pytest.mark.parametrize("pid", ["SUNNYSIDE", "KESTREL", "ORBIT"])
def test_booking_is_prefilled_from_the_schedule(signed_in, pid):
    """G8.40-G8.47: the schedule proposes the category and the date; the form starts there."""
    from secassure.assurance.selectors import party_schedule
    proposed = party_schedule(Party.objects.get(party_id=pid), TODAY)
    text = page(signed_in("secas"), f"/assurance/book/{pid}/")
    assert f"The schedule proposes: <strong>{proposed.next.value}</strong>" in text
    if proposed.next.value in ("FUSA", "VUSA", "SSA"):
        assert f'<option value="{proposed.next.value}" selected>' in text
    if proposed.due:
        assert f'value="{proposed.due.isoformat()}"' in text
    assert text.count('type="checkbox" name="roles"') == Party.objects.get(
        party_id=pid).roles.count()
    assert 'checked' in text


def test_the_party_books_its_assessment_and_it_is_journaled(signed_in, demo):
    client = signed_in("rep-SUNNYSIDE")
    party = Party.objects.get(party_id="SUNNYSIDE")
    assert "Book an assessment" in page(client, "/register/SUNNYSIDE/")
    response = client.post("/assurance/book/SUNNYSIDE/", {
        "category": "VUSA", "roles": [r.pk for r in party.roles.all()],
        "assessor": demo["cio-assessor"].pk, "fieldwork_start": later(10),
        "fieldwork_end": later(12), "reason": "annual cycle"})
    assert response.status_code == 302
    booked = Assessment.objects.get(party=party, stage="booked")
    assert response["Location"] == f"/assurance/{booked.pk}/"
    assert booked.category == "VUSA" and list(booked.roles.all()) == list(party.roles.all())
    assert JournalEntry.objects.filter(action="assurance.book", party=party).exists()
    assert "Booked" in page(client, "/register/SUNNYSIDE/")


def test_booking_without_a_role_is_refused_with_the_clause(signed_in):
    response = signed_in("secas").post("/assurance/book/SUNNYSIDE/", {"category": "FUSA"})
    assert response.status_code == 400
    assert "name the User Roles the assessment covers (G8.30(a)(i))" in response.content.decode()


def test_only_secas_and_the_party_may_book(signed_in):
    assert signed_in("ssc-member").get("/assurance/book/HEARTH/").status_code == 403
    assert signed_in("rep-HEARTH").get("/assurance/book/LUMEN/").status_code == 404
    assert "Book an assessment" not in page(signed_in("ssc-member"), "/register/HEARTH/")


# --- Refusals: the wrong person (403), the wrong stage (409), bad input (400) -----------------

def _wrong_people():
    """(action URL maker, a person who may see the assessment but may not take the action)."""
    return [
        ("cancel", "NEWCO", {}, "ssc-member"),
        ("record-finding", "SOLWAY", {}, "secas"),
        ("issue-report", "SOLWAY", {}, "rep-SOLWAY"),
        ("set-response-due", "MERIDIAN", {}, "secas"),
        ("respond", "MERIDIAN", {}, "ssc-member"),
        ("accept-plan", "CLOUDVAULT", {}, "rep-CLOUDVAULT"),
        ("propose-alternative", "CLOUDVAULT", {}, "secas"),
        ("agree-alternative", "LUMEN", {}, "ssc-member"),
        ("report-progress", "PYLON", {}, "cio-assessor"),
        ("set-progress-interval", "PYLON", {}, "rep-PYLON"),
        ("request-follow-up", "PYLON", {}, "secas"),
        ("set-assurance-status", "CLOUDVAULT", {}, "ssc-member"),
        ("confirm-follow-up", "QUARTZ", {"category": "FUSA"}, "ssc-member"),
        ("set-compliance-status", "CLOUDVAULT", {}, "secas"),
        ("record-dcc-outcome", "DCC", {}, "panel-member"),
        ("submit-remediation-plan", "PYLON", {}, "ssc-member"),
        ("submit-remediation-plan", "CLOUDVAULT", {}, "rep-HEARTH"),  # G10.8 is to read
        ("submit-self-assessment", "HEARTH", {}, "ssc-member"),
        ("review-self-assessment", "HEARTH", {}, "rep-HEARTH"),
        ("note-self-assessment", "ORBIT", {}, "cio-assessor"),
        ("approve-triage", "QUARTZ", {"category": "FUSA"}, "panel-member"),
    ]


@pytest.mark.parametrize("slug,pid,filters,username", _wrong_people())
def test_the_wrong_person_is_refused_every_action(signed_in, slug, pid, filters, username):
    assessment = live(pid, **filters)
    before = JournalEntry.objects.count()
    response = signed_in(username).post(f"/assurance/{assessment.pk}/{slug}/", {})
    assert response.status_code == 403
    assert JournalEntry.objects.count() == before


def test_the_wrong_person_is_refused_the_per_record_actions(signed_in):
    solway, pylon, quartz = live("SOLWAY"), live("PYLON"), live("QUARTZ", category="FUSA")
    plan = pylon.remediation_plans.get()
    decision = quartz.decisions.get(kind="assurance_status")
    cases = [(f"/assurance/{solway.pk}/attach-evidence/{solway.findings.get().pk}/",
              "ssc-member"),
             (f"/assurance/{pylon.pk}/decide-plan/{plan.pk}/", "rep-PYLON"),
             (f"/assurance/{quartz.pk}/appeal/{decision.pk}/", "panel-member")]
    for url, username in cases:
        assert signed_in(username).post(url, {"grounds": "x"}).status_code == 403, url


def test_the_wrong_person_is_refused_the_events_of_default_actions(signed_in):
    eod = EventOfDefault.objects.get(party__party_id="BRAMBLE")
    assert signed_in("panel-member").get("/assurance/defaults/refer/").status_code == 403
    assert signed_in("ssc-member").post(f"/assurance/defaults/{eod.pk}/decide/", {
        "decision": "yes", "reason": "x", "steps": "y"}).status_code == 403
    assert signed_in("ssc-member").post(f"/assurance/defaults/{eod.pk}/remedial-plan/", {
        "plan": "x"}).status_code == 403


def test_the_right_person_at_the_wrong_stage_gets_409_and_the_reason(signed_in):
    pylon = live("PYLON")  # the plan is already agreed
    response = signed_in("ssc-member").post(f"/assurance/{pylon.pk}/accept-plan/", {})
    assert response.status_code == 409
    assert "not possible while the assessment is plan agreed" in response.content.decode()


def test_a_finding_outside_g3_to_g6_is_refused_with_a_clear_message(signed_in):
    """G8.22(b)(i): a Full assessment reports non-compliance with Sections G3 to G6."""
    solway, client = live("SOLWAY"), signed_in("cio-assessor")
    url = f"/assurance/{solway.pk}/record-finding/"
    data = {"kind": "non_compliance", "title": "Wrong clause", "evidence": "Seen on site."}
    response = client.post(url, data | {"clause": "G8.1"})
    assert response.status_code == 400
    assert "G8.1 is outside G3, G4, G5, G6" in response.content.decode()
    response = client.post(url, data | {"clause": "G5.99"})
    assert response.status_code == 400 and "Section G has no clause G5.99" in \
        response.content.decode()
    assert client.post(url, data | {"clause": "g5.14"}).status_code == 302
    assert solway.findings.filter(clause="G5.14", title="Wrong clause").exists()


# --- The response (G8.24-G8.26) ----------------------------------------------------------------

def _response(finding, **fields):
    return {f"f{finding.pk}-{key}": value for key, value in fields.items()}


def test_a_response_with_an_unanswered_finding_is_refused_naming_it(signed_in):
    meridian = live("MERIDIAN")
    finding = meridian.findings.get()
    response = signed_in("rep-MERIDIAN").post(f"/assurance/{meridian.pk}/respond/", _response(
        finding, **{"r1-description": "Vet the service desk staff", "r1-when": "proposed",
                    "r1-due": later(30)}))
    assert response.status_code == 400
    text = response.content.decode()
    assert ("finding 1 (New outsourced service desk): say whether you accept the finding "
            "(G8.26(a))") in text
    assert "Vet the service desk staff" in text  # what was typed is kept
    assert live("MERIDIAN").stage == "report_issued"


def test_a_proposed_step_without_a_date_is_refused_naming_it(signed_in):
    meridian = live("MERIDIAN")
    finding = meridian.findings.get()
    response = signed_in("rep-MERIDIAN").post(f"/assurance/{meridian.pk}/respond/", _response(
        finding, **{"accepted": "accept", "r1-description": "Vet the staff",
                    "r1-when": "proposed", "r1-due": ""}))
    assert response.status_code == 400
    assert ("finding 1 (New outsourced service desk), step 1: give the date by which the "
            "proposed step will be taken (G8.26(c))") in response.content.decode()


def test_a_disputed_finding_needs_its_reasons(signed_in):
    meridian = live("MERIDIAN")
    response = signed_in("rep-MERIDIAN").post(f"/assurance/{meridian.pk}/respond/", _response(
        meridian.findings.get(), accepted="dispute"))
    assert response.status_code == 400
    assert "explain why you do not accept it (G8.26(a))" in response.content.decode()


def test_step_rows_are_added_without_javascript_and_in_place_with_htmx(signed_in):
    meridian, client = live("MERIDIAN"), signed_in("rep-MERIDIAN")
    finding = meridian.findings.get()
    data = _response(finding, **{"accepted": "accept", "r1-description": "First step",
                                 "r1-due": later(20)}) | {"add_row": str(finding.pk)}
    response = client.post(f"/assurance/{meridian.pk}/respond/", data)
    text = response.content.decode()
    assert response.status_code == 200 and text.count('class="step-row"') == 2
    assert "First step" in text and live("MERIDIAN").stage == "report_issued"
    row = client.get(f"/assurance/{meridian.pk}/step-row/?finding={finding.pk}",
                     HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and row.content.decode().strip().startswith(
        '<tr class="step-row">')


def test_a_complete_response_is_submitted(signed_in):
    meridian = live("MERIDIAN")
    finding = meridian.findings.get()
    response = signed_in("rep-MERIDIAN").post(f"/assurance/{meridian.pk}/respond/", _response(
        finding, **{"accepted": "dispute", "reasons": "The desk has no access to User Systems",
                    "a-description": "Access review done", "a-when": "taken", "a-due": "",
                    "b-description": "Contract clause on vetting", "b-when": "proposed",
                    "b-due": later(40), "c-description": "", "c-due": ""})
        | {"summary": "We dispute the finding but tighten the contract."})
    assert response.status_code == 302
    meridian.refresh_from_db()
    assert meridian.stage == "response_submitted"
    steps = list(Step.objects.filter(finding=finding).order_by("id").values_list(
        "status", "description"))
    assert steps == [("taken", "Access review done"), ("proposed", "Contract clause on vetting")]
    assert "Disputed" in page(signed_in("ssc-member"), f"/assurance/{meridian.pk}/")


# --- Whole flows through the pages ---------------------------------------------------------------

def post(client, url, data=None, status=302):
    response = client.post(url, data or {})
    assert response.status_code == status, (url, response.content.decode()[:3000])
    return response


def test_a_deferred_entry_waits_for_a_follow_up_then_the_panel_is_satisfied(signed_in):
    """G8.36(c): deferred until the steps are taken and a Follow-up shows it; then the Panel
    decides it is satisfied (G8.36(c)(ii), G8.37(a)(ii))."""
    newco = live("NEWCO")
    assert newco.initial
    cio, ssc, panel, rep = (signed_in(u) for u in ["cio-assessor", "ssc-member",
                                                      "panel-member", "rep-NEWCO"])
    # The demo books NEWCO's fieldwork in two weeks; a report cannot end fieldwork before it
    # started (G8.22): date the start back to a week ago.
    Assessment.objects.filter(pk=newco.pk).update(fieldwork_start=TODAY - timedelta(days=7))
    post(cio, f"/assurance/{newco.pk}/record-finding/", {
        "kind": "potential_non_compliance", "clause": "G5.19", "title": "Policy draft only",
        "evidence": "The policy is unsigned."})
    post(cio, f"/assurance/{newco.pk}/issue-report/", {
        "summary": "Entry assessment.", "fieldwork_end": TODAY.isoformat()})
    post(ssc, f"/assurance/{newco.pk}/set-response-due/", {"due": later(14)})
    finding = newco.findings.get()
    post(rep, f"/assurance/{newco.pk}/respond/", _response(
        finding, **{"accepted": "accept", "s-description": "Board signs the policy",
                    "s-due": later(20)}))
    assert "NEWCO" in page(panel, "/assurance/attention/").split("Assurance status to set")[1]
    post(panel, f"/assurance/{newco.pk}/set-assurance-status/", {
        "status": "deferred", "reason": "Take the steps first."})
    # The Follow-up must be completed after the deferral: date the deferral back a month.
    Assessment.objects.filter(pk=newco.pk).update(status_set=TODAY - timedelta(days=30))
    post(ssc, f"/assurance/{newco.pk}/accept-plan/", {})
    post(ssc, f"/assurance/{newco.pk}/request-follow-up/", {"by": later(30)})
    follow_up = Assessment.objects.get(follows=newco)
    post(cio, f"/assurance/{follow_up.pk}/issue-report/", {
        "summary": "The policy is signed.", "fieldwork_end": TODAY.isoformat()})
    meeting = page(panel, "/assurance/attention/")
    assert "NEWCO" in meeting.split("Deferred: a Follow-up has reported")[1]
    post(panel, f"/assurance/{newco.pk}/confirm-follow-up/", {"reason": "Steps taken."})
    newco.refresh_from_db()
    assert newco.follow_up_satisfied_on == TODAY


def test_a_triage_facility_provider_triages_only_as_g12_7_allows(signed_in, demo):
    """G12.7: approved subject to conditions, triage waits for the SSC's explicit approval."""
    party = Party.objects.create(party_id="TRIAGE2", name="Second Triage Ltd")
    PartyRole.objects.create(party=party, role="triage_facility_provider")
    Person.objects.create(username="rep-TRIAGE2", kind="party_rep", party=party)
    demo["rep-TRIAGE2"] = Person.objects.get(username="rep-TRIAGE2")
    secas, cio, ssc, panel, rep = (signed_in(u) for u in [
        "secas", "cio-assessor", "ssc-member", "panel-member", "rep-TRIAGE2"])
    assert "no Triage Activities before the initial FUSA" in page(secas, "/register/TRIAGE2/")
    post(secas, "/assurance/book/TRIAGE2/", {
        "category": "FUSA", "roles": [party.roles.get().pk], "assessor": demo["cio-assessor"].pk,
        "fieldwork_start": (TODAY - timedelta(days=9)).isoformat(),
        "fieldwork_end": (TODAY - timedelta(days=2)).isoformat()})
    entry = Assessment.objects.get(party=party)
    assert entry.initial  # G12.6
    post(cio, f"/assurance/{entry.pk}/record-finding/", {
        "kind": "non_compliance", "clause": "G3.2", "title": "Logs", "evidence": "No logs."})
    post(cio, f"/assurance/{entry.pk}/issue-report/", {"summary": "Triage facility."})
    post(rep, f"/assurance/{entry.pk}/respond/", _response(
        entry.findings.get(), **{"accepted": "accept", "s-description": "Central logging",
                                 "s-due": later(15)}))
    post(panel, f"/assurance/{entry.pk}/set-assurance-status/", {
        "status": "approved_subject_to", "reason": "Subject to logging."})
    assert "needs the SSC&#x27;s explicit approval" in page(rep, "/register/TRIAGE2/")
    assert "TRIAGE2" in page(ssc, "/assurance/attention/").split(
        "Triage Facility Providers awaiting approval")[1]
    post(ssc, f"/assurance/{entry.pk}/approve-triage/", {"reason": "Logging in place."})
    text = page(rep, "/register/TRIAGE2/")
    assert "permitted</strong>" in text and "the SSC has approved" in text


def test_a_dcc_assessment_ends_with_the_sscs_outcome_and_a_dcc_appeal(signed_in, demo):
    """G9.29-G9.31: the SSC records no non-compliances or the specific ones; the DCC may
    appeal to the Panel (G9.33)."""
    secas, cio, ssc, dcc = (signed_in(u) for u in ["secas", "dcc-assessor", "ssc-member",
                                                    "dcc"])
    text = page(secas, "/assurance/book/DCC/")
    assert "Why the DCC is assessed" in text and "Full DCC Security Assessment" in text
    booking = {"category": "DCC_FULL", "dcc_trigger": "material_change",
               "fieldwork_end": TODAY.isoformat()}
    refused = secas.post("/assurance/book/DCC/", {**booking,  # not the User CIO (G9.4)
                                                  "assessor": demo["cio-assessor"].pk})
    assert refused.status_code == 400
    post(secas, "/assurance/book/DCC/", {**booking, "assessor": demo["dcc-assessor"].pk})
    booked = Assessment.objects.get(party__party_id="DCC", stage="booked")
    post(cio, f"/assurance/{booked.pk}/record-finding/", {
        "kind": "non_compliance", "clause": "G2.13", "title": "Scans", "evidence": "Monthly."})
    post(cio, f"/assurance/{booked.pk}/issue-report/", {"summary": "Annual DCC assessment."})
    post(dcc, f"/assurance/{booked.pk}/respond/", _response(
        booked.findings.get(), **{"accepted": "accept", "s-description": "Weekly scans",
                                  "s-due": later(10)}))
    post(ssc, f"/assurance/{booked.pk}/accept-plan/", {})
    assert "DCC" in page(ssc, "/assurance/attention/").split("DCC outcome to record")[1]
    finding = booked.findings.get()
    post(ssc, f"/assurance/{booked.pk}/record-dcc-outcome/", {
        "outcome": "specific", "findings": [str(finding.pk)], "reason": "Scans to fix."})
    decision = booked.decisions.get(kind="dcc_outcome")
    post(dcc, f"/assurance/{booked.pk}/appeal/{decision.pk}/", {"grounds": "Monthly is fine."})
    assert "Appeal to The Panel (G9.33)" in page(ssc, f"/assurance/{booked.pk}/")


def test_a_self_assessment_is_reviewed_by_the_assessor_then_noted_by_the_ssc(signed_in):
    """G8.18, G8.50: the party documents it, the assessor reviews it, the SSC notes it."""
    hearth = live("HEARTH")
    cio, ssc = signed_in("cio-assessor"), signed_in("ssc-member")
    assert "No material change in systems" in page(cio, f"/assurance/{hearth.pk}/")
    post(cio, f"/assurance/{hearth.pk}/review-self-assessment/", {"review": "Agreed."})
    assert "HEARTH" in page(ssc, "/assurance/attention/").split("Self-assessments reviewed")[1]
    post(ssc, f"/assurance/{hearth.pk}/note-self-assessment/", {})
    assert live("HEARTH").stage == "ssa_noted"


def test_progress_completion_and_failure_are_reported_on_agreed_steps(signed_in):
    """G8.28(b): progress, completion, and failure with reasons; a copy reaches the Shared
    Resource Users (G10.8(d))."""
    pylon, rep = live("PYLON"), signed_in("rep-PYLON")
    late, other = Step.objects.filter(finding__assessment=pylon, status="agreed").order_by(
        "finding__number")
    response = rep.post(f"/assurance/{pylon.pk}/report-progress/", {
        "kind": "failure", "text": ""})
    assert response.status_code == 400
    post(rep, f"/assurance/{pylon.pk}/report-progress/", {
        "kind": "failure", "step": late.pk, "text": "Supplier went into administration."})
    post(rep, f"/assurance/{pylon.pk}/report-progress/", {
        "kind": "completion", "step": other.pk, "text": "Audit done.",
        "on": TODAY.isoformat()})
    text = page(signed_in("ssc-member"), f"/assurance/{pylon.pk}/")
    assert "Failure reported:" in text and "Supplier went into administration." in text
    other.refresh_from_db()
    assert other.completed_on == TODAY


def test_the_panel_decides_an_event_of_default_and_approves_the_remedial_plan(signed_in):
    """G8.57-G8.60."""
    ssc, panel = signed_in("ssc-member"), signed_in("panel-member")
    response = ssc.post("/assurance/defaults/refer/", {
        "party": "LUMEN", "clauses": "G3.2", "referral": "Monitoring gaps persist.",
        "assessment": live("LUMEN").pk})
    assert response.status_code == 302
    refused = ssc.post("/assurance/defaults/refer/", {
        "party": "LUMEN", "clauses": "G8.1", "referral": "x"})
    assert refused.status_code == 400 and "G8.1 is not an obligation of G3, G4, G5, G6" in \
        refused.content.decode()
    eod = EventOfDefault.objects.get(party__party_id="LUMEN")
    assert "awaiting the Panel" in page(signed_in("rep-LUMEN"), "/assurance/defaults/")
    assert "LUMEN" not in page(signed_in("rep-HEARTH"), "/assurance/defaults/")
    unknown = panel.post(f"/assurance/defaults/{eod.pk}/decide/", {
        "decision": "yes", "reason": "Material.", "steps": "Plan", "affected": "NOPE"})
    assert unknown.status_code == 400 and "not in the register: NOPE" in unknown.content.decode()
    missing = panel.post(f"/assurance/defaults/{eod.pk}/decide/", {
        "decision": "yes", "reason": "Material."})
    assert missing.status_code == 400 and "(G8.58(b))" in missing.content.decode()
    post(panel, f"/assurance/defaults/{eod.pk}/decide/", {
        "decision": "yes", "reason": "Material breach.", "steps": "A remedial action plan.",
        "affected": "HEARTH"})
    post(panel, f"/assurance/defaults/{eod.pk}/remedial-plan/", {"plan": "Fix monitoring."})
    eod.refresh_from_db()
    assert eod.is_event_of_default and eod.remedial_plan_approved_on == TODAY
    assert [p.party_id for p in eod.affected.all()] == ["HEARTH"]
    assert "approved" in page(panel, f"/assurance/defaults/{eod.pk}/")


# --- The party's page (registry) ---------------------------------------------------------------

def test_a_party_page_shows_its_assessments_and_its_providers(signed_in):
    """G10.8, G8.62: HEARTH's page shows CLOUDVAULT's assessments and their outcomes."""
    text = page(signed_in("rep-HEARTH"), "/register/HEARTH/")
    assert "Shared Resource Provider's assessments" in text
    cloud = live("CLOUDVAULT")
    assert f'href="/assurance/{cloud.pk}/"' in text
    assert f'href="/assurance/{live("HEARTH").pk}/"' in text and "Book an assessment" in text
    assert "self-assessment submitted" in text  # the timeline, in words


@pytest.mark.parametrize("pid,expected", [
    ("TRIAGEWORKS", "approved: Triage Activities may start"),                       # G12.7(a)
    ("FIXLAB", "approved subject to conditions: needs the SSC&#x27;s explicit approval"),  # (b)
])
def test_a_triage_facility_providers_page_says_whether_it_may_triage(signed_in, pid, expected):
    assert expected in page(signed_in("ssc-member"), f"/register/{pid}/")
