"""The committees' records: members and elections (members.py), meetings and what is recorded
at them (meetings.py)."""
from .meetings import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    BusinessLink,
    Conflict,
    Meeting,
    MeetingDecision,
    Minutes,
    Paper,
    PaperVersion,
)
from .members import Election, Invitee, Membership, Nomination

__all__ = ["Action", "AgendaItem", "Attendance", "Body", "BusinessLink", "Conflict", "Meeting",
           "MeetingDecision", "Minutes", "Paper", "PaperVersion", "Election", "Invitee",
           "Membership", "Nomination"]
