"""Demo provider organisations: a dozen believable (fictional) VCFS and arts groups."""

from dataclasses import dataclass

from django.utils import timezone

from commissioning.models import Area, Sector
from providers.models import IncomeBand, LegalForm, Organisation
from providers.services import organisation_derive_org_id


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    legal_form: str
    sector: str
    wards: tuple[str, ...]
    income_band: str
    charity_number: str = ""
    company_number: str = ""
    verified: bool = True
    description: str = ""
    postcode: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        "Morecambe Bay Community Food Network",
        LegalForm.CIO,
        "VCFS",
        ("Harbour", "Poulton", "Westgate", "Heysham Central"),
        IncomeBand.FROM_100K,
        charity_number="1164883",
        description="Runs food banks, community pantries and cooking courses in Morecambe.",
        postcode="LA4 4AB",
    ),
    DemoOrganisation(
        "Lune Valley Community Transport",
        LegalForm.CLG,
        "VCFS",
        ("Lower Lune Valley", "Upper Lune Valley", "Halton-with-Aughton", "Kellet"),
        IncomeBand.FROM_100K,
        charity_number="1098234",
        company_number="04721180",
        description="Dial-a-ride and community minibuses for people who cannot use buses.",
        postcode="LA2 8AA",
    ),
    DemoOrganisation(
        "Skerton Community Centre Association",
        LegalForm.REGISTERED_CHARITY,
        "VCFS",
        ("Skerton East", "Skerton West"),
        IncomeBand.FROM_10K,
        charity_number="522871",
        description="A community centre with a lunch club, youth nights and advice sessions.",
        postcode="LA1 2PN",
    ),
    DemoOrganisation(
        "Lancaster and District Refugee Welcome",
        LegalForm.CIO,
        "VCFS",
        ("Castle", "Bulk", "Marsh"),
        IncomeBand.FROM_10K,
        charity_number="1187342",
        description="Befriending, English conversation and help settling in for new arrivals.",
        postcode="LA1 1QD",
    ),
    DemoOrganisation(
        "Morecambe Bay Carers' Forum",
        LegalForm.REGISTERED_CHARITY,
        "VCFS",
        ("Bare", "Torrisholme", "Poulton", "Harbour"),
        IncomeBand.FROM_100K,
        charity_number="1120456",
        description="Support, breaks and advice for unpaid carers.",
        postcode="LA4 5DD",
    ),
    DemoOrganisation(
        "Heysham Green Spaces Trust",
        LegalForm.CLG,
        "VCFS",
        ("Heysham North", "Heysham South", "Overton"),
        IncomeBand.FROM_10K,
        company_number="7788123",
        description="Volunteers who care for Heysham's parks, dunes and open spaces.",
        postcode="LA3 2RN",
    ),
    DemoOrganisation(
        "Carnforth Youth and Community Hub",
        LegalForm.CIC,
        "VCFS",
        ("Carnforth and Millhead", "Warton", "Silverdale", "Bolton and Slyne"),
        IncomeBand.FROM_10K,
        company_number="11235813",
        description="Youth clubs, holiday activities and a community café in Carnforth.",
        postcode="LA5 9LD",
    ),
    DemoOrganisation(
        "St Mary's Community Kitchen",
        LegalForm.FAITH_GROUP,
        "VCFS",
        ("Castle", "Bulk"),
        IncomeBand.UNDER_10K,
        description="A church-run free hot meal three evenings a week.",
        postcode="LA1 1YN",
        verified=False,
    ),
    DemoOrganisation(
        "Storey Creative Studios CIC",
        LegalForm.CIC,
        "Arts",
        ("Castle", "John O'Gaunt"),
        IncomeBand.FROM_100K,
        company_number="09876543",
        description="Artist studios, exhibitions and creative learning in Lancaster.",
        postcode="LA1 1TH",
    ),
    DemoOrganisation(
        "Morecambe Bay Festival of Light",
        LegalForm.CIO,
        "Arts",
        ("Harbour", "Poulton", "Westgate", "Bare"),
        IncomeBand.FROM_100K,
        charity_number="1176520",
        description="An outdoor winter light festival and year-round community arts.",
        postcode="LA4 4DB",
    ),
    DemoOrganisation(
        "Halton Mill Makers",
        LegalForm.UNINCORPORATED,
        "Arts",
        ("Halton-with-Aughton", "Lower Lune Valley"),
        IncomeBand.UNDER_10K,
        description="A makers' collective running craft workshops for older people.",
        postcode="LA2 6ND",
        verified=False,
    ),
    DemoOrganisation(
        "Lancaster Youth Theatre",
        LegalForm.REGISTERED_CHARITY,
        "Arts",
        ("Scotforth East", "Scotforth West", "University and Scotforth Rural", "Marsh"),
        IncomeBand.FROM_10K,
        charity_number="1051234",
        description="Drama for young people aged 8 to 21, with free places for young carers.",
        postcode="LA1 4XQ",
    ),
]


def demo_organisations_seed(*, verifier) -> dict[str, Organisation]:
    """The demo organisations by name. Idempotent: keyed on the organisation's name."""
    sectors = {sector.short_name: sector for sector in Sector.objects.all()}
    wards = {area.name: area for area in Area.objects.filter(kind=Area.Kind.WARD)}
    organisations: dict[str, Organisation] = {}
    for demo in ORGANISATIONS:
        organisation = Organisation.objects.filter(name=demo.name).first()
        if organisation is None:
            organisation = Organisation(name=demo.name)
        organisation.legal_form = demo.legal_form
        organisation.sector = sectors[demo.sector]
        organisation.charity_number = demo.charity_number
        organisation.company_number = demo.company_number
        organisation.description = demo.description
        organisation.income_band = demo.income_band
        organisation.postcode = demo.postcode
        organisation.address = f"{demo.name}, {demo.postcode}"
        organisation.contact_email = "hello@" + demo.name.lower().split()[0] + ".example.org"
        if demo.verified and not organisation.is_verified:
            organisation.verification_status = Organisation.Verification.VERIFIED
            organisation.verified_at = timezone.now()
            organisation.verified_by = verifier
        if not organisation.org_id:
            organisation.org_id = f"pending-{demo.name}"[:60]
            organisation.save()
        organisation.org_id = organisation_derive_org_id(
            charity_number=demo.charity_number,
            company_number=demo.company_number,
            pk=organisation.pk,
        )
        organisation.save()
        organisation.wards_served.set([wards[name] for name in demo.wards])
        organisations[demo.name] = organisation
    return organisations
