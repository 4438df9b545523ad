"""The workflow's declarations as the Code gives them: who, when, under which clause, on which
assessments (table-driven, each row quoting its clause of Section G)."""
from dataclasses import replace

import pytest

from secassure.code import classification, workflow
from secassure.code.classification import PersonKind
from secassure.code.workflow import (
    ACTIONS,
    G9,
    Act,
    AssessmentFacts,
    Kind,
    Stage,
    cases,
    dcc_clause,
    offered,
    panel_sets_status,
    refusal,
    ssc_sets_compliance,
)

FUSA, VUSA, SSA, FOLLOW_UP = "FUSA", "VUSA", "SSA", "FOLLOW_UP"
ENTRY = AssessmentFacts(FUSA, initial=True)
LATER_FULL = AssessmentFacts(FUSA)


def test_every_act_is_declared_once_with_a_clause_a_label_and_a_door_of_each_kind():
    assert set(ACTIONS) == set(Act)
    for act, declaration in ACTIONS.items():
        assert declaration.act is act
        assert declaration.clause.startswith("G") and declaration.label, act
        assert declaration.who, act
        assert declaration.page and declaration.cli, act
        assert declaration.api or declaration.api_on == "", act  # a booking: the collection
    for door in ("page", "cli"):
        names = [getattr(d, door) for d in ACTIONS.values()]
        assert len(names) == len(set(names)), door
    routes = [(d.api_on, d.api) for d in ACTIONS.values()]
    assert len(routes) == len(set(routes))


@pytest.mark.parametrize("act", list(Act))
def test_each_input_says_what_it_is_and_how_it_is_asked_for(act):
    declaration = ACTIONS[act]
    names = [spec.name for spec in declaration.inputs]
    assert len(names) == len(set(names)), act
    for spec in declaration.inputs:
        assert spec.label, (act, spec.name)
        assert spec.name.isidentifier() and spec.name == spec.name.lower(), spec.name
        if spec.kind in (Kind.RECORD, Kind.RECORDS):
            assert spec.record, (act, spec.name)
        if spec.kind == Kind.BOOL and spec.choices:
            assert len(spec.choices) == 2, (act, spec.name)  # the first answer means yes
        if spec.kind == Kind.INT:
            assert spec.low is not None, (act, spec.name)
    if declaration.subject not in ("assessment", "finding", "plan"):
        assert declaration.subject_input is not None, act  # named by an input instead


def test_the_party_side_is_defined_once():
    """The people who act for their own party: its representatives, its triage operators and,
    for the DCC's own assessments, the DCC's people (G8.24, G8.28, G8.39, G8.50)."""
    assert workflow.PARTY_SIDE is classification.PARTY_SIDE
    assert {PersonKind.PARTY_REP, PersonKind.TRIAGE_OPERATOR,
                                         PersonKind.DCC} == classification.PARTY_SIDE
    assert classification.PARTY_SIDE - {PersonKind.DCC} == classification.USER_PARTY_SIDE
    for act in (Act.SUBMIT_RESPONSE, Act.AGREE_ALTERNATIVE, Act.REPORT_PROGRESS,
                Act.SUBMIT_REMEDIATION_PLAN, Act.SUBMIT_SELF_ASSESSMENT, Act.RECORD_APPEAL):
        assert ACTIONS[act].who == classification.PARTY_SIDE, act


