"""Filing a notice, and the party's own updates to it: one function per business action."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from secassure.assurance.integrity import upload_sha256
from secassure.assurance.models import Assessment, Finding
from secassure.assurance.models.findings import FileCheck, open_checked
from secassure.code.classification import PersonKind
from secassure.code.roles import UserRole
from secassure.core.visibility import person_kind
from secassure.registry.models import Party, UserId

from ..models import Notice, NoticeAttachment, NoticeUpdate
from ..rules import DCC_KINDS, FINAL, KINDS, Kind, State, clause_for
from .base import NoticeConflict, NoticeError, journal, now, require_filer, required, today

MAX_ATTACHMENT = 20 * 1024 * 1024


def _is_provider(party: Party) -> bool:
    return party.roles.filter(role=UserRole.SHARED_RESOURCE_PROVIDER.value).exists()


def file_notice(user: Any, *, party: Party, kind: Kind | str, title: str, description: str,
                event_on: date, smets1_csp: bool = False, systems: str = "",
                user_ids: Sequence[str] = (), assessments: Sequence[int] = (),
                incident: Notice | None = None, finding: Finding | None = None,
                manufacturer: str = "", steps: str = "", complete_by: date | None = None,
                purpose: str = "", relationship: str = "", provider: Party | None = None,
                provider_contact: str = "", services: str = "") -> Notice:
    """File a notice of `kind` for `party` (its clause from `rules.KINDS`). Checked first for
    the person, then for the input; nothing is written on a refusal."""
    try:
        kind = Kind(kind)
    except ValueError:
        raise NoticeError(f"kind: {kind!r} is not a kind of notice "
                          f"({', '.join(k.value for k in Kind)})") from None
    rule = KINDS[kind]
    clause = clause_for(kind, by_dcc=party.is_dcc, smets1_csp=smets1_csp,
                        after_assessment=finding is not None)
    require_filer(user, party, rule.label, clause or rule.clause)
    if party.is_dcc and kind not in DCC_KINDS:
        raise NoticeError(f"kind: the DCC does not file a {rule.label} notice under Section G3"
                          " (its own clauses are G2.11 and G2.35)")
    if smets1_csp and not party.is_dcc:
        raise NoticeError("smets1_csp: only the DCC's incidents concern the SMETS1 CSP "
                          "System (G2.11(b))")
    required(title, "title", clause)
    required(description, "description", clause)
    required(event_on, "event_on", clause)
    when = today()
    found_ids: list[UserId] = []
    if kind in (Kind.INCIDENT, Kind.VULNERABILITY) and event_on > when:
        raise NoticeError(f"event_on: {event_on} is in the future; the notice follows the "
                          f"event ({clause})")
    if kind == Kind.INCIDENT:
        found_ids = list(UserId.objects.filter(value__in=list(user_ids),
                                               party_role__party=party))
        unknown = sorted(set(user_ids) - {u.value for u in found_ids})
        if unknown:
            raise NoticeError(f"user_ids: {', '.join(unknown)} not User IDs of "
                              f"{party.party_id}")
        mine = set(Assessment.objects.filter(party=party, pk__in=list(assessments))
                   .values_list("pk", flat=True))
        if set(assessments) - mine:
            raise NoticeError(f"assessments: {sorted(set(assessments) - mine)} not "
                              f"assessments of {party.party_id}")
    if kind == Kind.VULNERABILITY:
        required(steps, "steps", clause)
        required(complete_by, "complete_by", f"{clause}: the time within which the steps are "
                                             "intended to be completed")
        required(manufacturer, "manufacturer", "G3.18(a), G3.19")
        if manufacturer not in {"notified", "aware", "not_practicable"}:
            raise NoticeError("manufacturer: one of notified, aware (G3.19), not_practicable")
        assert complete_by is not None
        if complete_by < event_on:
            raise NoticeError("complete_by: before the date the vulnerability was found")
        if finding is not None and finding.assessment.party_id != party.pk:
            raise NoticeError(f"finding: not a finding of an assessment of {party.party_id}")
        if incident is not None and (incident.party_id != party.pk
                                     or incident.kind != Kind.INCIDENT):
            raise NoticeError(f"incident: not a Major Security Incident of {party.party_id}")
    if kind == Kind.NEW_SYSTEM:
        required(purpose, "purpose", "G3.9(a)(ii)")
        required(relationship, "relationship", "G3.9(a)(ii)")
    if kind in (Kind.NEW_SYSTEM, Kind.DECOMMISSIONING) and event_on < when:
        raise NoticeError(f"event_on: {event_on} has passed; the SSC is notified before the "
                          f"event ({clause}(i))")
    if kind == Kind.PROVIDER_CHANGE:
        required(provider, "provider", clause)
    if provider is not None:
        if provider.pk == party.pk or not _is_provider(provider):
            raise NoticeError(f"provider: {provider.party_id} is not a Shared Resource "
                              "Provider in the register (G10.2)")
        required(provider_contact, "provider_contact", "G5.26(b)(i)")
        required(services, "services", "G5.26(b)(ii)")
    with transaction.atomic():
        notice = Notice.objects.create(
            party=party, kind=kind.value, clause=clause, title=title.strip(),
            description=description.strip(), event_on=event_on, filed_at=now(), filed_by=user,
            smets1_csp=smets1_csp,
            systems=systems, incident=incident, finding=finding, manufacturer=manufacturer,
            steps=steps, complete_by=complete_by, purpose=purpose, relationship=relationship,
            provider=provider, provider_contact=provider_contact, services=services)
        if found_ids:
            notice.user_ids.set(found_ids)
        if assessments:
            notice.assessments.set(list(assessments))
        journal(user, "notices.file", clause=clause, party=party,
                subject=f"notice:{notice.pk}", reason=title.strip(), kind=kind.value)
    return notice


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("party").get(pk=notice.pk)


def add_update(user: Any, notice: Notice, text: str) -> NoticeUpdate:
    """The party's update to its notice (a timeline entry); answering the SSC's question puts
    the notice back in the SSC's queue."""
    require_filer(user, notice.party, "Update", notice.clause)
    required(text, "text", notice.clause)
    with transaction.atomic():
        notice = _locked(notice)
        if notice.state in FINAL:
            raise NoticeConflict(f"The notice is {notice.state}: nothing more is filed on it.")
        kind = "answer" if notice.state == State.QUESTIONED else "update"
        update = NoticeUpdate.objects.create(notice=notice, kind=kind, text=text.strip(),
                                             by=user, at=now())
        if notice.state == State.QUESTIONED:
            notice.state = State.FILED.value
            notice.save(update_fields=["state"])
        journal(user, "notices.update", clause=notice.clause, party=notice.party,
                subject=f"notice:{notice.pk}", kind=kind)
    return update


