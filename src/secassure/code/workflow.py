"""The assurance workflow of one assessment, as the Code sets it (G8.22-G8.40, G8.50, G9.19-G9.33,
G12.7): every action declared once.

A pure state machine: which stage an assessment is at, which actions move it on, who may take
each action, and the clause that gives it to them. Each action is one `Declaration` in
`ACTIONS`: who may take it and at which stages, where it leads, its clause and its G9
counterpart for the DCC's own assessments, its label, its inputs (`Input`: name, kind, label,
help with the clause, limits), the rules of the Code about the assessment itself that it needs
(`Condition`s over plain `Facts`: category, initial, statuses), where each door exposes it
(page slug, API path, command name) and the message after it.

Adding an action means editing one declaration here and writing one service decorated
`@performs(Act.X)` (`secassure.assurance.services`) whose keyword parameters are the declared
inputs. The page's form and its row in the action table, the API's input serializer and route
(documented in the OpenAPI schema) and the `secassure assessment` command are generated from the
declaration; a test walks `ACTIONS` and proves each door exposes each action and each service
takes exactly the declared inputs.

Services ask `check` before they change anything and `refusal` for the conditions; pages ask
`available` and `offered` to show only the buttons that can work.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from .categories import AssessmentType, AssuranceStatus
from .classification import ASSESSORS, PARTY_SIDE, PersonKind

SECAS, SSC, PANEL, CIO, DCC, REP = (PersonKind.SECAS, PersonKind.SSC_MEMBER,
                                    PersonKind.PANEL_MEMBER, PersonKind.CIO_ASSESSOR,
                                    PersonKind.DCC, PersonKind.PARTY_REP)
__all__ = ["ACTIONS", "Act", "Condition", "DEFAULT_STEPS", "Declaration", "DefaultStep",
           "DefaultStepRule", "Facts", "Input", "Kind", "PARTY_SIDE", "REPORT_OUT", "RULES", "Rule",
           "Stage", "WorkflowError", "available", "check", "dcc_clause", "default_step_refusal",
           "offered", "refusal"]

# The categories of assessment (G8.15, G9.15): the four User categories and the DCC's two.
FULL, VERIFICATION, SELF_ASSESSMENT, FOLLOW_UP = (
    t.value for t in (AssessmentType.FULL, AssessmentType.VERIFICATION,
                      AssessmentType.SELF_ASSESSMENT, AssessmentType.FOLLOW_UP))
DCC_FULL, DCC_FOLLOW_UP = "DCC_FULL", "DCC_FOLLOW_UP"
CATEGORIES = (FULL, VERIFICATION, SELF_ASSESSMENT, FOLLOW_UP, DCC_FULL, DCC_FOLLOW_UP)
FOLLOW_UPS = frozenset({FOLLOW_UP, DCC_FOLLOW_UP})
DCC_CATEGORIES = frozenset({DCC_FULL, DCC_FOLLOW_UP})


class Stage(StrEnum):
    RECORDED = "recorded"                          # history brought in from outside (import)
    BOOKED = "booked"                              # scope set, fieldwork planned
    REPORT_ISSUED = "report_issued"                # G8.23: to the SSC and the User
    RESPONSE_SUBMITTED = "response_submitted"      # G8.24
    ALTERNATIVE_PROPOSED = "alternative_proposed"  # G8.27(b): the SSC seeks other steps/dates
    COUNTER_PROPOSED = "counter_proposed"          # G8.27(b): the party proposes back
    NOT_AGREED = "not_agreed"                      # G8.27(b): the SSC records no agreement
    PLAN_AGREED = "plan_agreed"                    # G8.27(a) / G8.28: the plan binds the User
    SSA_SUBMITTED = "ssa_submitted"                # G8.50(b): outcome sent for review
    SSA_REVIEWED = "ssa_reviewed"                  # G8.18: reviewed by the User CIO
    SSA_NOTED = "ssa_noted"                        # the SSC has noted it
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]


_STAGE_LABELS = {
    Stage.RECORDED: "Recorded (history)", Stage.BOOKED: "Booked",
    Stage.REPORT_ISSUED: "Report issued",
    Stage.RESPONSE_SUBMITTED: "Response submitted",
    Stage.ALTERNATIVE_PROPOSED: "Alternative steps proposed by the SSC",
    Stage.COUNTER_PROPOSED: "Other steps proposed back by the party",
    Stage.NOT_AGREED: "No agreement on the steps",
    Stage.PLAN_AGREED: "Plan agreed", Stage.SSA_SUBMITTED: "Self-assessment submitted",
    Stage.SSA_REVIEWED: "Self-assessment reviewed", Stage.SSA_NOTED: "Self-assessment noted",
    Stage.CANCELLED: "Cancelled",
}

#: Stages at which the report is out: the SSC, the party and its Shared Resource Users see it.
REPORT_OUT = frozenset({Stage.REPORT_ISSUED, Stage.RESPONSE_SUBMITTED,
                        Stage.ALTERNATIVE_PROPOSED, Stage.COUNTER_PROPOSED, Stage.NOT_AGREED,
                        Stage.PLAN_AGREED})
_AFTER_RESPONSE = frozenset({Stage.RESPONSE_SUBMITTED, Stage.ALTERNATIVE_PROPOSED,
                             Stage.COUNTER_PROPOSED, Stage.NOT_AGREED, Stage.PLAN_AGREED})
#: G8.27(b): "seek to agree": the SSC's proposal and the party's answer go back and forth.
_SEEKING = frozenset({Stage.ALTERNATIVE_PROPOSED, Stage.COUNTER_PROPOSED})


class Act(StrEnum):
    BOOK = "book"
    CANCEL = "cancel"
    RECORD_FINDING = "record_finding"
    ATTACH_EVIDENCE = "attach_evidence"
    ISSUE_REPORT = "issue_report"
    SHARE_DRAFT = "share_draft"
    COMMENT_ON_DRAFT = "comment_on_draft"
    SET_RESPONSE_DUE = "set_response_due"
    SUBMIT_RESPONSE = "submit_response"
    ACCEPT_PLAN = "accept_plan"
    PROPOSE_ALTERNATIVE = "propose_alternative"
    AGREE_ALTERNATIVE = "agree_alternative"
    COUNTER_PROPOSE = "counter_propose"
    AGREE_COUNTER_PROPOSAL = "agree_counter_proposal"
    RECORD_NO_AGREEMENT = "record_no_agreement"
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
    RECORD_APPEAL_DETERMINATION = "record_appeal_determination"
    APPROVE_TRIAGE = "approve_triage"
    DETERMINE_NEXT_CATEGORY = "determine_next_category"


# --- The facts the rules read, and the rules ---------------------------------------------------

class Facts(Protocol):
    """What the rules need to know of one assessment, as plain values. The pages build them
    from the record they show; the services read them from the locked row when a rule asks."""

    @property
    def category(self) -> str: ...
    @property
    def initial(self) -> bool: ...
    @property
    def assurance_status(self) -> str: ...
    @property
    def follow_up_satisfied(self) -> bool: ...
    @property
    def follow_up_reported(self) -> bool: ...  # a Follow-up completed since the status was set
    @property
    def triage_provider(self) -> bool: ...     # the party is a Triage Facility Provider
    @property
    def triage_approved(self) -> bool: ...
    @property
    def dcc_outcome_recorded(self) -> bool: ...
    @property
    def plan_waiting(self) -> bool: ...        # a Remediation Plan awaits the SSC
    @property
    def appeal_waiting(self) -> bool: ...      # an appeal awaits its determination


@dataclass(frozen=True)
class AssessmentFacts:
    """`Facts` as a plain record (the pages' and the tests')."""

    category: str
    initial: bool = False
    assurance_status: str = ""
    follow_up_satisfied: bool = False
    follow_up_reported: bool = False
    triage_provider: bool = False
    triage_approved: bool = False
    dcc_outcome_recorded: bool = False
    plan_waiting: bool = False
    appeal_waiting: bool = False


def is_dcc(category: str) -> bool:
    """G9: the DCC's own assessments have their own clauses (G9.15-G9.33)."""
    return category in DCC_CATEGORIES


