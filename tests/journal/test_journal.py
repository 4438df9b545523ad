"""The journal: append-only, and tamper-evident through its hash chain."""
import json

import pytest
from django.db import connection

from secassure.core.journal import keys
from secassure.core.journal.models import AppendOnlyError, JournalEntry
from secassure.core.journal.services import checkpoint, record, verify
from secassure.core.permissions import SYSTEM


@pytest.fixture(autouse=True)
def _checkpoints_of_this_test(settings, tmp_path):
    """Each test signs and reads its own checkpoints."""
    settings.SECASSURE_JOURNAL_CHECKPOINTS = str(tmp_path / "checkpoints")


@pytest.fixture
def entries(db):
    return [record(SYSTEM, f"test.action.{i}", reason=f"reason {i}", clause="G8.36",
                   details={"n": i}) for i in range(5)]


def test_every_entry_follows_the_one_before(entries):
    assert entries[0].previous_hash == "0" * 64
    for before, after in zip(entries, entries[1:], strict=False):
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


def _forge_tail(entries, forged_reason: str) -> None:
    """What someone with write access to the database but not the chain key can do: rewrite
    the newest entry and recompute its hash the only way they can (plain SHA-256), then point
    the head at it."""
    entry = JournalEntry.objects.get(pk=entries[-1].pk)
    entry.reason, entry.scheme = forged_reason, 1
    forged = entry.compute_hash(b"", None)
    _raw("UPDATE journal_journalentry SET reason = %s, scheme = 1, entry_hash = %s WHERE id = %s",
         [forged_reason, forged, entry.pk])
    _raw("UPDATE journal_journalhead SET last_hash = %s WHERE id = 1", [forged])


def test_new_entries_are_chained_with_a_key_outside_the_database(entries):
    assert {e.scheme for e in entries} == {2}
    entry = JournalEntry.objects.get(pk=entries[0].pk)
    assert entry.compute_hash(b"another key") != entry.entry_hash


def test_a_recomputed_entry_without_the_key_is_found(entries):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the change outright")
    _forge_tail(entries, "forged")
    problems = verify()
    assert [p.entry_id for p in problems] == [entries[-1].pk]
    assert "altered" in problems[0].problem or "unkeyed" in problems[0].problem


def test_cutting_off_the_newest_entries_is_found_by_a_checkpoint(entries):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the change outright")
    assert checkpoint() is not None and verify() == []
    _raw("DELETE FROM journal_journalentry WHERE id >= %s", [entries[3].pk])
    _raw("UPDATE journal_journalhead SET last_hash = %s WHERE id = 1", [entries[2].entry_hash])
    problems = verify()
    assert [p.entry_id for p in problems] == [entries[4].pk]
    assert "removed" in problems[0].problem


def test_a_chain_recomputed_with_a_stolen_key_is_found_by_a_checkpoint(entries, monkeypatch):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses the change outright")
    checkpoint()
    entry = JournalEntry.objects.get(pk=entries[-1].pk)
    entry.reason = "rewritten with the key"
    rewritten = entry.compute_hash(keys.chain_key())
    _raw("UPDATE journal_journalentry SET reason = %s, entry_hash = %s WHERE id = %s",
         [entry.reason, rewritten, entry.pk])
    _raw("UPDATE journal_journalhead SET last_hash = %s WHERE id = 1", [rewritten])
    problems = verify()
    assert [p.entry_id for p in problems] == [entries[-1].pk]
    assert "checkpoint" in problems[0].problem


def test_a_forged_checkpoint_is_refused(entries, settings):
    path = checkpoint()
    signed = json.loads(path.read_text())
    signed["checkpoint"]["entry"] = entries[0].pk
    path.write_text(json.dumps(signed))
    problems = verify()
    assert len(problems) == 1 and "signature does not verify" in problems[0].problem


def test_renaming_a_party_keeps_its_earlier_entries_intact(db):
    from secassure.registry.models import Party
    party = Party.objects.create(party_id="OLDNAME", name="Renamed Ltd")
    record(SYSTEM, "test.about.party", party=party, subject="party:OLDNAME")
    Party.objects.filter(pk=party.pk).update(party_id="NEWNAME")
    assert verify() == []
