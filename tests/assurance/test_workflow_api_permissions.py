"""Every action endpoint of the assurance API, for every kind of person.

For each action, table-driven over the demo logins: the person the Code gives the action to
succeeds; every other person who may see the record gets 403 and changes nothing; a person
who may not see it at all gets 404 (its existence is not revealed). Then: the wrong stage
gets 409, and bad input gets 400 naming the field. Clauses from G8, G9, G10.8 and G12.7.
"""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secassure.accounts.models import Person
from secassure.assurance import services
from secassure.assurance.models import Assessment, Decision, EventOfDefault, RemediationPlan
from secassure.assurance.services import import_register
from secassure.core.journal.models import JournalEntry
from secassure.core.permissions import SYSTEM
from secassure.registry.models import Party
from tests.conftest import TODAY

COMMITTEE = {"secas", "ssc-member"}
#: Those who see some assessments only: the Panel (G8.34), the assessors (G8.22, G9.4).
NARROW = {"panel-member", "cio-assessor", "dcc-assessor"}
#: The party each party-side login acts for, and the providers whose business G10.8 shares.
OWN = {"dcc": "DCC", "triage-operator": "TRIAGEWORKS"}
PROVIDER = {"HEARTH": "CLOUDVAULT", "MERIDIAN": "GRIDSHARE", "FENWAY": "GRIDSHARE"}
EVERYONE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc-assessor", "dcc",
            "triage-operator",
            "rep-HEARTH"]
A = "/api/assurance/assessments"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence and letters go to a temporary directory, not the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def own_party(username: str) -> str | None:
    return OWN.get(username) or (username[4:] if username.startswith("rep-") else None)


def party_login(party: str) -> str:
    """A login of the party's own people."""
    return "dcc" if party == "DCC" else f"rep-{party}"


def sees(username: str, subject, shared: bool = True, draft: bool = False) -> bool:
    """The visibility rule as the Code states it, for `subject` (an assessment or a record of
    one, or an Event of Default): RED business is for the SSC and SECAS, the party, and
    (G10.8) the Users a provider served at the time of the assessment; the Panel sees the
    papers put before it (G8.34, G8.57, G9.31, G9.33), an assessor the assessments it is
    engaged on (G8.22-G8.23, G9.4); a draft report only its assessor."""
    from tests.assurance.test_visibility import before_the_panel, engaged
    if isinstance(subject, str):  # a party alone: only for those who see by party
        assert username not in NARROW, f"{username} sees by assessment: give the record"
        party, record, of = subject, None, None
    else:
        record = subject
        of = record if isinstance(record, Assessment) else getattr(record, "assessment", None)
        party = (of.party if of is not None else record.party).party_id
    if username in NARROW:
        if username == "panel-member" and not draft:
            return isinstance(record, EventOfDefault) or (of is not None
                                                          and before_the_panel(of))
        if username == "dcc-assessor":
            return party == "DCC"
        return username == "cio-assessor" and of is not None and engaged(
            Person.objects.get(username="cio-assessor"), of)
    if draft:
        return False
    if username in COMMITTEE:
        return True
    own = own_party(username)
    if own == party:
        return True
    if not shared:
        return False
    if of is None:
        return PROVIDER.get(own) == party
    return of.served_users.filter(party_id=own).exists()


def assessment(party: str, stage: str, **extra) -> Assessment:
    return Assessment.objects.get(party__party_id=party, stage=stage, **extra)


def login(demo, username: str) -> Person:
    if username not in demo:
        party = Party.objects.get(party_id=own_party(username))
        demo[username] = Person.objects.get(username=username, party=party)
    return demo[username]


# --- How to reach each state that the demo does not already hold ----------------------------

def _booked_ssa(demo):
    """SUNNYSIDE books its User Security Self-Assessment (G8.18)."""
    party = Party.objects.get(party_id="SUNNYSIDE")
    return services.book_assessment(demo["secas"], party, "SSA", roles=list(party.roles.all()))


def _deferred_with_follow_up_reported(demo):
    """BRAMBLE's second FUSA: 'deferred' (G8.36(c)); a Follow-up reports after it
    (G8.36(c)(i))."""
    bramble = assessment("BRAMBLE", "response_submitted")
    services.set_assurance_status(demo["panel-member"], bramble, "deferred", "Monitor first.")
    Assessment.objects.filter(pk=bramble.pk).update(status_set=TODAY - timedelta(days=10))
    services.accept_plan(demo["ssc-member"], bramble)
    follow_up = services.request_follow_up(demo["ssc-member"], bramble,
                                           TODAY + timedelta(days=30))
    services.issue_report(demo["cio-assessor"], follow_up, summary="Monitoring complete.",
                          fieldwork_end=TODAY)
    return Assessment.objects.get(pk=bramble.pk)


