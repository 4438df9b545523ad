"""Issue 9 section 2, the workflow's missing turns: what a finding may cite (G9.16, G9.19,
G12.4), the fieldwork dates of an issued report (G8.22), the response deadline shown where the
party acts (G8.24), appeals with effect (G8.39, G9.33), who sets the assurance status (G8.35)
and the body of every decision, seeking to agree the steps (G8.27(b), G8.28)."""
import importlib
import pkgutil
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.test import Client

from secassure import cli
from secassure.assurance import migrations as assurance_migrations
from secassure.assurance import services
from secassure.assurance.models import (
    Assessment,
    Decision,
    EventOfDefault,
    StatusDelegation,
    Step,
)
from secassure.assurance.services import AssuranceError
from secassure.code.findings import PlannedStep, check_finding
from secassure.code.workflow import WorkflowError
from secassure.core.admin import save_reference_data
from secassure.core.journal.models import JournalEntry
from tests.conftest import TODAY

MIGRATIONS = [m.name for m in pkgutil.iter_modules(assurance_migrations.__path__)]


@pytest.fixture
def secassure(demo, capsys):
    """Run `secassure ...` in this process, on the test database: (status, stdout, stderr)."""
    def run(*argv):
        try:
            status = cli.main([str(a) for a in argv])
        except SystemExit as exit:  # argparse's own refusals
            status = exit.code
        out, err = capsys.readouterr()
        return status, out, err
    return run

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


# --- Appeals with effect (G8.39, G9.33) -----------------------------------------------------

def _journaled(action: str) -> JournalEntry:
    return JournalEntry.objects.filter(action=f"assurance.{action}").latest("id")


@pytest.fixture
def appealed(flow, people):
    """TESTCO's initial FUSA rejected by the Panel (G8.36(d)) and appealed to the Authority."""
    assessment = services.set_assurance_status(people["panel-member"], flow.responded(),
                                               "rejected", "Vetting not shown.")
    decision = assessment.decisions.get(kind="assurance_status")
    return assessment, services.record_appeal(people["rep-TESTCO"], decision,
                                              "The vetting records were supplied.")


def test_the_authority_varies_the_assurance_status_and_the_status_changes(appealed, people):
    """G8.39: the party appeals the Panel's decision under G8.36 to the Authority, "and the
    determination of the Authority shall be final and binding"."""
    assessment, appeal = appealed
    assert appeal.to == "authority"
    for who in ("panel-member", "ssc-member", "rep-TESTCO", "cio-assessor"):
        with pytest.raises(PermissionDenied):  # SECAS records the Authority's determination
            services.record_appeal_determination(
                people[who], assessment, appeal=appeal, determination="dismissed", reason="r")
    secas = people["secas"]
    with pytest.raises(AssuranceError, match="^value: "):
        services.record_appeal_determination(secas, assessment, appeal=appeal,
                                             determination="varied", reason="r")
    with pytest.raises(AssuranceError, match="^value: "):
        services.record_appeal_determination(secas, assessment, appeal=appeal,
                                             determination="varied", value="maybe", reason="r")
    with pytest.raises(AssuranceError, match="^reason: "):
        services.record_appeal_determination(secas, assessment, appeal=appeal,
                                             determination="dismissed", reason=" ")
    determined = services.record_appeal_determination(
        secas, assessment, appeal=appeal, determination="varied", value="approved_subject_to",
        reason="Approved, subject to the steps proposed.", determined_on=TODAY)
    assessment.refresh_from_db()
    assert assessment.assurance_status == "approved_subject_to"
    assert (determined.determination, determined.value, determined.determined_on) == (
        "varied", "approved_subject_to", TODAY)
    made = determined.result
    assert (made.kind, made.body, made.value, made.clause) == (
        "appeal_determined", "authority", "approved_subject_to", "G8.39")
    entry = _journaled("appeal_determined")
    assert entry.clause == "G8.39"
    assert entry.details["replaces"] == "rejected"
    assert entry.details["value"] == "approved_subject_to"
    assert entry.details["body"] == "authority"
    with pytest.raises(WorkflowError, match="awaits a determination"):
        services.record_appeal_determination(secas, assessment, appeal=appeal,
                                             determination="dismissed", reason="again")
    with pytest.raises(AssuranceError, match="^decision: "):  # final and binding
        services.record_appeal(people["rep-TESTCO"], made, "again")
    with pytest.raises(WorkflowError, match="already been appealed"):
        services.record_appeal(people["rep-TESTCO"], appeal.decision, "again")


