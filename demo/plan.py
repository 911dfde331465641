"""Demo data for the Plan stage: options appraised against the core criteria and service
specifications with outcomes, success measures and targets. Idempotent (keyed on titles)."""

from dataclasses import dataclass, field
from decimal import Decimal

from commissioning.models import (
    Commission,
    CoreCriterion,
    Lot,
    MeasureTarget,
    Option,
    OptionScore,
    ServiceCriterion,
    Specification,
    SpecificationMeasure,
    SpecificationOutcome,
    SuccessMeasure,
)


@dataclass(frozen=True)
class DemoOption:
    title: str
    description: str
    cost: str
    outcomes: str
    risks: str
    scores: tuple[int, ...]  # in the order of the core criteria
    recommended: str = ""  # the rationale, when recommended


@dataclass(frozen=True)
class DemoSpecification:
    title: str
    summary: str
    budget: str
    months: int
    eligibility: str
    partners: str
    outcomes: tuple[str, ...]
    measures: tuple[tuple[str, tuple[int, ...]], ...]  # (success measure, targets by year)
    lots: tuple[tuple[str, str], ...] = ()
    criteria: tuple[tuple[str, str], ...] = ()
    complete: bool = True
    extra: dict = field(default_factory=dict)


ELIGIBLE_VCFS = (
    "Voluntary, community and faith organisations, charities, CIOs, community interest "
    "companies and companies limited by guarantee working in the Lancaster district. "
    "Partnerships and consortia are welcome; a lead organisation must be named."
)
ELIGIBLE_ARTS = (
    "Arts and cultural organisations, collectives and community interest companies based in "
    "or working in the Lancaster district, alone or in partnership."
)

OPTIONS: dict[str, list[DemoOption]] = {
    "Community food resilience": [
        DemoOption(
            "Grants to existing food banks",
            "Continue grants to the three food banks for emergency parcels.",
            "120000",
            "People in crisis get food quickly.",
            "Keeps people dependent on crisis support; little prevention.",
            (3, 4, 3, 2, 2, 1, 2, 3),
        ),
        DemoOption(
            "Community pantries and cooking skills",
            "Move to membership pantries with cooking and budgeting courses.",
            "115000",
            "People move from crisis support to lasting food security.",
            "Pantries need premises and volunteers in each area.",
            (4, 3, 3, 4, 4, 4, 4, 3),
        ),
    ],
    "Creative opportunities for young people": [
        DemoOption(
            "One youth arts provider for the district",
            "A single contract for all youth arts activity.",
            "90000",
            "Consistent offer across the district.",
            "Single point of failure; may not reach Carnforth and rural areas.",
            (3, 3, 4, 3, 2, 2, 1, 3),
        ),
        DemoOption(
            "Grants to a partnership of youth arts groups",
            "Grants to a consortium of local groups led by one of them, with free places "
            "for young carers.",
            "90000",
            "More young people take part, in more places, with pathways into creative work.",
            "Partnership needs good coordination.",
            (5, 4, 4, 4, 5, 3, 5, 4),
            recommended="Reaches more young people in more places and builds on local "
            "groups' strengths; scored highest on added value and collaboration.",
        ),
        DemoOption(
            "Do nothing",
            "No council investment in youth arts.",
            "0",
            "None.",
            "Loss of provision; young people in deprived wards miss out.",
            (0, 5, 0, 2, 0, 0, 0, 0),
        ),
    ],
    "Festivals and events in Morecambe Bay": [
        DemoOption(
            "Council-run events programme",
            "The council runs the events itself.",
            "180000",
            "Events happen, but little community involvement.",
            "Higher cost; less match funding.",
            (3, 4, 4, 2, 2, 1, 1, 3),
        ),
        DemoOption(
            "Grants to festival organisers with match funding",
            "Grants to local festival organisers, who lever in Arts Council and sponsor money.",
            "150000",
            "More visitors out of season; local people make the festivals.",
            "Depends on match funding being secured.",
            (5, 4, 4, 5, 4, 4, 4, 4),
            recommended="Best value for money: every council pound levers in match funding, "
            "and local people help to make the events.",
        ),
    ],
    "Community transport for rural areas": [
        DemoOption(
            "Grant to community transport operators",
            "Grants to community transport schemes for dial-a-ride and minibuses.",
            "96000",
            "People without buses get to shops, appointments and activities.",
            "Volunteer drivers are hard to recruit.",
            (5, 4, 4, 4, 4, 3, 4, 4),
            recommended="The only option that reaches the rural wards; good value through "
            "volunteer drivers.",
        ),
        DemoOption(
            "Taxi vouchers",
            "Vouchers for licensed taxis.",
            "110000",
            "Trips for some people.",
            "Few taxis in rural areas; no social contact.",
            (2, 3, 3, 2, 1, 1, 1, 2),
        ),
    ],
    "Independent advice and advocacy": [
        DemoOption(
            "Partnership of advice agencies",
            "A single grant to a partnership of advice agencies with a shared front door.",
            "210000",
            "People get advice earlier, before debt and housing problems become crises.",
            "Agencies must agree shared processes.",
            (5, 4, 5, 4, 4, 3, 5, 4),
            recommended="Prevention and early intervention at the best value; collaboration "
            "reduces duplicated back-office costs.",
        ),
        DemoOption(
            "Separate grants to each agency",
            "Grants to each advice agency as now.",
            "225000",
            "Advice continues as now.",
            "Duplication and gaps between services.",
            (4, 4, 4, 3, 2, 2, 1, 3),
        ),
    ],
}

