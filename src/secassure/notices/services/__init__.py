"""Notice services: one function per business action (person, input, lock, write, journal)."""
from .base import NoticeConflict, NoticeError
from .cpl import (
    HashCheck,
    add_cpl_entry,
    file_remedial_plan,
    file_sha256,
    review_remedial_plan,
    verify_firmware,
)
from .filing import (
    add_update,
    attach,
    complete_steps,
    file_notice,
    link_assessment,
    mark_operational,
    open_attachment,
)
from .review import REVIEWS, review_notice
from .sharing import report_sms_count, submit_provider_list

__all__ = ["NoticeConflict", "NoticeError", "HashCheck", "add_cpl_entry", "file_remedial_plan",
           "file_sha256", "review_remedial_plan", "verify_firmware", "add_update", "attach",
           "complete_steps", "file_notice", "link_assessment", "mark_operational",
           "open_attachment", "REVIEWS",
           "review_notice",
           "report_sms_count", "submit_provider_list"]
