"""Pages of the thresholds register (G6.3-G6.10) and the quarantine desk (G6.1(a)).

Views read through `visible_to` and `selectors` and change nothing themselves: each POST calls
exactly one function of `services` or `quarantine`. A refusal (SubmissionRefused, ThresholdError,
QuarantineFileError) is shown on its page with status 400; the wrong person gets 403.
"""
from .desk import desk, instruction, load_run, submit
from .party import party_key, party_key_revoke, party_test_status, party_thresholds
from .register import (
                       srv_dcc_threshold,
                       srv_detail,
                       srv_list,
                       srv_reference,
                       threshold_detail,
                       threshold_list,
                       threshold_opinion,
                       threshold_review,
)

__all__ = ["desk", "instruction", "load_run", "party_key", "party_key_revoke", "party_test_status",
           "party_thresholds", "srv_dcc_threshold", "srv_detail", "srv_list", "srv_reference",
           "submit", "threshold_detail", "threshold_list", "threshold_opinion",
           "threshold_review"]