def reported(category: str) -> bool:
    """A self-assessment has no report: the party documents its outcome (G8.50(b))."""
    return category != SELF_ASSESSMENT


def panel_sets_status(category: str, initial: bool) -> bool:
    """The Panel sets an assurance status only after an initial Full assessment (G8.35)."""
    return category == FULL and initial


def ssc_sets_compliance(category: str, initial: bool) -> bool:
    """The SSC sets a compliance status after a Verification or a later Full assessment
    (G7.20; after the initial Full assessment the Panel decides, G8.35)."""
    return category == VERIFICATION or (category == FULL and not initial)


def cases(rule: Callable[[str, bool], bool]) -> list[tuple[str, bool]]:
    """Every (category, initial) for which `rule` holds: how a query applies the same rule."""
    return [(c, i) for c in CATEGORIES for i in (True, False) if rule(c, i)]


@dataclass(frozen=True)
class Condition:
    """A rule of the Code about the assessment itself, and the refusal that says which."""

    holds: Callable[[Facts], bool]
    refusal: str


def _when(holds: Callable[[Facts], bool], refusal: str) -> Condition:
    return Condition(holds, refusal)


REPORTED = _when(lambda f: reported(f.category),
                 "a self-assessment has no report: the party documents its outcome (G8.50(b))")
ENTRY = _when(lambda f: panel_sets_status(f.category, f.initial),
              "the Panel sets an assurance status only after an initial Full assessment (G8.35); "
              "the SSC sets a compliance status otherwise")
STATUS_UNSET = _when(lambda f: not f.assurance_status,
                     "the Panel has already set the assurance status of this assessment; a party "
                     "that disagrees may appeal (G8.39)")
DEFERRED = _when(lambda f: f.assurance_status == AssuranceStatus.DEFERRED,
                 "only a deferred assurance status waits on a Follow-up (G8.36(c))")
NOT_CONFIRMED = _when(lambda f: not f.follow_up_satisfied,
                      "the Panel has already confirmed the Follow-up (G8.36(c)(ii))")
FOLLOW_UP_REPORTED = _when(lambda f: f.follow_up_reported,
                           "no Follow-up completed after the deferral has reported yet "
                           "(G8.36(c)(i))")
COMPLIANCE = _when(lambda f: ssc_sets_compliance(f.category, f.initial),
                   "a compliance status follows a Verification or a later Full assessment; after "
                   "an initial Full assessment the Panel sets the assurance status (G8.35)")
PLAN_ANSWERS_COMPLIANCE = _when(lambda f: ssc_sets_compliance(f.category, f.initial),
                                "a Remediation Plan answers a compliance status, after a "
                                "Verification or a later Full assessment")
NO_PLAN_WAITING = _when(lambda f: not f.plan_waiting,
                        "a Remediation Plan is already waiting for the SSC")
DCC_FULL_ONLY = _when(lambda f: f.category == DCC_FULL,
                      "the SSC records these after a Full DCC Security Assessment (G9.28)")
SELF_ASSESSED = _when(lambda f: f.category == SELF_ASSESSMENT,
                      "only a User Security Self-Assessment is submitted by the party")
APPEAL_WAITING = _when(lambda f: f.appeal_waiting,
                       "no appeal on this assessment awaits a determination (G8.39, G9.33)")
TRIAGE_PROVIDER = _when(lambda f: f.triage_provider,
                        "only a Triage Facility Provider needs this approval (G12.7)")
TRIAGE_CYCLE = _when(lambda f: f.triage_provider,
                     "the SSC determines the category of the next assessment only for a Triage "
                     "Facility Provider (G12.8); the others' cycles are set by G8.41-G8.47")
SUBJECT_TO = _when(lambda f: f.assurance_status == AssuranceStatus.APPROVED_SUBJECT_TO,
                   "the SSC's approval is needed only after 'approved subject to' (G12.7(b))")