# The rules about the assessment itself: (act, facts, allowed, clause, what the Code says).
RULES = [
    (Act.SET_ASSURANCE_STATUS, ENTRY, True, "G8.35",
     "following the receipt ... [of the initial Full assessment's report and response] the "
     "Panel shall ... set the assurance status"),
    (Act.SET_ASSURANCE_STATUS, LATER_FULL, False, "G8.33-G8.35",
     "only the initial Full User Security Assessment of the User Entry Process"),
    (Act.SET_ASSURANCE_STATUS, AssessmentFacts(VUSA), False, "G8.34", "that initial Full"),
    (Act.SET_ASSURANCE_STATUS, replace(ENTRY, assurance_status="approved"), False, "G8.39",
     "set once; a party that disagrees appeals to the Authority"),
    (Act.SET_COMPLIANCE_STATUS, AssessmentFacts(VUSA), True, "G7.20", "after a Verification"),
    (Act.SET_COMPLIANCE_STATUS, LATER_FULL, True, "G7.20", "after a later Full assessment"),
    (Act.SET_COMPLIANCE_STATUS, ENTRY, False, "G8.35", "the Panel sets the assurance status"),
    (Act.SET_COMPLIANCE_STATUS, AssessmentFacts(SSA), False, "G8.18", "a self-assessment"),
    (Act.SUBMIT_REMEDIATION_PLAN, AssessmentFacts(VUSA), True, "G7.20",
     "a Remediation Plan answers a compliance status"),
    (Act.SUBMIT_REMEDIATION_PLAN, AssessmentFacts(VUSA, plan_waiting=True), False, "G7.20",
     "one plan waits for the SSC at a time"),
    (Act.SUBMIT_REMEDIATION_PLAN, ENTRY, False, "G8.35", "not after the initial Full"),
    (Act.CONFIRM_FOLLOW_UP_SATISFIES,
     replace(ENTRY, assurance_status="deferred", follow_up_reported=True), True, "G8.36(c)(ii)",
     "the Panel having determined that it is satisfied, on the evidence of the Follow-up"),
    (Act.CONFIRM_FOLLOW_UP_SATISFIES, replace(ENTRY, assurance_status="deferred"), False,
     "G8.36(c)(i)", "having first ... been subject to a Follow-up Security Assessment"),
    (Act.CONFIRM_FOLLOW_UP_SATISFIES, replace(ENTRY, assurance_status="approved",
                                              follow_up_reported=True), False, "G8.36(c)",
     "deferred and ..."),
    (Act.CONFIRM_FOLLOW_UP_SATISFIES,
     replace(ENTRY, assurance_status="deferred", follow_up_reported=True,
             follow_up_satisfied=True), False, "G8.36(c)(ii)", "determined once"),
    (Act.APPROVE_TRIAGE, replace(ENTRY, assurance_status="approved_subject_to",
                                 triage_provider=True), True, "G12.7(b)",
     "'approved' subject to conditions ... will require explicit approval from the SSC"),
    (Act.APPROVE_TRIAGE, replace(ENTRY, assurance_status="approved", triage_provider=True),
     False, "G12.7(a)", "'approved' ... may undertake Triage Activities"),
    (Act.APPROVE_TRIAGE, replace(ENTRY, assurance_status="approved_subject_to"), False,
     "G12.7", "a Triage Facility Provider"),
    (Act.RECORD_DCC_OUTCOME, AssessmentFacts("DCC_FULL"), True, "G9.28-G9.29",
     "following the completion of a Full DCC Security Assessment, the SSC shall ..."),
    (Act.RECORD_DCC_OUTCOME, LATER_FULL, False, "G9.28", "a Full DCC Security Assessment"),
    (Act.SUBMIT_SELF_ASSESSMENT, AssessmentFacts(SSA), True, "G8.50(b)",
     "document the outcome ... and submit it for review"),
    (Act.SUBMIT_SELF_ASSESSMENT, AssessmentFacts(VUSA), False, "G8.18",
     "an assessment carried out by a User"),
    (Act.RECORD_FINDING, AssessmentFacts(VUSA), True, "G8.22", "the report's findings"),
    (Act.ISSUE_REPORT, AssessmentFacts(SSA), False, "G8.18, G8.50(b)",
     "the outcome of a self-assessment is reviewed, not reported"),
    (Act.ACCEPT_PLAN, AssessmentFacts(SSA), True, "G8.27(a)", "no condition beyond the stage"),
]


@pytest.mark.parametrize("act, facts, allowed, clause, says", RULES,
                         ids=[f"{r[0]}-{r[1].category}-{r[3]}" for r in RULES])
def test_the_code_allows_each_action_only_on_the_assessments_it_names(act, facts, allowed,
                                                                       clause, says):
    reason = refusal(act, facts)
    assert (reason is None) is allowed, reason
    if not allowed:
        assert reason and reason[0].islower(), "a refusal reads as the end of a sentence"


def test_the_rules_of_status_agree_with_the_table_of_categories():
    """G8.35: the Panel after the initial Full assessment; G7.20: the SSC after a
    Verification or a later Full one. `cases` is how a query applies the same rule."""
    assert cases(panel_sets_status) == [(FUSA, True)]
    assert cases(ssc_sets_compliance) == [(FUSA, False), (VUSA, True), (VUSA, False)]
    assert not set(cases(panel_sets_status)) & set(cases(ssc_sets_compliance))


