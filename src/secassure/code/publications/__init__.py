"""Publications generated from what was recorded (issue 10, "Publications: a contract"): the
SSC's public headlines of a meeting and the monthly Panel Sub-Committee report with its
confidential Appendix A. Pure rules: parse and check an input document, render Markdown lines.
"""
from .common import Party, PublicationError
from .headlines import Meeting, parse_meeting, render_headlines
from .monthly import Month, parse_month, render_appendix, render_report

__all__ = ["Meeting", "Month", "Party", "PublicationError", "parse_meeting", "parse_month",
           "render_appendix", "render_headlines", "render_report"]