def test_a_dismissed_appeal_leaves_the_status_and_is_recorded(appealed, people):
    assessment, appeal = appealed
    with pytest.raises(AssuranceError, match="^value: a dismissed appeal"):
        services.record_appeal_determination(people["secas"], assessment, appeal=appeal,
                                             determination="dismissed", value="approved",
                                             reason="r")
    determined = services.record_appeal_determination(
        people["secas"], assessment, appeal=appeal, determination="dismissed",
        reason="The Panel's decision stands.")
    assessment.refresh_from_db()
    assert assessment.assurance_status == "rejected"
    assert determined.result.value == "rejected"
    assert "replaces" not in _journaled("appeal_determined").details


def test_the_dccs_two_tiers_of_appeal(people):
    """G9.33: the DCC appeals the SSC's decision under G9.28-G9.31 to the Panel; "If the DCC
    disagrees with any decision made by the Panel, it may appeal that decision to the
    Authority"."""
    dcc = Assessment.objects.get(party__party_id="DCC", category="DCC_FULL")
    first = dcc.decisions.get(kind="dcc_outcome").appeals.get()
    assert (first.to, dcc.dcc_outcome) == ("panel", "specific")
    with pytest.raises(PermissionDenied):  # the Panel determines it, not SECAS
        services.record_appeal_determination(people["secas"], dcc, appeal=first,
                                             determination="dismissed", reason="r")
    panel = services.record_appeal_determination(
        people["panel-member"], dcc, appeal=first, determination="upheld", value="none",
        reason="The scanning gap was closed before the SSC decided.")
    dcc.refresh_from_db()
    assert dcc.dcc_outcome == "none"
    assert (panel.result.body, panel.result.clause) == ("panel", "G9.33")
    assert _journaled("appeal_determined").clause == "G9.33"
    second = services.record_appeal(people["dcc"], panel.result, "The Panel erred.")
    assert second.to == "authority"
    assert _journaled("record_appeal").clause == "G9.33"
    with pytest.raises(PermissionDenied):  # the Authority's, recorded by SECAS
        services.record_appeal_determination(people["panel-member"], dcc, appeal=second,
                                             determination="dismissed", reason="r")
    services.record_appeal_determination(people["secas"], dcc, appeal=second,
                                         determination="varied", value="specific",
                                         reason="One non-compliance remains.")
    dcc.refresh_from_db()
    assert dcc.dcc_outcome == "specific"


