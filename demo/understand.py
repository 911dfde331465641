"""Demo data for the Understand stage: needs evidence, existing provision and gaps.

Believable (but fictional where it names local findings) examples for the Lancaster
district. Idempotent: evidence is keyed on its title, services on their name, gaps on
their commission and the gap they describe.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from commissioning.models import Area, Commission, CorporatePriority
from engagement.models import EvidenceItem, Gap, Rating, ServiceProvision
from engagement.services.evidence import evidence_create
from engagement.services.gaps import gap_record
from engagement.services.provision import provision_create
from providers.models import Organisation

LONELINESS = "Tackling loneliness and isolation in later life"
FOOD = "Community food resilience"
PARKS = "Volunteering in parks and open spaces"
CREATIVE = "Creative opportunities for young people"
FESTIVALS = "Festivals and events in Morecambe Bay"
TRANSPORT = "Community transport for rural areas"
ADVICE = "Independent advice and advocacy"


@dataclass(frozen=True)
class DemoEvidence:
    title: str
    category: str
    source: str
    dated: datetime.date
    summary: str
    priorities: tuple[str, ...]
    areas: tuple[str, ...] = ()
    commissions: tuple[str, ...] = ()
    url: str = ""
    file: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class DemoService:
    service: str
    provider: str  # a demo organisation's name, or a provider that is not registered
    priority: str
    areas: tuple[str, ...]
    funding_source: str
    annual_value: str | None
    quality: int
    impact: int
    status: str = ServiceProvision.Status.ACTIVE
    description: str = ""


@dataclass(frozen=True)
class DemoGap:
    commission: str
    priority: str
    area: str | None
    severity: str
    need: str
    current_provision: str
    gap: str
    opportunity: str
    evidence: tuple[str, ...] = field(default_factory=tuple)


def _simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF of plain lines of text, for the demo's downloadable evidence."""
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(
        "({}) '".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"))
        for line in lines
    )
    stream = text + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


FOOD_SURVEY_CSV = (
    b"Ward,Responses,Skipped meals in the last month (%),Used a food bank or pantry (%)\n"
    b"Harbour,212,31,24\n"
    b"Poulton,168,27,19\n"
    b"Westgate,141,22,15\n"
    b"Heysham Central,97,20,14\n"
    b"Skerton West,133,25,18\n"
    b"Marsh,88,18,11\n"
    b"Castle,120,16,9\n"
)

