"""Issue 9 section 2: every decision records the body that made it (the Panel, the SSC or the
Authority); an appeal records its determination (upheld, dismissed or varied, the date, the
status as determined and the decision it made, G8.39, G9.33); who sets the assurance status
(the Panel, or the SSC where the Panel has delegated it, G8.35) is a setting SECAS keeps;
seeking to agree the steps (G8.27(b)) adds the party's proposals back, the stages "counter
proposed" and "not agreed", and steps replaced by a later proposal; the steps of an Event of
Default after the referral are structured records (G8.56, G8.58(b), G8.59).

Decisions already recorded take the body their kind gives: the assurance status and the
Follow-up's confirmation are the Panel's (G8.35, G8.36(c)(ii)), every other kind the SSC's.
Appeals already recorded keep their outcome in words; they are determined."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PANEL_KINDS = ("assurance_status", "follow_up_satisfies")


def bodies_from_kinds(apps, schema_editor):
    Decision = apps.get_model("assurance", "Decision")
    Decision.objects.filter(kind__in=PANEL_KINDS).update(body="panel")
    Decision.objects.exclude(kind__in=PANEL_KINDS).update(body="ssc")


def the_panel_sets_statuses(apps, schema_editor):
    apps.get_model("assurance", "StatusDelegation").objects.create(assurance_status_by="panel")


class Migration(migrations.Migration):

    dependencies = [
        ("assurance", "0004_served_users"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusDelegation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("assurance_status_by", models.CharField(
                    choices=[("panel", "The Panel (G8.35)"),
                             ("ssc", "The SSC, under the Panel's delegation")],
                    default="panel", help_text="Who sets the assurance status (G8.35-G8.36). "
                    "The Panel may always set it.", max_length=10)),
                ("delegated_on", models.DateField(
                    blank=True, help_text="When the Panel delegated it (or withdrew it).",
                    null=True)),
                ("note", models.TextField(blank=True, help_text="The Panel's decision that "
                                          "delegates it.")),
            ],
            options={"verbose_name": "who sets the assurance status",
                     "verbose_name_plural": "who sets the assurance status"},
        ),
        migrations.CreateModel(
            name="DefaultStepRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("classification", models.CharField(
                    choices=[("RED", "RED"), ("AMBER", "AMBER"), ("GREEN", "GREEN"),
                             ("WHITE", "WHITE")], default="RED", max_length=5)),
                ("step", models.CharField(choices=[
                    ("investigation", "The SSC's investigation (M8.3)"),
                    ("advice_requested", "The Panel asks the SSC's advice on the steps (M8.4)"),
                    ("advice", "The SSC's advice on the steps (M8.4)"),
                    ("remedied", "The party reports the steps taken (M8.4)"),
                    ("closed", "The Panel closes the matter")], max_length=20)),
                ("clause", models.CharField(max_length=40)),
                ("text", models.TextField()),
                ("recorded_on", models.DateField()),
                ("event", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                            related_name="default_steps",
                                            to="assurance.eventofdefault")),
                ("recorded_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                  related_name="+",
                                                  to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["id"], "abstract": False},
        ),
        migrations.AddField(
            model_name="decision",
            name="body",
            field=models.CharField(choices=[("panel", "The Panel"),
                                            ("ssc", "The Security Sub-Committee"),
                                            ("authority", "The Authority")],
                                   default="", help_text="The body whose decision it is.",
                                   max_length=10),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="decision",
            name="kind",
            field=models.CharField(choices=[
                ("assurance_status", "Assurance status (Panel, G8.36)"),
                ("follow_up_satisfies", "Follow-up satisfies the Panel (G8.36(c))"),
                ("compliance_status", "Compliance status (SSC)"),
                ("plan_accepted", "Steps and timetable accepted (G8.27(a))"),
                ("alternative_proposed", "Other steps proposed (G8.27(b))"),
                ("alternative_agreed", "Other steps agreed (G8.28)"),
                ("follow_up_requested", "Follow-up requested (G8.29)"),
                ("dcc_outcome", "DCC non-compliances recorded (G9.29-G9.31)"),
                ("self_assessment_noted", "Self-assessment noted"),
                ("triage_approved", "Triage Activities approved (G12.7(b))"),
                ("appeal_determined", "Appeal determined (G8.39, G9.33)")], max_length=30),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="outcome",
            field=models.TextField(blank=True, help_text="The determination's reasons."),
        ),
        migrations.AddField(
            model_name="appeal",
            name="determination",
            field=models.CharField(blank=True, choices=[("upheld", "Upheld"),
                                                        ("dismissed", "Dismissed"),
                                                        ("varied", "Varied")], max_length=10),
        ),
        migrations.AddField(
            model_name="appeal",
            name="determined_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="appeal",
            name="value",
            field=models.CharField(blank=True, help_text="The status the determination gives, "
                                   "where it changes the decision appealed.", max_length=60),
        ),
        migrations.AddField(
            model_name="appeal",
            name="determined_by",
            field=models.ForeignKey(blank=True, help_text="Who recorded the determination.",
                                    null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="appeal",
            name="result",
            field=models.ForeignKey(blank=True, help_text="The decision it made.", null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="assurance.decision"),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="stage",
            field=models.CharField(choices=[
                ("recorded", "Recorded (history)"), ("booked", "Booked"),
                ("report_issued", "Report issued"), ("response_submitted", "Response submitted"),
                ("alternative_proposed", "Alternative steps proposed by the SSC"),
                ("counter_proposed", "Other steps proposed back by the party"),
                ("not_agreed", "No agreement on the steps"), ("plan_agreed", "Plan agreed"),
                ("ssa_submitted", "Self-assessment submitted"),
                ("ssa_reviewed", "Self-assessment reviewed"),
                ("ssa_noted", "Self-assessment noted"), ("cancelled", "Cancelled")],
                db_index=True, default="recorded", max_length=24),
        ),
        migrations.AlterField(
            model_name="step",
            name="status",
            field=models.CharField(choices=[
                ("taken", "Already taken"), ("proposed", "Proposed by the party"),
                ("alternative", "Proposed by the SSC (G8.27(b))"),
                ("counter", "Proposed back by the party (G8.27(b))"),
                ("replaced", "Replaced by a later proposal (G8.27(b))"),
                ("agreed", "Agreed: binding (G8.28)"),
                ("superseded", "Replaced by the agreed plan")], max_length=12),
        ),
        migrations.RunPython(bodies_from_kinds, migrations.RunPython.noop),
        migrations.RunPython(the_panel_sets_statuses, migrations.RunPython.noop),
    ]
