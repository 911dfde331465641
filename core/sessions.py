"""Sessions that end: after a while without activity, and at once for an account that has
been deactivated.

Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request (30), providers'
after PROVIDER_SESSION_IDLE_MINUTES (120). The server ends them whether or not the browser
runs JavaScript; static/js/session-timeout.js warns SESSION_IDLE_WARNING_MINUTES before
and lets the person stay signed in (`session_extend`).
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from core.mfa import user_is_staff_member

#: When the person last did something, as seconds since the epoch (time.time()).
LAST_ACTIVITY_KEY = "portal_last_activity"
#: Requests within this many seconds of the recorded activity do not write the session again.
ACTIVITY_RESOLUTION_SECONDS = 30
#: URL names that read how long is left without counting as activity.
PASSIVE_URL_NAMES = frozenset({"session_status"})

IDLE_MESSAGE = (
    "You were signed out because you had not done anything for {minutes}. "
    "Sign in again to continue."
)
INACTIVE_MESSAGE = "You have been signed out: your account is no longer active"


def session_idle_seconds(user) -> int:
    """How long this person's session lasts without activity."""
    minutes = (
        settings.STAFF_SESSION_IDLE_MINUTES
        if user_is_staff_member(user)
        else settings.PROVIDER_SESSION_IDLE_MINUTES
    )
    return int(minutes * 60)


def session_seconds_left(request) -> int:
    """Seconds until the signed-in person's session ends if they do nothing."""
    last = request.session.get(LAST_ACTIVITY_KEY)
    idle = session_idle_seconds(request.user)
    if not isinstance(last, int | float):
        return idle
    return max(0, int(last + idle - time.time()))


def _minutes_words(seconds: int) -> str:
    minutes = seconds // 60
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class SessionSecurityMiddleware:
    """Sign out a deactivated account, or a session idle for longer than the person's limit;
    otherwise note the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None:
            return None
        if not user.is_authenticated:
            if SESSION_KEY in request.session:
                # Signed in as an account that can no longer sign in (deactivated).
                logout(request)
                messages.info(request, INACTIVE_MESSAGE, fail_silently=True)
            return None
        if not user.is_active:
            logout(request)
            messages.info(request, INACTIVE_MESSAGE, fail_silently=True)
            return redirect_to_login(request.get_full_path())
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        idle = session_idle_seconds(user)
        if isinstance(last, int | float) and now - last > idle:
            logout(request)
            messages.info(
                request, IDLE_MESSAGE.format(minutes=_minutes_words(idle)), fail_silently=True
            )
            if request.method == "GET":
                return redirect_to_login(request.get_full_path())
            return redirect_to_login(_safe_referer(request))
        passive = (
            request.resolver_match is not None
            and request.resolver_match.url_name in PASSIVE_URL_NAMES
        )
        if not passive and (
            not isinstance(last, int | float) or now - last >= ACTIVITY_RESOLUTION_SECONDS
        ):
            request.session[LAST_ACTIVITY_KEY] = now
        return None


def _safe_referer(request) -> str:
    """Where a POST came from, to return to after signing in again (never a POST's own
    address, which would only answer 405 to a GET)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


class SessionStatusView(View):
    """How long the session has left, for the timeout warning (reading it is not activity)."""

    def get(self, request):
        if not request.user.is_authenticated:
            return JsonResponse({"signed_in": False, "seconds_left": 0})
        return JsonResponse({"signed_in": True, "seconds_left": session_seconds_left(request)})


class SessionExtendView(View):
    """ "Stay signed in": a POST is activity, so the middleware has already noted it."""

    def post(self, request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.POST.get("next") or "/")
        request.session[LAST_ACTIVITY_KEY] = time.time()
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"signed_in": True, "seconds_left": session_seconds_left(request)})
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/"
        messages.success(request, "You are still signed in")
        return redirect(next_url)

    def get(self, request):
        return HttpResponse(status=405)


def sessions_end_for_user(*, user_id: int) -> int:
    """Delete every unexpired session signed in as this user; returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            ended += 1
    return ended


@receiver(user_logged_in, dispatch_uid="core_sessions_activity_starts")
def _activity_starts_at_sign_in(sender, request, user, **kwargs):
    """The idle clock starts when someone signs in."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = time.time()


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="core_sessions_was_active")
def _remember_was_active(sender, instance, **kwargs):
    if instance.pk:
        instance._portal_was_active = (
            sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
        )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="core_sessions_deactivated")
def _end_sessions_on_deactivation(sender, instance, created, **kwargs):
    """An account made inactive is signed out everywhere at once."""
    if not created and not instance.is_active and getattr(instance, "_portal_was_active", False):
        sessions_end_for_user(user_id=instance.pk)
