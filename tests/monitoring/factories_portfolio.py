"""Set-up for the dashboard tests: commissions in a chosen sector, priority and areas, each
with a specification in a published plan and an opportunity, and agreements made under
them quickly (an approved award for a bid of a new organisation, made into an agreement by
procurement's own service), with their payments and monitoring returns; dates relative to
the fixed clock."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Area, CorporatePriority, Sector
from monitoring.models import InstalmentPayment, PaymentHold, RagStatus
from procurement.models import (
    Agreement,
    AgreementState,
    AwardDecision,
    Bid,
    Outcome,
    PaymentInstalment,
)
from procurement.services.agreements import (
    agreement_create,
    monitoring_schedule_generate,
    months_add,
    payment_schedule_default,
)
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    PlanFactory,
    SpecificationFactory,
)
from tests.procurement.factories_bids import OpportunityFactory

_bids = iter(range(1, 100_000))


def sector(short_name: str) -> Sector:
    return Sector.objects.get(short_name=short_name)


def priority(slug: str) -> CorporatePriority:
    return CorporatePriority.objects.get(slug=slug)


def area(name: str, *, parent: Area | None = None) -> Area:
    kind = Area.Kind.WARD if parent else Area.Kind.AREA
    slug = name.lower().replace(" ", "-")
    made, _ = Area.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "parent": parent}
    )
    return made


@dataclass
class Funded:
    """A commission with its specification (in a published plan) and an opportunity."""

    commission: object
    specification: object
    opportunity: object


def funded_commission(
    *,
    sector_name: str = "VCFS",
    priorities=(),
    areas=(),
    budget: str = "60000",
    plan_period: tuple[dt.date, dt.date] | None = None,
) -> Funded:
    """A commission in delivery with one specification of `budget` in a published plan
    (running over `plan_period` when given) and an opportunity for it."""
    commission = CommissionFactory(
        state="delivery",
        sector=sector(sector_name),
        priorities=list(priorities) or None,
        areas=list(areas) or None,
    )
    specification = SpecificationFactory(commission=commission, budget=Decimal(budget))
    plan_kwargs = {}
    if plan_period is not None:
        plan_kwargs = {"period_start": plan_period[0], "period_end": plan_period[1]}
    PlanFactory(
        state="published",
        sector=commission.sector,
        specifications=[specification],
        **plan_kwargs,
    )
    opportunity = OpportunityFactory(specification=specification, questions=0)
    return Funded(commission=commission, specification=specification, opportunity=opportunity)


def agreement_under(
    funded: Funded,
    *,
    amount: str,
    state: str = AgreementState.ACCEPTED,
    starts_on: dt.date | None = None,
    months: int = 12,
    frequency: str = "quarterly",
) -> Agreement:
    """An agreement of `amount` for a new organisation's bid under the opportunity, made by
    procurement's agreement_create and put into `state`, running `months` from
    `starts_on` (by default the first of the month a year ago), paid quarterly in advance,
    with its monitoring returns."""
    number = next(_bids)
    bid = Bid(
        opportunity=funded.opportunity,
        organisation=OrganisationFactory(),
        reference=f"BID-DASH-{number:05d}",
        title=f"Project {number}",
        amount_requested=Decimal(amount),
    )
    bid.__dict__["state"] = "submitted"  # bypass protected=True for test set-up
    bid.submitted_at = timezone.now()
    bid.save()
    decision = AwardDecision.objects.create(
        bid=bid,
        outcome=Outcome.SUCCESSFUL,
        amount=Decimal(amount),
        approved_at=timezone.now(),
        decided_on=timezone.localdate(),
    )
    agreement = agreement_create(decision=decision)
    if starts_on is None:
        starts_on = months_add(timezone.localdate().replace(day=1), -12)
    ends_on = months_add(starts_on, months) - dt.timedelta(days=1)
    Agreement.objects.filter(pk=agreement.pk).update(
        starts_on=starts_on, ends_on=ends_on, monitoring_frequency=frequency
    )
    agreement.refresh_from_db()
    agreement.__dict__["state"] = state
    if state != AgreementState.DRAFT:
        agreement.issued_at = timezone.now()
    if state == AgreementState.ACCEPTED:
        agreement.accepted_at = timezone.now()
    agreement.save()
    agreement.payments.all().delete()
    PaymentInstalment.objects.bulk_create(
        PaymentInstalment(agreement=agreement, due_on=due, amount=value, description=text)
        for due, value, text in payment_schedule_default(
            amount=agreement.amount, starts_on=starts_on, ends_on=ends_on
        )
    )
    monitoring_schedule_generate(agreement=agreement)
    return agreement


def rate(agreement: Agreement, rating: str, *, days_ago: int = 0) -> RagStatus:
    return RagStatus.objects.create(
        agreement=agreement,
        rating=rating,
        reason=f"Rated {rating}",
        set_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def pay(instalment: PaymentInstalment, *, paid_on: dt.date | None = None) -> InstalmentPayment:
    return InstalmentPayment.objects.create(
        agreement=instalment.agreement,
        instalment=instalment,
        scheduled_on=instalment.due_on,
        paid_on=paid_on or instalment.due_on,
        amount=instalment.amount,
        recorded_at=timezone.now(),
    )


def hold(instalment: PaymentInstalment, monitoring_return) -> PaymentHold:
    return PaymentHold.objects.create(
        agreement=instalment.agreement,
        instalment=instalment,
        scheduled_on=instalment.due_on,
        monitoring_return=monitoring_return,
        held_at=timezone.now(),
    )
