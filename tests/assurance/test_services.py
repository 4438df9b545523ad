"""Each step of the workflow, and each refusal: wrong person, wrong stage, missing answer,
missing date. Clauses quoted from G8 and G9."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from secassure.assurance import services
from secassure.assurance.models import Assessment, Decision, ProgressReport, Step
from secassure.assurance.selectors import party_schedule
from secassure.assurance.services import AssuranceError
from secassure.code.findings import Answer, PlannedStep
from secassure.code.workflow import Stage, WorkflowError
from secassure.core.journal.models import JournalEntry
from secassure.core.journal.services import verify
from secassure.registry.models import Party
from tests.conftest import TODAY

EVERYONE = ["secas", "ssc-member", "panel-member", "cio-assessor", "dcc", "triage-operator",
            "rep-HEARTH", "rep-TESTCO"]


def refused_for_all_but(people, allowed, action):
    """`action(person)` raises PermissionDenied for every kind of person but `allowed`."""
    for username in EVERYONE:
        if username in allowed:
            continue
        with pytest.raises(PermissionDenied):
            action(people[username])


def journaled(action: str) -> JournalEntry:
    return JournalEntry.objects.filter(action=f"assurance.{action}").latest("id")


# --- Booking (G8.40, G8.30(a)(i)) -----------------------------------------------------------

def test_booking_the_initial_fusa_of_user_entry(flow):
    """G8.33: a party wishing to act as a User is subject to a Full assessment; booked while
    entry is incomplete, it is the initial one, and the schedule's date is kept."""
    assessment = flow.book("FUSA")
    assert (assessment.stage, assessment.initial) == (Stage.BOOKED, True)
    assert sorted(assessment.roles.values_list("role", flat=True)) == ["gas_supplier",
                                                                       "import_supplier"]
    assert journaled("book").clause == "G8.40"


def test_booking_is_for_secas_or_the_partys_own_people(flow, people):
    party = flow.party
    for username in ["secas", "rep-TESTCO"]:
        services.book_assessment(people[username], party, "FUSA", roles=list(party.roles.all()))
    refused_for_all_but(people, {"secas", "rep-TESTCO"}, lambda who: services.book_assessment(
        who, party, "FUSA", roles=list(party.roles.all())))


@pytest.mark.parametrize("category, extra, field", [
    ("AUDIT", {}, "category"),
    ("DCC_FULL", {}, "category"),
    ("FOLLOW_UP", {}, "category"),
    ("FUSA", {"roles": []}, "roles"),
    ("FUSA", {"fieldwork_start": TODAY, "fieldwork_end": TODAY - timedelta(days=1)},
     "fieldwork_end"),
])
def test_booking_refuses_a_bad_scope(flow, people, category, extra, field):
    arguments = {"roles": list(flow.party.roles.all()), **extra}
    with pytest.raises(AssuranceError, match=f"^{field}:"):
        services.book_assessment(people["secas"], flow.party, category, **arguments)


def test_roles_must_be_the_partys_own(flow, people):
    other = Party.objects.get(party_id="HEARTH").roles.first()
    with pytest.raises(AssuranceError, match="roles"):
        services.book_assessment(people["secas"], flow.party, "FUSA", roles=[other])


def test_the_assessor_must_be_a_user_cio(flow, people):
    with pytest.raises(AssuranceError, match="assessor"):
        services.book_assessment(people["secas"], flow.party, "FUSA",
                                 roles=list(flow.party.roles.all()), assessor=people["secas"])


# --- The report (G8.22-G8.23) ---------------------------------------------------------------

