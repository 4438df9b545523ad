"""What a journal entry says happened, in words: one table of action -> words.

The journal stores an action's code name (`assurance.submit_response`) because the code name is
stable and the hash covers it; people read "response submitted". Every page, export and
command that lists entries says it through `describe(entry)`; the table below is the only
place the words live (a test checks that every action the code journals has its words).

A count in the entry's details is said with the right plural ("1 finding", "2 findings").
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class Entry(Protocol):
    """What `describe` reads of a journal entry (a `JournalEntry`, or anything shaped so)."""

    action: str
    details: Any


@dataclass(frozen=True)
class Counted:
    """Words that carry a count from the entry's details: `one` when it is 1, `many` when it is
    not; `{n}` is the count. Without the count in the details, `plain` is said."""

    plain: str
    key: str
    one: str
    many: str

    def say(self, details: Mapping[str, Any]) -> str:
        n = count_in(details.get(self.key))
        if n is None:
            return self.plain
        return (self.one if n == 1 else self.many).format(n=n)


@dataclass(frozen=True)
class Chosen:
    """Words that depend on one value of the entry's details (`plain` for any other value)."""

    plain: str
    key: str
    by_value: Mapping[str, str]

    def say(self, details: Mapping[str, Any]) -> str:
        return self.by_value.get(str(details.get(self.key, "")), self.plain)


Words = str | Counted | Chosen

