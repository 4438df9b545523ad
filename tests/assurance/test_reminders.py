"""Reminders before each due date: responses (G8.24), agreed steps (G8.28(a)), progress reports
(G8.28(b)(i)), Follow-ups (G8.29, G8.36(b)(ii)) and the next assessment a party owes
(G8.40-G8.47, G12.8); to the party's people, the assessor of a Follow-up and, once a date has
passed, the committee; one message each, with no RED detail; once a day."""
from datetime import timedelta

import pytest

from secassure.accounts.models import Person
from secassure.assurance import services
from secassure.assurance.models import Finding, Step
from secassure.assurance.reminders import JOURNAL_ACTION, send_reminders
from secassure.core.journal.models import JournalEntry
from tests.conftest import TODAY


@pytest.fixture
def people(demo):
    """Every demo login with an e-mail address (the demo has none: nothing would be sent)."""
    for person in Person.objects.all():
        person.email = f"{person.username}@example.test"
        person.save(update_fields=["email"])
    return {p.username: p for p in Person.objects.select_related("party")}


def sent(mailoutbox) -> dict[str, str]:
    """Each recipient's message (subject and body), by login."""
    messages = {}
    for message in mailoutbox:
        assert len(message.to) == 1, "no one sees the others' addresses"
        username = message.to[0].split("@")[0]
        assert username not in messages, "one message per recipient per run"
        messages[username] = f"{message.subject}\n{message.body}"
    return messages


def test_who_is_reminded_of_what_within_fourteen_days(people, mailoutbox):
    outcome = send_reminders(TODAY, 14)
    messages = sent(mailoutbox)
    assert set(messages) == {"rep-MERIDIAN", "rep-PYLON", "rep-FENWAY", "ssc-member", "secas"}
    assert set(outcome.sent) == set(messages)
    meridian = messages["rep-MERIDIAN"]
    assert "Response to the assessment report (G8.24)" in meridian
    assert "Verification User Security Assessment of MERIDIAN" in meridian
    assert "overdue by 7 days" in meridian
    assert "Agreed step for finding 1 (G8.28(a))" in messages["rep-PYLON"]
    assert "overdue by 14 days" in messages["rep-PYLON"]
    assert "Next assessment to be scheduled: Verification User Security Assessment (G8.44)" \
        in messages["rep-FENWAY"]
    committee = messages["ssc-member"]
    for overdue in ["of MERIDIAN", "of PYLON", "FENWAY"]:
        assert overdue in committee
    # G12.8: FIXLAB's next category is for the SSC to determine, due within the fortnight.
    assert "The SSC to determine the category of the next assessment (G12.8): FIXLAB" in \
        committee
    assert "FIXLAB" not in messages["rep-PYLON"]
    assert committee.count("\n- ") == 4 and "(4 overdue)" not in committee
    assert "Reminder: 4 items due by" in committee and "(3 overdue)" in committee


def test_later_dates_within_a_longer_horizon(people, mailoutbox):
    """Within 100 days: PYLON's next progress report (every 30 days, G8.28(b)(i)), its second
    step, the DCC's step, QUARTZ's Follow-up (G8.36(b)(ii)), for its assessor too."""
    send_reminders(TODAY, 100)
    messages = sent(mailoutbox)
    pylon = messages["rep-PYLON"]
    assert "Progress report on the agreed steps (G8.28(b)(i))" in pylon
    assert pylon.count("Agreed step for finding") == 2
    assert "Agreed step for finding 1 (G8.28(a)): Full DCC Security Assessment of DCC" in \
        messages["dcc"]
    follow_up = "Follow-up Security Assessment (G8.36(b)(ii)): Follow-up Security Assessment " \
                "of QUARTZ"
    assert follow_up in messages["rep-QUARTZ"] and follow_up in messages["cio-assessor"]
    assert "due in 90 days" in messages["cio-assessor"]
    assert follow_up not in messages["ssc-member"], "not yet late: the committee is not told"
    assert "panel-member" not in messages and "rep-HEARTH" not in messages