@pytest.mark.parametrize("category, kind, clause, message", [
    ("FUSA", "non_compliance", "G7.1", "outside G3, G4, G5, G6"),
    ("FUSA", "non_compliance", "G5.99", "no clause G5.99"),
    ("FUSA", "non_compliance", "", "must name the clause"),
    ("FUSA", "risk_increase", "G5.14", "does not record findings"),
    ("VUSA", "non_compliance", "G5.14", "does not record findings"),
    ("FUSA", "non_compliance", "5.14x", "not a clause reference"),
])
def test_a_finding_must_fit_its_category(flow, people, category, kind, clause, message):
    """G8.22(b)(i): a Full assessment finds non-compliance 'with its obligations under Sections
    G3 to G6'; G8.22(c)(i): a Verification finds 'any material increase in the security risk'."""
    assessment = flow.book(category)
    with pytest.raises(AssuranceError, match=message):
        services.record_finding(people["cio-assessor"], assessment, kind=kind, clause=clause,
                                title="t", evidence="e")


def test_only_the_assessor_records_findings_and_issues_the_report(flow, people):
    assessment = flow.book()
    refused_for_all_but(people, {"cio-assessor"}, lambda who: services.record_finding(
        who, assessment, kind="non_compliance", clause="G3.2", title="t", evidence="e"))
    finding = services.record_finding(people["cio-assessor"], assessment, kind="non_compliance",
                                      clause="g3.2 (a)", title="Monitoring", evidence="e")
    assert (finding.number, finding.clause) == (1, "G3.2(a)")
    refused_for_all_but(people, {"cio-assessor"}, lambda who: services.issue_report(
        who, assessment, summary="s"))
    issued = services.issue_report(people["cio-assessor"], assessment, summary="s")
    assert issued.stage == Stage.REPORT_ISSUED
    assert issued.completed == issued.fieldwork_end  # complete at the end of fieldwork
    with pytest.raises(WorkflowError, match="not possible while the assessment is report"):
        services.issue_report(people["cio-assessor"], issued, summary="again")
    with pytest.raises(WorkflowError):
        services.record_finding(people["cio-assessor"], issued, kind="non_compliance",
                                clause="G3.2", title="late", evidence="e")
    assert journaled("issue_report").clause == "G8.23"


def test_a_report_needs_a_summary_and_finished_fieldwork(flow, people):
    assessment = flow.book()
    with pytest.raises(AssuranceError, match="summary"):
        services.issue_report(people["cio-assessor"], assessment, summary=" ")
    Assessment.objects.filter(pk=assessment.pk).update(fieldwork_end=TODAY + timedelta(days=3))
    with pytest.raises(AssuranceError, match="before fieldwork ends"):
        services.issue_report(people["cio-assessor"], assessment, summary="s")


# --- The response (G8.24-G8.26) -------------------------------------------------------------

def test_the_ssc_sets_the_date_of_the_response(flow, people):
    assessment = flow.reported()
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.set_response_due(
        who, assessment, TODAY + timedelta(days=30)))
    with pytest.raises(AssuranceError, match="past"):
        services.set_response_due(people["ssc-member"], assessment, TODAY - timedelta(days=1))
    done = services.set_response_due(people["ssc-member"], assessment, TODAY + timedelta(30))
    assert done.response_due == TODAY + timedelta(30)


def answer_all(assessment, **kwargs):
    return {f.pk: Answer(**{"accepted": True, **kwargs}) for f in assessment.findings.all()}


