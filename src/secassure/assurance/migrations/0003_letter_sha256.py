"""Directors' Letters get the SHA-256 evidence files already had, so a download can be checked.

Letters uploaded before this migration are hashed as they are stored now (the best record
there is); a letter that cannot be read keeps no digest and is refused as missing."""
import hashlib

from django.db import migrations, models


def record_digests(apps, schema_editor) -> None:
    RemediationPlan = apps.get_model("assurance", "RemediationPlan")
    for plan in RemediationPlan.objects.exclude(director_letter="").iterator():
        digest = hashlib.sha256()
        try:
            with plan.director_letter.storage.open(plan.director_letter.name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except (OSError, ValueError):
            continue
        plan.letter_sha256 = digest.hexdigest()
        plan.save(update_fields=["letter_sha256"])


class Migration(migrations.Migration):

    dependencies = [
        ("assurance", "0002_compliance_statuses"),
    ]

    operations = [
        migrations.AddField(
            model_name="remediationplan",
            name="letter_sha256",
            field=models.CharField(blank=True, help_text="The letter's SHA-256 when it was "
                                                         "uploaded.", max_length=64),
        ),
        migrations.RunPython(record_digests, migrations.RunPython.noop),
    ]
