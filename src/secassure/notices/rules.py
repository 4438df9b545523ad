"""The notices Section G requires, as data: each kind's clause, who is told, its clock.

Pure data and small functions (no Django): the services, pages, API and command line read
the kinds from here, so a clause is stated once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    INCIDENT = "incident"
    VULNERABILITY = "vulnerability"
    NEW_SYSTEM = "new_system"
    DECOMMISSIONING = "decommissioning"
    SHARED_RESOURCES = "shared_resources"
    PROVIDER_CHANGE = "provider_change"


class State(StrEnum):
    FILED = "filed"             # waiting on the SSC
    QUESTIONED = "questioned"   # the SSC asked questions; waiting on the party
    NOTED = "noted"             # the SSC noted it (at a meeting)
    AUTHORISED = "authorised"   # G3.9(a)(iii): the SSC authorised the system
    WITHHELD = "withheld"       # G3.9(a)(iii): the SSC withheld authorisation by notice
    REFUSED = "refused"         # G10.3: an arrangement a User may not employ
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: The states in which a notice waits on the SSC.
WAITING_ON_SSC = frozenset({State.FILED})
#: The states after which nothing more is filed on a notice.
FINAL = frozenset({State.CLOSED, State.WITHHELD, State.REFUSED})


class Clock(StrEnum):
    """How the Code times a notice: elapsed time since the event (promptly, as soon as
    reasonably practicable), or before the event (prior to operation or retirement)."""

    PROMPTLY = "promptly"
    PRACTICABLE = "as soon as reasonably practicable"
    BEFORE = "before the event"


@dataclass(frozen=True)
class KindRule:
    label: str
    clause: str          # a User's
    dcc_clause: str      # the DCC's counterpart ("" when the DCC does not file this kind)
    clock: Clock
    panel_told: bool     # the Code names the Panel (G2.11, G3.5)
    event_label: str


KINDS: dict[Kind, KindRule] = {
    Kind.INCIDENT: KindRule("Major Security Incident", "G3.5", "G2.11(a)", Clock.PROMPTLY,
                            True, "Incident occurred"),
    Kind.VULNERABILITY: KindRule("Material vulnerability and steps", "G3.18(c)", "G2.35",
                                 Clock.PROMPTLY, False, "Became aware"),
    Kind.NEW_SYSTEM: KindRule("New system (authorisation)", "G3.9(a)", "", Clock.BEFORE,
                              False, "Planned to become operational"),
    Kind.DECOMMISSIONING: KindRule("Decommissioning", "G3.9(c)", "", Clock.BEFORE, False,
                                   "To be retired on"),
    Kind.SHARED_RESOURCES: KindRule("Shared Resources employed", "G5.26", "",
                                    Clock.PRACTICABLE, False, "First employed"),
    Kind.PROVIDER_CHANGE: KindRule("Change of Shared Resource Provider", "G10.2", "",
                                   Clock.PRACTICABLE, False, "Changed on"),
}

#: The kinds the DCC files (G2.11, G2.35); the others are Users' (and providers', G10.5).
DCC_KINDS = frozenset(k for k, rule in KINDS.items() if rule.dcc_clause)
PANEL_KINDS = frozenset(k for k, rule in KINDS.items() if rule.panel_told)
#: G2.11(b): the SMETS1 CSP case is "as soon as reasonably practicable".
SMETS1_CSP_CLAUSE = "G2.11(b)"


#: G3.9(b)(ii): a material vulnerability detected by an assessment of the User Systems.
AFTER_ASSESSMENT_CLAUSE = "G3.9(b)(ii)"


def clause_for(kind: Kind, *, by_dcc: bool, smets1_csp: bool = False,
               after_assessment: bool = False) -> str:
    """The clause a notice of `kind` is filed under (G3.5 for a User's incident, G2.11(a) for
    the DCC's, G2.11(b) for the DCC's SMETS1 CSP incident; a User's vulnerability G3.18(c), or
    G3.9(b)(ii) when an assessment of its User Systems detected it)."""
    rule = KINDS[kind]
    if not by_dcc:
        if kind == Kind.VULNERABILITY and after_assessment:
            return AFTER_ASSESSMENT_CLAUSE
        return rule.clause
    if kind == Kind.INCIDENT and smets1_csp:
        return SMETS1_CSP_CLAUSE
    return rule.dcc_clause


def clock_for(kind: Kind, *, smets1_csp: bool = False) -> Clock:
    if kind == Kind.INCIDENT and smets1_csp:
        return Clock.PRACTICABLE
    return KINDS[kind].clock


def add_months(day: date, months: int) -> date:
    """`day` `months` later, on the same day of the month or the month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


#: G5.27(b): the count of Smart Metering Systems is notified at intervals of six months.
COUNT_INTERVAL_MONTHS = 6
#: Reminders start this many days before a due date.
REMIND_DAYS = 14


def next_count_due(last_reported: date) -> date:
    """G5.27(b): six months after the last count notified."""
    return add_months(last_reported, COUNT_INTERVAL_MONTHS)


def elapsed(since: date, today: date) -> str:
    """Elapsed time in words, for the clocks 'promptly' and 'as soon as reasonably
    practicable' (the Code sets no number of days)."""
    days = (today - since).days
    if days < 0:
        return f"in {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "today"
    return f"{days} day{'s' if days != 1 else ''} ago"