# --- How an action is declared -------------------------------------------------------------------

class Kind(StrEnum):
    """What an input is; each door (form, serializer, command line) knows each kind once."""

    TEXT = "text"        # a text of one or more lines
    LINE = "line"        # a one-line text
    DATE = "date"
    INT = "int"
    CHOICE = "choice"
    BOOL = "bool"        # with two `choices`: the first answer means yes
    FILE = "file"
    FILES = "files"
    RECORD = "record"    # one record, named by its id (a party by its id, a person by username)
    RECORDS = "records"  # several records of the assessment (or roles of the party, by name)
    ANSWERS = "answers"  # the response: per finding, accepted or disputed, steps (G8.26)
    STEPS = "steps"      # the SSC's other steps and dates per finding (G8.27(b))


#: Kinds given as a JSON document on the command line, as the API takes them.
STRUCTURED = frozenset({Kind.ANSWERS, Kind.STEPS})


@dataclass(frozen=True)
class Input:
    """One input of an action, as every door asks for it.

    `choices`: fixed (value, label) pairs, or the name of a list the app supplies (compliance
    statuses live in the database). `record`: for RECORD(S), the kind of record. `form_name`:
    the page's field, where it predates the API's name. `prefill`: the assessment's attribute
    (dotted: `compliance_status.code`) that fills it in on the page. `hidden`: the page sends
    it (as prefilled) without showing it: what the person saw when deciding. `applies`: for
    inputs that concern only some parties.
    """

    name: str
    kind: Kind
    label: str
    help: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] | str = ()
    record: str = ""
    low: int | None = None
    high: int | None = None
    max_length: int | None = None
    rows: int = 3
    radio: bool = False
    positional: bool = False  # the command line takes it without a flag
    flag: str = ""            # another spelling of the command line's option
    form_name: str = ""
    prefill: str = ""
    hidden: bool = False
    initial: str = ""
    applies: Callable[[bool], bool] | None = None  # of the party being the DCC

    @property
    def field(self) -> str:
        """The name of the page's form field."""
        return self.form_name or self.name

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """The fixed choices ((value, label) pairs); none when the app supplies the list."""
        return () if isinstance(self.choices, str) else self.choices


Done = str | Callable[[Mapping[str, Any], Any], str]


@dataclass(frozen=True)
class Declaration:
    """One action of the workflow: everything every door needs to offer it.

    `subject` is what the service acts on (its argument after the person): the assessment, a
    record of it (`finding`, `plan`), or an input (`decision` for an appeal, `party` for a
    booking). `api_on` is the API resource whose record the route hangs on ('' for the
    collection); the command's positional id names the same record.
    """

    act: Act
    who: frozenset[PersonKind]
    stages: frozenset[Stage]
    to: Stage | None
    clause: str
    label: str
    g9: str = ""
    inputs: tuple[Input, ...] = ()
    requires: tuple[Condition, ...] = ()      # checked by the service: 409 with the refusal
    pending: Callable[[Facts], bool] | None = None  # the page offers it only while still to do
    subject: str = "assessment"
    api_on: str = "assessment"
    page: str = ""
    api: str = ""
    cli: str = ""
    result: str = "assessment"   # what the action makes or changes (how the API answers)
    created: bool = False        # the API answers 201 Created
    done: Done = ""
    note: str = ""
    button: str = ""
    error_field: str = ""        # the input a refusal concerns when its message names none
    #: Who may also take it while the body the Code gives it to has delegated it to theirs
    #: (the SSC sets assurance statuses where the Panel has delegated it, G8.35).
    delegates: frozenset[PersonKind] = frozenset()

    @property
    def rule(self) -> Rule:
        return Rule(self.who, self.stages, self.to, self.clause, self.label, self.delegates)

    @property
    def subject_input(self) -> Input | None:
        """The input that names the subject, when the subject is not in the address."""
        return next((i for i in self.inputs if i.name == self.subject), None)

    @property
    def fields(self) -> tuple[Input, ...]:
        """The inputs other than the subject: what the form and the body carry."""
        return tuple(i for i in self.inputs if i.name != self.subject)

    def clause_for(self, dcc: bool) -> str:
        """The clause of the action: its G9 counterpart on the DCC's own assessments."""
        return self.g9 if dcc and self.g9 else self.clause

    def message(self, data: Mapping[str, Any], result: Any) -> str:
        """The message after the action, from its inputs and its result."""
        if callable(self.done):
            return self.done(data, result)
        return self.done.format(d=data, result=result)


@dataclass(frozen=True)
class Rule:
    """Who may take an action, at which stages, where it leads, and the clause behind it."""

    who: frozenset[PersonKind]
    stages: frozenset[Stage]
    to: Stage | None
    clause: str
    label: str
    delegates: frozenset[PersonKind] = frozenset()

    def allows(self, kind: PersonKind | None, delegated: bool = False) -> bool:
        """Whether a person of `kind` may take it: one of `who`, or of `delegates` while the
        action is delegated to them."""
        return kind in self.who or (delegated and kind in self.delegates)


def _text(name: str, label: str, help: str = "", required: bool = True, rows: int = 3,
          **more: Any) -> Input:
    return Input(name, Kind.TEXT, label, help, required, rows=rows, **more)


def _reason(label: str = "Reason", required: bool = True, help: str = "",
            rows: int = 2) -> Input:
    return _text("reason", label, help, required, rows)


def _date(name: str, label: str, help: str = "", required: bool = False, **more: Any) -> Input:
    return Input(name, Kind.DATE, label, help, required, **more)


def _status_done(data: Mapping[str, Any], result: Any) -> str:
    status = AssuranceStatus(result.assurance_status)
    return f"Assurance status set: {status.label} ({status.clause})."


_ASSURANCE_STATUSES = tuple((s.value, f"{s.label} ({s.clause})") for s in AssuranceStatus)
_ANYONE_AFTER_REPORT = frozenset(Stage) - {Stage.BOOKED, Stage.CANCELLED, Stage.RECORDED}