@pytest.mark.parametrize("act, facts", [
    (Act.RECORD_DCC_OUTCOME, AssessmentFacts("DCC_FULL", dcc_outcome_recorded=True)),
    (Act.APPROVE_TRIAGE, replace(ENTRY, assurance_status="approved_subject_to",
                                 triage_provider=True, triage_approved=True)),
    (Act.REQUEST_FOLLOW_UP, AssessmentFacts(FOLLOW_UP)),
])
def test_a_page_stops_offering_what_is_done_though_the_service_would_allow_it(act, facts):
    assert refusal(act, facts) is None
    assert not offered(act, facts)


# The same step of the flow for the DCC's own assessments (G9.3(b), G9.19-G9.33).
G9_ROWS = [
    (Act.BOOK, "G8.40", "G9.3(b)"), (Act.CANCEL, "G8.40", "G9.3(b)"),
    (Act.RECORD_FINDING, "G8.22", "G9.19"), (Act.ATTACH_EVIDENCE, "G8.22", "G9.19"),
    (Act.ISSUE_REPORT, "G8.23", "G9.20"), (Act.SET_RESPONSE_DUE, "G8.24", "G9.21"),
    (Act.SUBMIT_RESPONSE, "G8.24", "G9.21"), (Act.ACCEPT_PLAN, "G8.27(a)", "G9.24(a)"),
    (Act.PROPOSE_ALTERNATIVE, "G8.27(b)", "G9.24(b)"),
    (Act.AGREE_ALTERNATIVE, "G8.28", "G9.25"), (Act.REPORT_PROGRESS, "G8.28(b)", "G9.25(b)"),
    (Act.SET_PROGRESS_INTERVAL, "G8.28(b)(i)", "G9.25(b)(i)"),
    (Act.REQUEST_FOLLOW_UP, "G8.29", "G9.26"),
    (Act.DECIDE_REMEDIATION_PLAN, "G8.27", "G9.24"),
    (Act.SUBMIT_REMEDIATION_PLAN, "G8.28", "G9.25"), (Act.RECORD_APPEAL, "G8.39", "G9.33"),
]


@pytest.mark.parametrize("act, g8, g9", G9_ROWS, ids=[r[0].value for r in G9_ROWS])
def test_each_step_has_its_g9_counterpart_for_the_dccs_own_assessments(act, g8, g9):
    declaration = ACTIONS[act]
    assert (declaration.clause_for(False), declaration.clause_for(True)) == (g8, g9)
    assert dcc_clause(g8) == g9  # what the journal records for the DCC's assessments


def test_the_g8_to_g9_map_is_one_map_and_leaves_other_clauses_alone():
    assert {row[1]: row[2] for row in G9_ROWS} == G9
    for clause in ("G8.36(a)", "G8.36(b)", "G9.29", "G7.20", "G12.7(b)"):
        assert dcc_clause(clause) == clause


def test_the_stage_machine_takes_each_action_to_its_stage():
    assert ACTIONS[Act.ISSUE_REPORT].to == Stage.REPORT_ISSUED
    assert workflow.available(PersonKind.SSC_MEMBER, Stage.RESPONSE_SUBMITTED)[:2] == [
        Act.ACCEPT_PLAN, Act.PROPOSE_ALTERNATIVE]
    with pytest.raises(workflow.WorkflowError, match="only SSC member may do this"):
        workflow.check(Act.ACCEPT_PLAN, PersonKind.PARTY_REP, Stage.RESPONSE_SUBMITTED)
    with pytest.raises(workflow.WorkflowError, match="not possible while the assessment is "
                                                     "plan agreed"):
        workflow.check(Act.ACCEPT_PLAN, PersonKind.SSC_MEMBER, Stage.PLAN_AGREED)


class _Result:
    number, assurance_status = 3, "approved_subject_to"


def test_the_message_after_an_action_comes_from_its_declaration():
    assert ACTIONS[Act.RECORD_FINDING].message({}, _Result()) == \
        "Finding 3 recorded in the draft report (G8.22)."
    assert ACTIONS[Act.SET_ASSURANCE_STATUS].message({}, _Result()) == \
        "Assurance status set: Approved, subject to (G8.36(b))."
    assert ACTIONS[Act.DECIDE_REMEDIATION_PLAN].message({"approve": False}, None) == \
        "Remediation Plan sent back to the party."