EVIDENCE = [
    DemoEvidence(
        "Census 2021: older people living alone in Morecambe",
        EvidenceItem.Category.DEMOGRAPHY,
        "Office for National Statistics (ONS)",
        datetime.date(2023, 1, 5),
        "Around one in three people aged 65 and over in Harbour, Poulton and Westgate wards "
        "live alone, well above the England average. Most are women aged over 75, and many "
        "have a long-term health condition or disability that limits their day-to-day "
        "activities.",
        ("health-and-well-being",),
        ("Harbour", "Poulton", "Westgate"),
        (LONELINESS,),
        url="https://www.ons.gov.uk/census",
        file=(
            "census-2021-living-alone.pdf",
            _simple_pdf(
                [
                    "Census 2021: older people living alone in Morecambe",
                    "Summary prepared for the commissioning portal demo.",
                    "People aged 65 and over living alone: Harbour 34%, Poulton 31%,",
                    "Westgate 29%. England: 27%.",
                ]
            ),
        ),
    ),
    DemoEvidence(
        "Indices of Deprivation 2019: Heysham South and Harbour wards",
        EvidenceItem.Category.ECONOMY,
        "Ministry of Housing, Communities and Local Government",
        datetime.date(2019, 9, 26),
        "Parts of Harbour and Heysham South are among the 10% most deprived neighbourhoods in "
        "England, with income, employment and health deprivation the highest domains. "
        "Deprivation affecting older people is high in both wards.",
        ("health-and-well-being", "economic-growth"),
        ("Heysham South", "Harbour"),
        (LONELINESS, FOOD, ADVICE),
        url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
    ),
    DemoEvidence(
        "Lancaster District food insecurity survey 2026",
        EvidenceItem.Category.SOCIAL,
        "Lancaster City Council and district food partnership",
        datetime.date(2026, 6, 30),
        "959 residents answered. One in four in Harbour and Poulton had skipped meals in the "
        "last month because they could not afford food; use of pantries is rising while "
        "crisis food bank use has levelled off. People asked for cooking skills and help "
        "with energy costs as well as food.",
        ("health-and-well-being", "community-leadership"),
        ("Lancaster", "Morecambe", "Heysham Central"),
        (FOOD,),
        file=("food-insecurity-survey-2026-by-ward.csv", FOOD_SURVEY_CSV),
    ),
    DemoEvidence(
        "Employment and skills in the Lancaster district 2025",
        EvidenceItem.Category.ECONOMY,
        "ONS Annual Population Survey and DWP claimant count (Nomis)",
        datetime.date(2025, 3, 31),
        "The claimant rate for 18 to 24 year olds is higher in Morecambe than the district "
        "average, and fewer adults in Morecambe hold a level 3 qualification. Creative and "
        "visitor-economy jobs are growing but are concentrated in Lancaster.",
        ("economic-growth",),
        (),
        (CREATIVE,),
        url="https://www.nomisweb.co.uk/",
    ),
    DemoEvidence(
        "Access to green space: Heysham and Carnforth open spaces audit",
        EvidenceItem.Category.ENVIRONMENTAL,
        "Lancaster City Council Parks and Open Spaces",
        datetime.date(2024, 9, 2),
        "Heysham has good access to coast and dunes but two of its parks are rated poor for "
        "quality. Carnforth has the least accessible natural green space per person in the "
        "district and no volunteer friends group.",
        ("clean-green-and-safe-places",),
        ("Heysham", "Carnforth"),
        (PARKS,),
    ),
    DemoEvidence(
        "What lunch club members told us: Skerton Community Centre",
        EvidenceItem.Category.USER_FEEDBACK,
        "Skerton Community Centre Association",
        datetime.date(2026, 3, 12),
        "42 members answered. For most, the Tuesday and Thursday lunch club is the only time "
        "they eat with other people in the week. Members asked for transport, a Saturday "
        "session and help with digital skills.",
        ("health-and-well-being",),
        ("Skerton East", "Skerton West"),
        (LONELINESS,),
    ),
    DemoEvidence(
        "Carers' wellbeing survey 2025",
        EvidenceItem.Category.QUALITATIVE,
        "Morecambe Bay Carers' Forum",
        datetime.date(2025, 11, 20),
        "Unpaid carers of older people in Bare, Torrisholme and Poulton describe isolation "
        "of their own, especially in the evenings, and difficulty getting out without "
        "replacement care.",
        ("health-and-well-being", "community-leadership"),
        ("Bare", "Torrisholme", "Poulton"),
        (LONELINESS,),
    ),
    DemoEvidence(
        "Community transport demand in rural Lancaster",
        EvidenceItem.Category.SOCIAL,
        "Lune Valley Community Transport annual report 2025",
        datetime.date(2025, 7, 1),
        "Requests for dial-a-ride trips rose by a fifth; one in six could not be met, mostly "
        "trips to social activities rather than medical appointments.",
        ("health-and-well-being",),
        ("Lower Lune Valley", "Upper Lune Valley", "Halton-with-Aughton"),
    ),
    DemoEvidence(
        "Young people's creative participation survey 2025",
        EvidenceItem.Category.QUALITATIVE,
        "Lancaster District Cultural Education Partnership",
        datetime.date(2025, 10, 15),
        "Young people in Morecambe and Carnforth take part in creative activity outside "
        "school far less than those in Lancaster; cost and travel are the main barriers. "
        "Young carers are least likely to take part.",
        ("economic-growth", "health-and-well-being"),
        ("Morecambe", "Carnforth"),
        (CREATIVE,),
    ),
    DemoEvidence(
        "Morecambe visitor numbers out of season 2025",
        EvidenceItem.Category.ECONOMY,
        "Lancaster City Council Economic Development",
        datetime.date(2026, 2, 10),
        "Day visits to Morecambe between November and March are less than a third of the "
        "summer months. Businesses on the promenade report that winter events bring the "
        "busiest off-season weekends.",
        ("economic-growth",),
        ("Morecambe",),
        (FESTIVALS,),
    ),
]

