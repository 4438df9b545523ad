"""A meeting from its agenda to its minutes: items, papers, attendance, conflicts, decisions,
the assurance business of the day, actions, minutes (G7.17, Section C5 by reference)."""
from __future__ import annotations

import hashlib
from datetime import date
from io import BytesIO
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max

from secassure.code.classification import Classification, PersonKind
from secassure.core.visibility import person_kind

from ..models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    BusinessLink,
    Conflict,
    Meeting,
    MeetingDecision,
    Minutes,
    Paper,
    PaperVersion,
)
from ..rules import quorum
from ..selectors.business import unattached_business
from ..selectors.minutes import minutes_text
from .base import CommitteeError, journal, require_person


def _classification(value: str) -> str:
    try:
        return Classification(value).value
    except ValueError:
        raise CommitteeError(f"classification: {value!r} is not RED, AMBER, GREEN or "
                             "WHITE") from None


def schedule_meeting(actor: Any, *, body: str, number: int, date: date, title: str = "",
                     papers_due: date | None = None,
                     further_information_url: str = "") -> Meeting:
    """A meeting of `body` numbered `number`; the SSC's carries the standing item of
    outstanding actions."""
    require_person(actor, "schedule_meeting")
    if body not in Body.values:
        raise CommitteeError(f"body: {body!r} is not one of {', '.join(Body.values)}")
    if Meeting.objects.filter(body=body, title=title, number=number).exists():
        raise CommitteeError(f"number: meeting {number} is already recorded")
    with transaction.atomic():
        meeting = Meeting.objects.create(body=body, number=number, date=date, title=title,
                                         papers_due=papers_due,
                                         further_information_url=further_information_url)
        if body == Body.SSC:
            AgendaItem.objects.create(meeting=meeting, number=1, standing=True,
                                      title="Minutes and outstanding actions",
                                      classification=Classification.RED.value)
        journal(actor, "schedule_meeting", subject=f"meeting:{meeting.pk}", reason=str(meeting))
    return meeting


def add_item(actor: Any, meeting: Meeting, *, title: str, classification: str = "RED",
             presenter: str = "", parent: AgendaItem | None = None, headline: str = "",
             publish: bool = False, party: Any = None) -> AgendaItem:
    """The next numbered item of the agenda (or under `parent`)."""
    require_person(actor, "add_item")
    level = _classification(classification)
    if not title.strip():
        raise CommitteeError("title: an item needs a title")
    if parent is not None and parent.meeting_id != meeting.pk:
        raise CommitteeError("parent: an item of another meeting")
    with transaction.atomic():
        siblings = AgendaItem.objects.filter(meeting=meeting, parent=parent)
        number = (siblings.aggregate(n=Max("number"))["n"] or 0) + 1
        item = AgendaItem.objects.create(
            meeting=meeting, parent=parent, number=number, title=title.strip(),
            classification=level, presenter=presenter, headline=headline, publish=publish,
            party=party)
        journal(actor, "add_item", subject=f"meeting:{meeting.pk}",
                reason=f"{item.display_number}. {item.title}",
                classification=Classification(level))
    return item


def set_headline(actor: Any, item: AgendaItem, *, headline: str, publish: bool) -> AgendaItem:
    """The item's public headline wording and whether it is published."""
    require_person(actor, "set_headline")
    with transaction.atomic():
        item.headline, item.publish = headline.strip(), publish
        item.save(update_fields=["headline", "publish"])
        journal(actor, "set_headline", subject=f"meeting:{item.meeting_id}",
                reason=f"item {item.display_number}", details={"publish": publish})
    return item


