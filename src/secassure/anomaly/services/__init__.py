"""Every change to the thresholds register and the quarantine desk: checked, atomic, journaled,
one function per business action."""
from .base import REFUSALS, SubmissionRefused, ThresholdError, own_people
from .consultation import (
    ThresholdConflict,
    answer_consultation,
    consult_dcc,
    give_ssc_opinion_on_proposal,
    propose_dcc_limits,
    propose_dcc_threshold,
    set_proposed_threshold,
    withdraw_proposal,
)
from .keys import register_signing_key, revoke_signing_key
from .register import (
    give_opinion,
    keep_srv_reference,
    record_test_status,
    set_dcc_threshold,
    set_review_date,
)
from .review import review_period, review_threshold, set_review_period
from .signed import submit_signed_file

__all__ = ["REFUSALS", "SubmissionRefused", "ThresholdError", "own_people",
           "register_signing_key", "revoke_signing_key", "give_opinion", "keep_srv_reference",
           "record_test_status", "set_dcc_threshold", "set_review_date", "submit_signed_file",
           "ThresholdConflict", "answer_consultation", "consult_dcc",
           "give_ssc_opinion_on_proposal", "propose_dcc_limits", "propose_dcc_threshold",
           "set_proposed_threshold",
           "withdraw_proposal", "review_period", "review_threshold", "set_review_period"]
