from django.db import migrations

from core.role_permissions import grant, model_permissions

MODELS = ("engagementevent", "booking", "feedback", "evidenceitem", "serviceprovision", "gap")


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        {
            "Administrator": model_permissions("engagement", *MODELS),
            "Commissioning officer": model_permissions("engagement", *MODELS),
            "Approver": model_permissions("engagement", *MODELS, actions=("view",)),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
