"""CPA Certificate Remedial Plans (G8.64) in the pages: filed for a CPL entry from the CPL
page, reviewed by the SSC from its review queue (accept, or ask for changes with reasons),
journaled; another party's plan is a 404 like a missing one."""
from __future__ import annotations

from datetime import timedelta

from secassure.core.journal.models import JournalEntry
from secassure.notices.models import CplEntry, RemedialPlan
from tests.conftest import TODAY


def _entry() -> CplEntry:
    return CplEntry.objects.filter(classification="GREEN").order_by("id").first()


def test_a_party_files_a_plan_from_the_cpl_page_and_bad_input_writes_nothing(client_for):
    entry = _entry()
    rep = client_for("rep-KESTREL")
    cpl = rep.get("/notices/cpl/").content.decode()
    assert f'href="/notices/cpl/{entry.pk}/plan/"' in cpl
    before = RemedialPlan.objects.count()
    late = rep.post(f"/notices/cpl/{entry.pk}/plan/", {
        "party": "KESTREL", "plan": "Replace them.", "review_by": "2000-01-01"})
    assert late.status_code == 400 and b"review_by" in late.content
    other = rep.post(f"/notices/cpl/{entry.pk}/plan/", {
        "party": "HEARTH", "plan": "Replace them.",
        "review_by": (TODAY + timedelta(days=9)).isoformat()})
    assert other.status_code == 400  # HEARTH is not a party KESTREL's people file for
    assert rep.post("/notices/cpl/99999999/plan/", {}).status_code == 404
    assert RemedialPlan.objects.count() == before
    made = rep.post(f"/notices/cpl/{entry.pk}/plan/", {
        "party": "KESTREL", "plan": "Replace the meters by June.",
        "review_by": (TODAY + timedelta(days=9)).isoformat()})
    assert made.status_code == 302
    plan = RemedialPlan.objects.latest("id")
    assert (plan.party.party_id, plan.entry, plan.state) == ("KESTREL", entry, "filed")
    assert made["Location"] == f"/notices/plans/{plan.pk}/"
    assert JournalEntry.objects.filter(action="notices.remedial_plan",
                                       subject=f"remedial_plan:{plan.pk}").exists()


def test_the_ssc_asks_for_changes_with_reasons_then_accepts_the_revised_plan(client_for):
    entry = _entry()

    def rep(url, data=None):
        client = client_for("rep-KESTREL")
        return client.get(url) if data is None else client.post(url, data)

    def ssc(url, data=None):
        client = client_for("ssc-member")
        return client.get(url) if data is None else client.post(url, data)

    due = (TODAY + timedelta(days=9)).isoformat()
    rep(f"/notices/cpl/{entry.pk}/plan/", {"party": "KESTREL", "plan": "First plan.",
                                           "review_by": due})
    plan = RemedialPlan.objects.latest("id")
    url = f"/notices/plans/{plan.pk}/"
    assert f'href="{url}"' in ssc("/notices/review/").content.decode()
    # the party does not review its own plan; the SSC's changes need reasons
    assert rep(url, {"outcome": "accept"}).status_code == 403
    bare = ssc(url, {"outcome": "changes", "reasons": ""})
    assert bare.status_code == 400 and b"reasons" in bare.content
    plan.refresh_from_db()
    assert plan.state == "filed"
    assert ssc(url, {"outcome": "changes", "reasons": "Name the dates."}).status_code == 302
    plan.refresh_from_db()
    assert (plan.state, plan.reasons, plan.reviewed_on) == ("changes", "Name the dates.", TODAY)
    entry_row = JournalEntry.objects.get(action="notices.remedial_plan_changes_asked",
                                         subject=f"remedial_plan:{plan.pk}")
    assert entry_row.reason == "Name the dates."
    assert ssc(url, {"outcome": "accept"}).status_code == 409
    page = rep(url).content.decode()
    assert "Name the dates." in page and f'href="/notices/cpl/{entry.pk}/plan/"' in page
    rep(f"/notices/cpl/{entry.pk}/plan/", {"party": "KESTREL", "plan": "Revised, with dates.",
                                           "review_by": due})
    revised = RemedialPlan.objects.latest("id")
    assert revised.pk != plan.pk
    assert ssc(f"/notices/plans/{revised.pk}/", {"outcome": "accept"}).status_code == 302
    revised.refresh_from_db()
    assert revised.state == "accepted"
    assert JournalEntry.objects.filter(action="notices.remedial_plan_accepted",
                                       subject=f"remedial_plan:{revised.pk}").exists()
    assert f'/notices/plans/{revised.pk}/"' not in ssc("/notices/review/").content.decode()


def test_another_partys_plan_is_a_404_as_a_missing_one(client_for):
    plan = RemedialPlan.objects.filter(party__party_id="LUMEN").first()
    assert client_for("rep-LUMEN").get(f"/notices/plans/{plan.pk}/").status_code == 200
    other = client_for("rep-HEARTH")  # one client, signed in again as HEARTH's person
    assert other.get(f"/notices/plans/{plan.pk}/").status_code == 404
    assert other.post(f"/notices/plans/{plan.pk}/", {"outcome": "accept"}).status_code == 404
    assert other.get("/notices/plans/99999999/").status_code == 404


def test_the_demo_has_a_plan_in_each_state_of_its_review(client_for):
    states = set(RemedialPlan.objects.values_list("state", flat=True))
    assert states == {"filed", "accepted", "changes"}
    page = client_for("rep-KESTREL").get("/notices/cpl/").content.decode()
    assert "changes asked" in page and "accepted" in page


def test_the_attention_page_lists_the_plans_waiting_on_the_ssc(client_for):
    waiting = RemedialPlan.objects.get(party__party_id="LUMEN", state="filed")
    part = client_for("ssc-member").get("/notices/attention/", HTTP_HX_REQUEST="true"
                                        ).content.decode()
    assert f'href="/notices/plans/{waiting.pk}/"' in part
    reviewed = RemedialPlan.objects.filter(state__in=["accepted", "changes"])
    assert reviewed and all(f'/notices/plans/{p.pk}/"' not in part for p in reviewed)
    other = client_for("rep-HEARTH").get("/notices/attention/", HTTP_HX_REQUEST="true"
                                         ).content.decode()
    assert f'/notices/plans/{waiting.pk}/"' not in other  # LUMEN's plan, not HEARTH's


def test_only_a_partys_people_or_secas_open_the_plan_form(client_for):
    entry = _entry()
    assert client_for("secas").get(f"/notices/cpl/{entry.pk}/plan/").status_code == 200
    assert client_for("ssc-member").get(f"/notices/cpl/{entry.pk}/plan/").status_code == 403
    assert client_for("ssc-member").get("/notices/cpl/99999999/plan/").status_code == 404
