from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth.models import Group
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from core.emails import email_message_queue
from core.roles import Role

# Django's password validators, by error code, in GOV.UK words.
# bandit: error messages about passwords, not passwords.
PASSWORD_ERRORS = {  # nosec B105
    "password_too_short": "Your password must be {min_length} characters or more",
    "password_too_common": (
        "Enter a stronger password. Do not use a common password, such as ‘password’ "
        "or a sequence of numbers"
    ),
    "password_entirely_numeric": "Your password must not be only numbers",
    "password_too_similar": "Your password must not be too similar to your {verbose_name}",
}


class AccountAdapter(DefaultAccountAdapter):
    """Self-registration is for providers: a new account joins the Provider user role.

    Also words allauth's errors the GOV.UK way.
    """

    # bandit: error messages about passwords, not passwords.
    error_messages = {  # nosec B105
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is not active",
        "email_password_mismatch": "The email address or password is not correct",
        "email_taken": "An account already exists with this email address",
        "enter_current_password": "The current password is not correct",
        "incorrect_password": "The password is not correct",
        "invalid_password_reset": "The link to reset your password is not valid",
        "too_many_login_attempts": (
            "You have tried to sign in too many times. Wait a few minutes and try again"
        ),
        "unknown_email": "There is no account with this email address",
        "unverified_primary_email": "Confirm your email address before you continue",
        "rate_limited": "You have made too many requests. Wait a few minutes and try again",
    }

    def save_user(self, request, user, form, commit=True):
        full_name = form.cleaned_data.get("full_name")
        if full_name:
            user.full_name = full_name
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            group, _ = Group.objects.get_or_create(name=Role.PROVIDER.value)
            user.groups.add(group)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (confirm your address, reset your password) are recorded and
        delivered like the portal's own, after the request: a mail server that is down
        never fails sign-up or a password reset."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        email_message_queue(message=message, template=template_prefix)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Two-factor settings (setting up the app as staff must at their first sign-in, then
        seeing the recovery codes) do not ask for the password again within 5 minutes of
        signing in or confirming it (core.reauthentication); later they do."""
        if app == "allauth.mfa":
            from core.reauthentication import recently_authenticated

            request = allauth_context.request
            if request is not None and recently_authenticated(request):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def clean_password(self, password, user=None):
        try:
            return super().clean_password(password, user=user)
        except ValidationError as error:
            # One message per field, as the Design System asks.
            raise _govuk_password_error(error.error_list[0]) from None


def _govuk_password_error(error: ValidationError) -> ValidationError:
    message = PASSWORD_ERRORS.get(error.code or "")
    if message is None:
        return error
    return ValidationError(message.format(**(error.params or {})), code=error.code)


def axes_username(request, credentials: dict | None) -> str | None:
    """The email address someone tried to sign in with, as django-axes should record it.

    For `AXES_USERNAME_CALLABLE`. allauth authenticates with `email=…`, the Django admin
    with `username=…`, and the sign-in form posts the address as `login`; without this,
    axes finds no username and locks out everyone behind the same IP address together.
    """
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username")
    if not email and request is not None:
        email = getattr(request, "POST", {}).get("login")
    return email.strip().lower() if email else None