@pytest.mark.parametrize("answers, message", [
    (lambda a: {}, "finding 1 (Finding 1): say whether you accept"),
    (lambda a: answer_all(a, accepted=False), "explain why you do not accept"),
    (lambda a: answer_all(a, steps=(PlannedStep("Patch", False, None),)),
     "give the date by which the proposed step will be taken"),
    (lambda a: answer_all(a, steps=(PlannedStep(" ", True, None),)), "describe the step"),
])
def test_an_incomplete_response_is_refused_whole(flow, people, answers, message):
    """G8.26: the response '(a) indicates whether the User accepts ... (b) sets out any steps
    ... (c) identifies a timetable within which the User proposes to take any such steps'."""
    assessment = flow.reported(findings=2)
    with pytest.raises(AssuranceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.submit_response(people["rep-TESTCO"], assessment, answers(assessment))
    assessment.refresh_from_db()
    assert assessment.stage == Stage.REPORT_ISSUED
    assert not Step.objects.filter(finding__assessment=assessment).exists()


def test_the_party_responds_for_itself_only(flow, people):
    assessment = flow.reported()
    answers = answer_all(assessment)
    refused_for_all_but(people, {"rep-TESTCO"}, lambda who: services.submit_response(
        who, assessment, answers))
    services.submit_response(people["rep-TESTCO"], assessment, answers)
    assert Assessment.objects.get(pk=assessment.pk).stage == Stage.RESPONSE_SUBMITTED


def test_a_response_before_the_report_is_refused(flow, people):
    with pytest.raises(WorkflowError):
        services.submit_response(people["rep-TESTCO"], flow.book(), {})


# --- The SSC's review and the agreed plan (G8.27-G8.28) -----------------------------------

def test_the_ssc_accepts_the_steps_and_they_bind(flow, people):
    """G8.27(a): the SSC notifies the User that it accepts the steps and timetable; G8.28: the
    User shall take them within the timetable."""
    assessment = flow.responded()
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.accept_plan(who, assessment))
    agreed = services.accept_plan(people["ssc-member"], assessment, "appropriate")
    assert agreed.stage == Stage.PLAN_AGREED
    assert set(Step.objects.filter(finding__assessment=agreed).values_list("status", flat=True)
               ) == {"agreed"}
    assert agreed.decisions.get().kind == Decision.Kind.PLAN_ACCEPTED
    assert journaled("plan_accepted").clause == "G8.27(a)"


def test_the_ssc_proposes_other_steps_which_the_party_agrees(flow, people):
    """G8.27(b): the SSC seeks to agree alternative steps and/or timetable."""
    assessment = flow.responded()
    finding = assessment.findings.get()
    new = {finding.pk: [PlannedStep("Do it sooner", False, TODAY + timedelta(days=10))]}
    with pytest.raises(AssuranceError, match="reason"):
        services.propose_alternative(people["ssc-member"], assessment, new, "")
    with pytest.raises(AssuranceError, match="description and a date"):
        services.propose_alternative(people["ssc-member"], assessment,
                                     {finding.pk: [PlannedStep("x", False, None)]}, "faster")
    proposed = services.propose_alternative(people["ssc-member"], assessment, new, "faster")
    assert proposed.stage == Stage.ALTERNATIVE_PROPOSED
    refused_for_all_but(people, {"rep-TESTCO"}, lambda who: services.agree_alternative(
        who, proposed))
    agreed = services.agree_alternative(people["rep-TESTCO"], proposed)
    steps = dict(Step.objects.filter(finding=finding).values_list("description", "status"))
    assert steps == {"Fix it": "superseded", "Do it sooner": "agreed"}
    assert agreed.stage == Stage.PLAN_AGREED


def test_progress_completion_and_failure(flow, people):
    """G8.28(b): report (i) progress, (ii) completion, (iii) failure 'specifying the reasons'."""
    assessment = flow.agreed(findings=2)
    first, second = Step.objects.filter(finding__assessment=assessment).order_by("id")
    refused_for_all_but(people, {"rep-TESTCO"}, lambda who: services.report_progress(
        who, assessment, kind="progress", text="going well"))
    services.report_progress(people["rep-TESTCO"], assessment, kind="progress", text="half")
    with pytest.raises(AssuranceError, match="in the future"):
        services.report_progress(people["rep-TESTCO"], assessment, kind="completion",
                                 text="done", step=first, on=TODAY + timedelta(days=1))
    with pytest.raises(AssuranceError, match="step"):
        services.report_progress(people["rep-TESTCO"], assessment, kind="completion",
                                 text="done")
    services.report_progress(people["rep-TESTCO"], assessment, kind="completion", text="done",
                             step=first)
    with pytest.raises(AssuranceError, match="already complete"):
        services.report_progress(people["rep-TESTCO"], assessment, kind="completion",
                                 text="done", step=first)
    with pytest.raises(AssuranceError, match="reasons"):
        services.report_progress(people["rep-TESTCO"], assessment, kind="failure", text="",
                                 step=second)
    services.report_progress(people["rep-TESTCO"], assessment, kind="failure",
                             text="supplier late", step=second)
    first.refresh_from_db(), second.refresh_from_db()
    assert first.completed_on == TODAY and second.failure_reason == "supplier late"
    assert ProgressReport.objects.filter(assessment=assessment).count() == 3


