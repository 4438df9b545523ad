"""Reminders before each due date of the assurance workflow, by e-mail.

What falls due within `days` of `as_of` (14 by default), and what is overdue:
- the response to a report, by the date the SSC specified (G8.24);
- each agreed step, by its date in the agreed timetable (G8.28(a));
- the next progress report, at the interval the SSC specified (G8.28(b)(i));
- a Follow-up Security Assessment, by the date the SSC (G8.29) or the Panel (G8.36(b)(ii))
  specified;
- the next periodic assessment a party owes (G8.40-G8.47, G12.8), from the register's
  schedule, unless it is already booked; for a Triage Facility Provider whose next category
  the SSC has yet to determine (G12.8), the SSC is reminded to determine it.

Who is told: the people of the party that must act; the assessor of a Follow-up; and, once a
date has passed, the committee (SSC members and SECAS), which chases it. Each person gets one
message per run listing all their items. Like every notification (`notify`), a reminder names
the assessment (party, category, reference) and the clause, never the RED business itself
(no finding titles, no step descriptions).

A run that sends anything is journaled ("assurance.reminders.sent", naming the people told);
a second run for the same day does not remind the same person again unless forced.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from secassure.accounts.models import Person
from secassure.code.categories import AssessmentType
from secassure.code.classification import PARTY_SIDE, Classification, PersonKind
from secassure.code.cycle import NextStep
from secassure.code.workflow import Stage
from secassure.core.journal.models import JournalEntry
from secassure.core.journal.services import record
from secassure.core.journal.words import counted
from secassure.core.permissions import SYSTEM

from . import notify
from .models import Assessment, Category, Step

JOURNAL_ACTION = "assurance.reminders.sent"
DEFAULT_DAYS = 14
PARTY_KINDS = sorted(PARTY_SIDE)
COMMITTEE = [PersonKind.SSC_MEMBER, PersonKind.SECAS]
FOLLOW_UPS = [Category.FOLLOW_UP, Category.DCC_FOLLOW_UP]


@dataclass(frozen=True, order=True)
class Item:
    """One thing that falls due, said without RED detail."""

    due: date
    what: str
    clause: str
    about: str  # the assessment or party it concerns: party id, category, reference

    def line(self, as_of: date) -> str:
        late = (as_of - self.due).days
        when = (f"overdue by {late} day{'s' * (late != 1)}" if late > 0 else "due today"
                if late == 0 else f"due in {-late} day{'s' * (late != -1)}")
        return f"- {self.what} ({self.clause}): {self.about}; {self.due:%d %B %Y}, {when}"


@dataclass
class Reminder:
    item: Item
    party_id: int | None          # whose people must act
    committee: bool = False       # the SSC and SECAS too (the date has passed)
    people: tuple[int, ...] = ()  # particular people (the assessor of a Follow-up)


@dataclass
class Outcome:
    as_of: date
    horizon: date
    sent: dict[str, list[Item]] = field(default_factory=dict)  # username -> items
    skipped: list[str] = field(default_factory=list)  # already reminded today

    def as_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "horizon": self.horizon.isoformat(),
                "sent": {name: [item.line(self.as_of) for item in items]
                         for name, items in self.sent.items()},
                "skipped": self.skipped}


def _about(assessment: Assessment) -> str:
    return (f"{assessment.get_category_display()} of {assessment.party.party_id} "
            f"(reference {assessment.pk})")


def due_items(as_of: date, days: int = DEFAULT_DAYS) -> list[Reminder]:
    """Everything due by `as_of + days`, overdue included, and whom to tell."""
    horizon = as_of + timedelta(days=days)
    reminders: list[Reminder] = []

    def add(item: Item, party_id, people=()):
        reminders.append(Reminder(item, party_id, committee=item.due < as_of, people=people))

    assessments = Assessment.objects.select_related("party", "follows")
    for a in assessments.filter(stage=Stage.REPORT_ISSUED, response_due__lte=horizon):
        add(Item(a.response_due, "Response to the assessment report", "G8.24", _about(a)),
            a.party_id)
    for step in (Step.objects.filter(status=Step.Status.AGREED, completed_on__isnull=True,
                                     failure_reason="", due__lte=horizon)
                 .select_related("finding__assessment__party")):
        a = step.finding.assessment
        add(Item(step.due, f"Agreed step for finding {step.finding.number}", "G8.28(a)",
                 _about(a)), a.party_id)
    open_steps = Step.objects.filter(finding__assessment=OuterRef("pk"),
                                     status=Step.Status.AGREED, completed_on__isnull=True)
    for a in assessments.filter(Exists(open_steps), stage=Stage.PLAN_AGREED,
                                next_progress_due__lte=horizon):
        add(Item(a.next_progress_due, "Progress report on the agreed steps", "G8.28(b)(i)",
                 _about(a)), a.party_id)
    cio = tuple(Person.objects.filter(kind=PersonKind.CIO_ASSESSOR).values_list("pk",
                                                                                flat=True))
    for a in assessments.filter(category__in=FOLLOW_UPS, stage=Stage.BOOKED, due__lte=horizon):
        add(Item(a.due, "Follow-up Security Assessment", "G8.36(b)(ii)" if a.follows and
                 a.follows.initial else "G8.29", _about(a)), a.party_id,
            people=(a.assessor_id,) if a.assessor_id else cio)
    reminders += _periodic(as_of, horizon)
    return reminders


def _periodic(as_of: date, horizon: date) -> list[Reminder]:
    """The next periodic assessment each party owes, from the register's schedule."""
    from secassure.registry.models import Party

    from .selectors.schedule import open_bookings, register_schedule
    parties = dict(Party.objects.values_list("party_id", "pk"))
    by_pk = {pk: party_id for party_id, pk in parties.items()}
    booked = {by_pk[pk] for pk in open_bookings()}  # a booking stands in for "next"
    reminders = []
    for entry in register_schedule(as_of):
        for owed in entry.obligations:  # each cycle the party owes (G1.5)
            if (owed.due is None or owed.due > horizon or entry.party_id in booked
                    or owed.next == NextStep.NONE):
                continue
            role = " (as a Shared Resource Provider, G8.63)" if owed.as_provider else ""
            if owed.next == NextStep.SSC_TO_DETERMINE:  # G12.8: the SSC decides the category
                reminders.append(Reminder(Item(owed.due, "The SSC to determine the category "
                                               "of the next assessment", owed.rule,
                                               entry.party_id), None, committee=True))
                continue
            name = AssessmentType(owed.next.value).label
            item = Item(owed.due, f"Next assessment to be scheduled: {name}{role}", owed.rule,
                        entry.party_id)
            reminders.append(Reminder(item, parties[entry.party_id], committee=owed.overdue))
    return reminders


