"""Demo data: the district's geography and commissions at every stage."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

from commissioning.models import Area, Commission, CorporatePriority, CrossCuttingTheme, Sector
from commissioning.services import commission_create, commission_transition

# Lancaster district: its towns and rural areas, and the wards within each.
DISTRICT = {
    "Lancaster": [
        "Bulk",
        "Castle",
        "Ellel",
        "John O'Gaunt",
        "Marsh",
        "Scotforth East",
        "Scotforth West",
        "Skerton East",
        "Skerton West",
        "University and Scotforth Rural",
    ],
    "Morecambe": ["Bare", "Harbour", "Poulton", "Torrisholme", "Westgate"],
    "Heysham": ["Heysham Central", "Heysham North", "Heysham South", "Overton"],
    "Carnforth": ["Carnforth and Millhead", "Bolton and Slyne", "Silverdale", "Warton"],
    "Rural Lancaster": [
        "Halton-with-Aughton",
        "Kellet",
        "Lower Lune Valley",
        "Upper Lune Valley",
    ],
}


def demo_areas_seed() -> dict[str, Area]:
    """The areas and wards of the district, by name. Idempotent."""
    areas: dict[str, Area] = {}
    for area_name, wards in DISTRICT.items():
        area, _ = Area.objects.update_or_create(
            slug=slugify(area_name), defaults={"name": area_name, "kind": Area.Kind.AREA}
        )
        areas[area_name] = area
        for ward_name in wards:
            areas[ward_name], _ = Area.objects.update_or_create(
                slug=slugify(ward_name),
                defaults={"name": ward_name, "kind": Area.Kind.WARD, "parent": area},
            )
    return areas


# --- Commissions ------------------------------------------------------------------------------

HAPPY_PATH = [
    ("start_understanding", "lead", "Engagement with providers and residents starts."),
    ("start_planning", "lead", "Needs evidence and the gap analysis are agreed."),
    ("request_plan_approval", "lead", "Options appraisal and specifications are ready."),
    ("approve_plan", "approver", "Approved at the Cabinet member briefing."),
    ("start_procurement", "lead", "Opportunity published."),
    ("start_assessment", "lead", "Bidding has closed."),
    ("request_award_approval", "lead", "Panel scores moderated; awards recommended."),
    ("approve_awards", "approver", "Awards approved."),
    ("start_review", "lead", "Delivery year complete."),
    ("close", "lead", "Evaluation recorded."),
]


@dataclass(frozen=True)
class DemoCommission:
    title: str
    sector: str
    priorities: tuple[str, ...]
    themes: tuple[str, ...]
    areas: tuple[str, ...]
    budget: str
    start: datetime.date
    end: datetime.date
    summary: str
    target_state: str


DEMO_COMMISSIONS = [
    DemoCommission(
        "Community transport for rural areas",
        "VCFS",
        ("health-and-well-being", "economic-growth"),
        ("working-together-in-partnership", "environmental-sustainability"),
        ("Rural Lancaster", "Carnforth"),
        "96000",
        datetime.date(2027, 4, 1),
        datetime.date(2030, 3, 31),
        "Dial-a-ride and community minibuses so that people in the Lune Valley and around "
        "Carnforth who cannot use buses can get to shops, appointments and activities.",
        "approved",
    ),
    DemoCommission(
        "Independent advice and advocacy",
        "VCFS",
        ("community-leadership", "health-and-well-being"),
        ("managing-the-councils-resources",),
        ("Lancaster", "Morecambe", "Heysham"),
        "210000",
        datetime.date(2027, 4, 1),
        datetime.date(2030, 3, 31),
        "Free, independent advice on money, benefits, debt and housing, with advocacy for "
        "people who find it hardest to be heard, delivered in partnership.",
        "approved",
    ),
    DemoCommission(
        "Tackling loneliness and isolation in later life",
        "VCFS",
        ("health-and-well-being", "community-leadership"),
        ("working-together-in-partnership",),
        ("Morecambe", "Heysham"),
        "180000",
        datetime.date(2027, 4, 1),
        datetime.date(2030, 3, 31),
        "Befriending, lunch clubs and community transport so that older people in Morecambe "
        "and Heysham are less isolated and stay well at home for longer.",
        "understanding",
    ),
    DemoCommission(
        "Community food resilience",
        "VCFS",
        ("health-and-well-being", "community-leadership"),
        ("working-together-in-partnership", "environmental-sustainability"),
        ("Lancaster", "Morecambe"),
        "120000",
        datetime.date(2027, 4, 1),
        datetime.date(2029, 3, 31),
        "Community pantries, cooking skills and surplus-food redistribution that move people "
        "from crisis food support towards lasting food security.",
        "planning",
    ),
    DemoCommission(
        "Volunteering in parks and open spaces",
        "VCFS",
        ("clean-green-and-safe-places",),
        ("environmental-sustainability",),
        ("Heysham", "Carnforth"),
        "45000",
        datetime.date(2027, 4, 1),
        datetime.date(2028, 3, 31),
        "Volunteer groups that care for parks, dunes and open spaces, improving hectares of "
        "public open land and giving people skills and confidence.",
        "draft",
    ),
    DemoCommission(
        "Creative opportunities for young people",
        "Arts",
        ("economic-growth", "health-and-well-being"),
        ("working-together-in-partnership",),
        ("Lancaster", "Morecambe", "Carnforth"),
        "90000",
        datetime.date(2027, 4, 1),
        datetime.date(2030, 3, 31),
        "Drama, music and visual arts for young people aged 11 to 19, with free places for "
        "young carers and pathways into creative work.",
        "plan_approval",
    ),
    DemoCommission(
        "Festivals and events in Morecambe Bay",
        "Arts",
        ("economic-growth",),
        ("managing-the-councils-resources",),
        ("Morecambe",),
        "150000",
        datetime.date(2026, 4, 1),
        datetime.date(2029, 3, 31),
        "Outdoor festivals and events that bring visitors to Morecambe out of season and "
        "involve local people in making them.",
        "approved",
    ),
]


def demo_commissions_seed(*, lead_officer) -> dict:
    """The demo commissions, in draft when first made. Idempotent: keyed on the title."""
    sectors = {sector.short_name: sector for sector in Sector.objects.all()}
    commissions = {}
    for demo in DEMO_COMMISSIONS:
        commission = Commission.objects.filter(title=demo.title).first()
        if commission is None:
            commission = commission_create(
                created_by=lead_officer,
                title=demo.title,
                sector=sectors[demo.sector],
                priorities=CorporatePriority.objects.filter(slug__in=demo.priorities),
                themes=CrossCuttingTheme.objects.filter(slug__in=demo.themes),
                areas=Area.objects.filter(name__in=demo.areas, kind=Area.Kind.AREA),
                indicative_budget=Decimal(demo.budget),
                period_start=demo.start,
                period_end=demo.end,
                lead_officer=lead_officer,
                summary=demo.summary,
            )
        commissions[demo.title] = commission
    return commissions


def demo_commissions_advance(*, commissions: dict, lead_officer, approver) -> None:
    """Move each demo commission along the happy path to its demo state, through the
    lifecycle service so every step is on its timeline. Only fresh drafts are moved."""
    targets = {demo.title: demo.target_state for demo in DEMO_COMMISSIONS}
    actors = {"lead": lead_officer, "approver": approver}
    for title, commission in commissions.items():
        target = targets[title]
        if commission.state != "draft" or target == "draft":
            continue
        for name, actor, note in HAPPY_PATH:
            commission_transition(commission=commission, name=name, user=actors[actor], reason=note)
            if commission.state == target:
                break