def test_the_ssc_sets_the_progress_interval(flow, people):
    assessment = flow.agreed()
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.set_progress_interval(
        who, assessment, 30))
    done = services.set_progress_interval(people["ssc-member"], assessment, 30)
    assert done.next_progress_due == TODAY + timedelta(days=30)


def test_the_ssc_requests_a_follow_up_by_a_date(flow, people):
    """G8.29: the assessor shall, at the request of the SSC (and by such date as it may
    specify), carry out a Follow-up Security Assessment."""
    assessment = flow.agreed()
    by = TODAY + timedelta(days=60)
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.request_follow_up(
        who, assessment, by))
    follow_up = services.request_follow_up(people["ssc-member"], assessment, by)
    assert (follow_up.category, follow_up.follows_id, follow_up.due, follow_up.stage) == (
        "FOLLOW_UP", assessment.pk, by, Stage.BOOKED)
    with pytest.raises(AssuranceError, match="future"):
        services.request_follow_up(people["ssc-member"], assessment, TODAY)


# --- Decisions (G8.34-G8.39) ----------------------------------------------------------------

@pytest.mark.parametrize("status", ["approved", "approved_subject_to", "deferred", "rejected"])
def test_the_panel_sets_the_assurance_status(flow, people, status):
    """G8.35-G8.36: after the report and the response the Panel sets the assurance status."""
    assessment = flow.responded()
    refused_for_all_but(people, {"panel-member"}, lambda who: services.set_assurance_status(
        who, assessment, status, "reasons"))
    decided = services.set_assurance_status(people["panel-member"], assessment, status,
                                            "reasons")
    assert (decided.assurance_status, decided.status_set) == (status, TODAY)
    assert journaled("assurance_status").clause == {
        "approved": "G8.36(a)", "approved_subject_to": "G8.36(b)", "deferred": "G8.36(c)",
        "rejected": "G8.36(d)"}[status]
    with pytest.raises(WorkflowError, match="already set"):
        services.set_assurance_status(people["panel-member"], decided, "approved", "again")
    schedule = party_schedule(flow.party, TODAY)
    assert schedule.next.value == {"approved": "VUSA", "approved_subject_to": "VUSA",
                                   "deferred": "FOLLOW_UP", "rejected": "FUSA"}[status]


def test_the_assurance_status_needs_the_response(flow, people):
    """G8.34-G8.35: the Panel considers both the report and the response."""
    with pytest.raises(WorkflowError):
        services.set_assurance_status(people["panel-member"], flow.reported(), "approved", "r")


def test_approved_subject_to_a_follow_up_by_a_date(flow, people):
    """G8.36(b)(ii): 'both taking such steps and being subject to a Follow-up Security
    Assessment by such date as the Panel may specify'."""
    assessment = flow.responded()
    by = TODAY + timedelta(days=90)
    with pytest.raises(AssuranceError, match="only 'approved subject to'"):
        services.set_assurance_status(people["panel-member"], assessment, "approved", "r",
                                      follow_up_by=by)
    services.set_assurance_status(people["panel-member"], assessment, "approved_subject_to",
                                  "steps first", follow_up_by=by)
    assert assessment.follow_ups.get().due == by


