"""Every change to the thresholds register and the quarantine desk: checked, atomic, journaled.

Users change their thresholds only by signed files (G6.6A): a file is applied after its
signature checks against the party's registered key and its identifier has never been applied
before; anything else is refused with the reason, recorded, and changes nothing.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from secassure.adt.signing import SignatureError, fingerprint, verify
from secassure.code.adt_files import EXIT_FORMAT, FileFormatError, SignedDocument, parse
from secassure.code.classification import Classification, PersonKind
from secassure.code.permissions import Action
from secassure.code.roles import UserRole
from secassure.code.srv import load_srvs, zero_rule_violation
from secassure.code.workflow import PARTY_SIDE
from secassure.core.journal.services import record
from secassure.core.journal.words import counted
from secassure.core.permissions import SystemActor, require
from secassure.core.retry import retried
from secassure.core.visibility import person_kind
from secassure.registry.models import Party, UserId

from .models import (
    CriticalTestStatus,
    QuarantinedCommunication,
    ServiceReferenceVariant,
    SignedSubmission,
    SigningKey,
    Threshold,
)
from .quarantine import QuarantineFileError


class SubmissionRefused(ValueError):
    """A signed file that was not applied; the message is the reason."""


class ThresholdError(ValueError):
    """A value the register does not accept; the message names the field."""


#: A refusal of the register or the desk, nothing changed: its page shows it (400), the API
#: answers 400 naming the field.
REFUSALS = (SubmissionRefused, ThresholdError, QuarantineFileError)


def _journal(user: Any, action: str, clause: str, reason: str, party: Party | None = None,
             **details: Any) -> None:
    record(user, f"anomaly.{action}", clause=clause, reason=reason, party=party,
           subject=details.pop("subject", ""), details=details,
           classification=Classification.AMBER)


# --- Signed files (G6.6A) --------------------------------------------------------------------

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
                submitted_by=_person(user))
            changed = (_apply_instructions(user, submission, document)
                       if document.format == EXIT_FORMAT
                       else _apply_thresholds(user, submission, document))
            _journal(user, f"{submission.kind}.applied", "G6.6A",
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


def own_people(user: Any, party: Party) -> bool:
    """Whether `user` is one of `party`'s own people: its thresholds are the User's (G6.3-G6.4),
    so only they register its signing key or submit its signed files. The DCC receives the
    files (G6.4(c)) and SECAS keeps the register; neither acts in the party's name, and the
    server's operator at the command line names the person acting (`--as`)."""
    if isinstance(user, SystemActor):
        return False
    return person_kind(user) in PARTY_SIDE and user.party_id == party.pk


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
            status=SignedSubmission.Status.REFUSED, reason=reason, submitted_by=_person(user))
        _journal(user, "submission.refused", "G6.6A", reason, party,
                 subject=f"submission:{refused.pk}", sha256=digest)


def _person(user: Any) -> Any:
    return None if isinstance(user, SystemActor) else user


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
                      "set_by": _person(user), "submission": submission})
    return len(document.thresholds)


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
        _journal(user, "quarantine.released" if instruction.action == "process"
                 else "quarantine.deleted", "G6.1(a)(iii)",
                 f"{instruction.communication}: {instruction.action}", submission.party,
                 subject=f"communication:{instruction.communication}",
                 submission=submission.pk)
    return len(document.instructions)


# --- The register ---------------------------------------------------------------------------

@retried
def register_signing_key(user: Any, party: Party, public_pem: str) -> SigningKey:
    """The party registers its public key for signed files (G6.6A): only its own people; the
    registration is journaled under the party, whose people see it (notified)."""
    if not own_people(user, party):
        raise PermissionDenied(f"Only {party.party_id}'s own people register its signing key "
                               "(G6.4, G6.6A): the DCC and SECAS may revoke a key, never "
                               "register one for a party.")
    try:
        print_ = fingerprint(public_pem.encode())
    except SignatureError as error:
        raise ThresholdError(f"public_pem: {error}") from None
    if SigningKey.objects.filter(fingerprint=print_).exists():
        raise ThresholdError("public_pem: this key is already registered")
    with transaction.atomic():
        key = SigningKey.objects.create(party=party, public_pem=public_pem.strip() + "\n",
                                        fingerprint=print_, registered_by=_person(user))
        _journal(user, "key.registered", "G6.6A", f"signing key {print_[:16]}", party,
                 subject=f"key:{key.pk}")
    return key


@retried
def revoke_signing_key(user: Any, key: SigningKey, reason: str) -> SigningKey:
    """Revoke a party's signing key: the party's own people, the DCC (which checks the files,
    G6.6A) or SECAS. Files signed with it are refused from then on. Journaled under the party,
    whose people see it (notified)."""
    kind = person_kind(user)
    if not (own_people(user, key.party) or kind in (PersonKind.DCC, PersonKind.SECAS)):
        raise PermissionDenied("Only the party's own people, the DCC or SECAS revoke a signing "
                               "key (G6.6A).")
    if not reason.strip():
        raise ThresholdError("reason: say why the key is revoked")
    with transaction.atomic():
        locked = SigningKey.objects.select_for_update().select_related("party").get(pk=key.pk)
        if not locked.active:
            raise ThresholdError("key: this key is already revoked")
        locked.active = False
        locked.save(update_fields=["active"])
        _journal(user, "key.revoked", "G6.6A", reason.strip()[:500], locked.party,
                 subject=f"key:{locked.pk}", fingerprint=locked.fingerprint[:16])
    return locked


