"""Who may do what: each business action belongs to the people the Code gives it to.

The table is the whole rule; services check it before they change anything.
"""
from __future__ import annotations

from enum import StrEnum

from .classification import PARTY_SIDE, USER_PARTY_SIDE, PersonKind


class Action(StrEnum):
    EDIT_REGISTER = "edit_register"          # SECAS keeps the register (DESIGN.md)
    VIEW_REGISTER_WIDE = "view_register_wide"  # the register-wide schedule and journal
    MANAGE_TOKENS = "manage_tokens"
    REFER_EVENT_OF_DEFAULT = "refer_event_of_default"          # G8.57: the SSC
    DECIDE_EVENT_OF_DEFAULT = "decide_event_of_default"        # G8.58: the Panel
    APPROVE_REMEDIAL_ACTION_PLAN = "approve_remedial_action_plan"  # G8.60: the Panel
    VIEW_ATTENTION = "view_attention"                          # the SSC's next meeting
    SET_DCC_THRESHOLD = "set_dcc_threshold"                    # G6.6: the DCC's own ADTs
    KEEP_SRV_REFERENCE = "keep_srv_reference"                  # G6.4(b), G6.6(b): the DCC
    RECORD_TEST_STATUS = "record_test_status"                  # G6.4A
    REGISTER_SIGNING_KEY = "register_signing_key"              # G6.4, G6.6A: the party's own
    REVOKE_SIGNING_KEY = "revoke_signing_key"                  # G6.6A
    GIVE_DCC_OPINION = "give_dcc_opinion"                      # G6.9
    GIVE_SSC_VIEW = "give_ssc_view"                            # G6.8, G7.21(b)
    LOAD_QUARANTINE = "load_quarantine"                        # G6.1(a)(ii)
    PROPOSE_DCC_THRESHOLD = "propose_dcc_threshold"            # G6.7(b): the DCC consults
    CONSULT_DCC = "consult_dcc"                                # G6.9: a User's own people
    VIEW_THRESHOLD_NOTICES = "view_threshold_notices"          # G6.8: the SSC's feed
    SET_REVIEW_PERIOD = "set_review_period"                    # G6.10: SECAS
    REVIEW_THRESHOLD = "review_threshold"                      # G6.10(a): the owner


ALLOWED: dict[Action, frozenset[PersonKind]] = {
    Action.EDIT_REGISTER: frozenset({PersonKind.SECAS}),
    Action.VIEW_REGISTER_WIDE: frozenset({PersonKind.SECAS, PersonKind.SSC_MEMBER,
                                          PersonKind.PANEL_MEMBER, PersonKind.CIO_ASSESSOR}),
    Action.MANAGE_TOKENS: frozenset(PersonKind),
    Action.REFER_EVENT_OF_DEFAULT: frozenset({PersonKind.SSC_MEMBER}),
    Action.DECIDE_EVENT_OF_DEFAULT: frozenset({PersonKind.PANEL_MEMBER}),
    Action.APPROVE_REMEDIAL_ACTION_PLAN: frozenset({PersonKind.PANEL_MEMBER}),
    Action.VIEW_ATTENTION: frozenset({PersonKind.SECAS, PersonKind.SSC_MEMBER,
                                      PersonKind.PANEL_MEMBER, PersonKind.CIO_ASSESSOR}),
    Action.SET_DCC_THRESHOLD: frozenset({PersonKind.DCC}),
    Action.KEEP_SRV_REFERENCE: frozenset({PersonKind.DCC}),
    Action.RECORD_TEST_STATUS: frozenset({PersonKind.DCC, PersonKind.SECAS}),
    # The party's own people only (its thresholds are the User's, G6.4, G6.6A), and only for
    # their own party: the DCC registers a key for itself as a party, never for another; SECAS
    # never registers one. Revoking is the party's own people, the DCC or SECAS.
    Action.REGISTER_SIGNING_KEY: PARTY_SIDE,
    Action.REVOKE_SIGNING_KEY: PARTY_SIDE | frozenset({PersonKind.SECAS}),
    Action.GIVE_DCC_OPINION: frozenset({PersonKind.DCC}),
    Action.GIVE_SSC_VIEW: frozenset({PersonKind.SSC_MEMBER}),
    Action.LOAD_QUARANTINE: frozenset({PersonKind.DCC}),
    Action.PROPOSE_DCC_THRESHOLD: frozenset({PersonKind.DCC}),
    # A User's own people, for their own party's User IDs (the service checks whose).
    Action.CONSULT_DCC: USER_PARTY_SIDE,
    Action.VIEW_THRESHOLD_NOTICES: frozenset({PersonKind.SSC_MEMBER, PersonKind.DCC,
                                              PersonKind.SECAS}),
    Action.SET_REVIEW_PERIOD: frozenset({PersonKind.SECAS}),
    # The threshold's owner: the DCC for its own, a User's own people for theirs (checked).
    Action.REVIEW_THRESHOLD: PARTY_SIDE,
}


def allowed(kind: PersonKind | None, action: Action) -> bool:
    return kind is not None and kind in ALLOWED[action]