SERVICES = [
    DemoService(
        "Morecambe community pantries",
        "Morecambe Bay Community Food Network",
        "health-and-well-being",
        ("Harbour", "Poulton", "Westgate", "Heysham Central"),
        "Household Support Fund and donations",
        "42000",
        Rating.GOOD,
        Rating.GOOD,
        description="Four membership pantries with low-cost food and cooking sessions.",
    ),
    DemoService(
        "Dial-a-ride for older and disabled people",
        "Lune Valley Community Transport",
        "health-and-well-being",
        ("Lower Lune Valley", "Upper Lune Valley", "Halton-with-Aughton", "Kellet"),
        "Lancashire County Council",
        "65000",
        Rating.GOOD,
        Rating.EXCELLENT,
        ServiceProvision.Status.AT_RISK,
        "Door-to-door minibus trips booked by phone. Its county funding ends in March 2027.",
    ),
    DemoService(
        "Skerton lunch club",
        "Skerton Community Centre Association",
        "health-and-well-being",
        ("Skerton East", "Skerton West"),
        "Members' contributions and a council grant",
        "8500",
        Rating.GOOD,
        Rating.GOOD,
        description="A hot lunch twice a week for around 40 older people.",
    ),
    DemoService(
        "Heysham dunes and parks volunteers",
        "Heysham Green Spaces Trust",
        "clean-green-and-safe-places",
        ("Heysham North", "Heysham South", "Overton"),
        "Lancaster City Council grant",
        "12000",
        Rating.ADEQUATE,
        Rating.GOOD,
    ),
    DemoService(
        "Carnforth youth club and holiday activities",
        "Carnforth Youth and Community Hub",
        "health-and-well-being",
        ("Carnforth and Millhead", "Warton"),
        "Holiday Activities and Food programme",
        "28000",
        Rating.GOOD,
        Rating.GOOD,
        ServiceProvision.Status.AT_RISK,
    ),
    DemoService(
        "Open studios and creative learning",
        "Storey Creative Studios CIC",
        "economic-growth",
        ("Castle", "John O'Gaunt"),
        "Arts Council England",
        "55000",
        Rating.EXCELLENT,
        Rating.GOOD,
    ),
    DemoService(
        "Social prescribing link workers",
        "NHS Lancashire and South Cumbria social prescribing",
        "health-and-well-being",
        (),
        "NHS England",
        "240000",
        Rating.GOOD,
        Rating.GOOD,
        description="Link workers in GP practices who connect people to community activities.",
    ),
    DemoService(
        "Telephone befriending",
        "Bay Befriending Volunteers",
        "health-and-well-being",
        ("Bare", "Torrisholme"),
        "Donations",
        "3000",
        Rating.ADEQUATE,
        Rating.UNKNOWN,
        ServiceProvision.Status.AT_RISK,
        "A weekly call from a volunteer; run by two volunteers with no paid staff.",
    ),
    DemoService(
        "Heysham community allotments",
        "Heysham Allotment Society",
        "clean-green-and-safe-places",
        ("Heysham Central",),
        "Plot rents",
        "1500",
        Rating.GOOD,
        Rating.ADEQUATE,
    ),
    DemoService(
        "Westgate luncheon club",
        "Westgate Methodist Church",
        "health-and-well-being",
        ("Westgate",),
        "",
        None,
        Rating.UNKNOWN,
        Rating.UNKNOWN,
        ServiceProvision.Status.CLOSED,
        "Closed in 2025 when its volunteers retired.",
    ),
]

EVIDENCE += [
    DemoEvidence(
        "Rural access to services: Lune Valley travel survey 2025",
        EvidenceItem.Category.SOCIAL,
        "Lancashire County Council and parish councils",
        datetime.date(2025, 10, 14),
        "In the Lune Valley, Halton and Kellet, two buses a day or fewer serve most villages. "
        "One in five people over 75 said they had missed a health appointment in the last "
        "year because they could not get there.",
        ("health-and-well-being", "economic-growth"),
        ("Rural Lancaster", "Carnforth"),
        (TRANSPORT,),
    ),
    DemoEvidence(
        "Advice needs in the Lancaster district 2026",
        EvidenceItem.Category.QUALITATIVE,
        "Lancaster District advice partnership",
        datetime.date(2026, 3, 31),
        "Demand for debt and benefits advice rose by a third in two years; waiting times for "
        "an appointment are up to five weeks, and people come for help later, when problems "
        "have become crises.",
        ("community-leadership", "health-and-well-being"),
        ("Lancaster", "Morecambe", "Heysham"),
        (ADVICE,),
    ),
]