SPECIFICATIONS: dict[str, list[DemoSpecification]] = {
    "Community food resilience": [
        DemoSpecification(
            "Community pantries",
            "Membership pantries in Lancaster and Morecambe offering low-cost food.",
            "80000",
            24,
            ELIGIBLE_VCFS,
            "Morecambe Bay Community Food Network; St Mary's Community Kitchen",
            ("People move from crisis food support to lasting food security",),
            (),
            complete=False,
        ),
    ],
    "Creative opportunities for young people": [
        DemoSpecification(
            "Youth arts in the district",
            "Weekly drama, music and visual arts sessions for young people aged 11 to 19 in "
            "Lancaster, Morecambe and Carnforth, with free places for young carers.",
            "70000",
            36,
            ELIGIBLE_ARTS,
            "Lancaster Youth Theatre; Storey Creative Studios CIC; young people's panel",
            (
                "Young people are more confident and connected",
                "Young people find pathways into creative work",
            ),
            (
                ("Young people taking part in creative activity", (150, 180, 200)),
                ("Training sessions provided", (40, 40, 40)),
            ),
            lots=(("Lancaster and Morecambe", "50000"), ("Carnforth and rural areas", "20000")),
            criteria=(("Safeguarding young people", "10"),),
        ),
        DemoSpecification(
            "Young carers' creative breaks",
            "Holiday creative breaks for young carers.",
            "20000",
            36,
            ELIGIBLE_ARTS,
            "Morecambe Bay Carers' Forum",
            ("Young carers have a break and time for themselves",),
            (("Young people taking part in creative activity", (40, 40, 40)),),
        ),
    ],
    "Festivals and events in Morecambe Bay": [
        DemoSpecification(
            "Winter light festival",
            "An outdoor winter light festival on Morecambe's promenade, made with local "
            "schools and community groups.",
            "90000",
            36,
            ELIGIBLE_ARTS,
            "Morecambe Bay Festival of Light; Morecambe Town Council",
            (
                "More visitors come to Morecambe out of season",
                "Local people take part in making the festival",
            ),
            (
                ("Visitors to the district", (15000, 17500, 20000)),
                ("Audience attendances", (30000, 33000, 36000)),
                ("Match funding secured", (45000, 50000, 55000)),
            ),
            criteria=(("Event safety management", "10"),),
        ),
        DemoSpecification(
            "Summer seafront events",
            "Free outdoor performances on the seafront in July and August.",
            "60000",
            36,
            ELIGIBLE_ARTS,
            "Local promoters and artists",
            ("Residents and visitors enjoy free outdoor culture",),
            (
                ("Community events held", (12, 12, 12)),
                ("Audience attendances", (20000, 21000, 22000)),
            ),
        ),
    ],
    "Community transport for rural areas": [
        DemoSpecification(
            "Dial-a-ride for the Lune Valley",
            "Door-to-door accessible transport for people who cannot use buses, in the Lune "
            "Valley, Halton and Kellet.",
            "60000",
            36,
            ELIGIBLE_VCFS,
            "Lune Valley Community Transport; parish councils",
            ("Older and disabled people in rural areas are less isolated",),
            (
                ("People supported", (220, 240, 260)),
                ("Volunteers recruited", (10, 8, 8)),
            ),
            criteria=(("Accessible vehicles and trained drivers", "10"),),
        ),
        DemoSpecification(
            "Community minibuses around Carnforth",
            "Group trips by community minibus for clubs and groups around Carnforth, "
            "Warton and Silverdale.",
            "36000",
            36,
            ELIGIBLE_VCFS,
            "Carnforth Youth and Community Hub",
            ("Community groups can reach activities",),
            (("Community events held", (40, 45, 50)),),
        ),
    ],
    "Independent advice and advocacy": [
        DemoSpecification(
            "Money, debt and benefits advice",
            "Free, independent advice on money, debt and benefits by phone, online and in "
            "person in Lancaster, Morecambe and Heysham.",
            "150000",
            36,
            ELIGIBLE_VCFS,
            "Advice agencies' partnership; Lancaster District CVS",
            (
                "People resolve money problems before they become crises",
                "People claim the benefits they are entitled to",
            ),
            (("People supported", (1200, 1300, 1400)),),
            lots=(("Lancaster", "80000"), ("Morecambe and Heysham", "70000")),
            criteria=(("Advice Quality Standard or equivalent", "15"),),
        ),
        DemoSpecification(
            "Independent advocacy",
            "Advocacy for people who find it hardest to be heard.",
            "60000",
            36,
            ELIGIBLE_VCFS,
            "Advice agencies' partnership",
            ("People are heard in decisions about their lives",),
            (("People supported", (150, 160, 170)),),
        ),
    ],
}


