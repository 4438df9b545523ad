"""Notices to the SSC, service by service: who may file, the clause each is filed under, bad
input refused with nothing written, and the SSC's gate (clauses quoted from Section G)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from secassure.core.journal.models import JournalEntry
from secassure.notices import services
from secassure.notices.models import Notice, NoticeUpdate, SmsCount
from secassure.notices.rules import next_count_due
from secassure.notices.selectors import (
    counts_due,
    current_provider_lists,
    notices,
    operational_without_authorisation,
    steps_overdue,
)
from secassure.registry.models import Party
from tests.conftest import TODAY


def party(pid: str) -> Party:
    return Party.objects.get(party_id=pid)


def incident(demo, who="rep-HEARTH", pid="HEARTH", **extra):
    return services.file_notice(demo[who], party=party(pid), kind="incident",
                                title="Ransomware on the head-end", description="Contained.",
                                event_on=TODAY, **extra)


def written() -> tuple[int, int]:
    journaled = JournalEntry.objects.filter(action__startswith="notices.")
    return Notice.objects.count(), journaled.count()


# --- Major Security Incident (G3.5, G2.11) -------------------------------------------------

def test_a_user_notifies_a_major_security_incident_under_g3_5(demo):
    """G3.5: "Each User shall ... ensure that the Panel and the Security Sub-Committee are
    promptly notified." The Panel sees it; another party does not."""
    notice = incident(demo)
    assert (notice.clause, notice.state) == ("G3.5", "filed")
    assert JournalEntry.objects.filter(action="notices.file", subject=f"notice:{notice.pk}",
                                       classification="RED").exists()
    assert notices(demo["panel-member"]).filter(pk=notice.pk).exists()
    assert notices(demo["ssc-member"]).filter(pk=notice.pk).exists()
    assert not notices(demo["rep-KESTREL"]).filter(pk=notice.pk).exists()


def test_the_dccs_smets1_csp_incident_is_g2_11_b(demo):
    """G2.11(b): the SMETS1 CSP case is notified "as soon as is reasonably practicable"."""
    assert incident(demo, "dcc", "DCC").clause == "G2.11(a)"
    assert incident(demo, "dcc", "DCC", smets1_csp=True).clause == "G2.11(b)"


@pytest.mark.parametrize("who", ["rep-KESTREL", "cio-assessor", "panel-member", "ssc-member"])
def test_only_the_partys_people_or_secas_file_and_nothing_is_written(demo, who):
    before = written()
    with pytest.raises(PermissionDenied):
        incident(demo, who=who)
    assert written() == before


def test_secas_files_on_a_partys_behalf(demo):
    assert incident(demo, who="secas").party.party_id == "HEARTH"