def _triage_provider_approved_subject_to(demo):
    """A new Triage Facility Provider's initial FUSA, approved subject to conditions."""
    import_register(SYSTEM, {"parties": [{"id": "TRIAGE2", "name": "Second Triage",
                                          "roles": ["triage_facility_provider"]}]})
    party = Party.objects.get(party_id="TRIAGE2")
    Person.objects.create(username="rep-TRIAGE2", kind="party_rep", party=party)
    fusa = services.book_assessment(demo["secas"], party, "FUSA",
                                    roles=list(party.roles.all()), assessor=demo["cio-assessor"],
                                    fieldwork_start=TODAY - timedelta(days=9),
                                    fieldwork_end=TODAY - timedelta(days=2))
    services.issue_report(demo["cio-assessor"], fusa, summary="No findings.")
    services.submit_response(login(demo, "rep-TRIAGE2"), fusa, {})
    services.set_assurance_status(demo["panel-member"], fusa, "approved_subject_to",
                                  "Subject to the SSC's approval of the facility.")
    return fusa


def _event_of_default_decided(demo):
    eod = EventOfDefault.objects.get(party__party_id="BRAMBLE")
    return services.decide_event_of_default(demo["panel-member"], eod, is_event_of_default=True,
                                            reason="Material breach.", steps="Remedy by M8.4.")


def _response(target: Assessment) -> dict:
    return {"answers": [{"finding": f.pk, "accepted": True,
                         "steps": [{"description": "Fix it",
                                    "due": str(TODAY + timedelta(days=30))}]}
                        for f in target.findings.all()]}


