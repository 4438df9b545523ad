"""Reminders of what notices owe, before each due date and once it has passed: the six-monthly
count of Smart Metering Systems (G5.27(b)), a vulnerability's stated completion time
(G3.9(b)(ii), G3.18(c)), a CPA certificate's expiry or renewal (G7.20(d)) and a CPA
Certificate Remedial Plan's review (G8.64). A reminder names the party and the clause, never
the RED business itself; a run that sends anything is journaled."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse

from secassure.accounts.models import Person
from secassure.assurance import notify
from secassure.code.classification import PARTY_SIDE, Classification, PersonKind
from secassure.core.journal.services import record
from secassure.core.permissions import SYSTEM

from .rules import REMIND_DAYS
from .selectors import counts_due, cpl_entries, remedial_plans, steps_overdue

JOURNAL_ACTION = "notices.reminders.sent"


@dataclass(frozen=True, order=True)
class Due:
    due: date
    what: str
    clause: str
    party_id: int | None
    url: str = field(default="", compare=False)  # the page where it is settled

    def line(self, as_of: date) -> str:
        late = (as_of - self.due).days
        when = f"overdue by {late} day{'s' * (late != 1)}" if late > 0 else f"due {self.due}"
        return f"- {self.what} ({self.clause}): {when}"


def due_items(as_of: date, days: int = REMIND_DAYS, user: Any = SYSTEM) -> list[Due]:
    """Everything a notice owes by `as_of + days`, and everything overdue: of what `user`
    sees (everything for the reminders' run, the server's own operator), so the attention
    page shows a person what the reminders would tell them, and nothing else."""
    horizon = as_of + timedelta(days=days)
    items = [Due(c.due, f"{c.party.party_id}: count of Smart Metering Systems", "G5.27(b)",
                 c.party.pk, reverse("notice-counts"))
             for c in counts_due(user) if c.due <= horizon]
    items += [Due(n.complete_by, f"{n.party.party_id}: vulnerability steps (notice {n.pk})",
                  "G3.9(b)(ii)", n.party_id, reverse("notice", args=[n.pk]))
              for n in steps_overdue(user, horizon)]
    for entry in cpl_entries(user).filter(Q(certificate_expires__lte=horizon)
                                          | Q(certificate_renewal__lte=horizon)):
        day = entry.certificate_expires or entry.certificate_renewal
        items.append(Due(day, f"CPA certificate of CPL entry {entry.pk}", "G7.20(d)",
                         entry.party_id, reverse("notice-cpl")))
    for plan in remedial_plans(user).filter(review_by__lte=horizon, reviewed_on__isnull=True):
        items.append(Due(plan.review_by, f"{plan.party.party_id}: review of CPA Certificate "
                                         f"Remedial Plan {plan.pk}", "G8.64", plan.party_id,
                         reverse("notice-plan", args=[plan.pk])))
    return sorted(items)


def send_notice_reminders(as_of: date, days: int = REMIND_DAYS) -> dict[str, list[Due]]:
    """One message to each person with something due: the party's own people for their
    party's items, and the committee (SSC members, SECAS) for everything overdue."""
    told: dict[Person, list[Due]] = defaultdict(list)
    items = due_items(as_of, days)
    parties = {i.party_id for i in items if i.party_id}
    people = Person.objects.filter(is_active=True).exclude(email="").filter(
        Q(party_id__in=parties, kind__in=[k.value for k in PARTY_SIDE])
        | Q(kind__in=[PersonKind.SSC_MEMBER.value, PersonKind.SECAS.value]))
    by_party: dict[int, list[Person]] = defaultdict(list)
    committee = []
    for person in people:
        if person.kind in {PersonKind.SSC_MEMBER.value, PersonKind.SECAS.value}:
            committee.append(person)
        else:
            by_party[person.party_id].append(person)
    for item in items:
        for person in by_party.get(item.party_id or 0, []):
            told[person].append(item)
        if item.due < as_of:
            for person in committee:
                told[person].append(item)
    for person, owed in told.items():
        notify.send(f"Reminder: {len(owed)} notice item{'s' * (len(owed) != 1)} due",
                    "These fall due under Section G of the Smart Energy Code "
                    f"(as of {as_of:%d %B %Y}):\n\n" + "\n".join(i.line(as_of) for i in owed),
                    [person.email])
    sent = {person.username: owed for person, owed in told.items()}
    if sent:
        record(SYSTEM, JOURNAL_ACTION, clause="G5.27(b)", subject="reminders",
               reason=f"{len(sent)} people reminded",
               details={"as_of": as_of.isoformat(), "recipients": sorted(sent)},
               classification=Classification.RED)
    return sent
