"""Demo opportunities: one open for bids and one closed, each published through the
publishing service (which moves its commission to procurement) with a published
clarification answer.

Idempotent: keyed on the opportunity's title; running it twice adds nothing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Commission
from core.models import User
from core.roles import Role
from demo.people import DEMO_PEOPLE
from engagement.models import EngagementEvent
from procurement.models import Clarification, ConflictsStage, FundingType, Opportunity
from procurement.selectors.conflicts_assessment import people_involved
from procurement.services.conflicts_assessment import (
    conflicts_assessment_record,
    officer_declaration_record,
)
from procurement.services.opportunities import opportunity_create, opportunity_publish
from providers.models import Organisation


@dataclass(frozen=True)
class DemoClarification:
    question: str
    published_question: str
    answer: str


@dataclass(frozen=True)
class DemoOpportunity:
    commission: str
    specification: str
    lot: str
    title: str
    summary: str
    funding_type: str
    opened_days_ago: int
    closes_in_days: int  # negative: closed that many days ago
    clarification: DemoClarification


DEMO_OPPORTUNITIES = [
    DemoOpportunity(
        commission="Independent advice and advocacy",
        specification="Money, debt and benefits advice",
        lot="Lancaster",
        title="Money, debt and benefits advice in Lancaster",
        summary=(
            "Free, independent advice on money, debt and benefits for people in Lancaster, by "
            "phone, online and face to face, so that money problems are resolved before they "
            "become crises and people claim what they are entitled to.\n\n"
            "We welcome bids from single organisations and from partnerships of advice agencies."
        ),
        funding_type=FundingType.GRANT,
        opened_days_ago=10,
        closes_in_days=30,
        clarification=DemoClarification(
            question=(
                "We are the Bowerham Advice Project. Can we bid for the Lancaster lot if we "
                "only hold the Advice Quality Standard for debt advice and are working towards "
                "it for welfare benefits?"
            ),
            published_question=(
                "Can an organisation bid if it holds the Advice Quality Standard for debt "
                "advice and is working towards it for welfare benefits?"
            ),
            answer=(
                "Yes. Tell us in your answer to the service-specific question which parts of "
                "the service the Standard covers now, and your plan and timescale for the rest. "
                "The panel will score it against the criterion as published."
            ),
        ),
    ),
    DemoOpportunity(
        commission="Community transport for rural areas",
        specification="Dial-a-ride for the Lune Valley",
        lot="",
        title="Dial-a-ride for the Lune Valley",
        summary=(
            "Door-to-door accessible transport for people in the Lune Valley, Halton and "
            "Kellet who cannot use buses, so that they can get to shops, appointments and "
            "activities."
        ),
        funding_type=FundingType.CONTRACT,
        opened_days_ago=60,
        closes_in_days=-2,
        clarification=DemoClarification(
            question="Do the vehicles have to be owned by the provider, or can they be leased?",
            published_question=(
                "Do the vehicles have to be owned by the provider, or can they be leased?"
            ),
            answer=(
                "They can be owned or leased. Every vehicle must be wheelchair accessible and "
                "every driver trained, as the service-specific criterion says."
            ),
        ),
    ),
    DemoOpportunity(
        commission="Festivals and events in Morecambe Bay",
        specification="Winter light festival",
        lot="",
        title="Winter light festival on Morecambe promenade",
        summary=(
            "Grants for an outdoor winter light festival on Morecambe's promenade and the "
            "events around it, made with local schools and community groups, that bring "
            "visitors to Morecambe out of season.\n\n"
            "We expect to fund more than one organisation: bids may be for the whole festival "
            "or for a strand of it."
        ),
        funding_type=FundingType.GRANT,
        opened_days_ago=100,
        closes_in_days=-45,
        clarification=DemoClarification(
            question="Can the festival run over two weekends rather than one?",
            published_question="Can the festival run over two weekends rather than one?",
            answer=(
                "Yes. Tell us the dates you propose and how you will manage safety on the "
                "promenade over both weekends."
            ),
        ),
    ),
]


def _at(days: int, hour: int) -> dt.datetime:
    """`days` from today (negative: ago) at `hour` o'clock, Europe/London."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _balance_weights(opportunity: Opportunity) -> None:
    """Take any excess over 100 off the first question that can spare it (or add any
    shortfall to the first question), as an officer would before publishing."""
    questions = list(opportunity.questions.order_by("order", "pk"))
    difference = sum((q.weight for q in questions), Decimal(0)) - 100
    if not questions or difference == 0:
        return
    question = next((q for q in questions if q.weight >= difference), questions[0])
    question.weight -= difference
    question.save(update_fields=["weight"])