def recipients(reminders: list[Reminder]) -> dict[Person, list[Item]]:
    """Each person to remind, with their items in date order (two queries)."""
    party_ids = {r.party_id for r in reminders if r.party_id}
    named = {pk for r in reminders for pk in r.people}
    people = list(Person.objects.filter(
        Q(kind__in=COMMITTEE) | Q(kind__in=PARTY_KINDS, party_id__in=party_ids)
        | Q(pk__in=named), is_active=True).exclude(email="").order_by("username"))
    committee = [p for p in people if p.kind in COMMITTEE]
    by_party = defaultdict(list)
    for person in people:
        if person.kind in PARTY_KINDS:
            by_party[person.party_id].append(person)
    by_pk = {p.pk: p for p in people}
    items: dict[Person, set[Item]] = defaultdict(set)
    for reminder in reminders:
        told = by_party[reminder.party_id] + [by_pk[pk] for pk in reminder.people if pk in by_pk]
        if reminder.committee:
            told += committee
        for person in told:
            items[person].add(reminder.item)
    return {person: sorted(found) for person, found in items.items()}


def already_reminded(as_of: date) -> set[str]:
    """The people reminded by earlier runs for `as_of`."""
    names: set[str] = set()
    for details in JournalEntry.objects.filter(action=JOURNAL_ACTION,
                                               details__as_of=as_of.isoformat()).values_list(
            "details", flat=True):
        names.update(details.get("recipients", []))
    return names


def send_reminders(as_of: date, days: int = DEFAULT_DAYS, *, force: bool = False) -> Outcome:
    """Send one message to each person with something due; journal who was told."""
    if days < 0:
        raise ValueError("days: the number of days ahead is 0 or more")
    outcome = Outcome(as_of, as_of + timedelta(days=days))
    done = set() if force else already_reminded(as_of)
    for person, items in recipients(due_items(as_of, days)).items():
        if person.username in done:
            outcome.skipped.append(person.username)
            continue
        late = sum(1 for item in items if item.due < as_of)
        subject = (f"Reminder: {len(items)} item{'s' * (len(items) != 1)} due by "
                   f"{outcome.horizon:%d %B %Y}" + (f" ({late} overdue)" if late else ""))
        body = (f"Dear {person.get_full_name() or person.username},\n\nThese fall due under "
                f"Section G of the Smart Energy Code (as of {as_of:%d %B %Y}):\n\n"
                + "\n".join(item.line(as_of) for item in items))
        notify.send(subject, body, [person.email])
        outcome.sent[person.username] = items
    if outcome.sent:
        record(SYSTEM, JOURNAL_ACTION, clause="G8.24", subject="reminders",
               reason=counted(sum(map(len, outcome.sent.values())), "reminder", "reminders")
               + " to " + counted(len(outcome.sent), "person", "people"),
               details={"as_of": as_of.isoformat(), "days": days,
                        "recipients": sorted(outcome.sent),
                        "items": sum(map(len, outcome.sent.values()))},
               classification=Classification.RED)
    return outcome
