"""The compliance statuses the platform ships with. The Code does not name them (domain.md
3.1); SECAS may edit, add or retire them in the admin."""
from django.db import migrations

STATUSES = [
    ("compliant", "Compliant", "No outstanding non-compliance or material increase in risk.",
     False),
    ("compliant_subject_to_plan", "Compliant subject to an agreed remediation plan",
     "Outstanding matters are covered by a Remediation Plan and Director's Letter the SSC "
     "approves.", True),
    ("non_compliant", "Non-compliant", "Outstanding non-compliance without an agreed plan; the "
     "SSC may refer the matter to the Panel (G8.57).", False),
]


def seed(apps, schema_editor):
    ComplianceStatus = apps.get_model("assurance", "ComplianceStatus")
    for position, (code, label, description, plan) in enumerate(STATUSES):
        ComplianceStatus.objects.get_or_create(code=code, defaults={
            "label": label, "description": description, "position": position,
            "needs_remediation_plan": plan})


class Migration(migrations.Migration):
    dependencies = [("assurance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
