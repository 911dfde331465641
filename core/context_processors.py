from django.conf import settings


def portal(request) -> dict:
    """The council's identity and the signed-in person's roles, for every template."""
    user = getattr(request, "user", None)
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        roles = {group.name for group in user.groups.all()}
    return {
        "council": settings.COUNCIL,
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "user_roles": roles,
    }
