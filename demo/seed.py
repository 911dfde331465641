"""Every stage of the demo, in the order the cycle runs: `make run` calls `demo_seed`.

Idempotent: running `seed_demo` twice adds nothing, not even to the audit trail (the demo
as first seeded is in it; bringing it up to date again is not someone changing something).
Refused unless the settings allow demo data (production settings set DEMO_DATA_ALLOWED to
False).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test.utils import override_settings

from core.models import User
from core.roles import Role
from demo.awards import demo_awards_seed
from demo.bids import demo_bids_seed
from demo.commissioning_plans import demo_plans_seed
from demo.commissions import demo_areas_seed, demo_commissions_advance, demo_commissions_seed
from demo.contract import demo_contract_seed
from demo.evaluation import demo_evaluation_seed
from demo.events import demo_engagement_events_seed
from demo.expressions import demo_two_stage_seed
from demo.for_providers import demo_for_providers_seed
from demo.monitoring import demo_monitoring_seed
from demo.opportunities import demo_opportunities_seed
from demo.organisations import demo_organisations_seed
from demo.people import DEMO_PEOPLE, PROVIDER_ORGANISATION, demo_users_seed
from demo.plan import demo_plan_stage_seed
from demo.procurement_act import demo_procurement_act_seed
from demo.understand import demo_understand_seed
from providers.models import Membership


@transaction.atomic
def demo_seed() -> dict:
    """Create (or bring up to date) the whole demo data set."""
    if not getattr(settings, "DEMO_DATA_ALLOWED", False):
        raise ImproperlyConfigured("Demo data cannot be loaded under production settings.")
    seeded_before = User.objects.filter(email=DEMO_PEOPLE[0].email).exists()
    with override_settings(SIMPLE_HISTORY_ENABLED=not seeded_before):
        return _seed()


def _seed() -> dict:
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
    demo_for_providers_seed(users=users)
    demo_two_stage_seed(officer=users[Role.OFFICER], commissions=commissions)
    demo_procurement_act_seed(officer=users[Role.OFFICER])
    demo_awards_seed(opportunities=opportunities, organisations=organisations, users=users)
    demo_monitoring_seed(organisations=organisations, users=users)
    demo_evaluation_seed(organisations=organisations, users=users)
    demo_contract_seed(organisations=organisations, users=users)
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
