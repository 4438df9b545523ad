"""The committee's write path: one function per business action (person, input, lock, write,
journal with its clause)."""
from .base import RULES, CommitteeError, require_person
from .meetings import (
    add_item,
    add_paper,
    approve_minutes,
    attach_business,
    complete_action,
    declare_conflict,
    draft_minutes,
    hold_meeting,
    move_business,
    record_action,
    record_attendance,
    record_decision,
    schedule_meeting,
    set_headline,
)
from .members import (
    add_invitee,
    appoint_member,
    declare_result,
    determine_referral,
    end_membership,
    nominate,
    open_election,
    refer_rejection,
    reject_candidate,
)
from .reminders import send_reminders

__all__ = ["RULES", "CommitteeError", "require_person", "add_item", "add_paper",
           "approve_minutes", "attach_business", "complete_action", "declare_conflict",
           "draft_minutes", "hold_meeting", "move_business", "record_action",
           "record_attendance", "record_decision", "schedule_meeting", "set_headline",
           "add_invitee", "appoint_member", "declare_result", "determine_referral",
           "end_membership", "nominate", "open_election", "refer_rejection",
           "reject_candidate", "send_reminders"]
