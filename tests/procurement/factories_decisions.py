"""Set-up for the decisions tests: a commission whose awards wait for approval, approving
them through the commission's transition, and approved awards made directly for the
public register."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from commissioning.services.commissions import commission_transition
from core.roles import Role
from procurement.models import AwardDecision, Outcome
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    SpecificationFactory,
    UserFactory,
)
from tests.procurement.factories_assessment import Assessed, assessed_opportunity, moderate
from tests.procurement.factories_bids import ClosedOpportunityFactory, submitted_bid


def awaiting_approval(**kwargs) -> Assessed:
    """Three bids assessed and recommended (£30,000 and £25,000 awarded, the £20,000 bid
    not), the commission in award_approval, recommended by its lead officer."""
    assessed = assessed_opportunity(recommended=True, state="award_approval", **kwargs)
    commission = assessed.commission
    commission.award_requested_by = assessed.officer
    commission.save()
    return assessed


def approve(assessed: Assessed, *, by=None):
    """The awards approved by an approver who did not recommend them."""
    approver = by or UserFactory(roles=[Role.APPROVER])
    return commission_transition(
        commission=assessed.commission, name="approve_awards", user=approver
    )


def award_make(
    *,
    outcome: str = Outcome.SUCCESSFUL,
    amount: str = "12500",
    approved: bool = True,
    decided_on: dt.date | None = None,
    organisation=None,
    title: str = "Lunch clubs in Carnforth",
    funding_type: str = "grant",
    commission=None,
    scores: int | list[int] = 4,
    **commission_kwargs,
) -> AwardDecision:
    """A decision on a submitted bid for its own commission in delivery, made directly
    (no panel): moderated scores, and approved on `decided_on` (today) unless
    `approved=False`."""
    commission = commission or CommissionFactory(state="delivery", **commission_kwargs)
    opportunity = ClosedOpportunityFactory(
        specification=SpecificationFactory(commission=commission), funding_type=funding_type
    )
    bid = submitted_bid(opportunity=opportunity, organisation=organisation or OrganisationFactory())
    bid.title = title
    bid.save()
    moderate(bid, scores)
    decided_on = decided_on or timezone.localdate()
    successful = outcome == Outcome.SUCCESSFUL
    return AwardDecision.objects.create(
        bid=bid,
        outcome=outcome,
        amount=Decimal(amount) if successful else None,
        conditions="Quarterly monitoring returns." if successful else "",
        reasons="" if successful else "Other bids scored higher within the budget.",
        approved_at=(
            timezone.make_aware(dt.datetime.combine(decided_on, dt.time(11, 0)))
            if approved
            else None
        ),
        decided_on=decided_on if approved else None,
    )