def test_deferred_until_a_follow_up_satisfies_the_panel(flow, people):
    """G8.36(c): deferred until the steps are taken and a Follow-up satisfies the Panel;
    G8.37(a)(ii): then the party has met the security requirements of user entry."""
    assessment = services.set_assurance_status(people["panel-member"], flow.responded(),
                                               "deferred", "not yet")
    with pytest.raises(WorkflowError, match="no Follow-up"):
        services.confirm_follow_up_satisfies(people["panel-member"], assessment, "ok")
    Assessment.objects.filter(pk=assessment.pk).update(status_set=TODAY - timedelta(days=3))
    assessment.refresh_from_db()
    services.accept_plan(people["ssc-member"], assessment)
    follow_up = services.request_follow_up(people["ssc-member"], assessment,
                                           TODAY + timedelta(days=5))
    services.issue_report(people["cio-assessor"], follow_up, summary="steps taken",
                          fieldwork_end=TODAY)
    refused_for_all_but(people, {"panel-member"}, lambda who: services.
                        confirm_follow_up_satisfies(who, assessment, "ok"))
    done = services.confirm_follow_up_satisfies(people["panel-member"], assessment, "ok")
    assert done.follow_up_satisfied_on == TODAY


def test_the_ssc_sets_a_compliance_status_after_a_verification(flow, people):
    assessment = flow.responded("VUSA")
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.set_compliance_status(
        who, assessment, "compliant", "r"))
    with pytest.raises(AssuranceError, match="not a compliance status"):
        services.set_compliance_status(people["ssc-member"], assessment, "fine", "r")
    done = services.set_compliance_status(people["ssc-member"], assessment,
                                          "compliant_subject_to_plan", "plan needed")
    assert done.compliance_status.code == "compliant_subject_to_plan"


def test_no_compliance_status_after_an_initial_fusa(flow, people):
    """G8.35: after the initial Full assessment the Panel, not the SSC, decides."""
    with pytest.raises(WorkflowError, match="the Panel sets the assurance status"):
        services.set_compliance_status(people["ssc-member"], flow.responded(), "compliant", "r")


def test_remediation_plan_with_a_directors_letter(flow, people):
    assessment = flow.responded("VUSA")
    kwargs = {"plan": "1. fix", "director_name": "A Director",
              "director_statement": "I commit the company to this plan."}
    with pytest.raises(AssuranceError, match="director_name"):
        services.submit_remediation_plan(people["rep-TESTCO"], assessment,
                                         **{**kwargs, "director_name": ""})
    refused_for_all_but(people, {"rep-TESTCO"}, lambda who: services.submit_remediation_plan(
        who, assessment, **kwargs))
    plan = services.submit_remediation_plan(people["rep-TESTCO"], assessment, **kwargs)
    with pytest.raises(WorkflowError, match="already waiting"):
        services.submit_remediation_plan(people["rep-TESTCO"], assessment, **kwargs)
    with pytest.raises(AssuranceError, match="why the plan is sent back"):
        services.decide_remediation_plan(people["ssc-member"], plan, False, "")
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.decide_remediation_plan(
        who, plan, True, ""))
    sent_back = services.decide_remediation_plan(people["ssc-member"], plan, False, "dates")
    assert sent_back.status == "sent_back"
    again = services.submit_remediation_plan(people["rep-TESTCO"], assessment, **kwargs)
    assert services.decide_remediation_plan(people["ssc-member"], again, True, "").status == \
        "approved"


def test_an_appeal_to_the_authority(flow, people):
    """G8.39: a Party that disagrees with a decision of the Panel under G8.36 may appeal."""
    assessment = services.set_assurance_status(people["panel-member"], flow.responded(),
                                               "rejected", "not adequate")
    decision = assessment.decisions.get(kind="assurance_status")
    refused_for_all_but(people, {"rep-TESTCO"}, lambda who: services.record_appeal(
        who, decision, "grounds"))
    appeal = services.record_appeal(people["rep-TESTCO"], decision, "the evidence was there")
    assert appeal.to == "authority" and journaled("record_appeal").clause == "G8.39"
    with pytest.raises(AssuranceError, match="grounds"):
        services.record_appeal(people["rep-TESTCO"], decision, "")


# --- Self-assessment (G8.18, G8.50) -------------------------------------------------------

