"""G10.7-G10.8: the Users a Shared Resource Provider served at the time of each assessment.

Assessments already in the database take their provider's Users as the register links them
today (the only record of who was served); from now on they are recorded when an assessment is
booked or recorded."""
from django.db import migrations, models


def served_from_todays_links(apps, schema_editor):
    Assessment = apps.get_model("assurance", "Assessment")
    Party = apps.get_model("registry", "Party")
    through = Assessment.served_users.through
    users = Party.objects.filter(resource_provider__isnull=False).values_list(
        "pk", "resource_provider_id")
    by_provider: dict = {}
    for user, provider in users:
        by_provider.setdefault(provider, []).append(user)
    rows = [through(assessment_id=pk, party_id=user)
            for pk, party in Assessment.objects.filter(
                party_id__in=list(by_provider)).values_list("pk", "party_id")
            for user in by_provider[party]]
    through.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("assurance", "0004_schedule_v2"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="served_users",
            field=models.ManyToManyField(
                blank=True, related_name="served_assessments", to="registry.party",
                help_text="For a Shared Resource Provider: the Users it served at the time of "
                          "the assessment (G10.7), recorded when it was booked or recorded; "
                          "they receive its report, response, agreed steps and progress "
                          "reports (G10.8)."),
        ),
        migrations.RunPython(served_from_todays_links, migrations.RunPython.noop),
    ]
