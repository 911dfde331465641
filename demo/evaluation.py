"""Demo evaluation and the next cycle: the cycle recurring.

Two years before the demo is seeded, the council ran a one-year pilot, "Warm spaces and
lunch clubs pilot": one grant to Morecambe Bay Community Food Network, every quarterly
return accepted. At its end the Food Network sent its end-of-grant report; the officer
evaluated the agreement and the commission (outcomes and spending from the accepted
returns, impact, lessons learned tagged by priority, area and theme, SROI where the
portal computes it), recommended recommissioning, and closed the commission. It was
recommissioned as the community hubs (demo.monitoring, a year into delivery): the hubs'
page shows the chain of cycles, and their Understand page the pilot's lessons.

How the pilot was funded is recorded directly, as demo.monitoring records the hubs' (the
services will not take bids after a deadline). Its delivery, the report, the evaluations
and the closing go through the services; the link from the pilot to the hubs is recorded
directly too, since the hubs' commission already exists (the recommission service opens a
new one). Idempotent: keyed on the pilot's title; a closed pilot is left as it is.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.models import (
    Area,
    Commission,
    CommissionState,
    CorporatePriority,
    CrossCuttingTheme,
    Sector,
)
from commissioning.services.commissions import commission_create, commission_transition
from core.models import User
from core.roles import Role
from demo.bids import DemoBid, _bid_seed
from demo.monitoring import (
    COMMISSION as HUBS,
)
from demo.monitoring import (
    FOOD_NETWORK,
    HUB_ANSWERS,
    DemoDelivery,
    DemoRating,
    DemoReturn,
    Report,
    _agreement,
    _award,
    _delivery_story,
    _started,
)
from demo.opportunities import _balance_weights
from demo.plan import ELIGIBLE_VCFS, DemoSpecification, _specification
from engagement.models import EvidenceItem, Gap
from monitoring import evaluation_services as services
from monitoring.models import (
    AgreementEvaluation,
    CommissionEvaluation,
    CycleCarryForward,
    Lesson,
    NextCycleKind,
)
from procurement.models import FundingType, Opportunity, OpportunityState
from procurement.services.agreements import months_add
from procurement.services.opportunities import _next_reference as opportunity_reference_next
from procurement.services.opportunities import _unique_slug as opportunity_slug
from procurement.services.opportunities import opportunity_questions_create_default
from providers.models import Organisation

PILOT = "Warm spaces and lunch clubs pilot"
OPPORTUNITY = "Warm spaces and lunch clubs: a one-year pilot in Morecambe"

SPECIFICATION = DemoSpecification(
    "Warm spaces and lunch clubs",
    "A warm space and a hot lunch at least two days a week in Morecambe, with help to claim "
    "what people are owed, for older people and families on low incomes.",
    "16000",
    12,
    ELIGIBLE_VCFS,
    "Lancaster District CVS",
    ("People on low incomes are less isolated through the winter",),
    (
        ("People supported", (180,)),
        ("Volunteers recruited", (10,)),
        ("Community events held", (40,)),
    ),
)

BID = DemoBid(
    organisation=FOOD_NETWORK,
    title="Harbour warm space and lunch club",
    share=Decimal("1"),
    answers=HUB_ANSWERS,
    budget=(("Coordinator", Decimal("0.55")), ("Food and heating", Decimal("0.45"))),
    submitted_days_before_close=3,
)


def _quarter(actuals, narrative, spend) -> Report:
    return Report(actuals, narrative, Decimal(spend), "None this quarter.")


DELIVERY = DemoDelivery(
    organisation=FOOD_NETWORK,
    returns=(
        DemoReturn(
            1,
            _quarter(
                (38, 4, 9),
                "The warm space opened in the church hall on Tuesdays and Thursdays.",
                "3900",
            ),
            sent_after=14,
            accepted=True,
        ),
        DemoReturn(
            2,
            _quarter(
                (61, 3, 12),
                "Winter brought twice as many people; we added a Saturday lunch in January.",
                "4300",
            ),
            sent_after=12,
            accepted=True,
        ),
        DemoReturn(
            3,
            _quarter(
                (47, 2, 11),
                "Fewer came for warmth in spring, but the lunch club kept its regulars.",
                "4000",
            ),
            sent_after=15,
            accepted=True,
        ),
        DemoReturn(
            4,
            _quarter(
                (44, 1, 10),
                "Families came in the summer holidays; we ended the pilot with a picnic.",
                "3800",
            ),
            sent_after=10,
            accepted=True,
        ),
    ),
    paid=4,
    ratings=(DemoRating(1, 20, "green", "Open as planned; people supported above target."),),
)

REPORT = {
    "what_worked": "A hot lunch brought people in; the warm room and a volunteer to talk to "
    "kept them coming. Benefit checks at the lunch table found money people were missing.",
    "what_did_not_work": "Two days a week was not enough in the coldest months, and people "
    "from Skerton and Carnforth could not get to Morecambe.",
    "what_would_change": "Open more days in winter, in more than one place, and plan the "
    "Saturday lunch from the start.",
}

#: (lesson, priority slug, area name or None for the whole district, theme slug or None)
AGREEMENT_LESSONS = (
    (
        "Offer benefit checks at the lunch table, not by appointment: people who would never "
        "book advice will talk over a meal.",
        "health-and-well-being",
        "Morecambe",
        None,
    ),
)
COMMISSION_LESSONS = (
    (
        "Demand doubles in December to February: budget and staff for more opening days in "
        "winter rather than the same all year.",
        "health-and-well-being",
        None,
        None,
    ),
    (
        "One venue in Morecambe did not reach Skerton or Carnforth: commission hubs in each "
        "area, run by organisations already trusted there.",
        "community-leadership",
        None,
        "working-together-in-partnership",
    ),
)


def _pilot_start() -> dt.date:
    """The pilot ran for the twelve months before the hubs started (a year before today)."""
    hubs_start = months_add(timezone.localdate().replace(day=1), -12)
    return months_add(hubs_start, -12)


def _commission(*, officer: User, starts_on: dt.date) -> Commission:
    commission = Commission.objects.filter(title=PILOT).first()
    if commission is not None:
        return commission
    commission = commission_create(
        created_by=officer,
        title=PILOT,
        sector=Sector.objects.get(short_name="VCFS"),
        priorities=CorporatePriority.objects.filter(
            slug__in=("health-and-well-being", "community-leadership")
        ),
        themes=CrossCuttingTheme.objects.filter(slug="working-together-in-partnership"),
        areas=Area.objects.filter(name="Morecambe", kind=Area.Kind.AREA),
        indicative_budget=Decimal("16000"),
        period_start=starts_on,
        period_end=months_add(starts_on, 12) - dt.timedelta(days=1),
        lead_officer=officer,
        summary="A one-year pilot of a warm space and lunch club in Morecambe, to learn what "
        "it takes to reach people on low incomes before problems become crises.",
    )
    Commission.objects.filter(pk=commission.pk).update(state=CommissionState.DELIVERY)
    commission.refresh_from_db()
    evidence = EvidenceItem.objects.create(
        title="Fuel poverty in Morecambe wards",
        category=EvidenceItem.Category.SOCIAL,
        source="Department for Energy Security and Net Zero",
        dated=starts_on - dt.timedelta(days=200),
        summary="One household in six in the Morecambe wards is in fuel poverty.",
        recorded_by=officer,
    )
    evidence.commissions.add(commission)
    Gap.objects.create(
        commission=commission,
        priority=CorporatePriority.objects.get(slug="health-and-well-being"),
        area=Area.objects.filter(name="Morecambe", kind=Area.Kind.AREA).first(),
        need="Older people and families cannot afford to heat their homes",
        current_provision="A food bank two days a week",
        gap="Nowhere warm to go, with a meal, during the day",
        opportunity="Warm spaces in community buildings already open",
        severity=Gap.Severity.HIGH,
        recorded_by=officer,
    )
    return commission


def _opportunity(*, specification, officer: User, decided: dt.date) -> Opportunity:
    opportunity = Opportunity.objects.filter(title=OPPORTUNITY).first()
    if opportunity is not None:
        return opportunity
    closes_at = timezone.make_aware(
        dt.datetime.combine(decided - dt.timedelta(days=30), dt.time(17))
    )
    opens_at = (closes_at - dt.timedelta(weeks=6)).replace(hour=9)
    opportunity = Opportunity(
        specification=specification,
        title=OPPORTUNITY,
        summary="A grant for a one-year pilot warm space and lunch club in Morecambe.",
        budget=specification.budget,
        funding_type=FundingType.GRANT,
        opens_at=opens_at,
        closes_at=closes_at,
        eligibility=specification.eligibility,
        created_by=officer,
        slug=opportunity_slug(OPPORTUNITY),
        reference=opportunity_reference_next(timezone.localtime(opens_at).year),
        state=OpportunityState.CLOSED,
        published_at=opens_at,
    )
    opportunity.save()
    opportunity_questions_create_default(opportunity=opportunity)
    _balance_weights(opportunity)
    return opportunity


def _lessons(lessons, *, officer: User, **subject) -> None:
    for text, priority, area, theme in lessons:
        services.lesson_add(
            user=officer,
            text=text,
            priority=CorporatePriority.objects.get(slug=priority),
            area=Area.objects.filter(name=area, kind=Area.Kind.AREA).first() if area else None,
            theme=CrossCuttingTheme.objects.filter(slug=theme).first() if theme else None,
            **subject,
        )


def _evaluate(*, commission: Commission, agreement, officer: User, member: User) -> None:
    """The end of the pilot, through the services: the provider's report, the agreement's
    and the commission's evaluations, and the commission closed."""
    services.end_of_grant_report_save(agreement=agreement, user=member, send=True, **REPORT)
    _lessons(AGREEMENT_LESSONS, officer=officer, agreement=agreement)
    services.agreement_evaluation_save(
        agreement=agreement,
        user=officer,
        impact_summary="190 people supported against a target of 180; ten volunteers "
        "recruited. Benefit checks at the lunch table found money for 23 households.",
        recommendation="recommission",
        complete=True,
    )
    commission = commission_transition(commission=commission, name="start_review", user=officer)
    _lessons(COMMISSION_LESSONS, officer=officer, commission=commission)
    services.commission_evaluation_save(
        commission=commission,
        user=officer,
        impact_summary="The pilot reached people on low incomes that advice services did not, "
        "and found that a meal and a warm room are what bring them in. It reached Morecambe "
        "only.",
        recommendation="recommission",
        complete=True,
    )
    commission_transition(
        commission=commission,
        name="close",
        user=officer,
        reason="Evaluated; recommissioned as community hubs in three areas.",
    )
    _date(commission=commission, agreement=agreement)


