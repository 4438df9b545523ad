"""The rules every door applies to identifiers, names, texts, counts and dates."""
from datetime import date

import pytest

from secassure.code import inputs

PARTY_IDS = [
    ("P1", True), ("HEARTH", True), ("SRP-1.a_b", True), ("Acme Energy", True),
    ("", False), (" P1", False), ("P1 ", False), ("A/B", False), ("P\x00", False),
    ("P\n1", False), ("P\ud800", False), ("X" * 64, True), ("X" * 65, False), ("-P1", False),
    (7, False), (None, False),
]


@pytest.mark.parametrize("value, ok", PARTY_IDS)
def test_party_ids(value, ok):
    if ok:
        assert inputs.party_id(value) == value
    else:
        with pytest.raises(ValueError, match="is not a party id"):
            inputs.party_id(value)


@pytest.mark.parametrize("value, ok", [
    ("90-B3-D5-1F-30-01-00-00", True), ("DCC:01", True), ("", False), ("90 B3", False),
    ("x" * 65, False), (1, False)])
def test_user_ids(value, ok):
    if ok:
        assert inputs.user_id(value) == value
    else:
        with pytest.raises(ValueError):
            inputs.user_id(value)


@pytest.mark.parametrize("value, words", [
    ("Acme\x00", "control"), ("Acme\nEnergy", "line break"), ("x" * 201, "at most 200"),
    (5, "must be a string")])
def test_names_refused(value, words):
    with pytest.raises(ValueError, match=words):
        inputs.name(value)


def test_texts_keep_line_breaks_but_not_other_control_characters():
    assert inputs.text("line one\nline two\tend") == "line one\nline two\tend"
    with pytest.raises(ValueError, match="control"):
        inputs.text("bell\x07")


@pytest.mark.parametrize("value, words", [
    (-1, "negative"), (10 ** 9, "more than"), (1.5, "not a whole number"),
    (float("nan"), "not a finite number"), (float("inf"), "not a finite number"),
    (True, "not a whole number"), ("3", "not a whole number")])
def test_counts_refused(value, words):
    with pytest.raises(ValueError, match=words):
        inputs.count(value)


def test_counts_accepted_up_to_the_limit():
    assert inputs.count(0) == 0
    assert inputs.count(inputs.PREMISES_LIMIT) == inputs.PREMISES_LIMIT


@pytest.mark.parametrize("day, ok", [
    (date(1990, 1, 1), True), (date(2100, 12, 31), True), (date(1989, 12, 31), False),
    (date(9999, 12, 31), False)])
def test_dates_in_range(day, ok):
    if ok:
        assert inputs.in_range(day) == day
    else:
        with pytest.raises(ValueError, match="outside"):
            inputs.in_range(day)