def _declare(*declarations: Declaration) -> dict[Act, Declaration]:
    table = {d.act: d for d in declarations}
    assert len(table) == len(declarations) == len(Act), "each Act declared exactly once"
    return table


ACTIONS: dict[Act, Declaration] = _declare(
    Declaration(
        Act.BOOK, frozenset({SECAS}) | PARTY_SIDE, frozenset(), Stage.BOOKED, "G8.40",
        "Book the assessment", g9="G9.3(b)", subject="party", api_on="", page="book",
        api="", cli="book", created=True, inputs=(
            Input("party", Kind.RECORD, "Party", required=True, record="party",
                  positional=True),
            Input("category", Kind.CHOICE, "Category", "G8.15: Full (G8.16), Verification "
                  "(G8.17) or Self-Assessment (G8.18); the DCC: Full DCC (G9.15-G9.16).",
                  required=True, choices="bookable", positional=True),
            Input("roles", Kind.RECORDS, "User Roles covered", "One assessment may cover "
                  "several roles (G8.30(a)(i)).", record="role", choices="party_roles",
                  applies=lambda dcc: not dcc),
            Input("assessor", Kind.RECORD, "Assessor", "The User CIO (G8.1); a "
                  "self-assessment needs none until review.", record="person",
                  choices="assessors"),
            _date("fieldwork_start", "Fieldwork starts"),
            _date("fieldwork_end", "Fieldwork ends"),
            _date("due", "Due by", "Left empty, the schedule's date is used when the category "
                  "is the one it proposes."),
            Input("dcc_trigger", Kind.CHOICE, "Why the DCC is assessed", "annual, "
                  "material_change or requested (G9.3(b))", choices="dcc_triggers",
                  applies=lambda dcc: dcc),
            Input("reason", Kind.LINE, "Note (journaled)", max_length=500)),
        done="Booked."),
    Declaration(
        Act.CANCEL, frozenset({SECAS}), frozenset({Stage.BOOKED}), Stage.CANCELLED, "G8.40",
        "Cancel the booking", g9="G9.3(b)", page="cancel", api="cancel", cli="cancel",
        inputs=(_reason("Why it is cancelled"),), done="Booking cancelled."),
    Declaration(
        Act.RECORD_FINDING, ASSESSORS, frozenset({Stage.BOOKED}), None, "G8.22",
        "Record a finding", g9="G9.19", page="record-finding", api="findings", cli="finding",
        result="finding", created=True, requires=(REPORTED,), inputs=(
            Input("kind", Kind.CHOICE, "Kind", "non_compliance, potential_non_compliance or "
                  "risk_increase (G8.22(b)(i), (c)(i))", required=True,
                  choices="finding_kinds"),
            Input("clause", Kind.LINE, "Clause", "The obligation not complied with: a clause "
                  "of G3 to G6 for a Full assessment (G8.22(b)(i)), e.g. G5.14; also G12.4 for "
                  "a Triage Facility Provider; for the DCC G2, G4 to G6, DCC Licence Condition "
                  "8 (LC8) or Appendix Z Sections 6 and 7 (Z6, Z7) (G9.16, G9.19).",
                  max_length=40),
            Input("title", Kind.LINE, "Title", required=True, max_length=200),
            _text("evidence", "Evidence", "The evidence that establishes it (G8.22(b)(ii), "
                  "(c)(ii)).", rows=4),
            Input("files", Kind.FILES, "Evidence files", "Up to 20 MB each; the SHA-256 of "
                  "each is kept (G8.22(b)(ii)).", flag="--file")),
        done="Finding {result.number} recorded in the draft report (G8.22).",
        note="Only you see the findings until the report is issued (G8.22-G8.23)."),
    Declaration(
        Act.ATTACH_EVIDENCE, ASSESSORS, frozenset({Stage.BOOKED}), None, "G8.22",
        "Attach evidence to a finding", g9="G9.19", subject="finding", api_on="finding",
        page="attach-evidence", api="evidence", cli="attach-evidence", result="evidence",
        created=True, requires=(REPORTED,), button="Attach the file", inputs=(
            Input("file", Kind.FILE, "Evidence file", "Up to 20 MB; its SHA-256 is kept "
                  "(G8.22(b)(ii)).", required=True),),
        done="Evidence {result.name} attached (SHA-256 {result.sha256:.12}...)."),
    Declaration(
        Act.SHARE_DRAFT, ASSESSORS, frozenset({Stage.BOOKED}), None, "G8.22",
        "Share the draft report with the party", g9="G9.19", page="share-draft",
        api="share-draft", cli="share-draft", requires=(REPORTED,),
        button="Share the draft", inputs=(
            Input("reason", Kind.LINE, "Note (journaled)", max_length=500),),
        done="Draft shared with the party's own people, to discuss before issue (G8.22).",
        note="The party's own people then see the draft findings, marked DRAFT, and may comment; "
             "nobody else does until the report is issued (G8.22-G8.23)."),
    Declaration(
        Act.COMMENT_ON_DRAFT, PARTY_SIDE, frozenset({Stage.BOOKED}), None, "G8.22",
        "Comment on the draft report", g9="G9.19", page="comment-on-draft",
        api="draft-comments", cli="comment-on-draft", requires=(REPORTED,),
        created=True, inputs=(
            Input("finding", Kind.LINE, "Finding number", "Left empty, the comment is on the "
                  "draft as a whole.", max_length=6),
            _text("comment", "Comment", "Your view of the draft, for the assessor (G8.22).")),
        done="Comment on the draft sent to the assessor (G8.22)."),
    Declaration(
        Act.ISSUE_REPORT, ASSESSORS, frozenset({Stage.BOOKED}), Stage.REPORT_ISSUED,
        "G8.23", "Issue the report", g9="G9.20", page="issue-report", api="issue-report",
        cli="issue-report", requires=(REPORTED,), inputs=(
            _text("summary", "Findings on all matters in scope", "G8.22(a)", rows=5),
            _date("fieldwork_end", "Fieldwork ended", "The assessment is complete on this "
                  "date.", prefill="fieldwork_end")),
        done="Report issued to the SSC and the party (G8.23) and to any Shared Resource Users "
             "(G10.8(a)).",
        note="Issuing sends the report to the SSC and the party; for a Shared Resource "
             "Provider also to each Shared Resource User (G10.8(a))."),
    Declaration(
        Act.SET_RESPONSE_DUE, frozenset({SSC}), frozenset({Stage.REPORT_ISSUED}), None,
        "G8.24", "Set the date the response is due", g9="G9.21", page="set-response-due",
        api="response-due", cli="response-due", inputs=(
            _date("response_due", "Response due by", "G8.24: the date the SSC specifies.",
                  required=True, positional=True, form_name="due"),),
        done="Response due by {d[response_due]:%d %B %Y} (G8.24)."),
    Declaration(
        Act.SUBMIT_RESPONSE, PARTY_SIDE, frozenset({Stage.REPORT_ISSUED}),
        Stage.RESPONSE_SUBMITTED, "G8.24", "Submit the response", g9="G9.21", page="respond",
        api="submit-response", cli="respond", error_field="answers", inputs=(
            Input("answers", Kind.ANSWERS, "Answers", "Every finding accepted or disputed with "
                  "reasons (G8.26(a)), the steps taken or proposed (G8.26(b)) and a date for "
                  "each step not yet taken (G8.26(c)).", required=True),
            _text("summary", "Summary of the response", required=False)),
        done="Response submitted to the SSC and the assessor (G8.24(b))."),
    Declaration(
        Act.ACCEPT_PLAN, frozenset({SSC}), frozenset({Stage.RESPONSE_SUBMITTED}),
        Stage.PLAN_AGREED, "G8.27(a)", "Accept the steps and timetable", g9="G9.24(a)",
        page="accept-plan", api="accept-plan", cli="accept-plan",
        inputs=(_reason("Note (optional)", required=False),),
        done="Steps and timetable accepted: they now bind the party (G8.27(a), G8.28)."),
    Declaration(
        Act.PROPOSE_ALTERNATIVE, frozenset({SSC}),
        frozenset({Stage.RESPONSE_SUBMITTED, Stage.COUNTER_PROPOSED}),
        Stage.ALTERNATIVE_PROPOSED, "G8.27(b)", "Propose other steps or dates", g9="G9.24(b)",
        page="propose-alternative", api="propose-alternative", cli="propose-alternative",
        error_field="steps", inputs=(
            Input("steps", Kind.STEPS, "Other steps", "For each finding named, the steps the "
                  "SSC proposes instead of the party's, each with a date (G8.27(b)).",
                  required=True),
            _reason("Why these are more appropriate")),
        done="Other steps or dates proposed to the party (G8.27(b))."),
    Declaration(
        Act.AGREE_ALTERNATIVE, PARTY_SIDE, frozenset({Stage.ALTERNATIVE_PROPOSED}),
        Stage.PLAN_AGREED, "G8.28", "Agree the SSC's steps and dates", g9="G9.25",
        page="agree-alternative", api="agree-alternative", cli="agree-alternative",
        done="You agreed the SSC's steps and dates: the plan now binds you (G8.28).",
        note="Agreeing replaces your steps for those findings with the SSC's."),
    # G8.27(b): the SSC "seek[s] to agree" with the party: the party may propose back, the SSC
    # agree that, or propose again, until agreed, or record that agreement failed.
    Declaration(
        Act.COUNTER_PROPOSE, PARTY_SIDE, frozenset({Stage.ALTERNATIVE_PROPOSED}),
        Stage.COUNTER_PROPOSED, "G8.27(b)", "Propose other steps or dates back",
        g9="G9.24(b)", page="counter-propose", api="counter-propose", cli="counter-propose",
        error_field="steps", inputs=(
            Input("steps", Kind.STEPS, "Your steps", "For each finding named, the steps you "
                  "propose instead of the SSC's, each with a date (G8.27(b)).",
                  required=True),
            _reason("Why you do not agree the SSC's steps")),
        done="Your steps and dates were sent back to the SSC (G8.27(b)).",
        note="The SSC may agree them, or propose again."),
    Declaration(
        Act.AGREE_COUNTER_PROPOSAL, frozenset({SSC}), frozenset({Stage.COUNTER_PROPOSED}),
        Stage.PLAN_AGREED, "G8.28", "Agree the party's steps and dates", g9="G9.25",
        page="agree-counter-proposal", api="agree-counter-proposal",
        cli="agree-counter-proposal", inputs=(_reason("Note (optional)", required=False),),
        done="The party's steps and dates are agreed: the plan now binds it (G8.28)."),
    Declaration(
        Act.RECORD_NO_AGREEMENT, frozenset({SSC}), _SEEKING, Stage.NOT_AGREED, "G8.27(b)",
        "Record that no agreement was reached", g9="G9.24(b)", page="record-no-agreement",
        api="no-agreement", cli="no-agreement", inputs=(
            _reason("What could not be agreed", rows=3),
            Input("refer", Kind.LINE, "Refer as a possible Event of Default", "Optional: the "
                  "obligations of G3 to G6 (G2, G4 to G6 for the DCC) not complied with, to "
                  "refer the matter to the Panel (G8.54-G8.57), e.g. G5.14.", max_length=200)),
        done=lambda d, result: "No agreement recorded (G8.27(b))" + (
            "; referred to the Panel as a possible Event of Default (G8.57)." if d["refer"]
            else ".")),
    Declaration(
        Act.REPORT_PROGRESS, PARTY_SIDE, frozenset({Stage.PLAN_AGREED}), None, "G8.28(b)",
        "Report progress, completion or failure", g9="G9.25(b)", page="report-progress",
        api="progress", cli="progress", result="progress_report", created=True, inputs=(
            Input("kind", Kind.CHOICE, "Report", "progress, completion or failure "
                  "(G8.28(b)(i)-(iii))", required=True, choices="progress_kinds", radio=True,
                  initial="progress"),
            Input("step", Kind.RECORD, "Agreed step", "Required for a completion or a "
                  "failure.", record="step", choices="open_steps"),
            _text("text", "What was done (or, for a failure, why)", "G8.28(b)(iii): give the "
                  "reasons for a failure."),
            _date("on", "Completed on", "For a completion; today if empty.")),
        done="Report sent to the SSC (G8.28(b)) and to any Shared Resource Users (G10.8(d))."),
    Declaration(
        Act.SET_PROGRESS_INTERVAL, frozenset({SSC}), frozenset({Stage.PLAN_AGREED}), None,
        "G8.28(b)(i)", "Set when progress is reported", g9="G9.25(b)(i)",
        page="set-progress-interval", api="progress-interval", cli="progress-interval",
        inputs=(Input("days", Kind.INT, "Every (days)", "G8.28(b)(i): how often the party "
                      "reports progress.", required=True, low=1, high=366, positional=True),),
        done="Progress to be reported every {d[days]} days (G8.28(b)(i))."),
    Declaration(
        Act.REQUEST_FOLLOW_UP, frozenset({SSC}), frozenset({Stage.PLAN_AGREED}), None, "G8.29",
        "Request a Follow-up", g9="G9.26", page="request-follow-up", api="follow-up",
        cli="follow-up", created=True, pending=lambda f: f.category not in FOLLOW_UPS,
        inputs=(_date("by", "Follow-up by", "G8.29: the date the SSC specifies.",
                      required=True),
                _reason("What it should check", required=False, help="G8.29(a)-(b)")),
        done="Follow-up requested by {d[by]:%d %B %Y} and booked (G8.29)."),
    Declaration(
        Act.SET_ASSURANCE_STATUS, frozenset({PANEL}), _AFTER_RESPONSE, None, "G8.35",
        "Set the assurance status", page="set-assurance-status", api="assurance-status",
        cli="set-assurance-status", requires=(ENTRY, STATUS_UNSET), delegates=frozenset({SSC}),
        inputs=(
            Input("status", Kind.CHOICE, "Assurance status", "approved, approved_subject_to, "
                  "deferred or rejected (G8.36)", required=True, choices=_ASSURANCE_STATUSES,
                  radio=True, positional=True),
            _reason("The Panel's reasons", help="Having regard to the SSC's advice (G8.35).",
                    rows=3),
            _date("follow_up_by", "Follow-up by", "Only with 'approved, subject to': a "
                  "Follow-up by this date (G8.36(b)(ii)).")),
        done=_status_done),
    Declaration(
        Act.CONFIRM_FOLLOW_UP_SATISFIES, frozenset({PANEL}), _AFTER_RESPONSE, None,
        "G8.36(c)(ii)", "Confirm the Follow-up shows the steps were taken",
        page="confirm-follow-up", api="follow-up-satisfies", cli="follow-up-satisfies",
        requires=(DEFERRED, NOT_CONFIRMED, FOLLOW_UP_REPORTED), inputs=(_reason(),),
        done="The Panel is satisfied: user entry requirements met (G8.37(a)(ii))."),
    Declaration(
        Act.SET_COMPLIANCE_STATUS, frozenset({SSC}), _AFTER_RESPONSE, None, "G7.20",
        "Set the compliance status", page="set-compliance-status", api="compliance-status",
        cli="set-compliance-status", requires=(COMPLIANCE,), inputs=(
            Input("status", Kind.CHOICE, "Compliance status", "A compliance status code, e.g. "
                  "compliant (G7.20)", required=True, choices="compliance_statuses",
                  radio=True, positional=True),
            _reason("The SSC's reasons"),
            Input("replaces", Kind.LINE, "Replaces", "The compliance status this decision "
                  "replaces, as you saw it (G7.20): needed once one is set; if another was set "
                  "since, the decision is refused (409) rather than overwriting it.",
                  max_length=40, prefill="compliance_status.code", hidden=True)),
        done=lambda d, result: f"Compliance status set: {result.compliance_status.label}."),
    Declaration(
        Act.RECORD_DCC_OUTCOME, frozenset({SSC}), _AFTER_RESPONSE, None, "G9.29",
        "Record the non-compliances (or none)", page="record-dcc-outcome", api="dcc-outcome",
        cli="dcc-outcome", requires=(DCC_FULL_ONLY,),
        pending=lambda f: not f.dcc_outcome_recorded, inputs=(
            Input("outcome", Kind.CHOICE, "Outcome", "none or specific (G9.29-G9.30)",
                  required=True, radio=True, positional=True, choices=(
                      ("none", "No non-compliances (G9.29(a))"),
                      ("specific", "Specific non-compliances to address (G9.29(b), G9.30)"))),
            Input("findings", Kind.RECORDS, "Non-compliances to address", "The findings the "
                  "DCC must address (G9.30), by id.", record="finding", choices="findings",
                  flag="--finding"),
            _reason("The SSC's reasons")),
        done="DCC outcome recorded; the Panel is told (G9.29-G9.31)."),
    Declaration(
        Act.SUBMIT_REMEDIATION_PLAN, PARTY_SIDE, _AFTER_RESPONSE, None, "G8.28",
        "Submit a Remediation Plan and Director's Letter", g9="G9.25",
        page="submit-remediation-plan", api="remediation-plans", cli="remediation-plan",
        result="plan", created=True, requires=(PLAN_ANSWERS_COMPLIANCE, NO_PLAN_WAITING),
        inputs=(
            _text("plan", "Planned actions and timescales", rows=4),
            Input("director_name", Kind.LINE, "Director", required=True, max_length=200),
            _text("director_statement", "Director's signed commitment", rows=2),
            Input("letter", Kind.FILE, "Director's Letter (file)")),
        done="Remediation Plan and Director's Letter submitted to the SSC."),
    Declaration(
        Act.DECIDE_REMEDIATION_PLAN, frozenset({SSC}), _AFTER_RESPONSE, None, "G8.27",
        "Approve or send back the Remediation Plan", g9="G9.24", subject="plan",
        api_on="plan", page="decide-plan", api="decide", cli="decide-plan", result="plan",
        inputs=(
            Input("approve", Kind.BOOL, "Decision", required=True, form_name="decision",
                  radio=True, choices=(("approve", "Approve the plan"),
                                       ("send_back", "Send it back"))),
            _text("comment", "Comment", "Required when the plan is sent back.",
                  required=False, rows=2)),
        done=lambda d, result: "Remediation Plan " + (
            "approved." if d["approve"] else "sent back to the party.")),
    Declaration(
        Act.SUBMIT_SELF_ASSESSMENT, PARTY_SIDE, frozenset({Stage.BOOKED}), Stage.SSA_SUBMITTED,
        "G8.50(b)", "Submit the self-assessment", page="submit-self-assessment",
        api="submit-self-assessment", cli="submit-self-assessment", requires=(SELF_ASSESSED,),
        inputs=(_text("outcome", "Outcome of the self-assessment", "G8.50(b): documented and "
                      "submitted for review.", rows=4),),
        done="Self-assessment submitted for the assessor's review (G8.50(b))."),
    Declaration(
        Act.REVIEW_SELF_ASSESSMENT, frozenset({CIO}), frozenset({Stage.SSA_SUBMITTED}),
        Stage.SSA_REVIEWED, "G8.18", "Review the self-assessment",
        page="review-self-assessment", api="review-self-assessment",
        cli="review-self-assessment",
        inputs=(_text("review", "Review of the self-assessment", "G8.18: the User CIO's "
                      "review."),),
        done="Review recorded; the SSC is told (G8.18)."),
    Declaration(
        Act.NOTE_SELF_ASSESSMENT, frozenset({SSC}), frozenset({Stage.SSA_REVIEWED}),
        Stage.SSA_NOTED, "G7.20", "Note the self-assessment", page="note-self-assessment",
        api="note-self-assessment", cli="note-self-assessment",
        inputs=(_text("note", "Note (optional)", required=False, rows=2),),
        done="Self-assessment noted."),
    Declaration(
        Act.RECORD_APPEAL, PARTY_SIDE, _ANYONE_AFTER_REPORT, None, "G8.39", "Record an appeal",
        g9="G9.33", subject="decision", page="appeal", api="appeals", cli="appeal",
        result="appeal", created=True, error_field="decision", inputs=(
            Input("decision", Kind.RECORD, "Decision appealed", "The Panel's assurance status "
                  "(G8.39) or the SSC's decision on a DCC assessment (G9.33), by id.",
                  required=True, record="decision"),
            _text("grounds", "Grounds of appeal")),
        done=lambda d, result: f"Appeal to {result.get_to_display()} recorded."),
    # SECAS records the Authority's determination (G8.39, G9.33); the Panel its own on the
    # DCC's appeal of the SSC's decision (G9.33). Where it changes the decision, the status
    # the decision set changes with it.
    Declaration(
        Act.RECORD_APPEAL_DETERMINATION, frozenset({SECAS, PANEL}), _ANYONE_AFTER_REPORT, None,
        "G8.39", "Record the determination of an appeal", g9="G9.33",
        page="appeal-determination", api="appeal-determinations", cli="appeal-determination",
        result="appeal", error_field="appeal", requires=(APPEAL_WAITING,),
        pending=lambda f: f.appeal_waiting, inputs=(
            Input("appeal", Kind.RECORD, "Appeal", "The appeal determined, by id.",
                  required=True, record="appeal", choices="open_appeals"),
            Input("determination", Kind.CHOICE, "Determination", "upheld, dismissed or varied "
                  "(G8.39: final and binding)", required=True, radio=True, choices=(
                      ("upheld", "Upheld: the decision appealed is replaced"),
                      ("dismissed", "Dismissed: the decision stands"),
                      ("varied", "Varied: the decision is changed"))),
            Input("value", Kind.LINE, "Status as determined", "With 'upheld' or 'varied': the "
                  "status the determination gives: an assurance status (approved, "
                  "approved_subject_to, deferred, rejected; G8.36), or for the DCC's "
                  "non-compliances none or specific (G9.29).", max_length=60),
            _date("determined_on", "Determined on", "The date of the determination; today if "
                  "empty."),
            _reason("The reasons given", rows=3)),
        done=lambda d, result: f"Appeal {result.get_determination_display().lower()}"
                               + (f": the status is now {result.value}." if result.value
                                  else ": the decision stands.")),
    # also on an initial FUSA recorded from history: its provider still needs the approval
    Declaration(
        Act.APPROVE_TRIAGE, frozenset({SSC}), _AFTER_RESPONSE | {Stage.RECORDED}, None,
        "G12.7(b)", "Approve the start of Triage Activities", page="approve-triage",
        api="triage-approval", cli="approve-triage", requires=(TRIAGE_PROVIDER, SUBJECT_TO),
        pending=lambda f: not f.triage_approved, inputs=(_reason(),),
        done="Triage Activities approved (G12.7(b))."),
    # the determination follows the assessment (a completed one, or one recorded from history)
    Declaration(
        Act.DETERMINE_NEXT_CATEGORY, frozenset({SSC}),
        frozenset(Stage) - {Stage.BOOKED, Stage.CANCELLED}, None, "G12.8",
        "Determine the category of the next assessment", page="determine-next-category",
        api="next-category", cli="determine-next-category", requires=(TRIAGE_CYCLE,),
        inputs=(Input("category", Kind.CHOICE, "Category of the next assessment",
                      "FUSA, VUSA or SSA (G12.8(c))", required=True, radio=True,
                      positional=True, choices=(
                          ("FUSA", "Full User Security Assessment (G12.8(c)(i))"),
                          ("VUSA", "Verification User Security Assessment (G12.8(c)(ii))"),
                          ("SSA", "User Security Self-Assessment (G12.8(c)(iii))"))),
                _reason("The SSC's reasons: the risks found during or since this assessment "
                        "and the volume of Devices triaged (G12.8(a)-(b))")),
        done=lambda d, result: "The next assessment will be a "
                               f"{result.get_ssc_next_category_display()} (G12.8)."),
)