@retried
def set_dcc_threshold(user: Any, srv: str, counter: str, quarantine: int,
                      warning: int | None = None, reason: str = "") -> Threshold:
    """The DCC's threshold across all Users for an SRV (G6.6(a)), set after consulting the
    SSC (G6.7) and notified to it (G6.8)."""
    require(user, Action.SET_DCC_THRESHOLD)
    variant = _srv(srv)
    _levels(counter, warning, quarantine)
    with transaction.atomic():
        threshold, _ = Threshold.objects.update_or_create(
            user_id=None, srv=variant, counter=counter,
            defaults={"warning": warning, "quarantine": quarantine, "set_by": user})
        _journal(user, "dcc_threshold.set", "G6.6(a)", reason or f"{srv} {counter}",
                 subject=f"threshold:{threshold.pk}", quarantine=quarantine, warning=warning)
    return threshold


@retried
def keep_srv_reference(user: Any, srv: str, **values: Any) -> ServiceReferenceVariant:
    """The DCC's guidance levels (G6.4(b)), the encrypted-response flag (G6.3(a)(ii)) and the
    SMETS1 data-value limits (G6.6(b))."""
    require(user, Action.KEEP_SRV_REFERENCE)
    allowed = {"returns_encrypted", "guidance_critical", "guidance_encrypted", "value_min",
               "value_max"}
    if set(values) - allowed:
        raise ThresholdError(f"{sorted(set(values) - allowed)[0]}: not a field of an SRV")
    variant = _srv(srv)
    low = values.get("value_min", variant.value_min)
    high = values.get("value_max", variant.value_max)
    if low is not None and high is not None and low > high:
        raise ThresholdError("value_max: below value_min")
    with transaction.atomic():
        for name, value in values.items():
            setattr(variant, name, value)
        variant.save()
        _journal(user, "srv.changed", "G6.6(b)" if {"value_min", "value_max"} & set(values)
                 else "G6.4(b)", f"{srv}: {', '.join(sorted(values))}",
                 None, subject=f"srv:{srv}", **{k: str(v) for k, v in values.items()})
    return variant


@retried
def record_test_status(user: Any, user_id: UserId, srv: str,
                       passed: bool) -> CriticalTestStatus:
    """Whether the User ID passed testing for a Critical Service Request (G6.4A)."""
    require(user, Action.RECORD_TEST_STATUS)
    variant = _srv(srv)
    if not variant.critical:
        raise ThresholdError(f"srv: {srv} is not a Critical Service Request (G6.4A)")
    with transaction.atomic():
        status, _ = CriticalTestStatus.objects.update_or_create(
            user_id=user_id, srv=variant, defaults={"passed": passed, "recorded_by": user})
        _journal(user, "test_status.recorded", "G6.4A",
                 f"{user_id.value} {srv}: {'passed' if passed else 'not passed'}",
                 user_id.party_role.party, subject=f"user_id:{user_id.value}")
    return status


@retried
def give_opinion(user: Any, threshold: Threshold, text: str) -> Threshold:
    """The DCC's opinion when consulted (G6.9), or the SSC's view (G6.8, G7.21(b))."""
    kind = person_kind(user)
    if not text.strip():
        raise ThresholdError("text: the opinion is empty")
    if kind == PersonKind.DCC:
        field, clause = "dcc_opinion", "G6.9"
    else:
        require(user, Action.GIVE_SSC_VIEW)
        field, clause = "ssc_view", "G7.21(b)"
    with transaction.atomic():
        setattr(threshold, field, text.strip())
        threshold.save(update_fields=[field])
        _journal(user, f"threshold.{field}", clause, text[:200], _party(threshold),
                 subject=f"threshold:{threshold.pk}")
    return threshold


@retried
def set_review_date(user: Any, threshold: Threshold, review_by: date) -> Threshold:
    """G6.10: each threshold is kept under review."""
    kind = person_kind(user)
    party = _party(threshold)
    if not (kind == PersonKind.DCC or (kind in PARTY_SIDE and party
                                       and user.party_id == party.pk)):
        raise PermissionDenied("Only the threshold's owner (or the DCC) sets its review date.")
    with transaction.atomic():
        threshold.review_by = review_by
        threshold.save(update_fields=["review_by"])
        _journal(user, "threshold.review_date", "G6.10", f"review by {review_by}", party,
                 subject=f"threshold:{threshold.pk}")
    return threshold


def _party(threshold: Threshold) -> Party | None:
    return threshold.user_id.party_role.party if threshold.user_id else None


def _srv(srv: str) -> ServiceReferenceVariant:
    variant = ServiceReferenceVariant.objects.filter(srv=srv).first()
    if variant is None:
        raise ThresholdError(f"srv: {srv!r} is not a Service Reference Variant")
    return variant


def _levels(counter: str, warning: int | None, quarantine: int) -> None:
    if counter not in ("critical", "encrypted"):
        raise ThresholdError("counter: must be 'critical' or 'encrypted'")
    if quarantine is None or quarantine < 0:
        raise ThresholdError("quarantine: a whole number, 0 or more")
    if warning is not None and (warning < 0 or warning > quarantine):
        raise ThresholdError("warning: 0 or more, and not above the quarantine level")