# Each row: the action, how to find its record (and its party), who may take it, the body,
# and the status on success. The record is found after `setup` ran (if any).
ROWS = [
    ("book", lambda d: (f"{A}/", "SUNNYSIDE", "none"), {"secas", "rep-SUNNYSIDE"},
     {"party": "SUNNYSIDE", "category": "SSA", "roles": ["export_supplier"]}, 201, None),
    ("cancel (G8.40)", lambda d: (f"{A}/{assessment('NEWCO', 'booked').pk}/cancel/", "NEWCO"),
     {"secas"}, {"reason": "Rescheduled."}, 200, None),
    ("record a finding (G8.22)", lambda d: (
        f"{A}/{assessment('SOLWAY', 'booked').pk}/findings/", "SOLWAY"), {"cio-assessor"},
     {"kind": "non_compliance", "clause": "G5.14", "title": "Backups untested",
      "evidence": "No restore test in 2026."}, 201, None),
    ("issue the report (G8.23)", lambda d: (
        f"{A}/{assessment('SOLWAY', 'booked').pk}/issue-report/", "SOLWAY"), {"cio-assessor"},
     {"summary": "All matters in scope assessed."}, 200, None),
    ("set the response date (G8.24)", lambda d: (
        f"{A}/{assessment('MERIDIAN', 'report_issued').pk}/response-due/", "MERIDIAN"),
     {"ssc-member"}, {"response_due": str(TODAY + timedelta(days=14))}, 200, None),
    ("submit the response (G8.24-G8.26)", lambda d: (
        f"{A}/{assessment('MERIDIAN', 'report_issued').pk}/submit-response/", "MERIDIAN"),
     {"rep-MERIDIAN"}, lambda: _response(assessment("MERIDIAN", "report_issued")), 200, None),
    ("accept the plan (G8.27(a))", lambda d: (
        f"{A}/{assessment('CLOUDVAULT', 'response_submitted').pk}/accept-plan/", "CLOUDVAULT"),
     {"ssc-member"}, {"reason": "Appropriate."}, 200, None),
    ("propose other steps (G8.27(b))", lambda d: (
        f"{A}/{assessment('CLOUDVAULT', 'response_submitted').pk}/propose-alternative/",
        "CLOUDVAULT"), {"ssc-member"}, lambda: {"reason": "Sooner.", "steps": [
            {"finding": assessment("CLOUDVAULT", "response_submitted").findings.first().pk,
             "description": "Review the policy now", "due": str(TODAY + timedelta(days=20))}]},
     200, None),
    ("agree the SSC's steps (G8.28)", lambda d: (
        f"{A}/{assessment('LUMEN', 'alternative_proposed').pk}/agree-alternative/", "LUMEN"),
     {"rep-LUMEN"}, {}, 200, None),
    ("set the progress interval (G8.28(b)(i))", lambda d: (
        f"{A}/{assessment('PYLON', 'plan_agreed').pk}/progress-interval/", "PYLON"),
     {"ssc-member"}, {"days": 14}, 200, None),
    ("report progress (G8.28(b))", lambda d: (
        f"{A}/{assessment('PYLON', 'plan_agreed').pk}/progress/", "PYLON"), {"rep-PYLON"},
     {"kind": "progress", "text": "Capacity review under way."}, 201, None),
    ("request a Follow-up (G8.29)", lambda d: (
        f"{A}/{assessment('PYLON', 'plan_agreed').pk}/follow-up/", "PYLON"), {"ssc-member"},
     {"by": str(TODAY + timedelta(days=60))}, 201, None),
    ("set the assurance status (G8.35-G8.36)", lambda d: (
        f"{A}/{assessment('BRAMBLE', 'response_submitted').pk}/assurance-status/", "BRAMBLE"),
     {"panel-member"}, {"status": "approved", "reason": "Vetting complete."}, 200, None),
    ("confirm the Follow-up satisfies (G8.36(c)(ii))", lambda d: (
        f"{A}/{assessment('BRAMBLE', 'plan_agreed', assurance_status='deferred').pk}"
        "/follow-up-satisfies/", "BRAMBLE"),
     {"panel-member"}, {"reason": "Steps taken."}, 200, _deferred_with_follow_up_reported),
    ("set the compliance status (G7.20)", lambda d: (
        f"{A}/{assessment('CLOUDVAULT', 'response_submitted').pk}/compliance-status/",
        "CLOUDVAULT"), {"ssc-member"}, {"status": "compliant", "reason": "Minor."}, 200, None),
    ("record the DCC outcome (G9.29-G9.30)", lambda d: (
        f"{A}/{assessment('DCC', 'plan_agreed').pk}/dcc-outcome/", "DCC"), {"ssc-member"},
     {"outcome": "none", "reason": "Scanning fixed."}, 200, None),
    ("submit a Remediation Plan", lambda d: (
        f"{A}/{assessment('CLOUDVAULT', 'response_submitted').pk}/remediation-plans/",
        "CLOUDVAULT"), {"rep-CLOUDVAULT"},
     {"plan": "Review by March.", "director_name": "D. Irector",
      "director_statement": "I commit the company."}, 201, None),
    ("decide a Remediation Plan", lambda d: (
        f"/api/assurance/remediation-plans/"
        f"{RemediationPlan.objects.get(assessment__party__party_id='PYLON').pk}/decide/",
        "PYLON"), {"ssc-member"}, {"approve": True}, 200, None),
    ("appeal the assurance status (G8.39)", lambda d: (
        f"{A}/{assessment('QUARTZ', 'response_submitted').pk}/appeals/", "QUARTZ"),
     {"rep-QUARTZ"}, lambda: {"grounds": "Vetting was complete.", "decision": Decision.objects
                              .get(assessment__party__party_id="QUARTZ",
                                   kind="assurance_status").pk}, 201, None),
    ("approve triage (G12.7(b))", lambda d: (
        f"{A}/{assessment('TRIAGE2', 'response_submitted').pk}/triage-approval/", "TRIAGE2"),
     {"ssc-member"}, {"reason": "Facility inspected."}, 200,
     _triage_provider_approved_subject_to),
    ("submit a self-assessment (G8.50(b))", lambda d: (
        f"{A}/{assessment('SUNNYSIDE', 'booked').pk}/submit-self-assessment/", "SUNNYSIDE"),
     {"rep-SUNNYSIDE"}, {"outcome": "No change."}, 200, _booked_ssa),
    ("review a self-assessment (G8.18)", lambda d: (
        f"{A}/{assessment('HEARTH', 'ssa_submitted').pk}/review-self-assessment/", "HEARTH"),
     {"cio-assessor"}, {"review": "Agreed."}, 200, None),
    ("note a self-assessment", lambda d: (
        f"{A}/{assessment('ORBIT', 'ssa_reviewed').pk}/note-self-assessment/", "ORBIT"),
     {"ssc-member"}, {}, 200, None),
    ("refer an Event of Default (G8.57)", lambda d: ("/api/assurance/events-of-default/",
                                                     "LUMEN", "none"), {"ssc-member"},
     {"party": "LUMEN", "clauses": "G3.2", "referral": "Monitoring still missing."}, 201,
     None),
    ("decide an Event of Default (G8.58)", lambda d: (
        f"/api/assurance/events-of-default/"
        f"{EventOfDefault.objects.get(party__party_id='BRAMBLE').pk}/decide/", "BRAMBLE", "event"),
     {"panel-member"}, {"is_event_of_default": False, "reason": "Not material."}, 200, None),
    ("approve a remedial action plan (G8.60)", lambda d: (
        f"/api/assurance/events-of-default/"
        f"{EventOfDefault.objects.get(party__party_id='BRAMBLE').pk}/remedial-plan/",
        "BRAMBLE", "event"), {"panel-member"}, {"plan": "Monthly monitoring reports."}, 200,
     _event_of_default_decided),
]