def demo_plan_stage_seed(*, officer, commissions: dict[str, Commission]) -> dict:
    """Options (with scores and a recommendation) and specifications for the demo
    commissions. Returns the specifications by commission title."""
    criteria = list(CoreCriterion.objects.order_by("order"))
    specifications: dict[str, list[Specification]] = {}
    for title, commission in commissions.items():
        for demo in OPTIONS.get(title, []):
            option, created = Option.objects.get_or_create(
                commission=commission,
                title=demo.title,
                defaults={
                    "description": demo.description,
                    "estimated_cost": Decimal(demo.cost),
                    "expected_outcomes": demo.outcomes,
                    "risks": demo.risks,
                    "is_recommended": bool(demo.recommended),
                    "recommendation_rationale": demo.recommended,
                    "created_by": officer,
                },
            )
            if created:
                OptionScore.objects.bulk_create(
                    OptionScore(option=option, criterion=criterion, score=score)
                    for criterion, score in zip(criteria, demo.scores, strict=True)
                )
        specifications[title] = [
            _specification(commission, demo, officer) for demo in SPECIFICATIONS.get(title, [])
        ]
    return specifications


def _specification(commission: Commission, demo: DemoSpecification, officer) -> Specification:
    specification, created = Specification.objects.get_or_create(
        commission=commission,
        title=demo.title,
        defaults={
            "summary": demo.summary,
            "budget": Decimal(demo.budget),
            "duration_months": demo.months,
            "eligibility": demo.eligibility,
            "sector_partners": demo.partners,
            "created_by": officer,
        },
    )
    if not created:
        return specification
    outcomes = [
        SpecificationOutcome.objects.create(
            specification=specification, description=text, order=order
        )
        for order, text in enumerate(demo.outcomes, start=1)
    ]
    for index, (measure_name, targets) in enumerate(demo.measures):
        chosen = SpecificationMeasure.objects.create(
            specification=specification,
            measure=SuccessMeasure.objects.get(name=measure_name),
            outcome=outcomes[min(index, len(outcomes) - 1)] if outcomes else None,
        )
        MeasureTarget.objects.bulk_create(
            MeasureTarget(specification_measure=chosen, year=year, target=Decimal(target))
            for year, target in enumerate(targets, start=1)
        )
    for name, budget in demo.lots:
        Lot.objects.create(specification=specification, name=name, budget=Decimal(budget))
    for name, weight in demo.criteria:
        ServiceCriterion.objects.create(
            specification=specification, name=name, weight=Decimal(weight)
        )
    return specification
