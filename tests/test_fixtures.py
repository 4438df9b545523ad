"""The shared fixtures keep tests independent although the demo register is built only once
(tests/conftest.py): what one test writes is gone for the next, a test without the demo sees an
empty register, and a test that uses no database is marked so CI's PostgreSQL pass skips it.

The first two tests run in this order in one process (unless pytest-xdist puts them on two
workers, when the second still checks a freshly held demo)."""
from __future__ import annotations

from typing import Any

import pytest

from secassure.accounts.models import Person
from secassure.core.journal.models import JournalEntry
from secassure.registry.models import Party
from tests.conftest import DemoRegister


def test_a_test_may_change_the_demo_register(demo: dict[str, Any]) -> None:
    Party.objects.filter(party_id="HEARTH").update(name="Changed by a test")
    Person.objects.create(username="left-behind", kind="secas")
    assert Party.objects.get(party_id="HEARTH").name == "Changed by a test"


def test_the_next_test_sees_the_demo_register_as_loaded(demo: dict[str, Any]) -> None:
    assert Party.objects.get(party_id="HEARTH").name == "Hearth Gas & Power Ltd"
    assert "left-behind" not in demo
    assert not Person.objects.filter(username="left-behind").exists()
    assert set(demo) >= {"secas", "ssc-member", "panel-member", "cio-assessor", "dcc",
                         "triage-operator", "rep-HEARTH"}


def test_the_demo_register_is_built_once_per_test_process(
        demo: dict[str, Any], demo_register: DemoRegister) -> None:
    """Every test before this one that used the demo used the same build (tests without the
    demo and transactional ones are ordered before and after all of them)."""
    assert demo_register.held
    assert demo_register.builds == 1


def test_a_test_without_the_demo_sees_an_empty_register(db: None) -> None:
    assert not Party.objects.exists()
    assert not Person.objects.exists()
    assert not JournalEntry.objects.exists()


def test_a_test_without_a_database_is_marked_nodb(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("nodb") is not None


def test_a_database_test_is_not_marked_nodb(request: pytest.FixtureRequest, db: None) -> None:
    assert request.node.get_closest_marker("nodb") is None
