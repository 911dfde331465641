"""`{% session_timeout_settings %}`: what the timeout warning needs to know."""

from django import template
from django.conf import settings

from core.sessions import session_seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timeout_settings(context) -> dict:
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "seconds_left": session_seconds_left(request),
        "warn_seconds": int(settings.SESSION_IDLE_WARNING_MINUTES * 60),
    }
