"""Entries say how they are chained: 1 (plain SHA-256, the entries written so far) or 2
(HMAC-SHA256 with a key outside the database; every entry from now on)."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_append_only_trigger")]
    operations = [
        migrations.AddField(
            model_name="journalentry", name="scheme",
            field=models.PositiveSmallIntegerField(
                default=1, help_text="How the entry is chained: 1 plain SHA-256 (older "
                                     "entries), 2 HMAC-SHA256 with the key outside the "
                                     "database.")),
    ]
