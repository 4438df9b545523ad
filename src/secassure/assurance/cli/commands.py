"""The assessment commands written out: reading (list, show, export) and Events of Default.
The workflow's actions are made from their declarations (`actions`)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from secassure.core.cli import party_id, write_output

from .runner import Command, Run, _fail, arg

#: The commands that read, and those of Events of Default.
READING: list[Command] = []
DEFAULTS: list[Command] = []


def command(name: str, help: str, *arguments: tuple, target: str | None = "assessment",
            into: list[Command] = READING) -> Any:
    def register(handle: Any) -> Any:
        into.append(Command(name, help, handle, arguments, target))
        return handle
    return register


# --- Reading -------------------------------------------------------------------------------

@command("list", "the assessments you may see", arg("--party", type=party_id, help="party id"),
         arg("--stage"), arg("--category"), target=None)
def list_(run: Run, _: Any, args: Any) -> Any:
    from secassure.assurance import selectors
    from secassure.assurance.api.assessments import AssessmentFilter
    filters = AssessmentFilter({"party": args.party or "", "stage": args.stage or "",
                                "category": args.category or ""},
                               queryset=selectors.assessments(run.user))
    if not filters.is_valid():
        field, errors = next(iter(filters.errors.items()))
        _fail(f"--{field}: {errors[0]}")
    return list(filters.qs)


@command("show", "one assessment's record, as far as you may see it")
def show(run: Run, assessment: Any, args: Any) -> Any:
    return assessment


@command("export", "the assessment's full record as PDF or Word, for a meeting",
         arg("--format", choices=["pdf", "docx"], default="pdf"),
         arg("--output", required=True, help="file to write"))
def export(run: Run, assessment: Any, args: Any) -> None:
    from secassure.assurance import exports
    document = exports.outline(run.user, assessment)
    content = (exports.render_pdf(document) if args.format == "pdf"
               else exports.render_docx(document))
    write_output(Path(args.output), content)
    print(f"wrote {args.output} ({len(content)} bytes)", file=sys.stderr)
    return None


# --- Events of Default (G8.57-G8.60): not workflow actions of an assessment --------------------

@command("refer-default", "the SSC refers non-compliance to the Panel (G8.57)",
         arg("party", metavar="PARTY"), arg("--clauses", required=True),
         arg("--referral", required=True), arg("--assessment", metavar="ID"), target=None,
         into=DEFAULTS)
def refer_default(run: Run, _: Any, args: Any) -> Any:
    from secassure.assurance.api.serializers import ReferEventOfDefaultInput
    from secassure.code.permissions import Action
    from secassure.core.permissions import require
    require(run.user, Action.REFER_EVENT_OF_DEFAULT)
    data = run.valid(ReferEventOfDefaultInput, party=args.party, clauses=args.clauses,
                     referral=args.referral, assessment=args.assessment)
    return run.services.refer_event_of_default(run.user, data.pop("party"), **data)


@command("decide-default", "the Panel decides whether it is an Event of Default (G8.58)",
         arg("--yes", action="store_true"), arg("--no", action="store_true"),
         arg("--reason", required=True), arg("--steps", default=""),
         arg("--affected", nargs="*", default=[], metavar="PARTY"), target="event",
         into=DEFAULTS)
def decide_default(run: Run, eod: Any, args: Any) -> Any:
    from secassure.assurance.api.serializers import DecideEventOfDefaultInput
    from secassure.code.permissions import Action
    from secassure.core.permissions import require
    require(run.user, Action.DECIDE_EVENT_OF_DEFAULT)
    if args.yes == args.no:
        _fail("say --yes (an Event of Default) or --no")
    data = run.valid(DecideEventOfDefaultInput, is_event_of_default=args.yes,
                     reason=args.reason, steps=args.steps, affected=args.affected)
    return run.services.decide_event_of_default(run.user, eod, **data)


@command("default-step", "a step of an Event of Default after the referral (G8.56, G8.58(b), "
         "G8.59)", arg("step", choices=["investigation", "advice_requested", "advice",
                                        "remedied", "closed"]),
         arg("--text", required=True), target="event", into=DEFAULTS)
def default_step(run: Run, eod: Any, args: Any) -> Any:
    from secassure.assurance.api.serializers import DefaultStepInput
    data = run.valid(DefaultStepInput, step=args.step, text=args.text)
    run.services.record_default_step(run.user, eod, **data)
    return eod


@command("approve-remedial-plan", "the Panel approves a remedial action plan (G8.60)",
         arg("--plan", required=True), target="event", into=DEFAULTS)
def approve_remedial_plan(run: Run, eod: Any, args: Any) -> Any:
    from secassure.assurance.api.serializers import RemedialPlanInput
    data = run.valid(RemedialPlanInput, plan=args.plan)
    return run.services.approve_remedial_action_plan(run.user, eod, data["plan"])
