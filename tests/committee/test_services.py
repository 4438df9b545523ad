"""The committee's services: who may do what, and the rules they enforce, clauses quoted."""
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from secassure.assurance import services as assurance
from secassure.assurance.models import Assessment
from secassure.committee import selectors, services
from secassure.committee.models import Action, BusinessLink, Membership, Paper
from secassure.committee.services import CommitteeError
from secassure.core.journal.models import JournalEntry
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_agenda_numbers_items_in_order_and_journals_each(demo, meeting):
    items = [line.item for line in selectors.agenda(demo["secas"], meeting["meeting"])]
    assert [i.display_number for i in items] == ["1", "2", "3", "4"]
    assert items[0].standing   # "outstanding actions" is a standing item of every SSC meeting
    assert JournalEntry.objects.filter(action="committee.add_item",
                                       subject=f"meeting:{meeting['meeting'].pk}").count() == 3


@pytest.mark.parametrize("username", ["ssc-member", "rep-HEARTH", "panel-member"])
def test_only_the_secretariat_prepares_the_agenda(demo, meeting, username):
    with pytest.raises(PermissionDenied, match="G7.17"):
        services.add_item(demo[username], meeting["meeting"], title="x")


def test_a_party_sees_only_its_own_red_item_and_papers_and_the_public_only_white(demo, meeting):
    m = meeting["meeting"]
    hearth = [line.item.title for line in selectors.agenda(demo["rep-HEARTH"], m)]
    cloud = [line.item.title for line in selectors.agenda(demo["rep-CLOUDVAULT"], m)]
    assert "CLOUDVAULT's FUSA" not in hearth and "Forward plan" in hearth
    assert "CLOUDVAULT's FUSA" in cloud
    from django.contrib.auth.models import AnonymousUser
    public = [line.item.title for line in selectors.agenda(AnonymousUser(), m)]
    assert public == ["Forward plan"]


def test_a_conflicted_member_does_not_receive_that_items_papers(demo, meeting):
    member = demo["ssc-member"]
    assert selectors.papers_for(member).filter(item=meeting["red"]).count() == 1
    services.declare_conflict(member, meeting["red"], note="my employer supplies CLOUDVAULT")
    assert selectors.papers_for(member).filter(item=meeting["red"]).count() == 0
    assert selectors.papers_for(member).filter(item=meeting["amber"]).count() == 1
    assert selectors.papers_for(demo["secas"]).filter(item=meeting["red"]).count() == 1
    line = next(x for x in selectors.agenda(member, meeting["meeting"])
                if x.item == meeting["red"])
    assert line.conflicted and line.papers == []


def test_a_member_declares_only_their_own_conflict(demo, meeting):
    with pytest.raises(CommitteeError, match="their own"):
        services.declare_conflict(demo["ssc-member"], meeting["red"],
                                  person=demo["panel-member"])
    with pytest.raises(PermissionDenied):
        services.declare_conflict(demo["rep-HEARTH"], meeting["red"])


def test_a_new_version_of_a_paper_keeps_the_old_one(demo, meeting):
    paper = Paper.objects.get(item=meeting["red"])
    services.add_paper(demo["secas"], meeting["red"], title="", paper=paper,
                       upload=io.BytesIO(b"report v2"), filename="report.txt")
    assert list(paper.versions.values_list("version", flat=True)) == [2, 1]


def test_the_workflows_decisions_of_the_day_attach_to_the_meeting_and_can_be_moved(demo,
                                                                                     meeting):
    m = meeting["meeting"]
    orbit = Assessment.objects.get(party__party_id="ORBIT", stage="ssa_reviewed")
    assurance.note_self_assessment(demo["ssc-member"], orbit)
    links = services.attach_business(demo["secas"], m)
    assert any(link.decision and link.decision.assessment == orbit for link in links)
    assert selectors.business_counts(m)[("ssa_noted", "SSA")] == 1
    assert services.attach_business(demo["secas"], m) == []   # attached once
    other = services.schedule_meeting(demo["secas"], body="ssc", number=107,
                                      date=TODAY + timedelta(days=14))
    link = BusinessLink.objects.get(decision__assessment=orbit)
    services.move_business(demo["secas"], link, to=other)
    assert selectors.business_counts(m)[("ssa_noted", "SSA")] == 0
    assert selectors.business_counts(other)[("ssa_noted", "SSA")] == 1


def test_actions_are_tracked_to_done_at_a_later_meeting(demo, meeting):
    m = meeting["meeting"]
    action = services.record_action(demo["secas"], m, text="Circulate the G3.20 paper",
                                    owner_name="SECAS", owner=demo["secas"],
                                    due=TODAY - timedelta(days=1))
    assert action.reference == "106/01"
    mine = selectors.action_log(demo["ssc-member"], outstanding=True).filter(meeting=m)
    assert list(mine) == [action]
    found = services.send_reminders(demo["secas"], today=TODAY)
    assert [r.to for r in found if "106/01" in r.what] == ["secas"]
    nxt = services.schedule_meeting(demo["secas"], body="ssc", number=107,
                                    date=TODAY + timedelta(days=14))
    services.complete_action(demo["secas"], action, done_on=TODAY, at=nxt)
    assert not mine.all().exists()   # a fresh query: the action is done
    assert Action.objects.get(pk=action.pk).closed_at == nxt


