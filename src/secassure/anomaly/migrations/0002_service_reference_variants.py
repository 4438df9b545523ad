"""The 129 Service Reference Variants of the DUIS, from the request matrix in secassure.code."""
from django.db import migrations


def load(apps, schema_editor):
    from secassure.code.srv import load_srvs
    Srv = apps.get_model("anomaly", "ServiceReferenceVariant")
    for position, srv in enumerate(load_srvs().values()):
        Srv.objects.update_or_create(srv=srv.srv, defaults={
            "name": srv.name, "critical": srv.critical, "position": position})


class Migration(migrations.Migration):
    dependencies = [("anomaly", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
