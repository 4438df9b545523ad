"""On PostgreSQL, refuse UPDATE and DELETE of journal entries in the database itself."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION journal_entry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'journal entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER journal_entry_append_only BEFORE UPDATE OR DELETE ON journal_journalentry
  FOR EACH ROW EXECUTE FUNCTION journal_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS journal_entry_append_only ON journal_journalentry;
DROP FUNCTION IF EXISTS journal_entry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
