"""The one read layer of the committee's pages, API, exports and command line."""
from .business import attached_business, business_counts, unattached_business
from .meetings import (
    action_log,
    agenda,
    meeting_for,
    meetings_for,
    papers_for,
    seats,
    visible_items,
)
from .minutes import minutes_text

__all__ = ["attached_business", "business_counts", "unattached_business", "action_log",
           "agenda", "meeting_for", "meetings_for", "papers_for", "seats", "visible_items",
           "minutes_text"]