#: Every action the platform journals, and what it means. Clause references are the journal
#: entry's own (its `clause`); the words say what happened, not why.
WORDS: dict[str, Words] = {
    # The register (registry.services)
    "registry.party.created": "party added to the register",
    "registry.party.replaced": "party replaced in the register",
    "registry.party.changed": "party changed in the register",
    "registry.party.classified": "party's classification changed",
    "registry.user_id.added": "User ID added",
    "registry.user_id.changed": "User ID changed",
    "registry.user_id.removed": "User ID removed",
    "registry.party.provider_changed": "Shared Resource Provider changed in the register",
    # People and API tokens (accounts.services)
    "accounts.person.added": "person added",
    "accounts.person.changed": "person changed",
    "accounts.person.password_set": "person's password set",
    "accounts.person.password_disabled": "person's password disabled",
    "accounts.person.removed": "person removed",
    "accounts.token.issued": "API token issued",
    "accounts.token.revoked": "API token revoked",
    "accounts.login.failed": "sign-in refused",
    "accounts.mfa.failed": "second-factor code refused",
    "accounts.mfa.enrolled": "authenticator enrolled for two-step sign-in",
    "accounts.mfa.reset": "second factor reset",
    # Reference data kept in the admin (core.admin.save_reference_data: app.model.verb)
    "assurance.compliancestatus.added": "compliance status choice added",
    "assurance.compliancestatus.changed": "compliance status choice changed",
    # The assurance workflow (code/workflow.Act; assurance.services)
    "assurance.book": "assessment booked",
    "assurance.cancel": "booking cancelled",
    "assurance.record_finding": "finding recorded in the draft report",
    "assurance.attach_evidence": "evidence attached to a finding",
    "assurance.share_draft": "draft report shared with the party",
    "assurance.comment_on_draft": "comment on the draft report",
    # A download refused by its integrity check (assurance.integrity)
    "assurance.evidence_failed_check": "evidence file failed its integrity check",
    "assurance.letter_failed_check": "Director's Letter failed its integrity check",
    "assurance.issue_report": Counted("report issued", "findings",
                                      "report issued with {n} finding",
                                      "report issued with {n} findings"),
    "assurance.set_response_due": "response date set",
    "assurance.submit_response": Counted("response submitted", "disputed",
                                         "response submitted, {n} finding disputed",
                                         "response submitted, {n} findings disputed"),
    "assurance.accept_plan": "steps and timetable accepted",
    "assurance.propose_alternative": "other steps or dates proposed",
    "assurance.agree_alternative": "other steps and dates agreed",
    "assurance.counter_propose": "other steps or dates proposed back by the party",
    "assurance.agree_counter_proposal": "the party's steps and dates agreed",
    "assurance.record_no_agreement": Chosen("no agreement on the steps", "referred", {
        "True": "no agreement on the steps; referred to the Panel"}),
    "assurance.report_progress": Chosen("progress reported", "kind", {
        "progress": "progress reported", "completion": "step completed",
        "failure": "step failure reported"}),
    "assurance.set_progress_interval": "progress reporting interval set",
    "assurance.request_follow_up": "Follow-up requested",
    "assurance.set_assurance_status": "assurance status set",
    "assurance.confirm_follow_up_satisfies": "Follow-up confirmed as showing the steps taken",
    "assurance.set_compliance_status": "compliance status set",
    "assurance.record_dcc_outcome": "DCC non-compliances recorded",
    "assurance.submit_remediation_plan": "Remediation Plan submitted",
    "assurance.decide_remediation_plan": Chosen("Remediation Plan decided", "outcome", {
        "approved": "Remediation Plan approved", "sent_back": "Remediation Plan sent back"}),
    "assurance.submit_self_assessment": "self-assessment submitted",
    "assurance.review_self_assessment": "self-assessment reviewed",
    "assurance.note_self_assessment": "self-assessment noted",
    "assurance.record_appeal": "appeal lodged",
    "assurance.appeal_outcome": "appeal outcome recorded",
    "assurance.record_appeal_determination": "appeal determined",
    "assurance.event_of_default.investigation": "the SSC's investigation recorded (M8.3)",
    "assurance.event_of_default.advice_requested": "the Panel asked the SSC's advice (M8.4)",
    "assurance.event_of_default.advice": "the SSC's advice on the steps recorded (M8.4)",
    "assurance.event_of_default.remedied": "the party reported the steps taken",
    "assurance.event_of_default.closed": "Event of Default closed",
    "assurance.appeal_determined": Chosen("appeal determined", "determination", {
        "upheld": "appeal upheld: the status changed", "dismissed": "appeal dismissed",
        "varied": "appeal determined: the status varied"}),
    "assurance.statusdelegation.added": "who sets the assurance status recorded",
    "assurance.statusdelegation.changed": "who sets the assurance status changed",
    "assurance.approve_triage": "Triage Activities approved",
    "assurance.determine_next_category": "Category of the next assessment determined",
    # Decisions (assurance.models.Decision.Kind), journaled under their kind
    "assurance.assurance_status": "assurance status set",
    "assurance.follow_up_satisfies": "Follow-up confirmed as showing the steps taken",
    "assurance.compliance_status": "compliance status set",
    "assurance.plan_accepted": Counted("steps and timetable accepted", "value",
                                       "steps and timetable accepted ({n} step)",
                                       "steps and timetable accepted ({n} steps)"),
    "assurance.alternative_proposed": "other steps or dates proposed",
    "assurance.alternative_agreed": "other steps and dates agreed",
    "assurance.follow_up_requested": "Follow-up requested",
    "assurance.dcc_outcome": "DCC non-compliances recorded",
    "assurance.self_assessment_noted": "self-assessment noted",
    "assurance.triage_approved": "Triage Activities approved",
    # History, reminders, Events of Default
    "assurance.history_recorded": Counted("assessment history recorded", "assessments",
                                          "{n} past assessment recorded",
                                          "{n} past assessments recorded"),
    "assurance.reminders.sent": Counted("reminders sent", "recipients",
                                        "reminders sent to {n} person",
                                        "reminders sent to {n} people"),
    "assurance.event_of_default.referred": "possible Event of Default referred to the Panel",
    "assurance.event_of_default.decided": "Event of Default decided",
    "assurance.event_of_default.remedial_plan_approved": "remedial action plan approved",
    # Anomaly Detection Thresholds and the quarantine desk (anomaly.services, .quarantine)
    "anomaly.thresholds.applied": "signed threshold file applied",
    "anomaly.exit_quarantine.applied": "signed exit-quarantine instructions applied",
    "anomaly.submission.refused": "signed file refused",
    "anomaly.quarantine.loaded": Counted("quarantined communications loaded", "loaded",
                                         "{n} quarantined communication loaded",
                                         "{n} quarantined communications loaded"),
    "anomaly.quarantine.released": "quarantined communication released",
    "anomaly.quarantine.deleted": "quarantined communication deleted",
    "anomaly.desk.notified": "owner notified of quarantined and deleted communications",
    "anomaly.traffic.loaded": Counted("traffic summary loaded", "buckets",
                                      "traffic summary of {n} bucket loaded",
                                      "traffic summary of {n} buckets loaded"),
    "anomaly.key.registered": "signing key registered",
    "anomaly.key.revoked": "signing key revoked",
    "anomaly.dcc_threshold.set": "DCC threshold set",
    "anomaly.srv.changed": "Service Reference Variant reference data changed",
    "anomaly.test_status.recorded": "Common Test Scenarios status recorded",
    "anomaly.threshold.dcc_opinion": "DCC's opinion given on a threshold",
    "anomaly.threshold.ssc_view": "SSC's view given on a threshold",
    "anomaly.threshold.review_date": "threshold review date set",
    "anomaly.proposal.made": "DCC threshold proposed to the SSC",
    "anomaly.proposal.ssc_opinion": "SSC's opinion given on a DCC threshold proposal",
    "anomaly.proposal.withdrawn": "DCC threshold proposal withdrawn",
    "anomaly.consultation.asked": "DCC consulted on a proposed threshold",
    "anomaly.consultation.answered": "DCC's opinion given on a proposed threshold",
    "anomaly.review_period.set": "threshold review period set",
    "anomaly.threshold.reviewed": "threshold reviewed",
    # Notices to the SSC (notices.services)
    "notices.file": Chosen("notice filed", "kind", {
        "incident": "Major Security Incident notified",
        "vulnerability": "material vulnerability and steps notified",
        "new_system": "new system notified for authorisation",
        "decommissioning": "decommissioning notified",
        "shared_resources": "Shared Resources notified",
        "provider_change": "change of Shared Resource Provider notified"}),
    "notices.update": "notice updated",
    "notices.attach": "file attached to a notice",
    "notices.complete_steps": "vulnerability steps reported completed",
    "notices.mark_operational": "new system marked operational",
    "notices.link_assessment": "vulnerability assessment linked to an incident",
    "notices.review.note": "notice noted by the SSC",
    "notices.review.question": "the SSC asked about a notice",
    "notices.review.action": "the SSC actioned a notice",
    "notices.review.authorise": "new system authorised by the SSC",
    "notices.review.withhold": "authorisation of a new system withheld by the SSC",
    "notices.review.refuse": "sharing arrangement refused by the SSC",
    "notices.review.close": "notice closed",
    "notices.sms_count": "count of Smart Metering Systems notified",
    "notices.provider_list": "Shared Resource Provider's list of Users submitted",
    "notices.cpl_entry": "CPL entry recorded",
    "notices.remedial_plan": "CPA Certificate Remedial Plan filed",
    "notices.remedial_plan_reviewed": "CPA Certificate Remedial Plan reviewed",
    "notices.remedial_plan_accepted": "CPA Certificate Remedial Plan accepted by the SSC",
    "notices.remedial_plan_changes_asked": "the SSC asked for changes to a CPA Certificate "
                                           "Remedial Plan",
    "notices.attachment_failed_check": "notice attachment failed its integrity check",
    "notices.reminders.sent": Counted("notice reminders sent", "recipients",
                                      "notice reminders sent to {n} person",
                                      "notice reminders sent to {n} people"),
    # The committees (committee.services): members, elections, meetings, minutes
    "committee.appoint_member": "committee member appointed",
    "committee.end_membership": "committee member left office",
    "committee.add_invitee": "committee invitee recorded",
    "committee.open_election": "election opened",
    "committee.nominate": "candidate nominated",
    "committee.reject_candidate": "candidate rejected by the SSC",
    "committee.refer_rejection": "candidate's rejection referred to the Panel",
    "committee.determine_referral": "the Panel determined a candidate's referral",
    "committee.declare_result": "election result declared",
    "committee.schedule_meeting": "meeting scheduled",
    "committee.add_item": "agenda item added",
    "committee.set_headline": "agenda item's headline set",
    "committee.add_paper": "meeting paper added",
    "committee.record_attendance": "attendance recorded",
    "committee.hold_meeting": "meeting recorded as held",
    "committee.declare_conflict": "conflict of interest declared",
    "committee.record_decision": "meeting decision recorded",
    "committee.attach_business": Counted("decisions attached to a meeting", "records",
                                         "{n} decision attached to a meeting",
                                         "{n} decisions attached to a meeting"),
    "committee.move_business": "decision moved to another meeting",
    "committee.record_action": "meeting action recorded",
    "committee.complete_action": "meeting action done",
    "committee.draft_minutes": "minutes drafted",
    "committee.approve_minutes": "minutes approved",
    "committee.send_reminders": Counted("committee reminders sent", "recipients",
                                        "committee reminders sent to {n} person",
                                        "committee reminders sent to {n} people"),
}

