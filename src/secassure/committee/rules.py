"""The committee's rules from Section G7, as small pure functions (no Django).

Seats and terms (G7.3-G7.15), English Working Days for the election windows (G7.14), and the
quorum rule this platform uses for Section C5 (applied to the SSC by G7.17).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from secassure.code.dates import add_months


class SeatKind(StrEnum):
    CHAIR = "chair"
    SUPPLIER_LARGE = "supplier_large"
    SUPPLIER_SMALL = "supplier_small"
    NETWORK_ELECTRICITY = "network_electricity"
    NETWORK_GAS = "network_gas"
    OTHER_USER = "other_user"
    SHARED_RESOURCE_PROVIDER = "shared_resource_provider"
    DCC = "dcc"


@dataclass(frozen=True)
class Seat:
    kind: SeatKind
    label: str
    count: int
    electorate: str   # who elects (or appoints) to it
    term_years: int | None  # None: no fixed term (the DCC's nominee serves until replaced)
    clause: str

    @property
    def elected(self) -> bool:
        return self.kind not in (SeatKind.CHAIR, SeatKind.DCC)


#: The SSC's seats (G7.3): 14 in all.
SEATS: dict[SeatKind, Seat] = {s.kind: s for s in (
    Seat(SeatKind.CHAIR, "Chair", 1, "appointed by the Panel", 3, "G7.5"),
    Seat(SeatKind.SUPPLIER_LARGE, "Supplier Member (Large Supplier Parties)", 6,
         "Large Supplier Parties", 2, "G7.6-G7.7(a)"),
    Seat(SeatKind.SUPPLIER_SMALL, "Supplier Member (Small Supplier Parties)", 2,
         "Small Supplier Parties", 2, "G7.6-G7.7(a)"),
    Seat(SeatKind.NETWORK_ELECTRICITY, "Network Member (Electricity Network Parties)", 1,
         "Electricity Network Parties", 2, "G7.8-G7.9(a)"),
    Seat(SeatKind.NETWORK_GAS, "Network Member (Gas Network Parties)", 1,
         "Gas Network Parties", 2, "G7.8-G7.9(a)"),
    Seat(SeatKind.OTHER_USER, "Other User Member", 1, "Other SEC Parties which are Other Users",
         2, "G7.10-G7.11"),
    Seat(SeatKind.SHARED_RESOURCE_PROVIDER, "Shared Resource Provider Member", 1,
         "Other SEC Parties which are Shared Resource Providers", 2, "G7.12-G7.13"),
    Seat(SeatKind.DCC, "DCC nominee", 1, "nominated by the DCC", None, "G7.15"),
)}
SEAT_CHOICES = [(s.kind.value, s.label) for s in SEATS.values()]


def term_end(kind: SeatKind | str, started: date) -> date | None:
    """When a member appointed on `started` retires: two years on (G7.6(b), G7.8(b),
    G7.10(b), G7.12(b)), three for the Chair (G7.5(b)); the DCC's nominee has no term
    (G7.15)."""
    years = SEATS[SeatKind(kind)].term_years
    return None if years is None else add_months(started, 12 * years)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """A Working Day: not a Saturday or Sunday, nor a bank holiday in England (the kept
    `holidays` library's calendar, substitute days included)."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The `n`th Working Day following `day` (`day` itself is not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


#: G7.14(a): the SSC may reject a candidate no later than 5 Working Days after nominations close.
REJECTION_WORKING_DAYS = 5
#: G7.14(c): a rejected candidate has 3 Working Days after the notice to refer it to the Panel.
REFERRAL_WORKING_DAYS = 3


def rejection_deadline(nominations_close: date) -> date:
    """The last day the SSC may reject a candidate (G7.14(a))."""
    return add_working_days(nominations_close, REJECTION_WORKING_DAYS)


def referral_deadline(rejection_notified: date) -> date:
    """The last day a rejected candidate may refer the rejection to the Panel (G7.14(c))."""
    return add_working_days(rejection_notified, REFERRAL_WORKING_DAYS)


def candidates_noticed_from(nominations_close: date, rejections: list[date]) -> date:
    """The earliest day the Secretariat may give notice of the eligible candidates: after the
    rejection window and every rejected candidate's referral window (G7.14(d)); a referral
    the Panel has not yet determined delays it further (not counted here)."""
    last = rejection_deadline(nominations_close)
    for notified in rejections:
        last = max(last, referral_deadline(notified))
    return add_working_days(last, 1)


def quorum(members_in_office: int) -> int:
    """The members who must be present for the meeting to decide.

    Section C5 (Proceedings of the Panel), applied to the SSC by G7.17, is not in the text this
    platform holds. The rule used here is a stated assumption, not a quotation: more than half
    of the members in office (at least two), the Chair or an alternate among them being
    recorded separately by the secretariat."""
    return max(2, members_in_office // 2 + 1)