GAPS = [
    DemoGap(
        LONELINESS,
        "health-and-well-being",
        "Morecambe",
        Gap.Severity.HIGH,
        "Around a third of people over 65 in Harbour, Poulton and Westgate live alone, and "
        "carers say evenings and weekends are the loneliest times.",
        "One pantry-based social group, a telephone befriending service at risk, and social "
        "prescribers with few local activities to refer people to. The Westgate luncheon "
        "club has closed.",
        "No face-to-face befriending or social activity in the evenings or at weekends, and "
        "nothing to replace the Westgate lunch club.",
        "Befriending and shared meals built on the food network's pantries and volunteers, "
        "with social prescribers referring people in.",
        (
            "Census 2021: older people living alone in Morecambe",
            "Carers' wellbeing survey 2025",
        ),
    ),
    DemoGap(
        LONELINESS,
        "health-and-well-being",
        "Heysham",
        Gap.Severity.MEDIUM,
        "Older people in Heysham South have high deprivation and few places to meet.",
        "The allotment society and dunes volunteers welcome older people, but there is no "
        "lunch club or befriending service in Heysham.",
        "No regular social activity for older people who cannot garden or volunteer.",
        "A lunch club with transport, shared with the Morecambe service.",
        ("Indices of Deprivation 2019: Heysham South and Harbour wards",),
    ),
    DemoGap(
        LONELINESS,
        "community-leadership",
        None,
        Gap.Severity.LOW,
        "Groups that support older people rely on a few ageing volunteers.",
        "Volunteer recruitment is left to each group.",
        "No shared volunteer recruitment or training across the district.",
        "Collaboration between providers on recruiting and training volunteers.",
        ("What lunch club members told us: Skerton Community Centre",),
    ),
    DemoGap(
        FOOD,
        "health-and-well-being",
        "Morecambe",
        Gap.Severity.HIGH,
        "One in four people in Harbour and Poulton skipped meals in the last month.",
        "Four membership pantries funded by the Household Support Fund, which is not secure.",
        "Too few pantry places, and nothing that helps people move on from crisis support.",
        "Secure the pantries and add cooking, budgeting and energy advice alongside them.",
        (
            "Lancaster District food insecurity survey 2026",
            "Indices of Deprivation 2019: Heysham South and Harbour wards",
        ),
    ),
    DemoGap(
        FOOD,
        "health-and-well-being",
        "Lancaster",
        Gap.Severity.MEDIUM,
        "Food insecurity in Skerton West and Marsh is close to Morecambe's levels.",
        "A church food bank in the city centre; no pantry north of the river.",
        "No low-cost food option in Skerton.",
        "A pantry at Skerton Community Centre, run with the food network.",
        ("Lancaster District food insecurity survey 2026",),
    ),
    DemoGap(
        PARKS,
        "clean-green-and-safe-places",
        "Carnforth",
        Gap.Severity.MEDIUM,
        "Carnforth has the least accessible green space per person in the district.",
        "No friends group or volunteer programme for Carnforth's open spaces.",
        "Nobody organises volunteers to improve Carnforth's parks.",
        "Extend Heysham Green Spaces Trust's model to Carnforth with the youth hub.",
        ("Access to green space: Heysham and Carnforth open spaces audit",),
    ),
    DemoGap(
        CREATIVE,
        "economic-growth",
        "Morecambe",
        Gap.Severity.HIGH,
        "Young people in Morecambe take part in creative activity far less than in Lancaster, "
        "and youth unemployment is higher.",
        "Creative learning is concentrated in Lancaster city centre.",
        "No affordable creative activity or route into creative work for young people in "
        "Morecambe.",
        "Outreach from Lancaster's studios, with free places for young carers.",
        (
            "Young people's creative participation survey 2025",
            "Employment and skills in the Lancaster district 2025",
        ),
    ),
    DemoGap(
        TRANSPORT,
        "health-and-well-being",
        "Rural Lancaster",
        Gap.Severity.HIGH,
        "Older and disabled people in the Lune Valley cannot get to appointments and shops.",
        "One community transport scheme with a waiting list; two buses a day at most.",
        "No door-to-door transport for most rural villages.",
        "Expand dial-a-ride with volunteer drivers, shared with health partners.",
        ("Rural access to services: Lune Valley travel survey 2025",),
    ),
    DemoGap(
        ADVICE,
        "community-leadership",
        None,
        Gap.Severity.HIGH,
        "People wait up to five weeks for debt and benefits advice.",
        "Three agencies, each with its own front door and waiting list.",
        "No quick, shared route into advice, so problems become crises.",
        "A partnership with one front door and early help.",
        ("Advice needs in the Lancaster district 2026",),
    ),
    DemoGap(
        FESTIVALS,
        "economic-growth",
        "Morecambe",
        Gap.Severity.MEDIUM,
        "Morecambe's visitor economy falls away between November and March.",
        "One winter light festival; nothing in February or March.",
        "Few reasons to visit Morecambe out of season.",
        "A programme of smaller events made with local people through the winter.",
        ("Morecambe visitor numbers out of season 2025",),
    ),
]


