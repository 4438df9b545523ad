"""Notices to the SSC: incidents, vulnerabilities, new and retired systems, Shared Resources,
CPL entries."""
from .cpl import CplEntry, RemedialPlan
from .notice import Notice, NoticeAttachment, NoticeUpdate
from .sharing import ProviderList, SmsCount

__all__ = ["CplEntry", "RemedialPlan", "Notice", "NoticeAttachment", "NoticeUpdate",
           "ProviderList", "SmsCount"]
