"""Issue 9: the DCC party holds the register role `dcc` (its own cycle, G9.3(b)(i)); the
SSC's determination is no longer a standing party field (G12.8: it follows an assessment; the
assurance migration before this one moved it onto the latest assessment)."""
from django.db import migrations, models

ROLES = [("import_supplier", "Import Supplier"), ("export_supplier", "Export Supplier"),
         ("gas_supplier", "Gas Supplier"), ("electricity_distributor", "Electricity Distributor"),
         ("gas_transporter", "Gas Transporter"), ("other_user", "Other User"),
         ("registered_supplier_agent", "Registered Supplier Agent"),
         ("registration_data_provider", "Registration Data Provider"),
         ("shared_resource_provider", "Shared Resource Provider"),
         ("triage_facility_provider", "Triage Facility Provider"), ("dcc", "DCC")]


def dcc_role(apps, schema_editor):
    Party = apps.get_model("registry", "Party")
    PartyRole = apps.get_model("registry", "PartyRole")
    for party in Party.objects.filter(is_dcc=True):
        PartyRole.objects.get_or_create(party=party, role="dcc")


def no_dcc_role(apps, schema_editor):
    apps.get_model("registry", "PartyRole").objects.filter(role="dcc").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_party_is_dcc_party_one_dcc"),
        ("assurance", "0004_schedule_v2"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partyrole", name="role",
            field=models.CharField(choices=ROLES, max_length=40),
        ),
        migrations.AlterField(
            model_name="party", name="is_dcc",
            field=models.BooleanField(default=False, verbose_name="is the DCC", help_text=(
                "The DCC, assessed under G9 rather than G8 (its register role is 'dcc'); it "
                "is not a User.")),
        ),
        migrations.RunPython(dcc_role, no_dcc_role),
        migrations.RemoveField(model_name="party", name="ssc_next_category"),
    ]
