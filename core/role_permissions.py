"""Helpers for migrations that create the roles and grant them model permissions.

Each app's migration that adds models calls `grant(apps, {Role: ["app.codename", …]})`
so the groups always hold the permissions of the models that exist.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    """Model permissions are normally created after migrate; make them exist now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, role_permissions: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    for role, names in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)


def model_permissions(app_label: str, *models: str, actions=("add", "change", "delete", "view")):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]
