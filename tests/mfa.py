"""Two-factor sign-in in tests.

Council staff must have an authenticator app (core.mfa), so the user factory gives every
member of staff it makes one, with this known secret: tests that sign in with
`client.force_login` go straight past the enrolment page, and tests that sign in through the
pages (tests/browser) enter `totp_code()`. `UserFactory(..., mfa=False)` makes a member of
staff who has not set one up yet. Providers get none unless asked (`mfa=True`).
"""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TEST_TOTP_SECRET, *, at: float | None = None) -> str:
    """The code an authenticator app with `secret` shows at `at` (now, on the test clock)."""
    counter = int(time.time() if at is None else at) // 30
    return format_hotp_value(hotp_value(secret, counter))


def totp_code_for(user) -> str:
    """The code the person's own authenticator app shows now."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code(decrypt(authenticator.data["secret"]))


def authenticator_give(user, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    """Give the person an authenticator app (as if they had set it up)."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance
