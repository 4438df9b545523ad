"""What the assurance views share: today's date and how a refused service call is shown."""
from __future__ import annotations

from datetime import date

from django.utils import timezone

from secassure.code.workflow import WorkflowError

from ..services import AssuranceError

#: A refused action keeps its page: 409 when the stage does not allow it (the workflow), 400
#: when the input breaks a rule of the Code. PermissionDenied is left to Django (403).
REFUSALS = {WorkflowError: 409, AssuranceError: 400}


def today() -> date:
    return timezone.localdate()


def refusal_status(error: Exception) -> int:
    return next(status for kind, status in REFUSALS.items() if isinstance(error, kind))


def parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return default
