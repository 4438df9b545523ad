"""The pages of notices: the list and review queue, filing each kind, a notice's page with
its timeline and the actions open to the person, the G5.27 counts, the G10.4 lists, the CPL,
the exports."""
from .pages import (
    act,
    attachment,
    attention,
    counts,
    cpl,
    detail,
    export,
    file_notice,
    file_plan,
    notice_list,
    plan_detail,
    provider_lists,
    review_queue,
)

__all__ = ["act", "attachment", "attention", "counts", "cpl", "detail", "export", "file_notice",
           "file_plan", "notice_list", "plan_detail", "provider_lists", "review_queue"]