#: Who may take each action, when, and under which clause (the declarations' first half).
RULES: dict[Act, Rule] = {act: d.rule for act, d in ACTIONS.items()}


def _g9_map() -> dict[str, str]:
    clauses: dict[str, str] = {}
    for d in ACTIONS.values():
        if d.g9:
            assert clauses.setdefault(d.clause, d.g9) == d.g9, f"{d.clause}: two G9 clauses"
    return clauses


#: The same step of the flow for the DCC's own assessments (G9.3(b), G9.19-G9.33).
G9: dict[str, str] = _g9_map()


def dcc_clause(clause: str) -> str:
    """The G9 counterpart of a clause of G8, for the DCC's own assessments (else the clause)."""
    return G9.get(clause, clause)


# --- Events of Default (G8.54-G8.60, G9.34-G9.41): the steps after the SSC's referral -----------

class DefaultStep(StrEnum):
    """The structured steps of an Event of Default recorded after the SSC's referral (G8.57)
    and besides the Panel's determination (G8.58) and its approval of a remedial action plan
    (G8.60), which the referral itself records."""

    INVESTIGATION = "investigation"        # G8.56: the SSC investigates under M8.3
    ADVICE_REQUESTED = "advice_requested"  # G8.59: the Panel asks the SSC's advice on M8.4
    ADVICE = "advice"                      # G8.59: the SSC advises
    REMEDIED = "remedied"                  # G8.58(b), M8.4: the party has taken the steps
    CLOSED = "closed"                      # the Panel closes the matter