def demo_understand_seed(
    *, officer, commissions: dict[str, Commission], organisations: dict[str, Organisation]
) -> dict:
    """Evidence, existing services and gaps for the demo district, recorded by `officer`.

    Links evidence to whichever of the demo commissions are passed in, and records their
    gaps. Returns what was made: {"evidence": {title: item}, "services": {...}, "gaps": [...]}.
    """
    priorities = {priority.slug: priority for priority in CorporatePriority.objects.all()}
    areas = {area.name: area for area in Area.objects.all()}

    evidence: dict[str, EvidenceItem] = {}
    for demo in EVIDENCE:
        linked = [commissions[title] for title in demo.commissions if title in commissions]
        item = EvidenceItem.objects.filter(title=demo.title).first()
        if item is None:
            item = evidence_create(
                recorded_by=officer,
                title=demo.title,
                category=demo.category,
                source=demo.source,
                dated=demo.dated,
                summary=demo.summary,
                url=demo.url,
                file=ContentFile(demo.file[1], name=demo.file[0]) if demo.file else None,
                priorities=[priorities[slug] for slug in demo.priorities],
                areas=[areas[name] for name in demo.areas],
                commissions=linked,
            )
        else:
            item.commissions.add(*linked)
        evidence[demo.title] = item

    services: dict[str, ServiceProvision] = {}
    for demo in SERVICES:
        service = ServiceProvision.objects.filter(service=demo.service).first()
        if service is None:
            organisation = organisations.get(demo.provider)
            service = provision_create(
                recorded_by=officer,
                service=demo.service,
                description=demo.description,
                organisation=organisation,
                provider_name="" if organisation else demo.provider,
                priority=priorities[demo.priority],
                areas=[areas[name] for name in demo.areas],
                funding_source=demo.funding_source,
                annual_value=Decimal(demo.annual_value) if demo.annual_value else None,
                quality=demo.quality,
                impact=demo.impact,
                status=demo.status,
            )
        services[demo.service] = service

    gaps: list[Gap] = []
    for demo in GAPS:
        commission = commissions.get(demo.commission)
        if commission is None:
            continue
        gap = Gap.objects.filter(commission=commission, gap=demo.gap).first()
        if gap is None:
            try:
                gap = gap_record(
                    commission=commission,
                    recorded_by=officer,
                    priority=priorities[demo.priority],
                    area=areas[demo.area] if demo.area else None,
                    need=demo.need,
                    current_provision=demo.current_provision,
                    gap=demo.gap,
                    opportunity=demo.opportunity,
                    severity=demo.severity,
                    evidence=[evidence[title] for title in demo.evidence],
                )
            except ValidationError:
                continue  # a commission whose priorities or areas have changed
        gaps.append(gap)
    return {"evidence": evidence, "services": services, "gaps": gaps}
