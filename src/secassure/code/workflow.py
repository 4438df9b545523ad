"""The assurance workflow of one assessment, as the Code sets it (G8.22-G8.29, G8.50, G9.19-G9.26).

A pure state machine: which stage an assessment is at, which actions move it on, who may take
each action, and the clause that gives it to them. Services ask `check_transition` before they
change anything; views ask `available_actions` to show only the buttons that can work.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .classification import PersonKind

SECAS, SSC, PANEL, CIO, DCC, REP = (PersonKind.SECAS, PersonKind.SSC_MEMBER,
                                    PersonKind.PANEL_MEMBER, PersonKind.CIO_ASSESSOR,
                                    PersonKind.DCC, PersonKind.PARTY_REP)
#: The people who act for the assessed party: its representatives (and, for the DCC's own
#: assessments, the DCC's people).
PARTY_SIDE = frozenset({REP, DCC, PersonKind.TRIAGE_OPERATOR})


class Stage(StrEnum):
    RECORDED = "recorded"                          # history brought in from outside (import)
    BOOKED = "booked"                              # scope set, fieldwork planned
    REPORT_ISSUED = "report_issued"                # G8.23: to the SSC and the User
    RESPONSE_SUBMITTED = "response_submitted"      # G8.24
    ALTERNATIVE_PROPOSED = "alternative_proposed"  # G8.27(b): the SSC seeks other steps/dates
    PLAN_AGREED = "plan_agreed"                    # G8.27(a) / G8.28: the plan binds the User
    SSA_SUBMITTED = "ssa_submitted"                # G8.50(b): outcome sent for review
    SSA_REVIEWED = "ssa_reviewed"                  # G8.18: reviewed by the User CIO
    SSA_NOTED = "ssa_noted"                        # the SSC has noted it
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    Stage.RECORDED: "Recorded (history)", Stage.BOOKED: "Booked", Stage.REPORT_ISSUED: "Report issued",
    Stage.RESPONSE_SUBMITTED: "Response submitted",
    Stage.ALTERNATIVE_PROPOSED: "Alternative steps proposed by the SSC",
    Stage.PLAN_AGREED: "Plan agreed", Stage.SSA_SUBMITTED: "Self-assessment submitted",
    Stage.SSA_REVIEWED: "Self-assessment reviewed", Stage.SSA_NOTED: "Self-assessment noted",
    Stage.CANCELLED: "Cancelled",
}

#: Stages at which the report is out: the SSC, the party and its Shared Resource Users see it.
REPORT_OUT = frozenset({Stage.REPORT_ISSUED, Stage.RESPONSE_SUBMITTED,
                        Stage.ALTERNATIVE_PROPOSED, Stage.PLAN_AGREED})


class Act(StrEnum):
    BOOK = "book"
    CANCEL = "cancel"
    RECORD_FINDING = "record_finding"
    ISSUE_REPORT = "issue_report"
    SET_RESPONSE_DUE = "set_response_due"
    SUBMIT_RESPONSE = "submit_response"
    ACCEPT_PLAN = "accept_plan"
    PROPOSE_ALTERNATIVE = "propose_alternative"
    AGREE_ALTERNATIVE = "agree_alternative"
    REPORT_PROGRESS = "report_progress"
    SET_PROGRESS_INTERVAL = "set_progress_interval"
    REQUEST_FOLLOW_UP = "request_follow_up"
    SET_ASSURANCE_STATUS = "set_assurance_status"
    CONFIRM_FOLLOW_UP_SATISFIES = "confirm_follow_up_satisfies"
    SET_COMPLIANCE_STATUS = "set_compliance_status"
    RECORD_DCC_OUTCOME = "record_dcc_outcome"
    SUBMIT_REMEDIATION_PLAN = "submit_remediation_plan"
    DECIDE_REMEDIATION_PLAN = "decide_remediation_plan"
    SUBMIT_SELF_ASSESSMENT = "submit_self_assessment"
    REVIEW_SELF_ASSESSMENT = "review_self_assessment"
    NOTE_SELF_ASSESSMENT = "note_self_assessment"
    RECORD_APPEAL = "record_appeal"
    APPROVE_TRIAGE = "approve_triage"


@dataclass(frozen=True)
class Rule:
    """Who may take an action, at which stages, where it leads, and the clause behind it."""

    who: frozenset[PersonKind]
    stages: frozenset[Stage]
    to: Stage | None
    clause: str
    label: str


def _rule(who, stages, to, clause, label) -> Rule:
    return Rule(frozenset(who), frozenset(stages), to, clause, label)


_AFTER_RESPONSE = {Stage.RESPONSE_SUBMITTED, Stage.ALTERNATIVE_PROPOSED, Stage.PLAN_AGREED}
RULES: dict[Act, Rule] = {
    Act.BOOK: _rule({SECAS} | PARTY_SIDE, (), Stage.BOOKED, "G8.40", "Book the assessment"),
    Act.CANCEL: _rule({SECAS}, {Stage.BOOKED}, Stage.CANCELLED, "G8.40", "Cancel the booking"),
    Act.RECORD_FINDING: _rule({CIO}, {Stage.BOOKED}, None, "G8.22", "Record a finding"),
    Act.ISSUE_REPORT: _rule({CIO}, {Stage.BOOKED}, Stage.REPORT_ISSUED, "G8.23",
                            "Issue the report"),
    Act.SET_RESPONSE_DUE: _rule({SSC}, {Stage.REPORT_ISSUED}, None, "G8.24",
                                "Set the date the response is due"),
    Act.SUBMIT_RESPONSE: _rule(PARTY_SIDE, {Stage.REPORT_ISSUED}, Stage.RESPONSE_SUBMITTED,
                               "G8.24", "Submit the response"),
    Act.ACCEPT_PLAN: _rule({SSC}, {Stage.RESPONSE_SUBMITTED}, Stage.PLAN_AGREED, "G8.27(a)",
                           "Accept the steps and timetable"),
    Act.PROPOSE_ALTERNATIVE: _rule({SSC}, {Stage.RESPONSE_SUBMITTED}, Stage.ALTERNATIVE_PROPOSED,
                                   "G8.27(b)", "Propose other steps or dates"),
    Act.AGREE_ALTERNATIVE: _rule(PARTY_SIDE, {Stage.ALTERNATIVE_PROPOSED}, Stage.PLAN_AGREED,
                                 "G8.28", "Agree the SSC's steps and dates"),
    Act.REPORT_PROGRESS: _rule(PARTY_SIDE, {Stage.PLAN_AGREED}, None, "G8.28(b)",
                               "Report progress, completion or failure"),
    Act.SET_PROGRESS_INTERVAL: _rule({SSC}, {Stage.PLAN_AGREED}, None, "G8.28(b)(i)",
                                     "Set when progress is reported"),
    Act.REQUEST_FOLLOW_UP: _rule({SSC}, {Stage.PLAN_AGREED}, None, "G8.29",
                                 "Request a Follow-up"),
    Act.SET_ASSURANCE_STATUS: _rule({PANEL}, _AFTER_RESPONSE, None, "G8.35",
                                    "Set the assurance status"),
    Act.CONFIRM_FOLLOW_UP_SATISFIES: _rule({PANEL}, _AFTER_RESPONSE, None, "G8.36(c)(ii)",
                                           "Confirm the Follow-up shows the steps were taken"),
    Act.SET_COMPLIANCE_STATUS: _rule({SSC}, _AFTER_RESPONSE, None, "G7.20",
                                     "Set the compliance status"),
    Act.RECORD_DCC_OUTCOME: _rule({SSC}, _AFTER_RESPONSE, None, "G9.29",
                                  "Record the non-compliances (or none)"),
    Act.SUBMIT_REMEDIATION_PLAN: _rule(PARTY_SIDE, _AFTER_RESPONSE, None, "G8.28",
                                       "Submit a Remediation Plan and Director's Letter"),
    Act.DECIDE_REMEDIATION_PLAN: _rule({SSC}, _AFTER_RESPONSE, None, "G8.27",
                                       "Approve or send back the Remediation Plan"),
    Act.SUBMIT_SELF_ASSESSMENT: _rule(PARTY_SIDE, {Stage.BOOKED}, Stage.SSA_SUBMITTED,
                                      "G8.50(b)", "Submit the self-assessment"),
    Act.REVIEW_SELF_ASSESSMENT: _rule({CIO}, {Stage.SSA_SUBMITTED}, Stage.SSA_REVIEWED, "G8.18",
                                      "Review the self-assessment"),
    Act.NOTE_SELF_ASSESSMENT: _rule({SSC}, {Stage.SSA_REVIEWED}, Stage.SSA_NOTED, "G7.20",
                                    "Note the self-assessment"),
    Act.RECORD_APPEAL: _rule(PARTY_SIDE, set(Stage) - {Stage.BOOKED, Stage.CANCELLED,
                                                         Stage.RECORDED}, None,
                             "G8.39", "Record an appeal"),
    # also on an initial FUSA recorded from history: its provider still needs the approval
    Act.APPROVE_TRIAGE: _rule({SSC}, _AFTER_RESPONSE | {Stage.RECORDED}, None, "G12.7(b)",
                              "Approve the start of Triage Activities"),
}


class WorkflowError(Exception):
    """An action that cannot be taken now, or by this person; the message says why."""


def check(act: Act, kind: PersonKind | None, stage: Stage | None) -> Rule:
    """The rule for `act`, if a person of `kind` may take it at `stage`; WorkflowError if not."""
    rule = RULES[act]
    if kind not in rule.who:
        who = ", ".join(sorted(k.label for k in rule.who))
        raise WorkflowError(f"{rule.label}: only {who} may do this ({rule.clause}).")
    if rule.stages and stage not in rule.stages:
        now = stage.label.lower() if stage else "not started"
        raise WorkflowError(f"{rule.label}: not possible while the assessment is {now}.")
    return rule


def available(kind: PersonKind | None, stage: Stage) -> list[Act]:
    """The actions a person of `kind` could take at `stage` (before any other checks)."""
    return [act for act, rule in RULES.items()
            if kind in rule.who and stage in rule.stages]
