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


def user_role_names(user) -> set[str]:
    """The names of the person's groups (their roles), read in one query a request.

    Kept on the user object (a new one each request) where django-rules' `is_group_member`
    keeps them, `_group_names_cache`: the header's roles, the two-factor check and every
    role predicate share that one query instead of asking again each time."""
    if not getattr(user, "is_authenticated", False):
        return set()
    names = getattr(user, "_group_names_cache", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._group_names_cache = names
    return names