def _date(*, commission: Commission, agreement) -> None:
    """Date the end of the pilot to when it happened in the story: the report a fortnight
    after the agreement ended, the evaluations and lessons a month after (never after now)."""
    now = timezone.now() - dt.timedelta(minutes=5)
    ended = timezone.make_aware(dt.datetime.combine(agreement.ends_on, dt.time(12)))
    reported, evaluated = (
        min(ended + dt.timedelta(days=14), now),
        min(ended + dt.timedelta(days=30), now),
    )
    AgreementEvaluation.objects.filter(agreement=agreement).update(
        report_sent_at=reported, completed_at=evaluated
    )
    CommissionEvaluation.objects.filter(commission=commission).update(completed_at=evaluated)
    Lesson.objects.filter(commission=commission).update(created_at=evaluated)


def _recommissioned(*, pilot: Commission, officer: User) -> None:
    """The hubs are the pilot's next cycle (recorded directly: see the module docstring)."""
    hubs = Commission.objects.filter(title=HUBS).first()
    if hubs is None or hubs.pk == pilot.pk:
        return
    if hubs.previous_cycle_id is None:
        Commission.objects.filter(pk=hubs.pk).update(previous_cycle=pilot)
    carried, created = CycleCarryForward.objects.get_or_create(
        commission=hubs,
        defaults={
            "previous": pilot,
            "kind": NextCycleKind.RECOMMISSION,
            "evaluation": getattr(pilot, "evaluation", None),
            "created_by": officer,
        },
    )
    if created:
        evidence = list(pilot.evidence_items.all())
        carried.evidence.set(evidence)
        for item in evidence:
            item.commissions.add(hubs)
        carried.gaps.set(pilot.gaps.all())