@dataclass(frozen=True)
class DefaultStepRule:
    """Who records a step of an Event of Default, when, and under which clause (its G9
    counterpart for the DCC). `when`: 'undecided' (before the Panel's determination),
    'default' (after it determined an Event of Default), 'decided' (after any determination);
    `after`: a step that must already be recorded."""

    step: DefaultStep
    who: frozenset[PersonKind]
    clause: str
    g9: str
    label: str
    when: str
    after: DefaultStep | None = None
    once: bool = False

    def clause_for(self, dcc: bool) -> str:
        return self.g9 if dcc else self.clause


DEFAULT_STEPS: dict[DefaultStep, DefaultStepRule] = {r.step: r for r in (
    DefaultStepRule(DefaultStep.INVESTIGATION, frozenset({SSC}), "G8.56", "G9.37",
                    "The SSC's investigation (M8.3)", "undecided"),
    DefaultStepRule(DefaultStep.ADVICE_REQUESTED, frozenset({PANEL}), "G8.59", "G9.40",
                    "The Panel asks the SSC's advice on the steps (M8.4)", "default"),
    DefaultStepRule(DefaultStep.ADVICE, frozenset({SSC}), "G8.59", "G9.40",
                    "The SSC's advice on the steps (M8.4)", "default",
                    after=DefaultStep.ADVICE_REQUESTED),
    DefaultStepRule(DefaultStep.REMEDIED, PARTY_SIDE, "G8.58(b)", "G9.39(b)",
                    "The party reports the steps taken (M8.4)", "default"),
    DefaultStepRule(DefaultStep.CLOSED, frozenset({PANEL}), "G8.58(b)", "G9.39(b)",
                    "The Panel closes the matter", "decided", once=True),
)}


