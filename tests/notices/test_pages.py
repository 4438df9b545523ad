"""The notices' pages: every kind filed through its form, its page with the timeline, the
SSC's review, the counts with their reminders and overdue flags, the attention page's part."""
from __future__ import annotations

from datetime import timedelta

import pytest

from secassure.notices.models import Notice, SmsCount
from secassure.notices.rules import KINDS, REMIND_DAYS, next_count_due
from tests.conftest import TODAY

FORMS = {
    "incident": {"title": "Phishing", "description": "d", "event_on": TODAY},
    "vulnerability": {"title": "TLS", "description": "d", "event_on": TODAY,
                      "manufacturer": "aware", "steps": "s",
                      "complete_by": TODAY + timedelta(days=9)},
    "new_system": {"title": "CRM", "description": "d", "event_on": TODAY + timedelta(days=9),
                   "purpose": "p", "relationship": "r"},
    "decommissioning": {"title": "Old", "description": "d",
                        "event_on": TODAY + timedelta(days=9)},
    "shared_resources": {"title": "Hosting", "description": "d", "event_on": TODAY,
                         "provider": "GRIDSHARE", "provider_contact": "c", "services": "s"},
    "provider_change": {"title": "Move", "description": "d", "event_on": TODAY,
                        "provider": "GRIDSHARE", "provider_contact": "c", "services": "s"},
}


@pytest.mark.parametrize("kind", list(FORMS))
def test_every_kind_is_filed_through_its_form_and_bad_input_writes_nothing(client_for, kind):
    assert set(FORMS) == {k.value for k in KINDS}
    client = client_for("rep-KESTREL")
    assert client.get(f"/notices/new/{kind}/").status_code == 200
    before = Notice.objects.count()
    bad = client.post(f"/notices/new/{kind}/", {"party": "KESTREL", **FORMS[kind],
                                                "title": ""})
    assert bad.status_code == 400 and Notice.objects.count() == before
    good = client.post(f"/notices/new/{kind}/", {"party": "KESTREL", **FORMS[kind]})
    assert good.status_code == 302, good.content[:2000]
    notice = Notice.objects.latest("id")
    assert (notice.kind, notice.party.party_id) == (kind, "KESTREL")
    page = client.get(good["Location"])
    assert page.status_code == 200 and notice.clause.encode() in page.content


def test_a_party_cannot_file_for_another_party(client_for):
    answer = client_for("rep-KESTREL").post("/notices/new/incident/",
                                            {"party": "HEARTH", **FORMS["incident"]})
    assert answer.status_code == 400  # HEARTH is not among the parties offered


def test_the_ssc_reviews_and_closes_a_notice_on_its_page(client_for):
    notice = Notice.objects.filter(state="filed", kind="incident").first()
    ssc = client_for("ssc-member")
    assert ssc.post(f"/notices/{notice.pk}/question/", {"text": ""}).status_code == 400
    assert ssc.post(f"/notices/{notice.pk}/question/", {"text": "Which systems?"}
                    ).status_code == 302
    notice.refresh_from_db()
    assert notice.state == "questioned"
    assert ssc.post(f"/notices/{notice.pk}/close/", {}).status_code == 302
    notice.refresh_from_db()
    assert notice.state == "closed"
    assert ssc.post(f"/notices/{notice.pk}/note/", {}).status_code == 409


def test_the_counts_page_shows_the_reminder_and_the_overdue_count(client_for):
    """G5.27(b): KESTREL's last count was about six months less a week ago (the demo), so its
    next falls due within the reminder period; MERIDIAN's was seven months ago."""
    last = SmsCount.objects.filter(party__party_id="KESTREL").latest("reported_on")
    days = (next_count_due(last.reported_on) - TODAY).days
    assert 0 < days <= REMIND_DAYS
    page = client_for("ssc-member").get("/notices/counts/").content.decode()
    assert f"reminder: due in {days} days" in page
    assert 'id="count-MERIDIAN" class="overdue"' in page  # seven months ago


def test_the_attention_page_lists_notices_waiting_and_overdue(client_for):
    client = client_for("ssc-member")
    assert b"/notices/attention/" in client.get("/assurance/attention/").content
    part = client.get("/notices/attention/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part
    for heading in ("Notices waiting on the SSC", "Systems operational without the SSC",
                    "Vulnerability steps past their stated time",
                    "Counts of Smart Metering Systems overdue"):
        assert heading in part
    assert "BRAMBLE" in part and "not authorised" in part


def test_the_export_lists_only_what_the_person_sees(client_for):
    rows = client_for("rep-HEARTH").get("/notices/export.json").json()
    assert rows and {r["party"] for r in rows} == {"HEARTH"}
    assert client_for("secas").get("/notices/export.csv").content.startswith(b"id,party,")
