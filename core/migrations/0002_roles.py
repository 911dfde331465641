from django.db import migrations

from core.role_permissions import grant, model_permissions

ROLES = ["Commissioning officer", "Approver", "Panel member", "Provider user", "Administrator"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    grant(
        apps,
        {
            "Administrator": model_permissions("core", "user")
            + model_permissions("auth", "group", actions=("view", "change")),
        },
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
