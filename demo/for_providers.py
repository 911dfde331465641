"""Demo of what providers ask of the portal: eligibility questions on the Lancaster money
advice opportunity, the demo provider's alert of new opportunities, and two organisations
offering to be found for consortium bids (Working Together).

Made through the services; idempotent (each is keyed on its opportunity, person or
organisation and set again to the same)."""

from commissioning.models import Area, Sector
from core.models import User
from core.roles import Role
from procurement.models import Opportunity
from procurement.services.alerts import opportunity_alert_set
from procurement.services.eligibility import eligibility_requirement_set
from providers.models import LegalForm, Organisation
from providers.services import partner_profile_set

ELIGIBLE_OPPORTUNITY = "Money, debt and benefits advice in Lancaster"

PARTNERS = [
    (
        "Lune Valley Community Transport",
        "Accessible minibuses and volunteer drivers, to bring people to sessions and home "
        "again; dial-a-ride bookings by phone.",
        ("Lancaster", "Carnforth", "Rural Lancaster"),
    ),
    (
        "Skerton Community Centre Association",
        "A community centre with rooms to hire, a lunch club and weekly advice sessions; "
        "volunteers who know the estate.",
        ("Lancaster",),
    ),
]


def _areas(names) -> list[Area]:
    return list(Area.objects.filter(name__in=names, kind=Area.Kind.AREA))


def demo_for_providers_seed(*, users: dict) -> None:
    officer: User = users[Role.OFFICER]
    provider: User = users[Role.PROVIDER]
    opportunity = Opportunity.objects.filter(title=ELIGIBLE_OPPORTUNITY).first()
    if opportunity is not None:
        eligibility_requirement_set(
            opportunity=opportunity,
            legal_forms=[LegalForm.REGISTERED_CHARITY, LegalForm.CIO, LegalForm.CLG, LegalForm.CIC],
            areas=_areas(["Lancaster"]),
            income_bands=[],
            registered_number_required=True,
            by=officer,
        )
    opportunity_alert_set(
        user=provider,
        sectors=Sector.objects.filter(short_name="VCFS"),
        priorities=[],
        areas=_areas(["Morecambe", "Heysham"]),
    )
    for name, offer, areas in PARTNERS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is not None:
            partner_profile_set(
                organisation=organisation, findable=True, offer=offer, areas=_areas(areas), by=None
            )
