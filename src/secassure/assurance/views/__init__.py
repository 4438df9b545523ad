"""Pages of the assurance workflow (G8.22-G8.62, G9, G12.6-G12.7).

Views read through `selectors` (every query via `visible_to`) and change nothing themselves:
each action URL calls exactly one service of `secassure.assurance.services`.
"""
from .actions import act, step_row
from .booking import book
from .defaults import default_act, default_detail, defaults, refer
from .detail import detail, evidence_file, plan_letter
from .exports import export_docx, export_pdf
from .lists import assessment_list, attention
from .schedule import schedule

__all__ = ["act", "assessment_list", "attention", "book", "default_act", "default_detail",
           "defaults", "detail", "evidence_file", "export_docx", "export_pdf", "plan_letter",
           "refer", "schedule",
           "step_row"]
