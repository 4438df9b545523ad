"""Every change to the thresholds register and the quarantine desk: checked, atomic, journaled.

Users change their thresholds only by signed files (G6.6A): a file is applied after its
signature checks against the party's registered key and its identifier has never been applied
before; anything else is refused with the reason, recorded, and changes nothing.
"""
from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from secassure.adt.signing import SignatureError, verify
from secassure.code.adt_files import (
    EXIT_FORMAT,
    ExceptionLine,
    FileFormatError,
    SignedDocument,
    parse,
)
from secassure.code.roles import UserRole
from secassure.code.srv import load_srvs, zero_rule_violation
from secassure.core.journal.words import counted
from secassure.core.retry import retried
from secassure.registry.models import Party, UserId

from ..models import (
    CriticalTestStatus,
    QuarantinedCommunication,
    ServiceReferenceVariant,
    SignedSubmission,
    SigningKey,
    Threshold,
    ThresholdException,
)
from .base import (
    SubmissionRefused,
    journal,
    own_people,
    person_or_none,
)


@retried
def submit_signed_file(user: Any, content: bytes, signature: bytes) -> SignedSubmission:
    """Apply a signed threshold file or exit-quarantine instruction, or refuse it whole."""
    digest = hashlib.sha256(content).hexdigest()
    document, party = None, None
    try:
        document = parse(content)
        party = Party.objects.filter(party_id=document.party).first()
        if party is None:
            raise SubmissionRefused(f"party: no party has id {document.party!r}")
        _may_submit_for(user, party)
        key = _checked_key(party, content, signature)
        with transaction.atomic():
            if SignedSubmission.objects.filter(identifier=document.id,
                                               status=SignedSubmission.Status.APPLIED).exists():
                raise SubmissionRefused(f"id: the file {document.id!r} has already been applied; "
                                        "a replayed file is refused (G6.6A)")
            submission = SignedSubmission.objects.create(
                kind=_kind(document), identifier=document.id, party=party,
                content=content.decode("utf-8"), signature=signature.decode("ascii", "replace"),
                sha256=digest, key=key, status=SignedSubmission.Status.APPLIED,
                submitted_by=person_or_none(user))
            changed = (_apply_instructions(user, submission, document)
                       if document.format == EXIT_FORMAT
                       else _apply_thresholds(user, submission, document)
                       + _apply_exceptions(submission, document))
            journal(user, f"{submission.kind}.applied", "G6.6A",
                    f"signed file {document.id} applied: "
                    f"{counted(changed, 'change', 'changes')}", party,
                    subject=f"submission:{submission.pk}", sha256=digest)
            return submission
    except (FileFormatError, SignatureError, SubmissionRefused, IntegrityError) as error:
        reason = str(error) if not isinstance(error, IntegrityError) else \
            "id: the file has already been applied (G6.6A)"
        # A file that names no party we know is filed under the submitter's, so they see why.
        _refuse(user, content, signature, digest, document,
                party or getattr(user, "party", None), reason)
        raise SubmissionRefused(reason) from None


def _kind(document: SignedDocument) -> str:
    return str(SignedSubmission.Kind.EXIT_QUARANTINE if document.format == EXIT_FORMAT
               else SignedSubmission.Kind.THRESHOLDS)


def _may_submit_for(user: Any, party: Party) -> None:
    if not own_people(user, party):
        raise PermissionDenied(f"Only {party.party_id}'s own people submit its signed files "
                               "(G6.4, G6.6A): the DCC and SECAS never submit in its name.")


def _checked_key(party: Party, content: bytes, signature: bytes) -> SigningKey:
    keys = list(SigningKey.objects.filter(party=party, active=True))
    if not keys:
        raise SubmissionRefused(f"key: {party.party_id} has no registered signing key")
    if not signature.strip():
        raise SubmissionRefused("signature: the file is not signed")
    last = None
    for key in keys:
        try:
            verify(content, signature, key.public_pem.encode())
            return key
        except SignatureError as error:
            last = error
    raise SubmissionRefused(f"signature: {last}")


def _refuse(user: Any, content: bytes, signature: bytes, digest: str,
            document: SignedDocument | None, party: Party | None, reason: str) -> None:
    with transaction.atomic():
        refused = SignedSubmission.objects.create(
            kind=_kind(document) if document else SignedSubmission.Kind.THRESHOLDS,
            identifier=document.id if document else "", party=party,
            content=content.decode("utf-8", "replace"),
            signature=signature.decode("ascii", "replace"), sha256=digest,
            status=SignedSubmission.Status.REFUSED, reason=reason,
            submitted_by=person_or_none(user))
        journal(user, "submission.refused", "G6.6A", reason, party,
                subject=f"submission:{refused.pk}", sha256=digest)


