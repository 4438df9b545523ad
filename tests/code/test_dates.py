"""Dates: "12 months after a date" is the same day a year later; 29 February becomes 28."""
from datetime import date

import pytest

from secassure.code.dates import add_months, parse_iso_date, twelve_months_after


@pytest.mark.parametrize("start, expected", [
    (date(2024, 5, 20), date(2025, 5, 20)),
    (date(2024, 2, 29), date(2025, 2, 28)),
    (date(2023, 12, 31), date(2024, 12, 31)),
    (date(2028, 2, 29), date(2029, 2, 28)),
])
def test_twelve_months_after(start, expected):
    assert twelve_months_after(start) == expected


@pytest.mark.parametrize("start, months, expected", [
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2024, 12, 15), 1, date(2025, 1, 15)),
    (date(2025, 1, 15), -13, date(2023, 12, 15)),
])
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize("text", ["2024-1-01", "2024-02-30", "20240201", "", None, 20240201,
                                  "2024-02-01T00:00"])
def test_only_real_dates_in_the_iso_form_are_accepted(text):
    with pytest.raises(ValueError):
        parse_iso_date(text)