def test_minutes_are_drafted_from_the_record_and_approved_at_the_next_meeting(demo, meeting):
    m, secas = meeting["meeting"], demo["secas"]
    services.record_attendance(secas, m, name="Ann Chair", person=demo["ssc-member"])
    services.declare_conflict(demo["ssc-member"], meeting["red"])
    services.record_decision(secas, m, text="The SSC approved the forward plan.",
                             item=meeting["white"], classification="WHITE")
    services.hold_meeting(secas, m, members_in_office=1)
    minutes = services.draft_minutes(secas, m)
    assert minutes.classification == "RED"
    assert "Ann Chair, Member" in minutes.text
    assert "declared a conflict on item 2" in minutes.text
    assert "Decision: The SSC approved the forward plan." in minutes.text
    with pytest.raises(CommitteeError, match="later meeting"):
        services.approve_minutes(secas, minutes, at=m)
    nxt = services.schedule_meeting(secas, body="ssc", number=107,
                                    date=TODAY + timedelta(days=14))
    services.approve_minutes(secas, minutes, at=nxt)
    assert JournalEntry.objects.filter(action="committee.approve_minutes").exists()
    with pytest.raises(CommitteeError, match="approved minutes"):
        services.draft_minutes(secas, m, text="changed")


def test_the_red_minutes_are_not_read_by_a_party(demo, meeting):
    from secassure.committee.models import Minutes
    services.draft_minutes(demo["secas"], meeting["meeting"])
    assert not Minutes.objects.visible_to(demo["rep-HEARTH"]).exists()
    assert Minutes.objects.visible_to(demo["ssc-member"]).exists()


def test_quorum_follows_the_members_present(demo, meeting):
    m, secas = meeting["meeting"], demo["secas"]
    for name in ("A", "B"):
        services.record_attendance(secas, m, name=name)
    services.record_attendance(secas, m, name="C", present=False)
    assert services.hold_meeting(secas, m, members_in_office=5).quorate is False  # needs 3
    assert services.hold_meeting(secas, m, members_in_office=3).quorate is True   # needs 2


# --- Members and elections (G7.3-G7.15) -------------------------------------------------------

def test_no_one_person_holds_two_offices(demo, no_members):
    """G7.4: "No one person can hold more than one office ... at the same time"."""
    secas = demo["secas"]
    services.appoint_member(secas, seat="supplier_large", name="Ann Smith", started=TODAY)
    with pytest.raises(CommitteeError, match="G7.4"):
        services.appoint_member(secas, seat="other_user", name="ann smith", started=TODAY)


def test_a_full_seat_refuses_another_member_and_vacancies_are_shown(demo, no_members):
    secas = demo["secas"]
    services.appoint_member(secas, seat="network_gas", name="G One", started=TODAY)
    with pytest.raises(CommitteeError, match="G7.3"):
        services.appoint_member(secas, seat="network_gas", name="G Two", started=TODAY)
    lines = {line.seat.kind.value: line for line in selectors.seats(TODAY)}
    assert lines["network_gas"].vacancies == 0
    assert lines["supplier_large"].vacancies == 6


def test_the_chair_needs_the_secretary_of_states_no_objection_and_serves_three_years(
        demo, no_members):
    secas = demo["secas"]
    with pytest.raises(CommitteeError, match=r"G7.5\(f\)\(ii\)"):
        services.appoint_member(secas, seat="chair", name="C", started=TODAY)
    chair = services.appoint_member(secas, seat="chair", name="C", started=TODAY,
                                    no_objection_on=TODAY)
    assert chair.term_ends.year == TODAY.year + 3


def test_only_the_secretariat_appoints(demo):
    with pytest.raises(PermissionDenied):
        services.appoint_member(demo["ssc-member"], seat="dcc", name="D", started=TODAY)


def test_an_election_rejection_referral_and_result(demo):
    """G7.14(a)-(c): rejection within 5 Working Days, referral within 3, the Panel decides."""
    from datetime import date
    secas = demo["secas"]
    election = services.open_election(secas, seat="supplier_small",
                                      nominations_close=date(2020, 8, 26))
    a = services.nominate(secas, election, candidate="Alice")
    b = services.nominate(secas, election, candidate="Bob")
    with pytest.raises(CommitteeError, match="3 September 2020"):
        services.reject_candidate(demo["ssc-member"], a, on=date(2020, 9, 4), reason="(iii)")
    services.reject_candidate(demo["ssc-member"], a, on=date(2020, 9, 3), reason="(iii)")
    with pytest.raises(CommitteeError, match=r"G7.14\(b\)"):
        services.declare_result(secas, election, winner=a, started=date(2020, 10, 1))
    with pytest.raises(CommitteeError, match="8 September 2020"):
        services.refer_rejection(secas, a, on=date(2020, 9, 9))
    services.refer_rejection(secas, a, on=date(2020, 9, 8))
    services.determine_referral(demo["panel-member"], a, eligible=True)
    member = services.declare_result(secas, election, winner=a, started=date(2020, 10, 1),
                                     votes={a.pk: 7, b.pk: 3})
    assert member.seat == "supplier_small" and member.term_ends == date(2022, 10, 1)
    assert Membership.objects.get(pk=member.pk).name == "Alice"


def test_the_chair_and_the_dccs_nominee_are_not_elected(demo):
    with pytest.raises(CommitteeError, match="not an elected seat"):
        services.open_election(demo["secas"], seat="dcc", nominations_close=TODAY)
