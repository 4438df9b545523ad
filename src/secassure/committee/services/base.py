"""What every committee service shares: who may take each action (with its clause), and the
journal entry written in the transaction of the change."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from secassure.code.classification import Classification, PersonKind
from secassure.core.journal.services import record
from secassure.core.permissions import SystemActor
from secassure.core.visibility import person_kind

SECAS = frozenset({PersonKind.SECAS})
COMMITTEE = frozenset({PersonKind.SECAS, PersonKind.SSC_MEMBER, PersonKind.PANEL_MEMBER})


class CommitteeError(ValueError):
    """Input or a state the rules do not allow (HTTP 400 / exit 2), said in words."""


@dataclass(frozen=True)
class Rule:
    label: str
    who: frozenset[PersonKind]
    clause: str


#: Every committee action: who may take it and the clause it follows.
RULES: dict[str, Rule] = {
    "appoint_member": Rule("Appoint a member", SECAS, "G7.3"),
    "end_membership": Rule("Record a member leaving office", SECAS, "G7.6(b)"),
    "add_invitee": Rule("Record an invitee", SECAS, "G7.16"),
    "open_election": Rule("Open an election", SECAS, "G7.7"),
    "nominate": Rule("Record a nomination", SECAS, "G7.14(a)(i)"),
    "reject_candidate": Rule("Reject a candidate", frozenset({PersonKind.SECAS,
                                                             PersonKind.SSC_MEMBER}),
                             "G7.14(a)"),
    "refer_rejection": Rule("Record a referral to the Panel", SECAS, "G7.14(c)"),
    "determine_referral": Rule("Record the Panel's determination",
                               frozenset({PersonKind.SECAS, PersonKind.PANEL_MEMBER}),
                               "G7.14(c)"),
    "declare_result": Rule("Declare the result", SECAS, "G7.7"),
    "schedule_meeting": Rule("Schedule a meeting", SECAS, "G7.17"),
    "add_item": Rule("Add an agenda item", SECAS, "G7.17"),
    "set_headline": Rule("Set an item's headline", SECAS, "G7.17"),
    "add_paper": Rule("Add a paper", SECAS, "G7.16(a)(iii)"),
    "record_attendance": Rule("Record attendance", SECAS, "G7.17"),
    "hold_meeting": Rule("Record the meeting as held", SECAS, "G7.17"),
    "declare_conflict": Rule("Declare a conflict of interest", COMMITTEE, "G7.17"),
    "record_decision": Rule("Record a decision", SECAS, "G7.17"),
    "attach_business": Rule("Attach the day's decisions", SECAS, "G7.20(b)"),
    "move_business": Rule("Move a decision to another meeting", SECAS, "G7.20(b)"),
    "record_action": Rule("Record an action", SECAS, "G7.17"),
    "complete_action": Rule("Record an action done", SECAS, "G7.17"),
    "draft_minutes": Rule("Draft the minutes", SECAS, "G7.17"),
    "approve_minutes": Rule("Record the minutes approved", SECAS, "G7.17"),
    "send_reminders": Rule("Send reminders", SECAS, "G7.17"),
}


def require_person(user: Any, action: str) -> Rule:
    """PermissionDenied (HTTP 403) unless `user` is of a kind that may take `action`."""
    rule = RULES[action]
    if isinstance(user, SystemActor):
        return rule
    if person_kind(user) not in rule.who:
        who = ", ".join(sorted(k.label for k in rule.who))
        raise PermissionDenied(f"{rule.label}: only {who} may do this ({rule.clause}).")
    return rule


def journal(actor: Any, action: str, *, subject: str, reason: str = "",
            details: dict | None = None, party: Any = None,
            classification: Classification = Classification.AMBER) -> None:
    """One entry for `action` ("committee.<action>") under its rule's clause."""
    record(actor, f"committee.{action}", reason=reason, clause=RULES[action].clause,
           party=party, subject=subject, details=details or {},
           classification=classification)
