"""The SSC's review of a notice: note (at a meeting), question, action, authorise or withhold
authorisation of a new system (G3.9(a)(iii)), refuse a sharing arrangement (G10.3), close."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from secassure.committee.models import Body, Meeting
from secassure.registry.services import set_resource_provider

from ..models import Notice, NoticeUpdate
from ..rules import FINAL, Kind, State
from .base import (
    SSC_DECIDES,
    SSC_RECORDS,
    NoticeConflict,
    NoticeError,
    journal,
    now,
    require_ssc,
    required,
)

#: Each review action: who takes it, the state it leaves, whether reasons are required, the
#: kinds it applies to (None: every kind), its clause (None: the notice's own).
REVIEWS: dict[str, tuple[frozenset, State | None, bool, frozenset[Kind] | None, str | None]] = {
    "note": (SSC_RECORDS, State.NOTED, False, None, None),
    "question": (SSC_DECIDES, State.QUESTIONED, True, None, None),
    "action": (SSC_RECORDS, None, True, None, None),
    "authorise": (SSC_DECIDES, State.AUTHORISED, False, frozenset({Kind.NEW_SYSTEM}),
                  "G3.9(a)(iii)"),
    "withhold": (SSC_DECIDES, State.WITHHELD, True, frozenset({Kind.NEW_SYSTEM}),
                 "G3.9(a)(iii)"),
    "refuse": (SSC_DECIDES, State.REFUSED, True,
               frozenset({Kind.SHARED_RESOURCES, Kind.PROVIDER_CHANGE}), "G10.3"),
    "close": (SSC_RECORDS, State.CLOSED, False, None, None),
}


def review_notice(user: Any, notice: Notice, action: str, text: str = "",
                  meeting: str = "", meeting_id: int | None = None) -> Notice:
    """One review action by the SSC on `notice`, journaled with its reasons.

    Noting a notice at an SSC meeting (`meeting_id`) attaches it to that meeting's business
    (its reference is kept in `noted_at_meeting`). Noting a change of Shared Resource Provider
    is when the SSC has the notice: the register's provider link then follows (G10.2, so the
    schedule (G8.63) and G10.8 follow)."""
    if action not in REVIEWS:
        raise NoticeError(f"action: {action!r} is not one of {', '.join(REVIEWS)}")
    who, state, reasons, kinds, clause = REVIEWS[action]
    require_ssc(user, f"Review ({action})", clause or notice.clause, who)
    if reasons:
        required(text, "text", "the SSC's reasons or question")
    if kinds is not None and Kind(notice.kind) not in kinds:
        raise NoticeConflict(f"{action}: not for a {notice.rule.label} notice")
    if len(meeting) > 100:
        raise NoticeError("meeting: at most 100 characters")
    held_at = None
    if meeting_id is not None:
        held_at = Meeting.objects.filter(pk=meeting_id, body=Body.SSC).first()
        if held_at is None:
            raise NoticeError(f"meeting_id: no SSC meeting {meeting_id}")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("party").get(pk=notice.pk)
        if notice.state in FINAL:
            raise NoticeConflict(f"The notice is {notice.state}: the SSC's review is over.")
        if action in {"authorise", "withhold"} and notice.state == State.AUTHORISED:
            raise NoticeConflict("The SSC has already authorised the system.")
        fields = []
        if state is not None:
            notice.state = state.value
            fields.append("state")
        if action == "close":
            notice.closed_at = now()
            fields.append("closed_at")
        if held_at is not None:
            notice.meeting = held_at
            fields.append("meeting")
            meeting = meeting or held_at.reference
        if meeting:
            notice.noted_at_meeting = meeting.strip()
            fields.append("noted_at_meeting")
        notice.save(update_fields=fields or None)
        said = text.strip() or {"note": "Noted by the SSC", "authorise": "Authorised to "
                                "bring the system into operation", "close": "Closed"}[action]
        NoticeUpdate.objects.create(notice=notice, kind=action, text=said, by=user, at=now())
        if (action == "note" and notice.kind == Kind.PROVIDER_CHANGE
                and notice.provider_id != notice.party.resource_provider_id):
            set_resource_provider(user, notice.party, notice.provider,
                                  reason=f"change of Shared Resource Provider noted by the SSC "
                                         f"(notice {notice.pk})", clause="G10.2")
        journal(user, f"notices.review.{action}", clause=clause or notice.clause,
                party=notice.party, subject=f"notice:{notice.pk}", reason=text.strip(),
                meeting=meeting.strip(), meeting_id=held_at.pk if held_at else None)
    return notice
