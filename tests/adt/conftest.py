"""The ADT engine's tests need no database: they run with or without pytest-django.

The root conftest's autouse fixture touches the database only for tests that use it (none
here), so the suite also runs as ``pytest -p no:django tests/adt``.
"""
