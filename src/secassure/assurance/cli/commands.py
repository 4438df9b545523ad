"""The assessment commands, one per service, each taking what the API's action takes."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .runner import Command, Run, _fail, arg

COMMANDS: list[Command] = []


def command(name: str, help: str, *arguments, target: str | None = "assessment"):
    def register(handle):
        COMMANDS.append(Command(name, help, handle, arguments, target))
        return handle
    return register


def _json_file(path: str) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        _fail(f"{path}: cannot read: {error.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        _fail(f"{path}: not valid JSON: {error}")
    if not isinstance(document, dict):
        _fail(f"{path}: expected a JSON object, as the API takes")
    return document


def _upload(path: str):
    from django.core.files.uploadedfile import SimpleUploadedFile
    try:
        return SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    except OSError as error:
        _fail(f"{path}: cannot read: {error.strerror}")


REASON = arg("--reason", default="", help="why (journaled)")
DATE = "YYYY-MM-DD"


# --- Reading -------------------------------------------------------------------------------

@command("list", "the assessments you may see", arg("--party", help="party id"),
         arg("--stage"), arg("--category"), target=None)
def list_(run: Run, _, args):
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
def show(run: Run, assessment, args):
    return assessment


@command("export", "the assessment's full record as PDF or Word, for a meeting",
         arg("--format", choices=["pdf", "docx"], default="pdf"),
         arg("--output", required=True, help="file to write"))
def export(run: Run, assessment, args):
    from secassure.assurance import exports
    document = exports.outline(run.user, assessment)
    content = (exports.render_pdf(document) if args.format == "pdf"
               else exports.render_docx(document))
    Path(args.output).write_bytes(content)
    print(f"wrote {args.output} ({len(content)} bytes)", file=sys.stderr)
    return None


# --- Booking and the report (G8.22-G8.23, G8.40) --------------------------------------------

@command("book", "book an assessment of a party (G8.30(a)(i), G8.40; the DCC: G9.3(b))",
         arg("party", metavar="PARTY"), arg("category", metavar="CATEGORY"),
         arg("--roles", nargs="+", default=[], metavar="ROLE"),
         arg("--assessor", metavar="USERNAME"), arg("--fieldwork-start", metavar=DATE),
         arg("--fieldwork-end", metavar=DATE), arg("--due", metavar=DATE),
         arg("--dcc-trigger", default="", help="annual, material_change or requested"), REASON,
         target=None)
def book(run: Run, _, args):
    data = run.valid("BookInput", party=args.party, category=args.category, roles=args.roles,
                     assessor=args.assessor, fieldwork_start=args.fieldwork_start,
                     fieldwork_end=args.fieldwork_end, due=args.due,
                     dcc_trigger=args.dcc_trigger, reason=args.reason)
    party, category = data.pop("party"), data.pop("category")
    return run.services.book_assessment(run.user, party, category, **data)


@command("cancel", "SECAS cancels a booking (G8.40)", arg("--reason", required=True))
def cancel(run: Run, a, args):
    run.allow("CANCEL", a)
    data = run.valid("CancelInput", reason=args.reason)
    return run.services.cancel_booking(run.user, a, data["reason"])


@command("finding", "the assessor records a finding, with evidence files (G8.22(b)-(c))",
         arg("--kind", required=True), arg("--title", required=True),
         arg("--evidence", required=True), arg("--clause", default=""),
         arg("--file", dest="files", action="append", default=[], metavar="PATH"))
def finding(run: Run, a, args):
    run.allow("RECORD_FINDING", a)
    data = run.valid("FindingInput", kind=args.kind, title=args.title,
                     evidence=args.evidence, clause=args.clause)
    uploads = [_upload(path) for path in args.files]
    found = run.services.record_finding(run.user, a, kind=data["kind"], title=data["title"],
                                        evidence=data["evidence"], clause=data["clause"])
    for upload in uploads:
        run.services.attach_evidence(run.user, found, upload)
    return found


@command("issue-report", "the assessor issues the report (G8.23, G10.8(a))",
         arg("--summary", required=True), arg("--fieldwork-end", metavar=DATE))
def issue_report(run: Run, a, args):
    run.allow("ISSUE_REPORT", a)
    data = run.valid("IssueReportInput", summary=args.summary, fieldwork_end=args.fieldwork_end)
    return run.services.issue_report(run.user, a, **data)


# --- The response and the plan (G8.24-G8.29) ------------------------------------------------

@command("response-due", "the SSC sets the date the response is due (G8.24)",
         arg("due", metavar="YYYY-MM-DD"))
def response_due(run: Run, a, args):
    run.allow("SET_RESPONSE_DUE", a)
    data = run.valid("ResponseDueInput", response_due=args.due)
    return run.services.set_response_due(run.user, a, data["response_due"])


@command("respond", "the party submits its response from a JSON file, as the API takes it "
                    "(G8.24-G8.26)", arg("--file", required=True, metavar="ANSWERS.json"))
def respond(run: Run, a, args):
    from secassure.assurance.api.serializers import ResponseInput
    run.allow("SUBMIT_RESPONSE", a)
    data = run.valid("ResponseInput", **_json_file(args.file))
    return run.services.submit_response(run.user, a, ResponseInput.to_answers(data),
                                        summary=data["summary"])


@command("accept-plan", "the SSC accepts the steps and timetable (G8.27(a))", REASON)
def accept_plan(run: Run, a, args):
    run.allow("ACCEPT_PLAN", a)
    return run.services.accept_plan(run.user, a, run.valid("ReasonInput",
                                                           reason=args.reason)["reason"])


@command("propose-alternative", "the SSC proposes other steps or dates from a JSON file "
                                "(G8.27(b))", arg("--file", required=True, metavar="STEPS.json"))
def propose_alternative(run: Run, a, args):
    from secassure.assurance.api.serializers import ProposeAlternativeInput
    run.allow("PROPOSE_ALTERNATIVE", a)
    data = run.valid("ProposeAlternativeInput", **_json_file(args.file))
    return run.services.propose_alternative(run.user, a, ProposeAlternativeInput.to_steps(data),
                                            data["reason"])


@command("agree-alternative", "the party agrees the SSC's steps and dates (G8.28)")
def agree_alternative(run: Run, a, args):
    run.allow("AGREE_ALTERNATIVE", a)
    return run.services.agree_alternative(run.user, a)


@command("progress-interval", "the SSC sets how often progress is reported (G8.28(b)(i))",
         arg("days", metavar="DAYS"))
def progress_interval(run: Run, a, args):
    run.allow("SET_PROGRESS_INTERVAL", a)
    return run.services.set_progress_interval(run.user, a, run.valid(
        "ProgressIntervalInput", days=args.days)["days"])


@command("progress", "the party reports progress, a completion or a failure (G8.28(b))",
         arg("--kind", required=True, help="progress, completion or failure"),
         arg("--text", required=True), arg("--step", help="the step's id"),
         arg("--on", metavar=DATE, help="the day a step was completed"))
def progress(run: Run, a, args):
    run.allow("REPORT_PROGRESS", a)
    data = run.valid("ProgressInput", kind=args.kind, text=args.text, step=args.step,
                     on=args.on)
    return run.services.report_progress(run.user, a, **data)


@command("follow-up", "the SSC requests a Follow-up by a date (G8.29)",
         arg("--by", required=True, metavar="YYYY-MM-DD"), REASON)
def follow_up(run: Run, a, args):
    run.allow("REQUEST_FOLLOW_UP", a)
    data = run.valid("FollowUpInput", by=args.by, reason=args.reason)
    return run.services.request_follow_up(run.user, a, data["by"], data["reason"])
