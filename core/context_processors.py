from django.conf import settings

from core.notifications import notifications_unread_count
from core.roles import user_role_names


def portal(request) -> dict:
    """The council's identity, and the signed-in person's roles and how many of their
    notifications they have not opened (one COUNT query), for every template."""
    user = getattr(request, "user", None)
    roles: set[str] = set()
    unread = 0
    if user is not None and user.is_authenticated:
        roles = set(user_role_names(user))
        unread = notifications_unread_count(user=user)
    return {
        "council": settings.COUNCIL,
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "user_roles": roles,
        "unread_notifications": unread,
    }
