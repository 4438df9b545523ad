"""The ADT engine's tests need no database: they run with or without pytest-django.

``tests/conftest.py`` has an autouse fixture that guards the platform's reference data through
pytest-django's ``django_db_blocker``; these tests touch no database, so the fixture is replaced
here by one that does nothing (and the suite still runs as ``pytest -p no:django``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _keep_reference_data() -> Iterator[None]:
    yield