def add_paper(actor: Any, item: AgendaItem, *, title: str, upload: IO[bytes], filename: str,
              classification: str = "RED", paper: Paper | None = None,
              party: Any = None) -> PaperVersion:
    """A paper for the item, or a new version of `paper`: the file kept with its SHA-256."""
    require_person(actor, "add_paper")
    level = _classification(classification)
    content = upload.read()
    with transaction.atomic():
        if paper is None:
            paper = Paper.objects.create(item=item, title=title.strip() or filename,
                                         classification=level, party=party or item.party)
        elif paper.item_id != item.pk:
            raise CommitteeError("paper: a paper of another item")
        number = (paper.versions.aggregate(n=Max("version"))["n"] or 0) + 1
        version = PaperVersion(paper=paper, version=number, uploaded_by=actor,
                               sha256=hashlib.sha256(content).hexdigest())
        version.file.save(filename, File(BytesIO(content), name=filename), save=False)
        version.save()
        journal(actor, "add_paper", subject=f"meeting:{item.meeting_id}",
                reason=f"{paper.title} v{number}", classification=Classification(
                    paper.classification))
    return version


def record_attendance(actor: Any, meeting: Meeting, *, name: str, role: str = "member",
                      present: bool = True, person: Any = None) -> Attendance:
    require_person(actor, "record_attendance")
    if role not in Attendance.Role.values:
        raise CommitteeError(f"role: {role!r} is not one of {', '.join(Attendance.Role.values)}")
    with transaction.atomic():
        row, _ = Attendance.objects.update_or_create(
            meeting=meeting, name=name.strip(),
            defaults={"role": role, "present": present, "person": person})
        journal(actor, "record_attendance", subject=f"meeting:{meeting.pk}",
                reason=f"{name}: {'present' if present else 'apologies'}")
    return row


def hold_meeting(actor: Any, meeting: Meeting, *, members_in_office: int) -> Meeting:
    """The meeting is held; quorate when the members present reach `rules.quorum` of the
    members in office (the assumption stated there, Section C5 by reference)."""
    require_person(actor, "hold_meeting")
    present = meeting.attendance.filter(role=Attendance.Role.MEMBER, present=True).count()
    with transaction.atomic():
        meeting.status = Meeting.Status.HELD
        meeting.quorate = present >= quorum(members_in_office)
        meeting.save(update_fields=["status", "quorate"])
        journal(actor, "hold_meeting", subject=f"meeting:{meeting.pk}",
                details={"present": present, "quorate": meeting.quorate})
    return meeting


def declare_conflict(actor: Any, item: AgendaItem, *, person: Any = None,
                     note: str = "") -> Conflict:
    """A conflict of interest on one item: a member declares their own (SECAS may record it
    for them); the declarer's papers for that item are withheld from then on."""
    require_person(actor, "declare_conflict")
    declarer = person or actor
    if person is not None and person != actor and person_kind(actor) != PersonKind.SECAS:
        raise CommitteeError("person: a member declares their own conflicts")
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(item=item, person=declarer,
                                                           defaults={"note": note})
        if created:
            journal(actor, "declare_conflict", subject=f"meeting:{item.meeting_id}",
                    reason=f"item {item.display_number}: {declarer}")
    return conflict


def record_decision(actor: Any, meeting: Meeting, *, text: str, item: AgendaItem | None = None,
                    classification: str = "RED", party: Any = None) -> MeetingDecision:
    require_person(actor, "record_decision")
    level = _classification(classification)
    if not text.strip():
        raise CommitteeError("text: say what was decided")
    with transaction.atomic():
        decision = MeetingDecision.objects.create(
            meeting=meeting, item=item, text=text.strip(), classification=level,
            party=party or (item.party if item else None), recorded_by=actor)
        journal(actor, "record_decision", subject=f"meeting:{meeting.pk}",
                reason=text[:200], classification=Classification(level))
    return decision


