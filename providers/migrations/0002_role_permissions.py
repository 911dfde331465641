from django.db import migrations

from core.role_permissions import grant, model_permissions


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        {
            "Administrator": model_permissions("providers", "organisation", "membership"),
            "Commissioning officer": model_permissions(
                "providers", "organisation", "membership", actions=("view", "change")
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
