from django.db import migrations, models


class Migration(migrations.Migration):
    """G9.4: the DCC Independent Security Assessment Service Provider, a kind of person."""

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="kind",
            field=models.CharField(blank=True, choices=[
                ("secas", "SECAS (secretariat)"), ("ssc_member", "SSC member"),
                ("panel_member", "Panel member"), ("cio_assessor", "User CIO assessor"),
                ("dcc_assessor", "DCC Independent Security Assessment Service Provider"),
                ("dcc", "DCC"), ("triage_operator", "Triage operator"),
                ("party_rep", "Party representative")],
                help_text="What this person does here; decides what they may see.",
                max_length=20),
        ),
    ]
