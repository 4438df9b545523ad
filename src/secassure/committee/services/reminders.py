"""Reminders of papers due and actions overdue, journaled once per run."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from ..selectors.calendar import Reminder, reminders
from .base import journal, require_person


def send_reminders(actor: Any, *, today: date) -> list[Reminder]:
    """The reminders due today; the run is journaled with who was reminded. (Delivery by
    e-mail is the deployment's; the list is what a person or the secretariat is told.)"""
    require_person(actor, "send_reminders")
    found = reminders(today)
    with transaction.atomic():
        journal(actor, "send_reminders", subject="committee",
                details={"recipients": sorted({r.to for r in found})})
    return found