def complete_steps(user: Any, notice: Notice, completed_on: date, text: str = "") -> Notice:
    """The party reports the steps of a vulnerability completed (G3.9(b)(ii), G3.18(c)): the
    reminders of `complete_by` stop."""
    require_filer(user, notice.party, "Steps completed", notice.clause)
    if notice.kind != Kind.VULNERABILITY:
        raise NoticeConflict("Only a vulnerability's steps are completed.")
    if completed_on > today() or completed_on < notice.event_on:
        raise NoticeError("completed_on: between the date it was found and today")
    with transaction.atomic():
        notice = _locked(notice)
        if notice.state in FINAL or notice.completed_on:
            raise NoticeConflict("The steps are already completed, or the notice is closed.")
        notice.completed_on = completed_on
        notice.save(update_fields=["completed_on"])
        NoticeUpdate.objects.create(notice=notice, kind="complete", by=user, at=now(),
                                    text=text.strip() or f"Steps completed on {completed_on}.")
        journal(user, "notices.complete_steps", clause=notice.clause, party=notice.party,
                subject=f"notice:{notice.pk}", completed_on=completed_on.isoformat())
    return notice


def mark_operational(user: Any, notice: Notice, on: date) -> Notice:
    """The new system becomes operational (G3.9(a)(iii)): the party may mark it so only once
    the SSC has authorised it (409 before). SECAS or the SSC may record that a User brought it
    into operation without authorisation; the attention page then shows it."""
    if notice.kind != Kind.NEW_SYSTEM:
        raise NoticeConflict("Only a new system is marked operational (G3.9(a)).")
    recorder = person_kind(user) in {PersonKind.SECAS, PersonKind.SSC_MEMBER}
    if not recorder:
        require_filer(user, notice.party, "Mark operational", notice.clause)
    if on > today():
        raise NoticeError("operational_on: a date in the future")
    with transaction.atomic():
        notice = _locked(notice)
        if notice.operational_on:
            raise NoticeConflict("The system is already marked operational.")
        authorised = notice.state == State.AUTHORISED
        if not authorised and not recorder:
            raise NoticeConflict("The system may not become operational until the SSC has "
                                 "authorised it (G3.9(a)(iii)).")
        notice.operational_on = on
        notice.save(update_fields=["operational_on"])
        NoticeUpdate.objects.create(
            notice=notice, kind="operational", by=user, at=now(),
            text=f"Operational from {on}" + ("" if authorised else
                                             ", without the SSC's authorisation"))
        journal(user, "notices.mark_operational", clause="G3.9(a)(iii)", party=notice.party,
                subject=f"notice:{notice.pk}", authorised=authorised)
    return notice


