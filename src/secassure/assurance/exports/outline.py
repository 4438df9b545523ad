"""The outline of an assessment's record: sections of fields, texts and tables, in the order a
meeting reads them (scope, report, findings and evidence, response, steps, progress,
decisions, plans, appeals, Follow-ups, Events of Default, journal). Both the PDF and the Word
renderers print this outline and nothing else."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from secassure.code.classification import Classification
from secassure.code.roles import UserRole
from secassure.core.journal.words import describe

from .. import selectors
from ..models import Assessment
from ..selectors import AssessmentRecord


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    empty: str = ""  # what to print when the section holds nothing


@dataclass
class Outline:
    assessment: Assessment
    title: str
    classification: str
    classification_note: str
    generated: str
    reader: str
    sections: list[Section]


def when(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
        return f"{value.day} {value:%B %Y %H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _who(person) -> str:
    return person.get_username() if person else "—"


def _size(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{count} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(count)


def outline(user, assessment: Assessment) -> Outline:
    """The record of `assessment` as `user` may see it: the one record the page and the API
    show (`selectors.assessment_record`, every list through `visible_to`)."""
    a = selectors.assessments(user).get(pk=assessment.pk)
    record = selectors.assessment_record(user, a)
    findings = record.findings
    level = Classification(a.classification)
    sections = [_scope(a, selectors.decisions_withheld(user, a)), _report(a, findings),
                _response(a, findings), _steps(findings),
                _progress(a, record), _decisions(record), _plans(record), _appeals(record),
                _follow_ups(record), _defaults(record), _journal(record)]
    if a.category == "SSA":
        sections.insert(1, Section("Self-assessment (G8.18, G8.50)", fields=[
            ("Outcome documented by the party (G8.50(b))", a.self_assessment or "—"),
            ("Review by the User CIO (G8.18)", a.self_assessment_review or "—")]))
    return Outline(
        assessment=a, title=f"{a.get_category_display()}: {a.party.name or a.party.party_id} "
                            f"({a.party.party_id})",
        classification=level.value,
        classification_note=f"{level.value}: for {level.description}.",
        generated=when(timezone.now()), reader=user.get_username(), sections=sections)


def _scope(a: Assessment, decisions_withheld: bool = False) -> Section:
    roles = ", ".join(UserRole(r.role).label for r in a.roles.all()) or "—"
    fields = [("Reference", str(a.pk)), ("Party", f"{a.party.party_id} {a.party.name}"),
              ("Category", a.get_category_display()), ("Stage", a.get_stage_display()),
              ("User Roles covered (G8.30(a)(i))", roles),
              ("Assessor (G8.1)", _who(a.assessor)),
              ("Initial Full assessment of user entry (G8.33)", "yes" if a.initial else "no"),
              ("Due", when(a.due)), ("Fieldwork", f"{when(a.fieldwork_start)} to "
                                                  f"{when(a.fieldwork_end)}"),
              ("Completed", when(a.completed))]
    if a.follows_id:
        fields.append(("Follow-up of assessment (G8.29)", str(a.follows_id)))
    if a.dcc_trigger:
        fields.append(("Why the DCC is assessed (G9.3(b))", a.get_dcc_trigger_display()))
    status = [("Assurance status (G8.36)", a.get_assurance_status_display() or "—"),
              ("Status set", when(a.status_set)),
              ("Compliance status", a.compliance_status.label if a.compliance_status else "—"),
              ("Compliance status set", when(a.compliance_set))]
    if a.dcc_outcome:
        status.append(("DCC outcome (G9.29-G9.30)", a.get_dcc_outcome_display()))
    if a.triage_approved_on:
        status.append(("Triage Activities approved (G12.7(b))", when(a.triage_approved_on)))
    if a.follow_up_satisfied_on:
        status.append(("Follow-up satisfied the Panel (G8.36(c)(ii))",
                       when(a.follow_up_satisfied_on)))
    if decisions_withheld:  # G10.8: the provider's report reaches its Users, not its decisions
        status = []
    return Section("Scope and status", fields=fields + status)


def _report(a: Assessment, findings) -> Section:
    issued = (when(a.report_issued_at) if a.report_issued_at else
              "DRAFT, not issued" + (f" (shared with the party {when(a.draft_shared_at)}, G8.22)"
                                     if a.draft_shared_at else ""))
    section = Section("Report (G8.22-G8.23)", fields=[("Issued", issued)],
                      texts=[a.report_summary] if a.report_summary else [])
    for f in findings:
        child = Section(f"Finding {f.number}: {f.title}", fields=[
            ("Kind", f.get_kind_display()), ("Clause", f.clause or "—")],
            texts=[f"Evidence: {f.evidence}"])
        if f.visible_files:
            child.tables.append(Table(["Evidence file", "Size", "SHA-256", "Uploaded"], [
                [e.name, _size(e.size), e.sha256, f"{when(e.uploaded_at)} by "
                                                  f"{_who(e.uploaded_by)}"]
                for e in f.visible_files]))
        section.children.append(child)
    if not findings:
        section.texts.append("No findings." if a.report_issued_at else
                             "The report has not been issued.")
    return section


def _response(a: Assessment, findings) -> Section:
    rows = [[str(f.number), f.title,
             "accepted" if f.visible_answer.accepted else "disputed",
             f.visible_answer.reasons or "—"] for f in findings if f.visible_answer]
    return Section("Response (G8.24-G8.26)", fields=[
        ("Due (G8.24)", when(a.response_due)), ("Submitted", when(a.response_submitted_at))],
        texts=[a.response_summary] if a.response_summary else [],
        tables=[Table(["Finding", "Title", "Answer (G8.26(a))", "Reasons"], rows)] if rows
        else [])


def _steps(findings) -> Section:
    rows = [[str(f.number), st.description, st.get_status_display(), when(st.due),
             when(st.completed_on), st.failure_reason or "—"]
            for f in findings for st in f.visible_steps]
    return Section("Steps and timetable (G8.26(b)-(c), G8.27-G8.28)", tables=[Table(
        ["Finding", "Step", "Status", "Due", "Completed", "Failure (G8.28(b)(iii))"], rows)]
        if rows else [], empty="No steps.")


def _progress(a: Assessment, record: AssessmentRecord) -> Section:
    rows = [[when(p.reported_at), p.get_kind_display(), p.text, _who(p.reported_by)]
            for p in record.progress_in_order]
    return Section("Progress reports (G8.28(b))", fields=[
        ("Interval (G8.28(b)(i))", f"every {a.progress_interval_days} days"
         if a.progress_interval_days else "—"), ("Next due", when(a.next_progress_due))],
        tables=[Table(["Reported", "Kind", "Report", "By"], rows)] if rows else [])


def _decisions(record: AssessmentRecord) -> Section:
    rows = [[when(d.effective), d.get_kind_display(), d.value or "—", d.clause,
             d.reason or "—", _who(d.decided_by)
             + (f"; Follow-up by {when(d.follow_up_by)}" if d.follow_up_by else "")]
            for d in record.decisions]
    return Section("Decisions", tables=[Table(
        ["Effective", "Decision", "Value", "Clause", "Reasons", "By"], rows)] if rows else [],
        empty="No decisions.")


def _plans(record: AssessmentRecord) -> Section:
    section = Section("Remediation Plans and Director's Letters", empty="None submitted.")
    for p in record.plans:
        section.children.append(Section(
            f"Plan {p.pk}: {p.get_status_display()}", texts=[p.plan],
            fields=[("Director", p.director_name), ("Director's statement", p.director_statement),
                    ("Letter", "uploaded" if p.director_letter else "not uploaded"),
                    ("Submitted", f"{when(p.submitted_at)} by {_who(p.submitted_by)}"),
                    ("Decided", f"{when(p.decided_at)} by {_who(p.decided_by)}"
                     if p.decided_at else "—"), ("SSC comment", p.ssc_comment or "—")]))
    return section


def _appeals(record: AssessmentRecord) -> Section:
    rows = [[when(p.lodged_on), p.get_to_display(), p.decision.get_kind_display(), p.grounds,
             p.outcome or "pending", _who(p.lodged_by)]
            for p in record.appeals]
    return Section("Appeals (G8.39, G9.33)", tables=[Table(
        ["Lodged", "To", "Decision appealed", "Grounds", "Outcome", "By"], rows)] if rows
        else [], empty="No appeals.")


def _follow_ups(record: AssessmentRecord) -> Section:
    rows = [[str(f.pk), f.get_category_display(), f.get_stage_display(), when(f.due),
             when(f.completed)]
            for f in record.follow_ups]
    return Section("Follow-up Security Assessments (G8.29, G8.36(b)(ii))", tables=[Table(
        ["Reference", "Category", "Stage", "Due", "Completed"], rows)] if rows else [],
        empty="None requested.")


def _defaults(record: AssessmentRecord) -> Section:
    section = Section("Events of Default (G8.54-G8.60)", empty="None referred.")
    for e in record.defaults:
        decided = ("an Event of Default" if e.is_event_of_default else
                   "not an Event of Default" if e.is_event_of_default is False else "pending")
        section.children.append(Section(f"Referral {e.pk}: {e.clauses}", texts=[e.referral],
                                        fields=[("Referred", f"{when(e.referred_on)} by "
                                                             f"{_who(e.referred_by)}"),
                                                ("Panel's determination (G8.58)", decided),
                                                ("Panel's reasons", e.panel_reason or "—"),
                                                ("Steps (M8.4)", e.steps or "—"),
                                                ("Remedial plan approved (G8.60)",
                                                 when(e.remedial_plan_approved_on))]))
    return section


def _journal(record: AssessmentRecord) -> Section:
    """The journal, oldest first (a record for the papers of a meeting reads in order)."""
    rows = [[when(j.at), j.actor_label, describe(j), j.clause or "—",
             j.reason or "—"] for j in record.journal.reverse()]
    return Section("Journal", tables=[Table(["When", "Who", "What happened", "Clause", "Reason"],
                                            rows)] if rows else [],
                   empty="No journal entries you may see.")