def record_at(url: str):
    """The record an action's address names (an assessment, a plan, an Event of Default)."""
    parts = url.strip("/").split("/")
    kind, pk = parts[2], int(parts[3])
    model = {"assessments": Assessment, "events-of-default": EventOfDefault,
             "remediation-plans": RemediationPlan, "decisions": Decision}[kind]
    return model.objects.get(pk=pk)


def expected(username: str, url: str, mode: str) -> int:
    """403 for those who may see the record but may not act, 404 for those who may not see
    it. An Event of Default is not shared with Shared Resource Users; a booking or a referral
    names no record yet, so everyone else is simply refused."""
    if mode == "none":
        return 403
    return 403 if sees(username, record_at(url), shared=mode != "event") else 404


@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_only_the_person_the_code_names_may_act(row, demo, api_for):
    name, locate, allowed, body, success, setup = row
    if setup:
        setup(demo)
    url, party, *mode = locate(demo)
    mode = mode[0] if mode else "record"
    payload = body() if callable(body) else body
    entries = JournalEntry.objects.count()
    for username in dict.fromkeys(EVERYONE + [party_login(party)]):
        if username in allowed:
            continue
        login(demo, username)
        response = api_for(username).post(url, payload, format="json")
        assert response.status_code == expected(username, url, mode), (username,
                                                                       response.content)
        assert response.json()["detail"]
    assert JournalEntry.objects.count() == entries, "a refusal writes nothing"
    for username in sorted(allowed):
        login(demo, username)
        response = api_for(username).post(url, payload, format="json")
        assert response.status_code == success, (username, response.content)
    assert JournalEntry.objects.count() > entries, "the action is journaled"


