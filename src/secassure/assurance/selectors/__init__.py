"""The one read layer of the assurance app, used by pages, the API, exports and the command
line alike. Every query of confidential records starts from `Model.objects.visible_to(user)`;
nested lists are prefetched through `core.visibility.visible_prefetch`.

- `records`: assessments, their records and the one record of an assessment
  (`assessment_record`) that the page, the API, the exports and the command line show;
- `attention`: the business of the SSC's next meeting and the Panel's decisions;
- `party`: a party's assurance, for its register page;
- `schedule`: the register with its assessment history, the schedule and open bookings;
- `waiting`: what waits on an assessor or a party, for their home page.
"""
from .attention import GROUPS, SECTIONS, Section, attention, attention_counts
from .party import PartyAssurance, may_book, party_assurance
from .records import (
                      AFTER_RESPONSE,
                      DECISION_FIELDS,
                      DRAFT_ACTIONS,
                      FOLLOW_UPS,
                      LIMIT,
                      AssessmentRecord,
                      answers,
                      appeals,
                      assessment_record,
                      assessment_with_record,
                      assessments,
                      assessments_for,
                      compliance_status_labels,
                      decisions,
                      decisions_withheld,
                      defaults_for,
                      events_of_default,
                      evidence,
                      findings,
                      journal_entries,
                      progress_reports,
                      remediation_plans,
                      steps,
                      with_record,
)
from .schedule import (
                      booking_json,
                      open_bookings,
                      party_schedule,
                      register_records,
                      register_schedule,
                      schedule_for,
                      seen_by,
)
from .waiting import AssessorWork, PartyWork, assessor_work, party_work

__all__ = ["AFTER_RESPONSE", "DECISION_FIELDS", "DRAFT_ACTIONS", "FOLLOW_UPS", "GROUPS",
           "LIMIT", "SECTIONS",
           "AssessmentRecord", "AssessorWork", "PartyAssurance", "PartyWork", "Section",
           "answers", "appeals", "assessment_record", "assessment_with_record", "assessments",
           "assessments_for", "assessor_work", "attention", "attention_counts", "booking_json",
           "compliance_status_labels", "decisions", "decisions_withheld", "seen_by",
           "defaults_for", "events_of_default", "evidence", "findings", "journal_entries",
           "may_book", "open_bookings", "party_assurance", "party_schedule", "party_work",
           "progress_reports", "register_records", "register_schedule", "remediation_plans",
           "schedule_for", "steps", "with_record"]
