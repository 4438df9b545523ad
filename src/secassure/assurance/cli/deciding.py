"""The decision commands: statuses, plans, appeals, triage, self-assessments, Events of
Default (G8.18, G8.34-G8.39, G8.50, G8.57-G8.60, G9.28-G9.33, G12.7)."""
from __future__ import annotations

from .commands import command
from .runner import Run, arg


@command("set-assurance-status", "the Panel sets the assurance status (G8.35-G8.36)",
         arg("status", metavar="STATUS"), arg("--reason", required=True),
         arg("--follow-up-by", metavar="YYYY-MM-DD"))
def set_assurance_status(run: Run, a, args):
    run.allow("SET_ASSURANCE_STATUS", a)
    data = run.valid("AssuranceStatusInput", status=args.status, reason=args.reason,
                     follow_up_by=args.follow_up_by)
    return run.services.set_assurance_status(run.user, a, data["status"], data["reason"],
                                              follow_up_by=data["follow_up_by"])


@command("follow-up-satisfies", "the Panel finds a Follow-up shows the steps were taken "
                                "(G8.36(c)(ii))", arg("--reason", required=True))
def follow_up_satisfies(run: Run, a, args):
    run.allow("CONFIRM_FOLLOW_UP_SATISFIES", a)
    return run.services.confirm_follow_up_satisfies(run.user, a, args.reason)


@command("set-compliance-status", "the SSC sets the compliance status (G7.20)",
         arg("status", metavar="CODE"), arg("--reason", required=True))
def set_compliance_status(run: Run, a, args):
    run.allow("SET_COMPLIANCE_STATUS", a)
    return run.services.set_compliance_status(run.user, a, args.status, args.reason)


@command("dcc-outcome", "the SSC records the DCC's non-compliances, or none (G9.29-G9.30)",
         arg("outcome", choices=["none", "specific"]), arg("--reason", required=True),
         arg("--finding", dest="findings", action="append", default=[], metavar="ID"))
def dcc_outcome(run: Run, a, args):
    run.allow("RECORD_DCC_OUTCOME", a)
    data = run.valid("DccOutcomeInput", outcome=args.outcome, reason=args.reason,
                     findings=args.findings)
    return run.services.record_dcc_outcome(run.user, a, data["outcome"], data["reason"],
                                           findings=data["findings"])


@command("remediation-plan", "the party submits a Remediation Plan and Director's Letter",
         arg("--plan", required=True), arg("--director-name", required=True),
         arg("--director-statement", required=True), arg("--letter", metavar="PATH"))
def remediation_plan(run: Run, a, args):
    from .commands import _upload
    run.allow("SUBMIT_REMEDIATION_PLAN", a)
    return run.services.submit_remediation_plan(
        run.user, a, plan=args.plan, director_name=args.director_name,
        director_statement=args.director_statement,
        letter=_upload(args.letter) if args.letter else None)


@command("decide-plan", "the SSC approves a Remediation Plan or sends it back",
         arg("--approve", action="store_true"), arg("--send-back", action="store_true"),
         arg("--comment", default=""), target="plan")
def decide_plan(run: Run, plan, args):
    from .runner import _fail
    if args.approve == args.send_back:
        _fail("say --approve or --send-back")
    run.allow("DECIDE_REMEDIATION_PLAN", plan.assessment)
    return run.services.decide_remediation_plan(run.user, plan, args.approve, args.comment)


@command("appeal", "the party appeals the Panel's status (G8.39) or the DCC the SSC's "
                   "decision (G9.33)", arg("--decision", required=True, metavar="ID"),
         arg("--grounds", required=True))
def appeal(run: Run, a, args):
    from .runner import _fail
    run.allow("RECORD_APPEAL", a)
    data = run.valid("AppealInput", decision=args.decision, grounds=args.grounds)
    if data["decision"].assessment_id != a.pk:
        _fail("decision: not a decision on this assessment")
    return run.services.record_appeal(run.user, data["decision"], data["grounds"])


@command("approve-triage", "the SSC approves the start of Triage Activities (G12.7(b))",
         arg("--reason", required=True))
def approve_triage(run: Run, a, args):
    run.allow("APPROVE_TRIAGE", a)
    return run.services.approve_triage(run.user, a, args.reason)


@command("submit-self-assessment", "the party submits its self-assessment (G8.50(b))",
         arg("--outcome", required=True))
def submit_self_assessment(run: Run, a, args):
    run.allow("SUBMIT_SELF_ASSESSMENT", a)
    return run.services.submit_self_assessment(run.user, a, args.outcome)


@command("review-self-assessment", "the User CIO reviews a self-assessment (G8.18)",
         arg("--review", required=True))
def review_self_assessment(run: Run, a, args):
    run.allow("REVIEW_SELF_ASSESSMENT", a)
    return run.services.review_self_assessment(run.user, a, args.review)


@command("note-self-assessment", "the SSC notes a reviewed self-assessment (G7.20)",
         arg("--note", default=""))
def note_self_assessment(run: Run, a, args):
    run.allow("NOTE_SELF_ASSESSMENT", a)
    return run.services.note_self_assessment(run.user, a, args.note)


@command("refer-default", "the SSC refers non-compliance to the Panel (G8.57)",
         arg("party", metavar="PARTY"), arg("--clauses", required=True),
         arg("--referral", required=True), arg("--assessment", metavar="ID"), target=None)
def refer_default(run: Run, _, args):
    from secassure.core.permissions import require
    from secassure.code.permissions import Action
    require(run.user, Action.REFER_EVENT_OF_DEFAULT)
    data = run.valid("ReferEventOfDefaultInput", party=args.party, clauses=args.clauses,
                     referral=args.referral, assessment=args.assessment)
    return run.services.refer_event_of_default(run.user, data.pop("party"), **data)


@command("decide-default", "the Panel decides whether it is an Event of Default (G8.58)",
         arg("--yes", action="store_true"), arg("--no", action="store_true"),
         arg("--reason", required=True), arg("--steps", default=""),
         arg("--affected", nargs="*", default=[], metavar="PARTY"), target="event")
def decide_default(run: Run, eod, args):
    from secassure.core.permissions import require
    from secassure.code.permissions import Action

    from .runner import _fail
    require(run.user, Action.DECIDE_EVENT_OF_DEFAULT)
    if args.yes == args.no:
        _fail("say --yes (an Event of Default) or --no")
    data = run.valid("DecideEventOfDefaultInput", is_event_of_default=args.yes,
                     reason=args.reason, steps=args.steps, affected=args.affected)
    return run.services.decide_event_of_default(run.user, eod, **data)


@command("approve-remedial-plan", "the Panel approves a remedial action plan (G8.60)",
         arg("--plan", required=True), target="event")
def approve_remedial_plan(run: Run, eod, args):
    data = run.valid("RemedialPlanInput", plan=args.plan)
    return run.services.approve_remedial_action_plan(run.user, eod, data["plan"])

