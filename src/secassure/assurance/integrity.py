"""Evidence integrity: a stored file is served only while it has the SHA-256 recorded when it
was uploaded.

Evidence files are what findings rest on (G8.22(b)(ii)) and a Director's Letter is a
director's signed commitment to a Remediation Plan; each was hashed when uploaded. Every
download (page or API) hashes the stored file again: a file that is missing or altered is
refused, never served as if valid, and the refusal is journaled ("evidence file failed its
integrity check") so SECAS learns of it. The assessment page says so next to the file,
from a cheaper check that hashes a file again only when its size or modification time moved.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile

from secassure.code.classification import Classification
from secassure.code.workflow import ACTIONS, Act
from secassure.core.journal.services import record

from .models import EvidenceFile, RemediationPlan
from .models.findings import MISSING, FileCheck, open_checked

#: The journal's names for a refused download (their words: core/journal/words.py).
EVIDENCE_FAILED = "assurance.evidence_failed_check"
LETTER_FAILED = "assurance.letter_failed_check"

#: Files the page found intact, by (path, size, modification time): hashed again only when
#: one of these moves. Bounded; a download always hashes the whole file.
_INTACT: dict[tuple[str, int, int], str] = {}
_INTACT_LIMIT = 10_000
_LOCK = threading.Lock()


def upload_sha256(upload: UploadedFile) -> str:
    """The SHA-256 of an uploaded file (read in chunks, then rewound for storing)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def open_evidence(user: Any, evidence: EvidenceFile) -> tuple[FileCheck, IO[bytes] | None]:
    """The evidence file to serve to `user`, checked whole against its SHA-256; if it is
    missing or altered, no file, and the refusal journaled."""
    check, handle = evidence.open_checked()
    if not check.intact:
        assessment = evidence.finding.assessment
        _journal(user, EVIDENCE_FAILED, assessment, check, evidence.classification,
                 ACTIONS[Act.ATTACH_EVIDENCE].clause,
                 f"evidence file {evidence.name} of finding {evidence.finding.number}",
                 evidence=evidence.pk, finding=evidence.finding.number, file=evidence.name)
    return check, handle


def open_letter(user: Any, plan: RemediationPlan) -> tuple[FileCheck, IO[bytes] | None]:
    """The Director's Letter to serve to `user`, checked as evidence is."""
    check, handle = plan.open_checked()
    if not check.intact:
        _journal(user, LETTER_FAILED, plan.assessment, check, plan.classification,
                 ACTIONS[Act.SUBMIT_REMEDIATION_PLAN].clause,
                 f"Director's Letter of Remediation Plan {plan.pk}", plan=plan.pk,
                 file=letter_name(plan))
    return check, handle


def letter_name(plan: RemediationPlan) -> str:
    return plan.director_letter.name.rsplit("/", 1)[-1]


def _journal(user: Any, action: str, assessment: Any, check: FileCheck,
             classification: str, clause: str, what: str, **details: Any) -> None:
    record(user, action, clause=clause, reason=f"{what}: {check.describe()}; not served",
           party=assessment.party, subject=f"assessment:{assessment.pk}",
           details={"problem": check.problem, "sha256": check.expected,
                    "found": check.found, **details},
           classification=Classification(classification))


def page_checks(evidence: Iterable[EvidenceFile],
                plans: Iterable[RemediationPlan]) -> None:
    """Mark each file an assessment page lists with `integrity`, its check (journaling
    nothing: the page only reads), for the page to say which failed."""
    for item in evidence:
        item.integrity = _quick(item.file, item.sha256)
    for plan in plans:
        plan.integrity = _quick(plan.director_letter, plan.letter_sha256) \
            if plan.director_letter else None


def _quick(stored: Any, sha256: str) -> FileCheck:
    """The check of a stored file, hashing it whole only when its size or modification time
    changed since it was last found intact."""
    try:
        path = stored.path
        status = os.stat(path)
    except NotImplementedError:  # storage without local paths: hash it
        check, handle = open_checked(stored, sha256)
        if handle is not None:
            handle.close()
        return check
    except (OSError, ValueError):
        return FileCheck(MISSING, sha256)
    key = (path, status.st_size, status.st_mtime_ns)
    if _INTACT.get(key) == sha256:
        return FileCheck(None, sha256, sha256)
    check, handle = open_checked(stored, sha256)
    if handle is not None:
        handle.close()
        with _LOCK:
            if len(_INTACT) >= _INTACT_LIMIT:
                _INTACT.clear()
            _INTACT[key] = sha256
    return check
