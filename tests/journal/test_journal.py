"""The journal: append-only, and tamper-evident through its hash chain."""
import pytest
from django.db import connection

from secassure.core.permissions import SYSTEM
from secassure.core.journal.models import AppendOnlyError, JournalEntry
from secassure.core.journal.services import record, verify


@pytest.fixture
def entries(db):
    return [record(SYSTEM, f"test.action.{i}", reason=f"reason {i}", clause="G8.36",
                   details={"n": i}) for i in range(5)]


def test_every_entry_follows_the_one_before(entries):
    assert entries[0].previous_hash == "0" * 64
    for before, after in zip(entries, entries[1:]):
        assert after.previous_hash == before.entry_hash
    assert verify() == []


def test_entries_cannot_be_changed_or_deleted_through_the_orm(entries):
    entry = JournalEntry.objects.get(pk=entries[2].pk)
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.all().delete()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_altered_entry_is_found(entries):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the change outright (next test)")
    _raw("UPDATE journal_journalentry SET reason = %s WHERE id = %s", ["forged", entries[2].pk])
    problems = verify()
    assert [(p.entry_id, "altered" in p.problem) for p in problems] == [(entries[2].pk, True)]


def test_a_removed_entry_is_found(entries):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the change outright (next test)")
    _raw("DELETE FROM journal_journalentry WHERE id = %s", [entries[1].pk])
    assert [p.entry_id for p in verify()] == [entries[2].pk]


def test_postgresql_refuses_updates_in_the_database(entries):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE journal_journalentry SET reason = %s WHERE id = %s", ["x", entries[0].pk])