def _apply_thresholds(user: Any, submission: SignedSubmission, document: SignedDocument) -> int:
    ids = {u.value: u for u in UserId.objects.filter(party_role__party=submission.party)
           .select_related("party_role")}
    srvs = {s.srv: s for s in ServiceReferenceVariant.objects.all()}
    tested = set(CriticalTestStatus.objects.filter(user_id__in=ids.values(), passed=True)
                 .values_list("user_id_id", "srv__srv"))
    seen = set()
    for index, line in enumerate(document.thresholds):
        where = f"thresholds[{index}]"
        user_id = ids.get(line.user_id)
        if user_id is None:
            raise SubmissionRefused(f"{where}.user_id: {line.user_id!r} is not a User ID of "
                                    f"{submission.party.party_id}")
        srv = srvs.get(line.srv)
        if srv is None:
            raise SubmissionRefused(f"{where}.srv: {line.srv!r} is not a Service Reference "
                                    "Variant")
        role = UserRole(user_id.party_role.role)
        if role not in load_srvs()[line.srv].eligible:
            raise SubmissionRefused(f"{where}.srv: the {role.label} role is not an Eligible User "
                                    f"for {line.srv} (G6.3)")
        if (line.user_id, line.srv, line.counter) in seen:
            raise SubmissionRefused(f"{where}: a second threshold for the same User ID, SRV and "
                                    "counter")
        seen.add((line.user_id, line.srv, line.counter))
        violation = zero_rule_violation(srv.critical and line.counter == "critical",
                                        (user_id.pk, line.srv) in tested, line.quarantine)
        if violation:
            raise SubmissionRefused(f"{where}.quarantine: {violation}")
        Threshold.objects.update_or_create(
            user_id=user_id, srv=srv, counter=line.counter,
            defaults={"warning": line.warning, "quarantine": line.quarantine,
                      "set_by": person_or_none(user), "submission": submission})
    return len(document.thresholds)


def _apply_exceptions(submission: SignedSubmission, document: SignedDocument) -> int:
    """The file's exceptions (G6.1(a)(i)), after its own thresholds: each for a key that has
    a threshold, never overlapping another of the same key (in the file or already held),
    with levels as for a threshold (G6.4A's zero rule included). Any refusal refuses the
    whole file (the caller's transaction), naming the entry and the field."""
    if not document.exceptions:
        return 0
    held = {(t.user_id.value, t.srv.srv, t.counter): t for t in Threshold.objects.filter(
        user_id__party_role__party=submission.party, srv__isnull=False)
        .select_related("user_id", "srv")}
    tested = set(CriticalTestStatus.objects.filter(
        user_id__party_role__party=submission.party, passed=True)
        .values_list("user_id__value", "srv__srv"))
    periods: dict[int, list[tuple[ExceptionLine, str]]] = {}
    for index, line in enumerate(document.exceptions):
        where = f"exceptions[{index}]"
        threshold = held.get((line.user_id, line.srv, line.counter)) if line.srv else None
        if threshold is None:
            field = "srv" if line.srv else "command"
            raise SubmissionRefused(
                f"{where}.{field}: {line.user_id} {line.target} {line.counter} has no threshold "
                f"of {submission.party.party_id}; an exception needs one (G6.1(a)(i))")
        violation = zero_rule_violation(threshold.srv.critical and line.counter == "critical",
                                        (line.user_id, line.srv) in tested, line.quarantine)
        if violation:
            raise SubmissionRefused(f"{where}.quarantine: {violation}")
        mine = periods.setdefault(threshold.pk, [])
        for other, other_where in mine:
            if line.starts < other.ends and other.starts < line.ends:
                raise SubmissionRefused(f"{where}.from: overlaps {other_where} of the same key "
                                        "in time (G6.1(a)(i))")
        clash = ThresholdException.objects.filter(threshold=threshold, starts__lt=line.ends,
                                                  ends__gt=line.starts).first()
        if clash is not None:
            raise SubmissionRefused(
                f"{where}.from: overlaps the exception held from {clash.starts:%Y-%m-%dT%H:%M:%SZ}"
                f" to {clash.ends:%Y-%m-%dT%H:%M:%SZ} for the same key (G6.1(a)(i))")
        mine.append((line, where))
        ThresholdException.objects.create(threshold=threshold, starts=line.starts,
                                          ends=line.ends, warning=line.warning,
                                          quarantine=line.quarantine, submission=submission)
    return len(document.exceptions)


def _apply_instructions(user: Any, submission: SignedSubmission,
                        document: SignedDocument) -> int:
    wanted = [i.communication for i in document.instructions]
    if len(set(wanted)) != len(wanted):
        raise SubmissionRefused("instructions: a communication is named twice")
    # Locked in one order (by key), so two files naming the same communications queue.
    pending = {c.communication_id: c for c in QuarantinedCommunication.objects
               .select_for_update(no_key=True).filter(communication_id__in=wanted)
               .order_by("pk")}
    own = set(UserId.objects.filter(party_role__party=submission.party).values_list("pk",
                                                                                     flat=True))
    now = timezone.now()
    for index, instruction in enumerate(document.instructions):
        communication = pending.get(instruction.communication)
        where = f"instructions[{index}].communication"
        if communication is None or communication.user_id_id not in own:
            raise SubmissionRefused(f"{where}: {instruction.communication!r} is not a "
                                    f"quarantined communication of {submission.party.party_id}")
        if communication.status != QuarantinedCommunication.Status.PENDING:
            raise SubmissionRefused(f"{where}: {instruction.communication!r} was already "
                                    f"{communication.get_status_display().lower()}")
        communication.status = (QuarantinedCommunication.Status.PROCESSED
                                if instruction.action == "process"
                                else QuarantinedCommunication.Status.DELETED)
        communication.decided_at, communication.instruction = now, submission
        communication.save(update_fields=["status", "decided_at", "instruction"])
        journal(user, "quarantine.released" if instruction.action == "process"
                else "quarantine.deleted", "G6.1(a)(iii)",
                f"{instruction.communication}: {instruction.action}", submission.party,
                subject=f"communication:{instruction.communication}",
                submission=submission.pk)
    return len(document.instructions)