def test_self_assessment_submitted_reviewed_noted(flow, people):
    assessment = services.book_assessment(people["rep-TESTCO"], flow.party, "SSA",
                                          roles=list(flow.party.roles.all()))
    refused_for_all_but(people, {"rep-TESTCO"}, lambda who: services.submit_self_assessment(
        who, assessment, "outcome"))
    with pytest.raises(AssuranceError, match="outcome"):
        services.submit_self_assessment(people["rep-TESTCO"], assessment, "")
    submitted = services.submit_self_assessment(people["rep-TESTCO"], assessment, "no change")
    assert (submitted.stage, submitted.completed) == (Stage.SSA_SUBMITTED, TODAY)
    refused_for_all_but(people, {"cio-assessor"}, lambda who: services.review_self_assessment(
        who, submitted, "ok"))
    reviewed = services.review_self_assessment(people["cio-assessor"], submitted, "ok")
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.note_self_assessment(
        who, reviewed))
    assert services.note_self_assessment(people["ssc-member"], reviewed).stage == \
        Stage.SSA_NOTED


def test_a_full_assessment_is_not_self_submitted(flow, people):
    with pytest.raises(WorkflowError, match="only a User Security Self-Assessment"):
        services.submit_self_assessment(people["rep-TESTCO"], flow.book("FUSA"), "x")


# --- Shared Resource Providers, triage, the DCC, Events of Default ------------------------

def test_triage_needs_the_sscs_explicit_approval_after_approved_subject_to(people):
    """G12.7(b): approved subject to conditions: explicit approval of the SSC first."""
    fixlab = Assessment.objects.get(party__party_id="FIXLAB", initial=True)  # recorded history
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.approve_triage(
        who, fixlab, "ok"))
    assert services.approve_triage(people["ssc-member"], fixlab, "ok").triage_approved_on == TODAY
    triage = Assessment.objects.get(party__party_id="TRIAGEWORKS", initial=True)
    with pytest.raises(WorkflowError, match="only after 'approved subject to'"):
        services.approve_triage(people["ssc-member"], triage, "ok")


def test_the_dcc_outcome_and_its_appeal_to_the_panel(people):
    """G9.29-G9.30: no non-compliances, or the specific ones to address; G9.33: the DCC may
    appeal the SSC's decision to the Panel."""
    dcc = Assessment.objects.get(party__party_id="DCC", category="DCC_FULL")
    assert dcc.dcc_outcome == "specific"
    appeal = dcc.decisions.get(kind="dcc_outcome").appeals.get()
    assert appeal.to == "panel"
    with pytest.raises(AssuranceError, match="none may be named"):
        services.record_dcc_outcome(people["ssc-member"], dcc, "none", "r",
                                    findings=[dcc.findings.first().pk])
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.record_dcc_outcome(
        who, dcc, "none", "r"))
    assert services.record_dcc_outcome(people["ssc-member"], dcc, "none", "fixed").dcc_outcome \
        == "none"


def test_the_dcc_flow_journals_the_g9_clauses(people):
    """G9.24(a): the SSC accepts the DCC's steps; G9.20: the report goes to the SSC and the
    DCC (the G9 counterparts of G8.27(a) and G8.23)."""
    clauses = set(JournalEntry.objects.filter(party__party_id="DCC").values_list("action",
                                                                                 "clause"))
    assert {("assurance.issue_report", "G9.20"), ("assurance.submit_response", "G9.21"),
            ("assurance.plan_accepted", "G9.24(a)"), ("assurance.book", "G9.3(b)")} <= clauses
    assert not any(clause.startswith("G8.") for _, clause in clauses)