_LEADING_NUMBER = re.compile(r"^\s*(\d+)\b")


def count_in(value: Any) -> int | None:
    """A count as the details hold it: a number, a list, or text that starts with one
    ("3 steps"); None when there is no count."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple):
        return len(value)
    if isinstance(value, str):
        found = _LEADING_NUMBER.match(value)
        return int(found.group(1)) if found else None
    return None


def counted(n: int, one: str, many: str) -> str:
    """A count with its noun in the right plural: `counted(1, "finding", "findings")` is
    "1 finding"; services use it in the reasons they journal."""
    return f"{n} {one if n == 1 else many}"


def has_words(action: str) -> bool:
    """Whether the table says `action` in words (or `describe` would fall back to its name)."""
    return action in WORDS


def words_for(action: str, details: Mapping[str, Any] | None = None) -> str:
    """What `action`, with these details, means in words."""
    words = WORDS.get(action)
    if words is None:
        return _from_code_name(action)
    if isinstance(words, str):
        return words
    return words.say(details if isinstance(details, Mapping) else {})


def describe(entry: Entry) -> str:
    """What a journal entry says happened, in words ("response submitted")."""
    return words_for(entry.action, entry.details)


def _from_code_name(action: str) -> str:
    """An action missing from the table, said as well as its name allows: the app's prefix
    dropped, dots and underscores as spaces ("registry.signing_key.added" -> "signing key
    added")."""
    _, _, rest = action.partition(".")
    return (rest or action).replace(".", " ").replace("_", " ").strip()
