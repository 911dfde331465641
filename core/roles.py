"""The portal's roles: Django groups, each with the model permissions it needs.

Object-level rules (whose commission, which organisation) live in each app's
`rules.py`; these groups say what kind of person someone is.
"""

from enum import StrEnum


class Role(StrEnum):
    OFFICER = "Commissioning officer"
    APPROVER = "Approver"
    PANEL_MEMBER = "Panel member"
    PROVIDER = "Provider user"
    ADMINISTRATOR = "Administrator"


STAFF_ROLES = (Role.OFFICER, Role.APPROVER, Role.PANEL_MEMBER, Role.ADMINISTRATOR)

# Model permissions per role, as "app_label.codename". Later migrations extend the groups
# with the permissions of the models they add (see core.migrations helpers).
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.OFFICER: [],
    Role.APPROVER: [],
    Role.PANEL_MEMBER: [],
    Role.PROVIDER: [],
    Role.ADMINISTRATOR: [],
}


def roles_ensure() -> None:
    """Create the role groups if they are missing (the migration normally has)."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)
