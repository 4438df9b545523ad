"""What falls due: papers due for the next meetings, actions overdue, and each person's
calendar of meetings and due dates (an iCal feed)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from ..models import Action, Meeting


@dataclass(frozen=True)
class Reminder:
    to: str       # a username, or "secretariat"
    what: str
    due: date


def reminders(today: date, *, papers_within: int = 7) -> list[Reminder]:
    """Papers due within `papers_within` days for meetings not yet held, and actions overdue
    (to their owner)."""
    found: list[Reminder] = []
    soon = Meeting.objects.filter(status=Meeting.Status.PLANNED, papers_due__isnull=False,
                                  papers_due__gte=today,
                                  papers_due__lte=today + timedelta(days=papers_within))
    for meeting in soon:
        found.append(Reminder("secretariat", f"Papers due for {meeting}", meeting.papers_due))
    for action in Action.objects.filter(done_on__isnull=True, due__lt=today).select_related(
            "owner", "meeting"):
        to = action.owner.get_username() if action.owner else "secretariat"
        found.append(Reminder(to, f"Action {action.reference} overdue: {action.text[:80]}",
                              action.due))
    return found


def ical_feed(user: Any) -> bytes:
    """The person's calendar: every meeting (all-day events) and the due dates of their actions
    not yet done (the action's words only where they may see it)."""
    cal = Calendar()
    cal.add("prodid", "-//secassure//committee//EN")
    cal.add("version", "2.0")
    for meeting in Meeting.objects.order_by("date"):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@secassure")
        event.add("summary", str(meeting))
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
        event.add("dtstamp", datetime(2000, 1, 1))
        cal.add_component(event)
        if meeting.papers_due:
            due = Event()
            due.add("uid", f"papers-{meeting.pk}@secassure")
            due.add("summary", f"Papers due: {meeting}")
            due.add("dtstart", meeting.papers_due)
            due.add("dtend", meeting.papers_due + timedelta(days=1))
            due.add("dtstamp", datetime(2000, 1, 1))
            cal.add_component(due)
    mine = Action.objects.visible_to(user).filter(owner_id=getattr(user, "pk", None),
                                                  done_on__isnull=True)
    for action in mine.select_related("meeting"):
        event = Event()
        event.add("uid", f"action-{action.pk}@secassure")
        event.add("summary", f"Action {action.reference} due: {action.text[:80]}")
        event.add("dtstart", action.due)
        event.add("dtend", action.due + timedelta(days=1))
        event.add("dtstamp", datetime(2000, 1, 1))
        cal.add_component(event)
    return cal.to_ical()