@pytest.mark.parametrize("change, field", [
    ({"event_on": TODAY + timedelta(days=1)}, "event_on"),
    ({"title": " "}, "title"),
    ({"user_ids": ["NOT-AN-ID"]}, "user_ids"),
    ({"smets1_csp": True}, "smets1_csp"),
    ({"kind": "gossip"}, "kind"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(demo, change, field):
    before = written()
    arguments = {"party": party("HEARTH"), "kind": "incident", "title": "t",
                 "description": "d", "event_on": TODAY, **change}
    with pytest.raises(services.NoticeError, match=field):
        services.file_notice(demo["rep-HEARTH"], **arguments)
    assert written() == before


def test_an_incident_has_a_timeline_until_closed(demo):
    notice = incident(demo)
    services.add_update(demo["rep-HEARTH"], notice, "Root cause found.")
    services.review_notice(demo["ssc-member"], notice, "close")
    with pytest.raises(services.NoticeConflict):
        services.add_update(demo["rep-HEARTH"], notice, "More.")
    assert list(NoticeUpdate.objects.filter(notice=notice).values_list("kind", flat=True)) == [
        "update", "close"]


# --- material vulnerability (G3.9(b), G3.17-G3.19) -----------------------------------------

def vulnerability(demo, **extra):
    arguments = {"party": party("HEARTH"), "kind": "vulnerability", "title": "Weak TLS",
                 "description": "Found by the annual test.", "event_on": TODAY,
                 "manufacturer": "aware", "steps": "Upgrade the library.",
                 "complete_by": TODAY + timedelta(days=30), **extra}
    return services.file_notice(demo["rep-HEARTH"], **arguments)


def test_a_vulnerability_states_its_steps_and_time_g3_9_b_ii(demo):
    """G3.9(b)(ii): "promptly notifies the Security Sub-Committee of the steps ... and the
    time within which they are intended to be completed"."""
    for missing in ("steps", "complete_by", "manufacturer"):
        with pytest.raises(services.NoticeError, match=missing):
            vulnerability(demo, **{missing: "" if missing != "complete_by" else None})
    assert vulnerability(demo).clause == "G3.18(c)"  # G3.17: the User became aware of it
    from secassure.assurance.models import Finding
    found = Finding.objects.select_related("assessment__party").first()
    after = services.file_notice(demo["secas"], party=found.assessment.party,
                                 kind="vulnerability", title="From the report",
                                 description="d", event_on=TODAY, manufacturer="aware",
                                 steps="s", complete_by=TODAY, finding=found)
    assert after.clause == "G3.9(b)(ii)"  # an assessment of its User Systems found it


def test_the_dcc_notifies_a_parse_and_correlate_vulnerability_under_g2_35(demo):
    notice = services.file_notice(demo["dcc"], party=party("DCC"), kind="vulnerability",
                                  title="P&C", description="d", event_on=TODAY,
                                  manufacturer="notified", steps="s", complete_by=TODAY)
    assert notice.clause == "G2.35"


def test_steps_past_their_time_without_completion_are_overdue_until_completed(demo):
    notice = vulnerability(demo, event_on=TODAY - timedelta(days=40),
                           complete_by=TODAY - timedelta(days=1))
    assert notice in steps_overdue(demo["ssc-member"], TODAY)
    services.complete_steps(demo["rep-HEARTH"], notice, TODAY)
    assert notice not in steps_overdue(demo["ssc-member"], TODAY)


# --- new system: the SSC's authorisation gate (G3.9(a)) ------------------------------------

def new_system(demo):
    return services.file_notice(demo["rep-HEARTH"], party=party("HEARTH"), kind="new_system",
                                title="New head-end", description="A second head-end.",
                                event_on=TODAY + timedelta(days=30), purpose="Resilience",
                                relationship="Behind the DCC gateway")


def test_a_new_system_is_not_operational_until_the_ssc_authorises_it(demo):
    """G3.9(a)(iii): "that System does not become an operational part of its User Systems
    unless and until the Security Sub-Committee has authorised the User"."""
    notice = new_system(demo)
    with pytest.raises(services.NoticeConflict, match="G3.9"):
        services.mark_operational(demo["rep-HEARTH"], notice, TODAY)
    with pytest.raises(PermissionDenied):
        services.review_notice(demo["rep-HEARTH"], notice, "authorise")
    services.review_notice(demo["ssc-member"], notice, "authorise")
    services.mark_operational(demo["rep-HEARTH"], notice, TODAY)
    notice.refresh_from_db()
    assert (notice.state, notice.operational_on) == ("authorised", TODAY)


def test_withholding_needs_reasons_and_is_journaled(demo):
    notice = new_system(demo)
    with pytest.raises(services.NoticeError, match="text"):
        services.review_notice(demo["ssc-member"], notice, "withhold")
    services.review_notice(demo["ssc-member"], notice, "withhold", "Not segregated.")
    entry = JournalEntry.objects.get(action="notices.review.withhold",
                                     subject=f"notice:{notice.pk}")
    assert (entry.clause, entry.reason) == ("G3.9(a)(iii)", "Not segregated.")


def test_a_system_brought_into_operation_without_authorisation_is_shown(demo):
    notice = new_system(demo)
    services.mark_operational(demo["secas"], notice, TODAY)
    assert notice in operational_without_authorisation(demo["ssc-member"])


def test_a_new_system_is_notified_before_it_becomes_operational(demo):
    with pytest.raises(services.NoticeError, match="event_on"):
        services.file_notice(demo["rep-HEARTH"], party=party("HEARTH"), kind="new_system",
                             title="t", description="d", event_on=TODAY - timedelta(days=1),
                             purpose="p", relationship="r")


# --- decommissioning (G3.9(c)) ------------------------------------------------------------

def test_decommissioning_is_notified_before_the_system_is_retired(demo):
    """G3.9(c)(i): "prior to ... the User System being decommissioned"."""
    with pytest.raises(services.NoticeError, match="before the event"):
        services.file_notice(demo["rep-HEARTH"], party=party("HEARTH"),
                             kind="decommissioning", title="Old CRM", description="d",
                             event_on=TODAY - timedelta(days=1))
    notice = services.file_notice(demo["rep-HEARTH"], party=party("HEARTH"),
                                  kind="decommissioning", title="Old CRM", description="d",
                                  event_on=TODAY + timedelta(days=10))
    assert notice.clause == "G3.9(c)"


def test_the_dcc_does_not_file_section_g3_notices(demo):
    with pytest.raises(services.NoticeError, match="DCC"):
        services.file_notice(demo["dcc"], party=party("DCC"), kind="decommissioning",
                             title="t", description="d", event_on=TODAY)


# --- Shared Resources (G5.26, G5.27, G10.3, G10.4) ----------------------------------------

def test_shared_resources_name_the_provider_and_its_services_g5_26_b(demo):
    arguments = {"party": party("KESTREL"), "kind": "shared_resources", "title": "Hosting",
                 "description": "d", "event_on": TODAY, "provider": party("GRIDSHARE")}
    with pytest.raises(services.NoticeError, match="provider_contact"):
        services.file_notice(demo["rep-KESTREL"], **arguments)
    with pytest.raises(services.NoticeError, match="not a Shared Resource Provider"):
        services.file_notice(demo["rep-KESTREL"], **{**arguments, "provider": party("LUMEN"),
                                                     "provider_contact": "c", "services": "s"})
    notice = services.file_notice(demo["rep-KESTREL"], **arguments, provider_contact="ops@gs",
                                  services="Hosting of the head-end")
    assert notice.clause == "G5.26"


def test_a_change_of_provider_reaches_the_register_only_when_the_ssc_notes_it(demo):
    hearth = party("HEARTH")
    assert hearth.resource_provider.party_id == "CLOUDVAULT"
    notice = services.file_notice(demo["rep-HEARTH"], party=hearth, kind="provider_change",
                                  title="Moving to GridShare", description="d", event_on=TODAY,
                                  provider=party("GRIDSHARE"), provider_contact="c",
                                  services="Hosting")
    hearth.refresh_from_db()
    assert hearth.resource_provider.party_id == "CLOUDVAULT"
    services.review_notice(demo["secas"], notice, "note", meeting="SSC 2026-12")
    hearth.refresh_from_db()
    assert hearth.resource_provider.party_id == "GRIDSHARE"
    assert JournalEntry.objects.filter(action="registry.party.provider_changed",
                                       party=hearth).exists()


def test_the_ssc_may_refuse_a_sharing_arrangement_g10_3(demo):
    notice = services.file_notice(demo["rep-KESTREL"], party=party("KESTREL"),
                                  kind="shared_resources", title="All on one host",
                                  description="d", event_on=TODAY)
    services.review_notice(demo["ssc-member"], notice, "refuse", "Not a provider (G10.3).")
    notice.refresh_from_db()
    assert notice.state == "refused"
    with pytest.raises(services.NoticeConflict):
        services.review_notice(demo["ssc-member"], new_system(demo), "refuse", "x")


def test_the_count_of_smart_metering_systems_falls_due_every_six_months_g5_27(demo):
    """G5.27: "(a) as soon as reasonably practicable after it first begins to employ ...
    Shared Resources; and (b) at intervals of six months thereafter"."""
    quartz = party("QUARTZ")
    services.file_notice(demo["rep-QUARTZ"], party=quartz, kind="shared_resources",
                         title="Hosting", description="d", event_on=TODAY)
    due = {c.party.party_id: c for c in counts_due(demo["ssc-member"])}
    assert due["QUARTZ"].due == TODAY and due["QUARTZ"].last is None
    with pytest.raises(services.NoticeError, match="count"):
        services.report_sms_count(demo["rep-QUARTZ"], quartz, -1)
    services.report_sms_count(demo["rep-QUARTZ"], quartz, 120_000, TODAY)
    due = {c.party.party_id: c for c in counts_due(demo["ssc-member"])}
    assert due["QUARTZ"].due == next_count_due(TODAY) and due["QUARTZ"].last_count == 120_000
    assert "QUARTZ" not in {c.party.party_id for c in counts_due(demo["rep-HEARTH"])}


def test_a_providers_list_of_users_is_the_sscs_current_copy_g10_4(demo):
    with pytest.raises(services.NoticeError, match="not a Shared Resource Provider"):
        services.submit_provider_list(demo["rep-LUMEN"], party("LUMEN"), [party("HEARTH")])
    before = SmsCount.objects.count()
    services.submit_provider_list(demo["rep-GRIDSHARE"], party("GRIDSHARE"),
                                  [party("MERIDIAN")])
    current = {row.provider.party_id: row
               for row in current_provider_lists(demo["ssc-member"])}
    assert [u.party_id for u in current["GRIDSHARE"].users.all()] == ["MERIDIAN"]
    assert not current_provider_lists(demo["rep-HEARTH"])  # another provider's list: hidden
    assert SmsCount.objects.count() == before


# --- G3.8(c): the vulnerability assessment an incident triggers ----------------------------

def test_an_incident_is_tracked_until_its_vulnerability_assessment_is_linked(demo):
    """G3.8(c): assessments "on the occurrence of any Major Security Incident"."""
    from secassure.assurance.models import Assessment
    from secassure.notices.selectors import incidents_without_assessment
    notice = incident(demo)
    assert notice in incidents_without_assessment(demo["ssc-member"])
    other = Assessment.objects.exclude(party__party_id="HEARTH").first()
    with pytest.raises(services.NoticeError, match="assessment"):
        services.link_assessment(demo["rep-HEARTH"], notice, other)
    own = Assessment.objects.filter(party__party_id="HEARTH").first()
    services.link_assessment(demo["rep-HEARTH"], notice, own)
    assert notice not in incidents_without_assessment(demo["ssc-member"])


def test_noting_at_an_ssc_meeting_attaches_the_notice_to_its_business(demo):
    """Seed 000: the SSC "considers ... any reported changes in Shared Resource Providers by
    Users and reported Security Incidents and Vulnerabilities" at every meeting."""
    from secassure.committee.models import Body, Meeting
    meeting = Meeting.objects.filter(body=Body.SSC).first()
    assert meeting is not None
    notice = incident(demo)
    with pytest.raises(services.NoticeError, match="meeting_id"):
        services.review_notice(demo["secas"], notice, "note", meeting_id=10**9)
    services.review_notice(demo["secas"], notice, "note", meeting_id=meeting.pk)
    notice.refresh_from_db()
    assert (notice.meeting, notice.noted_at_meeting) == (meeting, meeting.reference)
    assert notice in meeting.notices.all()


@pytest.mark.parametrize("kind", ["vulnerability", "new_system", "shared_resources"])
def test_the_panel_sees_only_the_notices_the_code_sends_it(demo, kind):
    """G3.5 and G2.11 name the Panel for a Major Security Incident; G3.9 and G5.26 name the
    SSC alone: of RED notices the Panel sees incidents only."""
    shown = notices(demo["panel-member"]).values_list("kind", flat=True)
    assert "incident" in set(shown)
    assert not notices(demo["panel-member"]).filter(kind=kind).exists()
    assert notices(demo["ssc-member"]).filter(kind=kind).exists()