def test_the_outcome_of_an_appeal(people):
    """G9.33: the DCC's appeal is decided by the Panel; G8.39: the Authority's determination
    is recorded by SECAS."""
    dcc = Assessment.objects.get(party__party_id="DCC")
    appeal = dcc.decisions.get(kind="dcc_outcome").appeals.get()
    refused_for_all_but(people, {"panel-member"},
                        lambda who: services.record_appeal_determination(
                            who, dcc, appeal=appeal, determination="dismissed", reason="r"))
    with pytest.raises(AssuranceError, match="reason"):
        services.record_appeal_determination(people["panel-member"], dcc, appeal=appeal,
                                             determination="dismissed", reason=" ")
    assert services.record_appeal_determination(
        people["panel-member"], dcc, appeal=appeal, determination="dismissed",
        reason="Dismissed.").outcome == "Dismissed."
    with pytest.raises(WorkflowError, match="awaits a determination"):
        services.record_appeal_determination(people["panel-member"], dcc, appeal=appeal,
                                             determination="dismissed", reason="again")
    assert journaled("appeal_determined").clause == "G9.33"


def test_a_remediation_plan_answers_a_compliance_status(flow, people):
    with pytest.raises(WorkflowError, match="answers a compliance status"):
        services.submit_remediation_plan(people["rep-TESTCO"], flow.responded("FUSA"),
                                         plan="p", director_name="d", director_statement="s")


def test_a_dcc_assessment_is_for_the_dcc_only(flow, people):
    with pytest.raises(AssuranceError, match="category"):
        services.book_assessment(people["secas"], flow.party, "DCC_FULL", dcc_trigger="annual",
                                 roles=list(flow.party.roles.all()))
    dcc = Party.objects.get(party_id="DCC")
    with pytest.raises(AssuranceError, match="dcc_trigger"):
        services.book_assessment(people["secas"], dcc, "DCC_FULL")


def test_events_of_default(people):
    """G8.57: the SSC refers actual non-compliance to the Panel; G8.58: the Panel determines
    whether it is an Event of Default; G8.60: it approves a remedial action plan."""
    bramble = Party.objects.get(party_id="BRAMBLE")
    with pytest.raises(AssuranceError, match="G7.1 is not an obligation"):
        services.refer_event_of_default(people["ssc-member"], bramble, clauses="G7.1",
                                        referral="r")
    refused_for_all_but(people, {"ssc-member"}, lambda who: services.refer_event_of_default(
        who, bramble, clauses="G3.2", referral="r"))
    eod = services.refer_event_of_default(people["ssc-member"], bramble, clauses="g3.2; G5.14",
                                          referral="monitoring failed")
    assert eod.clauses == "G3.2, G5.14"
    with pytest.raises(AssuranceError, match="steps"):
        services.decide_event_of_default(people["panel-member"], eod, is_event_of_default=True,
                                         reason="material breach")
    refused_for_all_but(people, {"panel-member"}, lambda who: services.decide_event_of_default(
        who, eod, is_event_of_default=True, reason="r", steps="s"))
    decided = services.decide_event_of_default(
        people["panel-member"], eod, is_event_of_default=True, reason="material breach",
        steps="remedial action plan under M8.4(d)",
        affected=[Party.objects.get(party_id="LUMEN")])
    assert decided.is_event_of_default and list(decided.affected.values_list(
        "party_id", flat=True)) == ["LUMEN"]
    refused_for_all_but(people, {"panel-member"}, lambda who: services.
                        approve_remedial_action_plan(who, decided, "plan"))
    approved = services.approve_remedial_action_plan(people["panel-member"], decided, "plan")
    assert approved.remedial_plan_approved_on == TODAY


# --- The journal --------------------------------------------------------------------------

def test_every_action_is_journaled_with_its_clause_and_the_chain_holds(flow, people):
    before = JournalEntry.objects.count()
    assessment = flow.agreed()
    entries = list(JournalEntry.objects.filter(id__gt=0).order_by("id")[before:])
    actions = [(e.action, e.clause, e.actor_label) for e in entries]
    assert actions == [
        ("assurance.book", "G8.40", "secas"),
        ("assurance.record_finding", "G8.22", "cio-assessor"),
        ("assurance.issue_report", "G8.23", "cio-assessor"),
        ("assurance.submit_response", "G8.24", "rep-TESTCO"),
        ("assurance.plan_accepted", "G8.27(a)", "ssc-member"),
    ]
    assert all(e.classification == "RED" and e.party_id == assessment.party_id for e in entries)
    assert verify() == []
