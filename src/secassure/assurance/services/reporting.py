"""The User Security Assessment Report (G8.22-G8.23, G9.19-G9.20, G10.8(a))."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from secassure.code.classification import PersonKind
from secassure.code.findings import check_finding
from secassure.code.roles import UserRole
from secassure.code.workflow import ACTIONS, Act, WorkflowError

from .. import notify
from ..models import Assessment, EvidenceFile, Finding
from .base import AssuranceError, begin, journal, move, performs, require_person

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@performs(Act.RECORD_FINDING)
def record_finding(user: Any, assessment: Assessment, *, kind: str, title: str, evidence: str,
                   clause: str = "", files: Iterable[UploadedFile] = ()) -> Finding:
    """The assessor records a finding of the draft report: for a Full assessment an actual or
    potential non-compliance with a clause of G3 to G6 that exists, for a Verification a
    material increase in security risk, each with its evidence (G8.22(b)-(c)). Files of
    evidence are attached with their SHA-256, all or nothing."""
    require_person(user, Act.RECORD_FINDING, assessment)
    files = list(files)
    for upload in files:
        _check_size(upload)
    triage = assessment.party.roles.filter(
        role=UserRole.TRIAGE_FACILITY_PROVIDER.value).exists()
    try:
        clause = check_finding(assessment.category, kind, clause, triage_provider=triage)
    except ValueError as error:
        raise AssuranceError(f"clause: {error}") from None
    if not title.strip():
        raise AssuranceError("title: say what the finding is")
    if not evidence.strip():
        raise AssuranceError("evidence: set out the evidence that establishes it (G8.22(b)(ii))")
    with transaction.atomic():
        assessment, rule = begin(user, Act.RECORD_FINDING, assessment)
        number = (assessment.findings.aggregate(n=Max("number"))["n"] or 0) + 1
        finding = Finding.objects.create(assessment=assessment, number=number, kind=kind,
                                         clause=clause, title=title.strip(),
                                         evidence=evidence.strip(),
                                         classification=assessment.classification)
        # The journal is read by more people than a draft report: it says that, not what.
        journal(user, assessment, Act.RECORD_FINDING, rule.clause,
                f"finding {number} recorded in the draft report", finding=number)
        for upload in files:
            _store(user, assessment, finding, upload)
    return finding


@performs(Act.ATTACH_EVIDENCE)
def attach_evidence(user: Any, finding: Finding, file: UploadedFile) -> EvidenceFile:
    """The assessor attaches a file of evidence to a finding of the draft report
    (G8.22(b)(ii)); its SHA-256 is recorded and journaled."""
    require_person(user, Act.ATTACH_EVIDENCE, finding.assessment)
    _check_size(file)
    with transaction.atomic():
        assessment, _ = begin(user, Act.ATTACH_EVIDENCE, finding.assessment)
        return _store(user, assessment, finding, file)


def _check_size(upload: UploadedFile) -> None:
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise AssuranceError(f"file: {upload.name} is larger than 20 MB")


def _store(user: Any, assessment: Assessment, finding: Finding,
           upload: UploadedFile) -> EvidenceFile:
    """The file stored with its SHA-256, and journaled (on the locked assessment)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = EvidenceFile.objects.create(
        finding=finding, file=upload, name=(upload.name or "evidence")[:200],
        sha256=digest.hexdigest(), size=upload.size, uploaded_by=user,
        classification=finding.classification)
    journal(user, assessment, Act.ATTACH_EVIDENCE, ACTIONS[Act.ATTACH_EVIDENCE].clause,
            f"evidence attached to finding {finding.number}", finding=finding.number,
            sha256=stored.sha256)
    return stored


@performs(Act.SHARE_DRAFT)
def share_draft(user: Any, assessment: Assessment, *, reason: str = "") -> Assessment:
    """The assessor shares the draft report with the party, to discuss it before issue
    (G8.22): from then on the party's own people see its findings, marked DRAFT, and may
    comment; nobody else does until it is issued (the Finding model's draft rule). Once."""
    require_person(user, Act.SHARE_DRAFT, assessment)
    with transaction.atomic():
        assessment, rule = begin(user, Act.SHARE_DRAFT, assessment)
        if assessment.draft_shared_at is not None:
            raise WorkflowError("the draft is already shared with the party (G8.22)")
        move(assessment, rule, draft_shared_at=timezone.now())
        journal(user, assessment, Act.SHARE_DRAFT, rule.clause,
                reason.strip()[:500] or "draft report shared with the party")
    return assessment


@performs(Act.COMMENT_ON_DRAFT)
def comment_on_draft(user: Any, assessment: Assessment, *, comment: str,
                     finding: str = "") -> Assessment:
    """The party's own people comment on a draft shared with them (G8.22), on one finding or on
    the draft as a whole. The comment is journaled; while the report is a draft the entry is,
    like the findings, for the drafters and the party only (`selectors.journal_entries`)."""
    require_person(user, Act.COMMENT_ON_DRAFT, assessment)
    if not comment.strip():
        raise AssuranceError("comment: say what you think of the draft")
    number: int | None = None
    if str(finding).strip():
        try:
            number = int(str(finding).strip())
        except ValueError:
            raise AssuranceError("finding: give the number of a finding of the draft") from None
    with transaction.atomic():
        assessment, rule = begin(user, Act.COMMENT_ON_DRAFT, assessment)
        if assessment.draft_shared_at is None:
            raise WorkflowError("the assessor has not shared the draft report with the party "
                                "(G8.22)")
        if number is not None and not assessment.findings.filter(number=number).exists():
            raise AssuranceError(f"finding: the draft has no finding {number}")
        journal(user, assessment, Act.COMMENT_ON_DRAFT, rule.clause, comment.strip()[:2000],
                finding=number)
    return assessment


@performs(Act.ISSUE_REPORT)
def issue_report(user: Any, assessment: Assessment, *, summary: str,
                 fieldwork_end: date | None = None) -> Assessment:
    """Issue the report to the SSC and the party (G8.23) and, for a Shared Resource
    Provider, to each of its Shared Resource Users (G10.8(a)). The assessment is complete at
    the end of its fieldwork."""
    require_person(user, Act.ISSUE_REPORT, assessment)
    if not summary.strip():
        raise AssuranceError("summary: set out the findings on all matters in scope (G8.22(a))")
    with transaction.atomic():
        assessment, rule = begin(user, Act.ISSUE_REPORT, assessment)
        end = fieldwork_end or assessment.fieldwork_end
        if end is None:
            raise AssuranceError("fieldwork_end: give the date fieldwork ended (the assessment "
                                 "is complete then)")
        issued = timezone.localdate()
        if end > issued:
            raise AssuranceError(f"fieldwork_end: {end:%d %B %Y} is after the report's issue date "
                                 f"({issued:%d %B %Y}): a report cannot be issued before "
                                 "fieldwork ends (G8.22)")
        start = assessment.fieldwork_start
        if start is not None and end < start:
            raise AssuranceError(f"fieldwork_end: {end:%d %B %Y} is before fieldwork started "
                                 f"({start:%d %B %Y})")
        move(assessment, rule, report_summary=summary.strip(), fieldwork_end=end, completed=end,
             report_issued_at=timezone.now())
        count = assessment.findings.count()
        journal(user, assessment, Act.ISSUE_REPORT, rule.clause,
                f"report with {count} finding{'' if count == 1 else 's'}", findings=count)
        transaction.on_commit(lambda: notify.assessment_event(
            assessment, "a security assessment report has been issued",
            kinds=[PersonKind.SSC_MEMBER, PersonKind.SECAS], include_resource_users=True))
    return assessment