def test_reminders_carry_no_red_detail(people, mailoutbox):
    send_reminders(TODAY, 365)
    secrets = list(Finding.objects.values_list("title", flat=True)) + list(
        Step.objects.values_list("description", flat=True))
    assert secrets
    for username, message in sent(mailoutbox).items():
        for secret in secrets:
            assert secret not in message, (username, secret)
        assert "This message carries no details." in message


def test_done_is_not_reminded(people, mailoutbox):
    """A step completed and reported (G8.28(b)(ii)) and a response submitted (G8.24) drop
    out."""
    pylon_step = Step.objects.get(finding__assessment__party__party_id="PYLON",
                                  finding__number=1)
    pylon = pylon_step.finding.assessment
    services.report_progress(people["rep-PYLON"], pylon, kind="completion", step=pylon_step,
                             text="Capacity review done.")
    meridian = Finding.objects.get(assessment__party__party_id="MERIDIAN").assessment
    from secassure.code.findings import Answer
    services.submit_response(people["rep-MERIDIAN"], meridian,
                             {f.pk: Answer(True) for f in meridian.findings.all()})
    mailoutbox.clear()
    send_reminders(TODAY, 14)
    messages = sent(mailoutbox)
    assert "rep-PYLON" not in messages and "rep-MERIDIAN" not in messages
    assert "MERIDIAN" not in messages["ssc-member"] and "of PYLON" not in messages["ssc-member"]


def test_once_a_day_unless_forced_and_journaled(people, mailoutbox):
    first = send_reminders(TODAY, 14)
    count = len(mailoutbox)
    entry = JournalEntry.objects.get(action=JOURNAL_ACTION)
    assert entry.details["recipients"] == sorted(first.sent)
    assert entry.details["as_of"] == TODAY.isoformat()
    assert entry.classification == "RED" and entry.party is None
    again = send_reminders(TODAY, 14)
    assert len(mailoutbox) == count and again.sent == {}
    assert sorted(again.skipped) == sorted(first.sent)
    assert JournalEntry.objects.filter(action=JOURNAL_ACTION).count() == 1
    send_reminders(TODAY, 14, force=True)
    assert len(mailoutbox) == 2 * count
    send_reminders(TODAY + timedelta(days=1), 14)  # the next day: reminded again
    assert len(mailoutbox) == 3 * count


def test_people_without_an_address_or_inactive_are_skipped(people, mailoutbox):
    Person.objects.filter(username="rep-MERIDIAN").update(email="")
    Person.objects.filter(username="secas").update(is_active=False)
    send_reminders(TODAY, 14)
    assert {"rep-MERIDIAN", "secas"}.isdisjoint(sent(mailoutbox))


def test_a_negative_horizon_is_refused(people):
    with pytest.raises(ValueError, match="^days:"):
        send_reminders(TODAY, -1)


def test_each_cycle_a_party_owes_is_reminded(db):
    """G1.5, G8.63 (issue 9): a Supplier that is also a Shared Resource Provider owes two
    cycles; each is reminded when it falls due, the provider's as a provider's."""
    from secassure.assurance.reminders import due_items
    from secassure.assurance.services import import_register
    from secassure.core.permissions import SYSTEM

    def fusa(days_ago, role):
        on = (TODAY - timedelta(days=days_ago)).isoformat()
        return {"type": "FUSA", "completed": on, "initial": True, "roles": [role],
                "assurance_status": "approved", "status_set": on}

    import_register(SYSTEM, {"parties": [{
        "id": "TWOCYCLES", "roles": ["import_supplier", "shared_resource_provider"],
        "assessments": [fusa(360, "import_supplier"), fusa(340, "shared_resource_provider")]}]})
    from secassure.code.dates import twelve_months_after
    items = sorted((r.item.due, r.item.what) for r in due_items(TODAY, 30)
                   if r.item.about == "TWOCYCLES")
    assert items == [
        (twelve_months_after(TODAY - timedelta(days=360)),
         "Next assessment to be scheduled: Verification User Security Assessment"),
        (twelve_months_after(TODAY - timedelta(days=340)),
         "Next assessment to be scheduled: Verification User Security Assessment "
         "(as a Shared Resource Provider, G8.63)")]
