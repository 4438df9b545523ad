"""Every change of state in the assurance workflow: one function per business action.

Each checks who is acting against `secassure.code.workflow`, works inside one transaction
with the assessment row locked, journals what happened (who, when, which clause, why) and
tells the people who must know. Views, the API and the command line call only these: each
workflow action's service is bound to its declaration by `@performs(Act.X)` and found by
`performer(Act.X)`.
"""
from .base import (
                   PERFORMERS,
                   AssuranceError,
                   LiveFacts,
                   WorkflowError,
                   allow,
                   as_seen,
                   delegated_to,
                   facts_of,
                   perform,
                   performer,
                   performs,
                   require_person,
)
from .booking import book_assessment, cancel_booking
from .deciding import (
                   approve_triage,
                   confirm_follow_up_satisfies,
                   decide_remediation_plan,
                   record_appeal,
                   record_appeal_determination,
                   record_dcc_outcome,
                   set_assurance_status,
                   set_compliance_status,
                   submit_remediation_plan,
)
from .defaults import (
                   approve_remedial_action_plan,
                   decide_event_of_default,
                   record_default_step,
                   refer_event_of_default,
)
from .history import import_register, record_history
from .reporting import (
    attach_evidence,
    comment_on_draft,
    issue_report,
    record_finding,
    share_draft,
)
from .responding import (
                   accept_plan,
                   agree_alternative,
                   agree_counter_proposal,
                   counter_propose,
                   propose_alternative,
                   record_no_agreement,
                   report_progress,
                   request_follow_up,
                   set_progress_interval,
                   set_response_due,
                   submit_response,
)
from .self_assessment import note_self_assessment, review_self_assessment, submit_self_assessment

__all__ = [
    "PERFORMERS", "AssuranceError", "LiveFacts", "WorkflowError", "allow", "as_seen", "facts_of",
    "delegated_to", "perform", "performer", "performs", "require_person",
    "book_assessment", "cancel_booking", "record_finding", "attach_evidence", "issue_report",
    "share_draft", "comment_on_draft",
    "set_response_due", "submit_response", "accept_plan", "propose_alternative",
    "agree_alternative", "counter_propose", "agree_counter_proposal", "record_no_agreement",
    "set_progress_interval", "report_progress", "request_follow_up",
    "set_assurance_status", "confirm_follow_up_satisfies", "set_compliance_status",
    "record_dcc_outcome", "submit_remediation_plan", "decide_remediation_plan", "record_appeal",
    "record_appeal_determination",
    "approve_triage", "submit_self_assessment", "review_self_assessment",
    "note_self_assessment", "refer_event_of_default", "decide_event_of_default",
    "approve_remedial_action_plan", "record_default_step", "import_register", "record_history",
]
