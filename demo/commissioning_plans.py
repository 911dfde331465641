"""Demo data: a published Commissioning Plan for each sector, 2027 to 2030.

Everything goes through the plan services, so the demo plans have a real timeline (sent for
approval, approved, published) and a stored PDF.
"""

import datetime
from decimal import Decimal

from commissioning.models import CommissioningPlan, PlanState, Sector, Specification
from commissioning.services.plans import plan_create, plan_transition, plan_update
from core.models import User
from core.templatetags.portal import money

PERIOD_START = datetime.date(2027, 4, 1)
PERIOD_END = datetime.date(2030, 3, 31)

PLANS = {
    "VCFS": {
        "series": "vcfs-commissioning-plan-2027-to-2030",
        "title": "Voluntary, Community and Faith Sector Commissioning Plan 2027 to 2030",
        "purpose": (
            "The core purpose of the council's commissioning arrangements is to ensure that "
            "its investment in voluntary, community and faith sector services has the maximum "
            "positive impact on the lives of people in the district and the local economy.\n\n"
            "This plan sets out the services the council wishes to commission from "
            "1 April 2027. It follows a year of engagement with service providers, "
            "individuals and communities, a Local Assessment of needs and a map of existing "
            "service provision. Commissioned services will help the council deliver its "
            "Corporate Priorities, Health and Well Being and Community Leadership above all, "
            "and the intention to protect the most vulnerable people in the district runs "
            "through every service in it."
        ),
        "expected_outcomes": (
            "Outcomes are end results: the difference the services make to people's lives over "
            "time. The council expects the services in this plan to achieve these outcomes:\n\n"
            "Older and vulnerable people are less isolated and better connected to their "
            "communities.\n"
            "People facing financial hardship get advice early and avoid crisis.\n"
            "More residents volunteer, gaining skills and confidence.\n"
            "Voluntary, community and faith organisations are more resilient and work "
            "together.\n\n"
            "Each service specification sets out its own outcomes and the success measures, "
            "with targets for each year, that will show progress towards them."
        ),
        "intro": "voluntary, community and faith sector services",
    },
    "Arts": {
        "series": "arts-commissioning-plan-2027-to-2030",
        "title": "Arts Commissioning Plan 2027 to 2030",
        "purpose": (
            "The core purpose of the council's commissioning arrangements is to ensure that "
            "its investment in arts services has the maximum positive impact on the lives of "
            "people in the district and the local economy.\n\n"
            "Arts and cultural organisations make a crucial difference to the quality of life "
            "of local people and help to attract visitors to the district. This plan sets out "
            "the arts services the council wishes to commission from 1 April 2027, shaped by "
            "workshops with artists, venues and festival organisers and by what residents told "
            "the council about taking part in the arts. Commissioned services will help the "
            "council deliver its Corporate Priorities, Economic Growth and Health and Well "
            "Being above all."
        ),
        "expected_outcomes": (
            "Outcomes are end results: the difference the services make over time. The council "
            "expects the services in this plan to achieve these outcomes:\n\n"
            "More residents, particularly in wards where few people take part now, enjoy and "
            "take part in the arts.\n"
            "The district's festivals and events attract visitors and support the local "
            "economy.\n"
            "Arts organisations are more sustainable, with a reducing reliance on public "
            "sector funding.\n\n"
            "Each service specification sets out its own outcomes and the success measures, "
            "with targets for each year, that will show progress towards them."
        ),
        "intro": "arts services",
    },
}

PROCUREMENT = (
    "Services will be procured in line with the council's procurement guidance and Contract "
    "Procedure Rules, and the process will be clear and transparent. Each service "
    "specification will become an opportunity published on this portal and publicised as "
    "widely as possible.\n\n"
    "Workshops will be held for every opportunity and are open to all applicants, to give "
    "further details of the procurement arrangements, quality standards and timescales. "
    "Answers to clarification questions will be published to everyone.\n\n"
    "Bids will be assessed against the core criteria for commissioned services: links to "
    "corporate priorities and other approved strategies, deliverability, quality assurance, "
    "value for money, added value and additionality, sustainability, collaboration and the "
    "service-specific criteria in each specification. Joint and consortium bids are welcome."
)