def test_the_determination_form_on_the_page_api_and_command_line(appealed, people, api_for,
                                                                 secassure):
    assessment, appeal = appealed
    secas = Client()
    secas.force_login(people["secas"])
    text = secas.get(f"/assurance/{assessment.pk}/").content.decode()
    assert "Record the determination of an appeal" in text
    response = secas.post(f"/assurance/{assessment.pk}/appeal-determination/", {
        "appeal": appeal.pk, "determination": "varied", "value": "nonsense", "reason": "r",
        "seen_stage": assessment.stage})
    assert response.status_code == 400 and "value: " in response.content.decode()
    answer = api_for("secas").post(
        f"/api/assurance/assessments/{assessment.pk}/appeal-determinations/",
        {"appeal": appeal.pk, "determination": "upheld", "value": "approved",
         "reason": "The records were complete."}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["determination"] == "upheld"
    assert Assessment.objects.get(pk=assessment.pk).assurance_status == "approved"
    status, out, err = secassure("assessment", "appeal-determination", assessment.pk,
                                 "--appeal", appeal.pk, "--determination", "dismissed",
                                 "--reason", "again", "--as", "secas")
    assert status == 2 and "awaits a determination" in err
    page = secas.get(f"/assurance/{assessment.pk}/").content.decode()
    assert "Record the determination of an appeal" not in page  # none is waiting
    assert "Upheld" in page and "the status is now approved" in page


# --- Who sets the assurance status (G8.35) --------------------------------------------------

def test_the_ssc_sets_the_assurance_status_only_where_the_panel_delegated_it(flow, people):
    """G8.35: the Panel sets it; the SSC's headlines show it setting statuses where the Panel
    delegated it. SECAS keeps the setting, journaled; each decision records its body."""
    assessment = flow.responded()
    with pytest.raises(PermissionDenied, match="Panel"):
        services.set_assurance_status(people["ssc-member"], assessment, "approved", "r")
    ssc = Client()
    ssc.force_login(people["ssc-member"])
    assert "Set the assurance status" not in ssc.get(f"/assurance/{assessment.pk}/").content \
        .decode()
    setting = StatusDelegation.objects.get()
    setting.assurance_status_by, setting.delegated_on = "ssc", TODAY
    save_reference_data(people["secas"], setting, reason="Panel minute 12/2026",
                        clause="G8.35")
    entry = JournalEntry.objects.filter(action="assurance.statusdelegation.changed").latest("id")
    assert entry.details["changed"]["assurance_status_by"] == ["panel", "ssc"]
    assert "Set the assurance status" in ssc.get(f"/assurance/{assessment.pk}/").content.decode()
    decided = services.set_assurance_status(people["ssc-member"], assessment, "approved",
                                            "Vetting complete.")
    assert decided.decisions.get(kind="assurance_status").body == "ssc"
    assert _journaled("assurance_status").details["body"] == "ssc"


def test_every_decision_records_its_body(flow, people):
    services.set_assurance_status(people["panel-member"], flow.responded(), "approved", "r")
    assert Decision.objects.latest("id").body == "panel"
    services.set_compliance_status(people["ssc-member"], flow.responded("VUSA"), "compliant",
                                   "Minor.")
    assert Decision.objects.latest("id").body == "ssc"


def test_existing_decisions_take_the_body_their_kind_gives(people):
    """The data migration: the assurance status and the Follow-up's confirmation are the
    Panel's (G8.35, G8.36(c)(ii)), every other kind the SSC's."""
    migration = importlib.import_module(
        "secassure.assurance.migrations." + next(
            name for name in MIGRATIONS if name.endswith("_decision_body_appeals")))
    Decision.objects.update(body="")
    migration.bodies_from_kinds(django_apps, None)
    bodies = dict(Decision.objects.values_list("kind", "body").distinct())
    assert bodies["assurance_status"] == "panel"
    assert bodies["dcc_outcome"] == bodies["plan_accepted"] == "ssc"
    assert not Decision.objects.filter(body="").exists()


# --- Seeking to agree (G8.27(b), G8.28) -----------------------------------------------------

def _steps(assessment, description, days):
    return {f.pk: [PlannedStep(description, False, TODAY + timedelta(days=days))]
            for f in assessment.findings.all()}


def _statuses(assessment):
    return sorted(Step.objects.filter(finding__assessment=assessment)
                  .values_list("description", "status"))


def test_proposals_go_back_and_forth_until_the_ssc_agrees_the_partys(flow, people):
    """G8.27(b): the SSC shall "seek to agree with the User such alternative steps and/or
    timetable"; G8.28: steps "agreed between it and the User" bind the User."""
    ssc, rep = people["ssc-member"], people["rep-TESTCO"]
    assessment = flow.responded()
    services.propose_alternative(ssc, assessment, _steps(assessment, "SSC: 30 days", 30),
                                 "Too slow.")
    refused = ["ssc-member", "panel-member", "secas", "cio-assessor"]
    for who in refused:
        with pytest.raises(PermissionDenied):
            services.counter_propose(people[who], assessment, _steps(assessment, "x", 9), "r")
    with pytest.raises(AssuranceError, match="^reason: "):
        services.counter_propose(rep, assessment, _steps(assessment, "x", 9), " ")
    services.counter_propose(rep, assessment, _steps(assessment, "Party: 60 days", 60),
                             "The supplier needs 60 days.")
    assert Assessment.objects.get(pk=assessment.pk).stage == "counter_proposed"
    assert _journaled("counter_propose").clause == "G8.27(b)"
    with pytest.raises(WorkflowError):  # the party waits for the SSC now
        services.agree_alternative(rep, assessment)
    services.propose_alternative(ssc, assessment, _steps(assessment, "SSC: 45 days", 45),
                                 "Meet halfway.")
    services.counter_propose(rep, assessment, _steps(assessment, "Party: 50 days", 50),
                             "50 days at most.")
    with pytest.raises(PermissionDenied):
        services.agree_counter_proposal(rep, assessment)
    agreed = services.agree_counter_proposal(ssc, assessment, "50 days is acceptable.")
    assert agreed.stage == "plan_agreed"
    assert _statuses(assessment) == [
        ("Fix it", "superseded"), ("Party: 50 days", "agreed"), ("Party: 60 days", "replaced"),
        ("SSC: 30 days", "replaced"), ("SSC: 45 days", "replaced")]
    assert _journaled("alternative_agreed").clause == "G8.28"


def test_the_ssc_records_that_agreement_failed_and_refers_it(flow, people):
    """G8.27(b) without agreement; the SSC may refer actual non-compliance to the Panel
    (G8.57) as a possible Event of Default (G8.54)."""
    ssc, rep = people["ssc-member"], people["rep-TESTCO"]
    assessment = flow.responded()
    services.propose_alternative(ssc, assessment, _steps(assessment, "SSC: 30 days", 30), "r")
    services.counter_propose(rep, assessment, _steps(assessment, "Party: 200 days", 200), "r")
    with pytest.raises(PermissionDenied):
        services.record_no_agreement(rep, assessment, "no")
    with pytest.raises(AssuranceError, match="^clauses: G7.1"):
        services.record_no_agreement(ssc, assessment, "200 days leaves the gap open.",
                                     refer="G7.1")
    failed = services.record_no_agreement(ssc, assessment, "200 days leaves the gap open.",
                                          refer="G5.14")
    assert failed.stage == "not_agreed"
    eod = EventOfDefault.objects.get(assessment=assessment)
    assert (eod.clauses, eod.referred_by) == ("G5.14", ssc)
    assert _journaled("record_no_agreement").details["referred"] is True
    assert JournalEntry.objects.filter(action="assurance.event_of_default.referred",
                                       clause="G8.57").exists()
    with pytest.raises(WorkflowError):  # nothing left to agree
        services.agree_counter_proposal(ssc, assessment)


def test_seeking_to_agree_on_the_page(flow, people):
    ssc, rep = Client(), Client()
    ssc.force_login(people["ssc-member"])
    rep.force_login(people["rep-TESTCO"])
    assessment = flow.responded()
    services.propose_alternative(people["ssc-member"], assessment,
                                 _steps(assessment, "SSC: 30 days", 30), "r")
    page = rep.get(f"/assurance/{assessment.pk}/").content.decode()
    assert "Propose other steps or dates back" in page
    services.counter_propose(people["rep-TESTCO"], assessment,
                             _steps(assessment, "Party: 60 days", 60), "r")
    page = ssc.get(f"/assurance/{assessment.pk}/").content.decode()
    assert "Agree the party&#x27;s steps and dates" in page or \
        "Agree the party's steps and dates" in page
    assert "Record that no agreement was reached" in page
    response = ssc.post(f"/assurance/{assessment.pk}/agree-counter-proposal/",
                        {"seen_stage": "counter_proposed"})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).stage == "plan_agreed"


