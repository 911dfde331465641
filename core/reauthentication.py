"""Re-authentication before the most sensitive actions: approving awards, approving a
variation, changing someone's role.

allauth asks for the password (or, as an alternative, an authenticator code) unless the
person confirmed it in the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (5 minutes), then
carries on with the request they had made: a POST is kept and made once they have
confirmed (allauth.account.internal.flows.reauthentication).
"""

import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired


def recently_authenticated(request) -> bool:
    """True when the person signed in, or confirmed who they are, in the last
    ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (with their password, and their code if they
    have two-factor sign-in)."""
    records = get_authentication_records(request, request.user)
    return bool(records) and (
        time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
    )


def reauthentication_check(request) -> None:
    """Raise ReauthenticationRequired (answered by allauth's middleware with the page that
    asks for the password, then carrying on with the request) unless the person signed in
    or confirmed who they are moments ago."""
    if not request.user.is_authenticated or not recently_authenticated(request):
        raise ReauthenticationRequired()


class ReauthenticateBeforeMixin:
    """For a TransitionConfirmView: the actions named in `reauthenticate_for` are made only
    after the person confirms who they are. Checked once the action is found allowed and
    theirs to make, so nobody else is asked for a password they could not use."""

    reauthenticate_for: frozenset[str] = frozenset()

    def refuse_post(self):
        if self.spec is not None and self.spec.name in self.reauthenticate_for:
            reauthentication_check(self.request)
        return super().refuse_post()
