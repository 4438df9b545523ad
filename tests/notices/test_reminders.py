"""Reminders of what notices owe (G5.27(b), G3.9(b)(ii), G7.20(d), G8.64): the party's people
before the due date, the committee too once it has passed; naming the party and clause only;
journaled."""
from __future__ import annotations

from django.core import mail

from secassure.accounts.models import Person
from secassure.core.journal.models import JournalEntry
from secassure.notices.reminders import due_items, send_notice_reminders
from tests.conftest import TODAY


def test_the_counts_due_soon_and_overdue_are_reminded(demo):
    items = {(i.clause, i.what.split(":")[0]) for i in due_items(TODAY)}
    assert ("G5.27(b)", "KESTREL") in items   # due within the reminder period
    assert ("G5.27(b)", "MERIDIAN") in items  # overdue
    assert ("G3.9(b)(ii)", "HEARTH") in items  # steps past their stated time
    assert ("G8.64", "LUMEN") not in items     # its review is 20 days away


def test_reminders_go_to_the_party_and_once_overdue_to_the_committee(demo):
    for person in Person.objects.filter(username__in=["rep-KESTREL", "rep-MERIDIAN", "rep-HEARTH",
                                                      "ssc-member"]):
        person.email = f"{person.username}@example.org"
        person.save(update_fields=["email"])
    sent = send_notice_reminders(TODAY)
    assert any("KESTREL" in i.what for i in sent["rep-KESTREL"])
    assert not any("KESTREL" in i.what for i in sent.get("ssc-member", []))  # not yet due
    assert any("MERIDIAN" in i.what for i in sent["ssc-member"])             # overdue
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "G5.27(b)" in bodies["rep-KESTREL@example.org"]
    assert "notice" in bodies["rep-HEARTH@example.org"]  # its steps, overdue (G3.9(b)(ii))
    assert "Outdated TLS" not in "".join(bodies.values())  # no RED detail
    assert JournalEntry.objects.filter(action="notices.reminders.sent").exists()