def _applicant_workshops():
    """The published applicant workshops still to come."""
    return EngagementEvent.objects.filter(
        kind=EngagementEvent.Kind.APPLICANT_WORKSHOP,
        is_published=True,
        starts_at__gte=timezone.now(),
    )


def _demo_asker() -> tuple[User | None, Organisation | None]:
    email = next(person.email for person in DEMO_PEOPLE if person.role == Role.PROVIDER)
    user = User.objects.filter(email=email).first()
    organisation = Organisation.objects.for_user(user).first() if user else None
    return user, organisation


def demo_opportunities_seed(
    *, officer: User, commissions: dict[str, Commission]
) -> dict[str, Opportunity]:
    """The demo opportunities, published; only those whose specification is in a published
    plan are made. Returns them by title."""
    asker, organisation = _demo_asker()
    opportunities: dict[str, Opportunity] = {}
    for demo in DEMO_OPPORTUNITIES:
        commission = commissions.get(demo.commission)
        if commission is None:
            continue
        opportunity = Opportunity.objects.filter(title=demo.title).first()
        opens_at = _at(-demo.opened_days_ago, 9)
        if opportunity is None:
            specification = commission.specifications.filter(title=demo.specification).first()
            if specification is None or not specification.plans.filter(state="published").exists():
                continue
            lot = specification.lots.filter(name=demo.lot).first() if demo.lot else None
            opportunity = opportunity_create(
                specification=specification,
                created_by=officer,
                title=demo.title,
                summary=demo.summary,
                funding_type=demo.funding_type,
                opens_at=opens_at,
                closes_at=_at(demo.closes_in_days, 17),
                eligibility=specification.eligibility,
                lot=lot,
            )
            _balance_weights(opportunity)
        if not opportunity.is_published:
            _conflicts_assess(opportunity=opportunity, officer=officer)
            opportunity_publish(opportunity=opportunity, user=officer, at=opens_at)
        if opportunity.is_open():
            opportunity.workshops.add(*_applicant_workshops())
        clarification = demo.clarification
        Clarification.objects.get_or_create(
            opportunity=opportunity,
            question=clarification.question,
            defaults={
                "asked_by": asker,
                "organisation": organisation,
                "published_question": clarification.published_question,
                "answer": clarification.answer,
                "answered_by": officer,
                "published_at": opens_at + dt.timedelta(days=3),
            },
        )
        opportunities[demo.title] = opportunity
    return opportunities


def _conflicts_assess(*, opportunity, officer, stage: str = ConflictsStage.PUBLICATION) -> None:
    """Everyone involved declares no conflict, and the officer records the conflicts
    assessment at `stage` (Procurement Act 2023, s.83), as the portal requires: before
    publication, and for a contract again at the assessment of bids and at the award."""
    if opportunity.conflicts_assessments.filter(stage=stage).exists():
        return
    for person in people_involved(opportunity=opportunity, also=officer):
        officer_declaration_record(
            opportunity=opportunity,
            user=person,
            stage=stage,
            has_conflict=False,
            description="",
        )
    conflicts_assessment_record(
        opportunity=opportunity,
        stage=stage,
        steps_taken="Everyone involved declared no conflict of interest.",
        recorded_by=officer,
    )