@transaction.atomic
def demo_evaluation_seed(*, organisations: dict[str, Organisation], users: dict) -> None:
    """The pilot, delivered, evaluated, closed and recommissioned (see the docstring)."""
    officer, approver = users[Role.OFFICER], users[Role.APPROVER]
    member = users[Role.PROVIDER]  # the Food Network's admin
    starts_on = _pilot_start()
    decided = months_add(starts_on, -1) + dt.timedelta(days=9)
    pilot = _commission(officer=officer, starts_on=starts_on)
    if pilot.state != CommissionState.CLOSED:
        specification = _specification(pilot, SPECIFICATION, officer)
        opportunity = _opportunity(specification=specification, officer=officer, decided=decided)
        bid = _bid_seed(
            opportunity=opportunity,
            organisation=organisations[FOOD_NETWORK],
            demo=BID,
            by=member,
            organisations=organisations,
        )
        decision = _award(bid=bid, officer=officer, approver=approver, decided=decided)
        agreement = _agreement(
            decision=decision, officer=officer, approver=approver, admin=member, decided=decided
        )
        if not _started(agreement):
            _delivery_story(agreement=agreement, demo=DELIVERY, member=member, officer=officer)
        pilot.refresh_from_db()
        if pilot.state == CommissionState.DELIVERY:
            _evaluate(commission=pilot, agreement=agreement, officer=officer, member=member)
    _recommissioned(pilot=Commission.objects.get(pk=pilot.pk), officer=officer)