def default_step_refusal(step: DefaultStep, determined: bool | None,
                         recorded: frozenset[DefaultStep]) -> str | None:
    """Why `step` cannot be recorded on an Event of Default whose Panel determination is
    `determined` (None: not yet) and with the steps `recorded` already (None if it can)."""
    rule = DEFAULT_STEPS[step]
    if DefaultStep.CLOSED in recorded:
        return "the Panel has closed this matter"
    if rule.when == "undecided" and determined is not None:
        return f"{rule.label}: only before the Panel determines it ({rule.clause})"
    if rule.when == "default" and determined is not True:
        return f"{rule.label}: only once the Panel has determined an Event of Default (G8.58)"
    if rule.when == "decided" and determined is None:
        return f"{rule.label}: only once the Panel has determined it (G8.58)"
    if rule.after is not None and rule.after not in recorded:
        return f"{rule.label}: only after {DEFAULT_STEPS[rule.after].label.lower()}"
    if rule.once and step in recorded:
        return f"{rule.label}: already recorded"
    return None


class WorkflowError(Exception):
    """An action that cannot be taken now, or by this person; the message says why."""


def check(act: Act, kind: PersonKind | None, stage: Stage | None,
          delegated: bool = False) -> Rule:
    """The rule for `act`, if a person of `kind` may take it at `stage` (`delegated`: while the
    action is delegated to the body of `kind`); WorkflowError if not."""
    rule = RULES[act]
    if not rule.allows(kind, delegated):
        who = ", ".join(sorted(k.label for k in rule.who))
        raise WorkflowError(f"{rule.label}: only {who} may do this ({rule.clause}).")
    if rule.stages and stage not in rule.stages:
        now = stage.label.lower() if stage else "not started"
        raise WorkflowError(f"{rule.label}: not possible while the assessment is {now}.")
    return rule


def available(kind: PersonKind | None, stage: Stage, delegated: bool = False) -> list[Act]:
    """The actions a person of `kind` could take at `stage` (before any other checks)."""
    return [act for act, rule in RULES.items()
            if rule.allows(kind, delegated) and stage in rule.stages]


def refusal(act: Act, facts: Facts) -> str | None:
    """Why the Code does not allow `act` on an assessment with these facts (None if it does)."""
    return next((c.refusal for c in ACTIONS[act].requires if not c.holds(facts)), None)


def offered(act: Act, facts: Facts) -> bool:
    """Whether a page offers `act` on an assessment with these facts: the Code allows it and
    it is still to do (a status not yet set, an approval not yet given)."""
    pending = ACTIONS[act].pending
    return refusal(act, facts) is None and (pending is None or pending(facts))