CONTRACTUAL = (
    "Each successful provider will enter an agreement with the council that expresses what "
    "the investment is for, the outcomes expected, the success measures and targets for each "
    "year, the payment schedule, communications arrangements and the information needed to "
    "show progress and achievements.\n\n"
    "Agreements run for the duration set out in each specification, with payments quarterly "
    "in advance. The council will keep an honest and open dialogue with providers, with "
    "scope to adapt services to meet changing needs while maintaining quality."
)

PERFORMANCE = (
    "Performance monitoring will be based on working closely and constructively with "
    "delivery partners. Providers will submit a monitoring return each quarter through this "
    "portal, reporting progress against their targets, an outcomes narrative, case studies, "
    "spend and risks. Whilst quality standards for delivery and financial management "
    "remain, the emphasis will be on Outcomes and Value.\n\n"
    "Each year the council will meet every provider to review progress. At the end of each "
    "agreement an evaluation, including Social Return on Investment where it is "
    "proportionate, will capture the impact and lessons learned, to inform the next "
    "commissioning cycle."
)


def _investment_levels(intro: str, specifications: list[Specification]) -> str:
    total = sum((spec.budget for spec in specifications), Decimal("0"))
    lines = [
        f"The council will invest {money(total)} in {intro} from 1 April 2027 to "
        f"31 March 2030, in {len(specifications)} "
        f"service{'s' if len(specifications) != 1 else ''}:",
        "",
        *(f"{spec.title}: {money(spec.budget)}" for spec in specifications),
        "",
        "Investment will be focused on delivery of quality services that lead to positive "
        "outcomes; administrative costs should be reasonable and proportionate. Match "
        "funding, joint investment and contributions of resources from other sources are "
        "welcome and count towards value for money.",
    ]
    return "\n".join(lines)


def _sector(key: str) -> Sector:
    return Sector.objects.filter(short_name__iexact=key).first() or Sector.objects.get(
        slug__iexact=key
    )


def demo_plans_seed(
    *,
    author: User,
    approver: User,
    specifications_by_sector: dict[str, list[Specification]],
) -> list[CommissioningPlan]:
    """One published plan per sector ("VCFS", "Arts": short name or slug), including the
    given specifications. Idempotent, keyed on the plan's series: a plan already published
    is left as it is; one stopped part-way is taken on to publication."""
    published = []
    for key, specifications in specifications_by_sector.items():
        sector = _sector(key)
        words = PLANS.get(sector.short_name) or PLANS["VCFS"]
        specifications = list(specifications)
        fields = {
            "sector": sector,
            "title": words["title"],
            "period_start": PERIOD_START,
            "period_end": PERIOD_END,
            "purpose": words["purpose"],
            "investment_levels": _investment_levels(words["intro"], specifications),
            "expected_outcomes": words["expected_outcomes"],
            "procurement_arrangements": PROCUREMENT,
            "contractual_arrangements": CONTRACTUAL,
            "performance_management": PERFORMANCE,
        }
        plan = CommissioningPlan.objects.filter(series=words["series"]).order_by("-version").first()
        if plan is None:
            plan = plan_create(
                author=author,
                specifications=specifications,
                series=words["series"],
                **fields,
            )
        elif plan.state == PlanState.DRAFT:
            plan_update(plan=plan, specifications=specifications, **fields)
        steps = {
            PlanState.DRAFT: ("submit", author),
            PlanState.AWAITING_APPROVAL: ("approve", approver),
            PlanState.APPROVED: ("publish", author),
        }
        while plan.state in steps and plan.specifications.exists():
            name, person = steps[plan.state]
            plan_transition(
                plan=plan,
                name=name,
                user=person,
                reason={
                    "submit": "Ready for approval after the engagement workshops.",
                    "approve": "Approved at the Cabinet member briefing.",
                    "publish": "",
                }[name],
            )
        published.append(plan)
    return published