def test_evidence_is_attached_only_by_the_assessor_of_the_draft(demo, api_for):
    """G8.22(b)(ii): the assessor sets out the evidence; the draft is the assessor's alone, so
    everyone else is told there is no such finding."""
    finding = assessment("SOLWAY", "booked").findings.get()
    url = f"/api/assurance/findings/{finding.pk}/evidence/"
    for username in EVERYONE + ["rep-SOLWAY"]:
        if username == "cio-assessor":
            continue
        upload = SimpleUploadedFile("list.csv", b"host,listed\nsrv1,no\n")
        response = api_for(username).post(url, {"file": upload}, format="multipart")
        assert response.status_code == 404, username
    upload = SimpleUploadedFile("list.csv", b"host,listed\nsrv1,no\n")
    response = api_for("cio-assessor").post(url, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert len(response.json()["sha256"]) == 64


# --- The wrong stage: 409 (the person is right, the time is not) -----------------------------

WRONG_STAGE = [
    ("issue-report", "MERIDIAN", "report_issued", "cio-assessor", {"summary": "Again."}),
    ("findings", "CLOUDVAULT", "response_submitted", "cio-assessor",
     {"kind": "non_compliance", "clause": "G5.14", "title": "Late", "evidence": "Seen."}),
    ("response-due", "PYLON", "plan_agreed", "ssc-member",
     {"response_due": str(TODAY + timedelta(days=7))}),
    ("submit-response", "CLOUDVAULT", "response_submitted", "rep-CLOUDVAULT", {"answers": []}),
    ("accept-plan", "PYLON", "plan_agreed", "ssc-member", {}),
    ("propose-alternative", "LUMEN", "alternative_proposed", "ssc-member",
     {"steps": [], "reason": "x"}),
    ("agree-alternative", "CLOUDVAULT", "response_submitted", "rep-CLOUDVAULT", {}),
    ("progress-interval", "CLOUDVAULT", "response_submitted", "ssc-member", {"days": 7}),
    ("progress", "CLOUDVAULT", "response_submitted", "rep-CLOUDVAULT",
     {"kind": "progress", "text": "Started."}),
    ("follow-up", "CLOUDVAULT", "response_submitted", "ssc-member",
     {"by": str(TODAY + timedelta(days=30))}),
    ("assurance-status", "NEWCO", "booked", "panel-member",
     {"status": "approved", "reason": "x"}),
    ("follow-up-satisfies", "NEWCO", "booked", "panel-member", {"reason": "x"}),
    ("compliance-status", "MERIDIAN", "report_issued", "ssc-member",
     {"status": "compliant", "reason": "x"}),
    ("dcc-outcome", "SOLWAY", "booked", "ssc-member", {"outcome": "none", "reason": "x"}),
    ("remediation-plans", "MERIDIAN", "report_issued", "rep-MERIDIAN",
     {"plan": "p", "director_name": "d", "director_statement": "s"}),
    ("appeals", "NEWCO", "booked", "rep-NEWCO", {"decision": 1, "grounds": "g"}),
    ("triage-approval", "MERIDIAN", "report_issued", "ssc-member", {"reason": "x"}),
    ("submit-self-assessment", "HEARTH", "ssa_submitted", "rep-HEARTH", {"outcome": "again"}),
    ("review-self-assessment", "ORBIT", "ssa_reviewed", "cio-assessor", {"review": "again"}),
    ("note-self-assessment", "HEARTH", "ssa_submitted", "ssc-member", {}),
    ("cancel", "MERIDIAN", "report_issued", "secas", {"reason": "too late"}),
]


@pytest.mark.parametrize("path, party, stage, username, body", WRONG_STAGE,
                         ids=[row[0] for row in WRONG_STAGE])
def test_the_wrong_stage_is_a_conflict(path, party, stage, username, body, demo, api_for):
    login(demo, username)
    target = assessment(party, stage)
    before = (target.stage, JournalEntry.objects.count())
    response = api_for(username).post(f"{A}/{target.pk}/{path}/", body, format="json")
    assert response.status_code == 409, response.content
    assert "not possible while the assessment is" in response.json()["detail"]
    target.refresh_from_db()
    assert (target.stage, JournalEntry.objects.count()) == before


# --- Bad input: 400 naming the field --------------------------------------------------------

BAD_INPUT = [
    ("issue-report", "SOLWAY", "booked", "cio-assessor", {"summary": " "}, "summary"),
    ("issue-report", "SOLWAY", "booked", "cio-assessor",
     {"summary": "S", "fieldwork_end": "31/12/2026"}, "fieldwork_end"),
    ("findings", "SOLWAY", "booked", "cio-assessor",
     {"kind": "non_compliance", "clause": "G8.1", "title": "T", "evidence": "E"}, "clause"),
    ("response-due", "MERIDIAN", "report_issued", "ssc-member",
     {"response_due": str(TODAY - timedelta(days=1))}, "response_due"),
    ("submit-response", "MERIDIAN", "report_issued", "rep-MERIDIAN", {"answers": []},
     "answers"),
    ("submit-response", "MERIDIAN", "report_issued", "rep-MERIDIAN",
     {"answers": [{"finding": 1, "steps": [{"description": "x", "due": "soon"}]}]},
     "answers[0].steps[0].due"),
    ("propose-alternative", "CLOUDVAULT", "response_submitted", "ssc-member",
     {"steps": [], "reason": "x"}, "steps"),
    ("propose-alternative", "CLOUDVAULT", "response_submitted", "ssc-member",
     {"steps": [{"finding": 1, "description": "x", "due": str(TODAY)}], "reason": " "},
     "reason"),
    ("progress-interval", "PYLON", "plan_agreed", "ssc-member", {"days": 0}, "days"),
    ("progress", "PYLON", "plan_agreed", "rep-PYLON", {"kind": "completion", "text": "Done"},
     "step"),
    ("progress", "PYLON", "plan_agreed", "rep-PYLON",
     {"kind": "completion", "text": "Done", "step": 1}, "step"),
    ("progress", "PYLON", "plan_agreed", "rep-PYLON", {"kind": "rumour", "text": "x"}, "kind"),
    ("follow-up", "PYLON", "plan_agreed", "ssc-member", {"by": str(TODAY)}, "by"),
    ("assurance-status", "QUARTZ", "response_submitted", "panel-member",
     {"status": "maybe", "reason": "x"}, "status"),
    ("assurance-status", "QUARTZ", "response_submitted", "panel-member",
     {"status": "approved", "reason": ""}, "reason"),
    ("assurance-status", "QUARTZ", "response_submitted", "panel-member",
     {"status": "approved", "reason": "x", "follow_up_by": str(TODAY)}, "follow_up_by"),
    ("compliance-status", "CLOUDVAULT", "response_submitted", "ssc-member",
     {"status": "splendid", "reason": "x"}, "status"),
    ("dcc-outcome", "DCC", "plan_agreed", "ssc-member",
     {"outcome": "specific", "reason": "x"}, "findings"),
    ("remediation-plans", "CLOUDVAULT", "response_submitted", "rep-CLOUDVAULT",
     {"plan": "p", "director_name": "", "director_statement": "s"}, "director_name"),
    ("appeals", "QUARTZ", "response_submitted", "rep-QUARTZ",
     {"decision": 999999, "grounds": "g"}, "decision"),
    ("review-self-assessment", "HEARTH", "ssa_submitted", "cio-assessor", {"review": ""},
     "review"),
    ("cancel", "NEWCO", "booked", "secas", {}, "reason"),
]


@pytest.mark.parametrize("path, party, stage, username, body, field", BAD_INPUT,
                         ids=[f"{row[0]}-{row[5]}" for row in BAD_INPUT])
def test_bad_input_is_a_400_naming_the_field(path, party, stage, username, body, field, demo,
                                              api_for):
    login(demo, username)
    target = assessment(party, stage)
    entries = JournalEntry.objects.count()
    response = api_for(username).post(f"{A}/{target.pk}/{path}/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field, response.json()
    assert response.json()["detail"]
    assert JournalEntry.objects.count() == entries


def test_a_response_missing_an_answer_names_every_problem(demo, api_for):
    """G8.26(a): every finding accepted or disputed with reasons; G8.26(c) a date for each
    step not yet taken. The response is refused whole, each problem named."""
    cloud = assessment("LUMEN", "alternative_proposed")  # any report with findings will do
    meridian = assessment("MERIDIAN", "report_issued")
    finding = meridian.findings.get()
    response = api_for("rep-MERIDIAN").post(f"{A}/{meridian.pk}/submit-response/", {
        "answers": [{"finding": finding.pk, "accepted": False,
                     "steps": [{"description": "Fix", "taken": False}]},
                    {"finding": cloud.findings.get().pk, "accepted": True}]}, format="json")
    detail = response.json()["detail"]
    assert response.status_code == 400 and response.json()["field"] == "answers"
    assert "explain why you do not accept it (G8.26(a))" in detail
    assert "give the date by which the proposed step will be taken (G8.26(c))" in detail
    assert f"finding {cloud.findings.get().pk} is not in this report" in detail


def test_book_over_the_api_checks_the_scope(demo, api_for):
    """G8.30(a)(i): the roles covered are roles the party holds; the assessor is a User CIO
    (G8.1); the DCC is assessed under G9 only."""
    api = api_for("secas")
    cases = [({"party": "NOPE", "category": "FUSA"}, "party"),
             ({"party": "LUMEN", "category": "FUSA", "roles": ["gas_transporter"]}, "roles"),
             ({"party": "LUMEN", "category": "FUSA", "roles": ["gas_supplier"],
               "assessor": "secas"}, "assessor"),
             ({"party": "LUMEN", "category": "DCC_FULL", "roles": ["gas_supplier"]},
              "category"),
             ({"party": "DCC", "category": "DCC_FULL"}, "dcc_trigger")]
    for body, field in cases:
        response = api.post(f"{A}/", body, format="json")
        assert (response.status_code, response.json()["field"]) == (400, field), body
    booked = api.post(f"{A}/", {"party": "LUMEN", "category": "FUSA", "roles": ["gas_supplier"],
                                "assessor": "cio-assessor",
                                "fieldwork_start": str(TODAY + timedelta(days=7))},
                      format="json")
    assert booked.status_code == 201, booked.content
    assert (booked.json()["stage"], booked.json()["roles"]) == ("booked", ["gas_supplier"])
    assert booked.json()["actions"] == ["cancel"]