# --- Events of Default: every step as structured data (G8.54-G8.60) -------------------------

def test_every_step_of_an_event_of_default_is_structured_and_journaled(people, api_for):
    """G8.56: the SSC "may investigate the matter in accordance with Section M8.3"; G8.58: the
    Panel determines; G8.59: it "may request and consider the advice of the Security
    Sub-Committee"; then the party's remedy and the closing of the matter."""
    ssc, panel, rep = people["ssc-member"], people["panel-member"], people["rep-BRAMBLE"]
    bramble = Assessment.objects.filter(party__party_id="BRAMBLE").first().party
    eod = services.refer_event_of_default(ssc, bramble, clauses="G5.14",
                                          referral="Asset inventory still incomplete.")
    with pytest.raises(PermissionDenied):
        services.record_default_step(panel, eod, step="investigation", text="t")
    services.record_default_step(ssc, eod, step="investigation",
                                 text="Interviewed the CISO; the inventory misses 40 hosts.")
    with pytest.raises(WorkflowError, match="only once the Panel has determined"):
        services.record_default_step(panel, eod, step="advice_requested", text="t")
    services.decide_event_of_default(panel, eod, is_event_of_default=True,
                                     reason="Material breach.", steps="Complete the inventory.")
    with pytest.raises(WorkflowError, match="only before the Panel"):
        services.record_default_step(ssc, eod, step="investigation", text="more")
    with pytest.raises(WorkflowError, match="only after"):
        services.record_default_step(ssc, eod, step="advice", text="t")
    services.record_default_step(panel, eod, step="advice_requested",
                                 text="Is 60 days reasonable?")
    answer = api_for("ssc-member").post(f"/api/assurance/events-of-default/{eod.pk}/steps/",
                                        {"step": "advice", "text": "Yes, 60 days."},
                                        format="json")
    assert answer.status_code == 201, answer.content
    assert [s["step"] for s in answer.json()["default_steps"]] == [
        "investigation", "advice_requested", "advice"]
    with pytest.raises(PermissionDenied):  # another party's people
        services.record_default_step(people["rep-HEARTH"], eod, step="remedied", text="t")
    services.record_default_step(rep, eod, step="remedied", text="Inventory complete.")
    services.record_default_step(panel, eod, step="closed", text="Steps taken.")
    with pytest.raises(WorkflowError, match="closed"):
        services.record_default_step(rep, eod, step="remedied", text="again")
    clauses = list(JournalEntry.objects.filter(subject=f"event_of_default:{eod.pk}")
                   .order_by("id").values_list("action", "clause"))
    assert clauses == [
        ("assurance.event_of_default.referred", "G8.57"),
        ("assurance.event_of_default.investigation", "G8.56"),
        ("assurance.event_of_default.decided", "G8.58"),
        ("assurance.event_of_default.advice_requested", "G8.59"),
        ("assurance.event_of_default.advice", "G8.59"),
        ("assurance.event_of_default.remedied", "G8.58(b)"),
        ("assurance.event_of_default.closed", "G8.58(b)")]


def test_event_of_default_steps_on_the_page_and_command_line(people, secassure):
    ssc = Client()
    ssc.force_login(people["ssc-member"])
    bramble = Assessment.objects.filter(party__party_id="BRAMBLE").first().party
    eod = services.refer_event_of_default(people["ssc-member"], bramble, clauses="G5.14",
                                          referral="r")
    page = ssc.get(f"/assurance/defaults/{eod.pk}/").content.decode()
    assert "Record a step" in page and "The SSC&#x27;s investigation" in page
    response = ssc.post(f"/assurance/defaults/{eod.pk}/step/",
                        {"step": "investigation", "text": "Found 40 hosts missing."})
    assert response.status_code == 302
    assert "Found 40 hosts missing." in ssc.get(f"/assurance/defaults/{eod.pk}/").content \
        .decode()
    assert ssc.post(f"/assurance/defaults/{eod.pk}/step/",
                    {"step": "closed", "text": "x"}).status_code == 403
    status, out, err = secassure("assessment", "default-step", eod.pk, "advice", "--text", "t",
                                 "--as", "ssc-member")
    assert status == 2 and "only once the Panel has determined" in err
