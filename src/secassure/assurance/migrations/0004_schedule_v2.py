"""Issue 9, the schedule's second contract: an assessment carries the premises that decided
its category (G8.48-G8.49(a)), the date the Panel set for a Follow-up (G8.36(b)(ii)) and the
SSC's determination of the category that follows it (G12.8).

The SSC's determinations kept until now on the party (a standing field) move to the party's
latest completed assessment, which they follow; the registry's next migration removes the
party's field."""
from django.db import migrations, models


def determinations_onto_assessments(apps, schema_editor):
    Assessment = apps.get_model("assurance", "Assessment")
    Party = apps.get_model("registry", "Party")
    for party_pk, category in Party.objects.exclude(ssc_next_category="").values_list(
            "pk", "ssc_next_category"):
        latest = (Assessment.objects.filter(party_id=party_pk, completed__isnull=False)
                  .order_by("-completed", "-id").first())
        if latest is not None and not latest.ssc_next_category:
            latest.ssc_next_category = category
            latest.save(update_fields=["ssc_next_category"])


def determinations_onto_parties(apps, schema_editor):
    Assessment = apps.get_model("assurance", "Assessment")
    Party = apps.get_model("registry", "Party")
    for party in Party.objects.all():
        latest = (Assessment.objects.filter(party_id=party.pk, completed__isnull=False)
                  .exclude(ssc_next_category="").order_by("-completed", "-id").first())
        if latest is not None:
            party.ssc_next_category = latest.ssc_next_category
            party.save(update_fields=["ssc_next_category"])


CATEGORIES = [("FUSA", "Full User Security Assessment"),
              ("VUSA", "Verification User Security Assessment"),
              ("SSA", "User Security Self-Assessment")]


class Migration(migrations.Migration):

    dependencies = [
        ("assurance", "0003_letter_sha256"),
        ("registry", "0002_party_is_dcc_party_one_dcc"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment", name="follow_up_by",
            field=models.DateField(blank=True, null=True, help_text=(
                "On an initial Full assessment approved subject to a Follow-up: the date the "
                "Panel set for it (G8.36(b)(ii)).")),
        ),
        migrations.AddField(
            model_name="assessment", name="premises_domestic",
            field=models.PositiveBigIntegerField(blank=True, null=True, help_text=(
                "The aggregated Domestic Premises when its category was ascertained "
                "(G8.48-G8.49(a)).")),
        ),
        migrations.AddField(
            model_name="assessment", name="premises_non_domestic",
            field=models.PositiveBigIntegerField(blank=True, null=True, help_text=(
                "The aggregated Non-Domestic Premises when its category was ascertained "
                "(G8.48-G8.49(a)).")),
        ),
        migrations.AddField(
            model_name="assessment", name="ssc_next_category",
            field=models.CharField(blank=True, choices=CATEGORIES, max_length=10, help_text=(
                "The SSC's determination of the category of the assessment that follows this "
                "one (G12.8).")),
        ),
        migrations.RunPython(determinations_onto_assessments, determinations_onto_parties),
    ]