def attach_business(actor: Any, meeting: Meeting) -> list[BusinessLink]:
    """Attach to the meeting every assurance decision taken through the workflow on its date,
    and the progress reports on approved Remediation Plans it notes, not yet attached to a
    meeting (G7.20(b): the SSC's functions under G8 and G9)."""
    require_person(actor, "attach_business")
    with transaction.atomic():
        decisions, plans, progress = unattached_business(meeting)
        links = [BusinessLink(meeting=meeting, decision=d) for d in decisions]
        links += [BusinessLink(meeting=meeting, plan=p) for p in plans]
        links += [BusinessLink(meeting=meeting, progress=r) for r in progress]
        BusinessLink.objects.bulk_create(links)
        if links:
            journal(actor, "attach_business", subject=f"meeting:{meeting.pk}",
                    details={"records": len(links)})
    return links


def move_business(actor: Any, link: BusinessLink, *, to: Meeting) -> BusinessLink:
    """A decision attached to the wrong meeting, moved to the one that took it."""
    require_person(actor, "move_business")
    with transaction.atomic():
        before = link.meeting_id
        link.meeting = to
        link.save(update_fields=["meeting"])
        journal(actor, "move_business", subject=f"meeting:{to.pk}",
                details={"from": before, "to": to.pk})
    return link


def record_action(actor: Any, meeting: Meeting, *, text: str, owner_name: str, due: date,
                  owner: Any = None, item: AgendaItem | None = None,
                  classification: str = "AMBER") -> Action:
    require_person(actor, "record_action")
    level = _classification(classification)
    if not text.strip() or not owner_name.strip():
        raise CommitteeError("text: an action needs what is to be done and its owner")
    with transaction.atomic():
        number = (meeting.actions.aggregate(n=Max("number"))["n"] or 0) + 1
        action = Action.objects.create(
            meeting=meeting, item=item, number=number, text=text.strip(),
            owner=owner, owner_name=owner_name.strip(), due=due, classification=level,
            party=item.party if item else None)
        journal(actor, "record_action", subject=f"meeting:{meeting.pk}",
                reason=f"{action.reference}: {text[:150]}", classification=Classification(level))
    return action


def complete_action(actor: Any, action: Action, *, done_on: date,
                    at: Meeting | None = None) -> Action:
    """The action is done, reported at meeting `at` (the outstanding actions item)."""
    require_person(actor, "complete_action")
    if action.done_on is not None:
        raise CommitteeError(f"action: {action.reference} was done on {action.done_on}")
    with transaction.atomic():
        action.done_on, action.closed_at = done_on, at
        action.save(update_fields=["done_on", "closed_at"])
        journal(actor, "complete_action", subject=f"meeting:{action.meeting_id}",
                reason=action.reference)
    return action


def draft_minutes(actor: Any, meeting: Meeting, *, text: str | None = None) -> Minutes:
    """The confidential (RED) minutes: drafted from the record, or as SECAS edits them, until
    they are approved."""
    require_person(actor, "draft_minutes")
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is not None and minutes.approved:
            raise CommitteeError("minutes: approved minutes are not changed")
        body = text if text is not None and text.strip() else minutes_text(meeting)
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, text=body, drafted_by=actor)
        else:
            minutes.text, minutes.drafted_by = body, actor
            minutes.save(update_fields=["text", "drafted_by", "drafted_at"])
        journal(actor, "draft_minutes", subject=f"meeting:{meeting.pk}",
                classification=Classification.RED)
    return minutes


def approve_minutes(actor: Any, minutes: Minutes, *, at: Meeting) -> Minutes:
    """The minutes approved at a later meeting of the same body (the next one reviews them)."""
    require_person(actor, "approve_minutes")
    meeting = minutes.meeting
    if minutes.approved:
        raise CommitteeError("minutes: already approved")
    if at.body != meeting.body or at.title != meeting.title or at.date <= meeting.date:
        raise CommitteeError("at: minutes are approved at a later meeting of the same body")
    with transaction.atomic():
        minutes.approved_at, minutes.approved_by = at, actor
        minutes.save(update_fields=["approved_at", "approved_by"])
        journal(actor, "approve_minutes", subject=f"meeting:{meeting.pk}",
                reason=f"approved at {at}", classification=Classification.RED)
    return minutes
