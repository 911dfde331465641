"""The demo data set behind `make run`: a believable Lancaster district.

Every function here is idempotent: running `seed_demo` twice adds nothing.
Each stage of the cycle adds its examples in its own app's `demo.py`.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from core.models import User
from core.roles import Role


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
        users[person.role] = user
    return users


@transaction.atomic
def demo_seed() -> dict:
    """Create (or bring up to date) the whole demo data set."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data cannot be loaded under production settings.")

    from commissioning.demo import (
        demo_areas_seed,
        demo_commissions_advance,
        demo_commissions_seed,
    )
    from commissioning.demo_plan_stage import demo_plan_stage_seed
    from commissioning.demo_plans import demo_plans_seed
    from engagement.demo_events import demo_engagement_events_seed
    from engagement.demo_understand import demo_understand_seed
    from procurement.demo_awards import demo_awards_seed
    from procurement.demo_bids import demo_bids_seed
    from procurement.demo_opportunities import demo_opportunities_seed
    from providers.demo import demo_organisations_seed
    from providers.models import Membership

    users = demo_users_seed()
    areas = demo_areas_seed()
    organisations = demo_organisations_seed(verifier=users[Role.OFFICER])
    Membership.objects.get_or_create(
        organisation=organisations[PROVIDER_ORGANISATION],
        user=users[Role.PROVIDER],
        defaults={"role": Membership.Role.ADMIN},
    )
    commissions = demo_commissions_seed(lead_officer=users[Role.OFFICER])
    demo_engagement_events_seed(officer=users[Role.OFFICER], commissions=commissions)
    demo_understand_seed(
        officer=users[Role.OFFICER], commissions=commissions, organisations=organisations
    )
    specifications = demo_plan_stage_seed(officer=users[Role.OFFICER], commissions=commissions)
    demo_commissions_advance(
        commissions=commissions, lead_officer=users[Role.OFFICER], approver=users[Role.APPROVER]
    )
    demo_plans_seed(
        author=users[Role.OFFICER],
        approver=users[Role.APPROVER],
        specifications_by_sector=_published_specifications(commissions, specifications),
    )
    opportunities = demo_opportunities_seed(officer=users[Role.OFFICER], commissions=commissions)
    demo_bids_seed(opportunities=opportunities, organisations=organisations, users=users)
    demo_awards_seed(opportunities=opportunities, organisations=organisations, users=users)
    return {
        "users": users,
        "areas": areas,
        "organisations": organisations,
        "commissions": commissions,
        "specifications": specifications,
        "opportunities": opportunities,
    }


def _published_specifications(commissions: dict, specifications: dict) -> dict[str, list]:
    """The specifications of approved commissions, by sector: what the plans publish."""
    by_sector: dict[str, list] = {}
    for title, commission in commissions.items():
        if commission.state in ("approved", "procurement", "assessment", "delivery"):
            by_sector.setdefault(commission.sector.short_name, []).extend(specifications[title])
    return by_sector
