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


def test_the_attention_page_and_the_notices_page_show_what_falls_due(client_for):
    """No scheduler runs the reminders (a daily cron line runs `secassure notices remind`);
    the pages show each person what falls due, of what they see."""
    part = client_for("rep-KESTREL").get("/notices/attention/", HTTP_HX_REQUEST="true"
                                         ).content.decode()
    assert "KESTREL: count of Smart Metering Systems" in part and "reminder" in part
    assert "MERIDIAN" not in part and "HEARTH" not in part  # another party's business
    assert "CPA certificate of CPL entry" in part  # GREEN: every Supplier Party's
    ssc = client_for("ssc-member").get("/notices/attention/", HTTP_HX_REQUEST="true"
                                       ).content.decode()
    assert "KESTREL: count of Smart Metering Systems" in ssc
    own = client_for("rep-HEARTH").get("/notices/").content.decode()
    assert 'id="notices-due"' in own and "HEARTH: vulnerability steps" in own
    assert "KESTREL" not in own


def test_due_items_are_limited_to_what_the_person_sees(demo):
    hearth = demo["rep-HEARTH"]
    assert {i.what.split(":")[0] for i in due_items(TODAY, user=hearth)
            if i.clause != "G7.20(d)"} == {"HEARTH"}
    assert len(due_items(TODAY)) > len(due_items(TODAY, user=hearth))
