"""G7's rules as pure functions: Working Days on the English calendar (G7.14), terms (G7.5(b),
G7.6(b)), seats (G7.3)."""
from datetime import date

import pytest

from secassure.committee.rules import (
    SEATS,
    add_working_days,
    candidates_noticed_from,
    is_working_day,
    quorum,
    referral_deadline,
    rejection_deadline,
    term_end,
)


@pytest.mark.parametrize("close, deadline", [
    # G7.14(a): "by no later than 5 Working Days following the expiry of the period"
    (date(2020, 8, 7), date(2020, 8, 14)),    # Friday: the next week's Friday
    (date(2020, 8, 26), date(2020, 9, 3)),    # over the Late Summer Bank Holiday (31 Aug)
    (date(2020, 12, 24), date(2021, 1, 5)),   # Christmas, Boxing Day (observed 28th), New Year
    (date(2021, 4, 1), date(2021, 4, 12)),    # Good Friday and Easter Monday
    (date(2020, 8, 8), date(2020, 8, 14)),    # a Saturday: Monday is the first Working Day
])
def test_the_ssc_may_reject_a_candidate_until_five_working_days_after_nominations_close(
        close, deadline):
    assert rejection_deadline(close) == deadline


@pytest.mark.parametrize("notified, deadline", [
    # G7.14(c): "3 Working Days following receipt of such notification"
    (date(2020, 8, 10), date(2020, 8, 13)),
    (date(2020, 8, 27), date(2020, 9, 2)),    # Fri 28, (Mon 31 bank holiday), Tue 1, Wed 2
    (date(2021, 12, 23), date(2021, 12, 30)),  # 27 and 28 December 2021 are substitute days
])
def test_a_rejected_candidate_has_three_working_days_to_refer_it_to_the_panel(
        notified, deadline):
    assert referral_deadline(notified) == deadline


def test_the_secretariat_names_the_candidates_after_every_window_has_run():
    """G7.14(d): notice is delayed pending the expiry of the periods in (a) and (c)."""
    close = date(2020, 8, 7)
    assert candidates_noticed_from(close, []) == date(2020, 8, 17)
    assert candidates_noticed_from(close, [date(2020, 8, 14)]) == date(2020, 8, 20)


@pytest.mark.parametrize("day, working", [
    (date(2020, 12, 25), False), (date(2020, 12, 28), False), (date(2020, 12, 29), True),
    (date(2020, 8, 31), False), (date(2020, 8, 29), False), (date(2020, 9, 1), True),
])
def test_working_days_are_english_weekdays_that_are_not_bank_holidays(day, working):
    assert is_working_day(day) is working


def test_zero_working_days_is_the_day_itself():
    assert add_working_days(date(2020, 12, 25), 0) == date(2020, 12, 25)


@pytest.mark.parametrize("seat, started, ends", [
    ("chair", date(2020, 4, 1), date(2023, 4, 1)),           # G7.5(b): three years
    ("supplier_large", date(2020, 4, 1), date(2022, 4, 1)),  # G7.6(b): two years
    ("network_gas", date(2020, 2, 29), date(2022, 2, 28)),   # G7.8(b)
    ("dcc", date(2020, 4, 1), None),                         # G7.15: until replaced
])
def test_terms(seat, started, ends):
    assert term_end(seat, started) == ends


def test_the_ssc_has_fourteen_seats_as_g7_3_lists_them():
    counts = {kind.value: seat.count for kind, seat in SEATS.items()}
    assert counts == {"chair": 1, "supplier_large": 6, "supplier_small": 2,
                      "network_electricity": 1, "network_gas": 1, "other_user": 1,
                      "shared_resource_provider": 1, "dcc": 1}
    assert sum(counts.values()) == 14


@pytest.mark.parametrize("in_office, needed", [(16, 9), (15, 8), (3, 2), (1, 2)])
def test_quorum_is_more_than_half_the_members_in_office(in_office, needed):
    assert quorum(in_office) == needed
