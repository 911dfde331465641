"""Two-factor sign-in with django-allauth's MFA: required for council staff, offered to
providers.

Staff are officers, approvers, panel members and administrators (core.roles.STAFF_ROLES),
and anyone who can open the Django admin. allauth asks anyone with an authenticator for a
code when they sign in (the admin's own sign-in page sends people to allauth's, see
config/urls.py); `MfaRequiredMiddleware` sends a member of staff who has none yet to set one
up before any other page, the admin included. Tests get past it as staff do: the user
factory gives every member of staff an authenticator app (tests/factories.py).
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from core.roles import STAFF_ROLES, user_role_names

#: Authenticators that give a second factor at sign-in (recovery codes only back them up).
SIGN_IN_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

#: Pages a member of staff without an authenticator may still open: setting one up (and
#: confirming their password first), signing out, and the session's own endpoints.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
        "session_extend",
        "session_status",
        "healthz",
    }
)

ENROLMENT_MESSAGE = "You need to set up two-factor sign-in before you can continue"


def user_is_staff_member(user) -> bool:
    """True for council staff: anyone with a staff role or who can open the Django admin.
    Remembered on the user object for the rest of the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_portal_is_staff_member", None)
    if cached is None:
        cached = bool(
            user.is_staff
            or user.is_superuser
            or not user_role_names(user).isdisjoint(str(role) for role in STAFF_ROLES)
        )
        user._portal_is_staff_member = cached
    return cached


def user_has_sign_in_factor(user) -> bool:
    """True when the person has an authenticator app (or a passkey) for signing in."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SIGN_IN_FACTORS).exists()


def session_signed_in_with_factor(request) -> bool:
    """True when this session's sign-in used a second factor (allauth records each way the
    person proved who they are): they had one then, and staff cannot remove theirs, so the
    page need not ask the database again."""
    methods = request.session.get("account_authentication_methods") or ()
    return any(isinstance(method, dict) and method.get("method") == "mfa" for method in methods)


def mfa_required(user) -> bool:
    """Whether two-factor sign-in is required of this person (it is of all staff)."""
    return user_is_staff_member(user)


class MfaRequiredMiddleware:
    """Send a signed-in member of staff who has no authenticator to set one up.

    Runs after the URL is resolved (process_view), so static files and unknown addresses
    are never redirected; every page of the portal and the Django admin is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        request.mfa_required = mfa_required(user)
        match = request.resolver_match
        if match is not None and match.url_name in ENROLMENT_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if not request.mfa_required or session_signed_in_with_factor(request):
            return None
        if user_has_sign_in_factor(user):
            return None
        if request.method == "GET":
            messages.info(request, ENROLMENT_MESSAGE, fail_silently=True)
        return redirect("mfa_activate_totp")


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA in the portal's words; staff cannot turn two-factor sign-in off."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "You cannot turn off two-factor sign-in: council staff must use it"
        ),
        "cannot_generate_recovery_codes": (
            "Set up an authenticator app before you make recovery codes"
        ),
        "incorrect_code": "The code is not correct. Enter the 6-digit code from your "
        "authenticator app, or one of your recovery codes",
        "unverified_email": ("Confirm your email address before you set up two-factor sign-in"),
    }

    def get_totp_issuer(self) -> str:
        return f"{settings.SERVICE_NAME} ({settings.COUNCIL['name']})"

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type in SIGN_IN_FACTORS and mfa_required(authenticator.user):
            others = Authenticator.objects.filter(
                user_id=authenticator.user_id, type__in=SIGN_IN_FACTORS
            ).exclude(pk=authenticator.pk)
            return others.exists()
        return True