def link_assessment(user: Any, notice: Notice, assessment: Assessment) -> Notice:
    """The vulnerability assessment a Major Security Incident triggers (G3.8(c)), linked as its
    tracked follow-on: until it is, the attention page lists the incident."""
    if person_kind(user) not in {PersonKind.SECAS, PersonKind.SSC_MEMBER}:
        require_filer(user, notice.party, "Vulnerability assessment", "G3.8(c)")
    if notice.kind != Kind.INCIDENT:
        raise NoticeConflict("Only a Major Security Incident triggers the assessment of "
                             "G3.8(c).")
    if assessment.party_id != notice.party_id:
        raise NoticeError(f"assessment: not an assessment of {notice.party.party_id}")
    with transaction.atomic():
        notice = _locked(notice)
        notice.follow_on_assessment = assessment
        notice.save(update_fields=["follow_on_assessment"])
        NoticeUpdate.objects.create(notice=notice, kind="update", by=user, at=now(),
                                    text=f"Vulnerability assessment (G3.8(c)): assessment "
                                         f"{assessment.pk}")
        journal(user, "notices.link_assessment", clause="G3.8(c)", party=notice.party,
                subject=f"notice:{notice.pk}", assessment=assessment.pk)
    return notice


def attach(user: Any, notice: Notice, upload: UploadedFile) -> NoticeAttachment:
    """A file sent with a notice, stored with its SHA-256."""
    require_filer(user, notice.party, "Attachment", notice.clause)
    if upload.size is None or upload.size == 0:
        raise NoticeError("file: empty")
    if upload.size > MAX_ATTACHMENT:
        raise NoticeError(f"file: larger than {MAX_ATTACHMENT // (1024 * 1024)} MB")
    if notice.state in FINAL:
        raise NoticeConflict(f"The notice is {notice.state}: nothing more is filed on it.")
    digest = upload_sha256(upload)
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        attachment = NoticeAttachment.objects.create(
            notice=notice, file=upload, name=name, sha256=digest, size=upload.size, by=user,
            at=now(), classification=notice.classification)
        journal(user, "notices.attach", clause=notice.clause, party=notice.party,
                subject=f"notice:{notice.pk}", file=name, sha256=digest)
    return attachment


#: The journal's name for a download refused by its integrity check (words:
#: core/journal/words.py).
ATTACHMENT_FAILED = "notices.attachment_failed_check"


def open_attachment(user: Any, row: NoticeAttachment) -> tuple[FileCheck, IO[bytes] | None]:
    """A notice's file to serve to `user`, hashed whole against the SHA-256 recorded when it
    was uploaded; if it is missing or altered, no file, and the refusal journaled (what was
    wrong and both digests, never the file's content) so SECAS learns of it."""
    check, handle = open_checked(row.file, row.sha256)
    if handle is None:
        notice = row.notice
        journal(user, ATTACHMENT_FAILED, clause=notice.clause, party=notice.party,
                subject=f"notice:{notice.pk}",
                reason=f"file {row.name} of notice {notice.pk}: {check.describe()}; not served",
                attachment=row.pk, file=row.name, problem=check.problem, sha256=check.expected,
                found=check.found)
    return check, handle
