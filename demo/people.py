"""The demo people: one account per role, signed in with DEMO_PASSWORD. Idempotent.

Shared by the other demo modules (who asks the clarification, who belongs to the provider).
"""

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from core.models import User
from core.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    job_title: str
    role: Role
    description: str


DEMO_PEOPLE = [
    DemoPerson(
        "officer@example.org",
        "Sam Okafor",
        "Commissioning officer",
        Role.OFFICER,
        "runs commissions through the cycle",
    ),
    DemoPerson(
        "approver@example.org",
        "Helen Marsden",
        "Head of Communities",
        Role.APPROVER,
        "approves plans and award decisions",
    ),
    DemoPerson(
        "panel@example.org",
        "Raj Mistry",
        "Assessment panel member",
        Role.PANEL_MEMBER,
        "declares conflicts and scores bids",
    ),
    DemoPerson(
        "provider@example.org",
        "Jo Whitehead",
        "Development manager",
        Role.PROVIDER,
        "member of Morecambe Bay Community Food Network (verified)",
    ),
    DemoPerson(
        "admin@example.org",
        "Chris Lund",
        "Systems administrator",
        Role.ADMINISTRATOR,
        "keeps the reference data and accounts",
    ),
]

PROVIDER_ORGANISATION = "Morecambe Bay Community Food Network"


def demo_password() -> str:
    return settings.DEMO_PASSWORD


def demo_totp_secret() -> str:
    """The demo staff's shared authenticator setup key (DEMO_TOTP_SECRET): staff must sign in
    with a code (core.mfa), so `demo_signins` prints this key and the code it gives now."""
    return settings.DEMO_TOTP_SECRET


def demo_totp_code() -> str:
    """The code an authenticator app set up with the demo key shows now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(demo_totp_secret(), int(time.time()) // 30))


def demo_authenticator_seed(user: User) -> None:
    """Give a demo member of staff an authenticator app with the demo key, once."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, demo_totp_secret())


def demo_users_seed() -> dict[Role, User]:
    """One person per role, email already verified, password from DEMO_PASSWORD."""
    users: dict[Role, User] = {}
    for person in DEMO_PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = User.objects.create_user(person.email, demo_password())
        user.full_name = person.full_name
        user.job_title = person.job_title
        user.is_staff = person.role == Role.ADMINISTRATOR
        user.save()
        user.groups.add(Group.objects.get(name=person.role.value))
        EmailAddress.objects.update_or_create(
            user=user, email=person.email, defaults={"verified": True, "primary": True}
        )
        if person.role in STAFF_ROLES:
            demo_authenticator_seed(user)
        users[person.role] = user
    return users
