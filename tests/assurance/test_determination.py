"""The SSC's determination of a Triage Facility Provider's next category (G12.8): recorded on
the assessment it follows, at every door, and the schedule follows it."""
import pytest

from secassure.assurance.models import Assessment
from secassure.assurance.selectors import party_schedule
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party
from tests.conftest import TODAY

A = "/api/assurance/assessments"


def entry_fusa(party_id):
    return Assessment.objects.get(party__party_id=party_id, category="FUSA", initial=True)


def test_the_ssc_determines_the_category_on_the_assessment_and_the_schedule_follows(api_for):
    """G12.8: 'The Security Sub-Committee shall determine the category of each such User
    Security Assessment' - the determination follows FIXLAB's initial FUSA."""
    fixlab = Party.objects.get(party_id="FIXLAB")
    assert party_schedule(fixlab, TODAY).next.value == "SSC_TO_DETERMINE"
    fusa = entry_fusa("FIXLAB")
    for who in ["secas", "panel-member", "rep-FIXLAB", "cio-assessor"]:
        answer = api_for(who).post(f"{A}/{fusa.pk}/next-category/",
                                   {"category": "SSA", "reason": "few devices"}, format="json")
        assert answer.status_code in (403, 404), who
    answer = api_for("ssc-member").post(f"{A}/{fusa.pk}/next-category/",
                                        {"category": "SSA", "reason": "few devices, no "
                                                                      "incidents"},
                                        format="json")
    assert answer.status_code == 200, answer.content
    fusa.refresh_from_db()
    assert fusa.ssc_next_category == "SSA"
    entry = party_schedule(fixlab, TODAY)
    assert (entry.next.value, entry.rule) == ("SSA", "G12.8")
    journaled = JournalEntry.objects.filter(action="assurance.determine_next_category").last()
    assert journaled.clause == "G12.8" and journaled.details["value"] == "SSA"


@pytest.mark.parametrize("category", ["FOLLOW_UP", "DCC", "", "fusa"])
def test_only_fusa_vusa_or_ssa(api_for, category):
    """G12.8(c): a Full, a Verification or a Self-Assessment."""
    answer = api_for("ssc-member").post(f"{A}/{entry_fusa('FIXLAB').pk}/next-category/",
                                        {"category": category, "reason": "x"}, format="json")
    assert answer.status_code == 400


def test_not_for_a_party_that_is_not_a_triage_facility_provider(api_for):
    """The other cycles are set by G8.41-G8.47, not by a determination of the SSC."""
    answer = api_for("ssc-member").post(f"{A}/{entry_fusa('HEARTH').pk}/next-category/",
                                        {"category": "SSA", "reason": "x"}, format="json")
    assert answer.status_code == 409 and "G12.8" in answer.json()["detail"]


def test_approved_subject_to_a_follow_up_by_a_date_is_owed_by_then(demo):
    """G8.36(b)(ii): 'subject to a Follow-up Security Assessment by such date as the Panel may
    specify': the date is kept on the FUSA, and the schedule owes the Follow-up by then."""
    from datetime import timedelta

    from secassure.assurance import services
    from secassure.code.workflow import RULES, Act
    waiting = [a for a in Assessment.objects.filter(category="FUSA", initial=True,
                                                    assurance_status="")
               if a.stage in {s.value for s in RULES[Act.SET_ASSURANCE_STATUS].stages}]
    assert waiting, "the demo has an initial FUSA awaiting the Panel"
    fusa = waiting[0]
    by = TODAY + timedelta(days=90)
    services.set_assurance_status(demo["panel-member"], fusa, "approved_subject_to",
                                  "steps first", follow_up_by=by)
    fusa.refresh_from_db()
    assert fusa.follow_up_by == by
    entry = party_schedule(fusa.party, TODAY)
    assert (entry.next.value, entry.due, entry.rule) == ("FOLLOW_UP", by, "G8.36(b)(ii)")
