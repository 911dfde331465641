"""Shared set-up for the panel, moderation, decisions and agreements tests: a closed
opportunity whose commission is in assessment, submitted bids, a panel that has declared,
assignments, scores, moderated scores and recommendations."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core.roles import Role
from procurement.models import (
    Assignment,
    AwardDecision,
    Bid,
    ConflictDeclaration,
    ModeratedScore,
    Opportunity,
    Outcome,
    PanelMember,
    Score,
)
from tests.factories import CommissionFactory, SpecificationFactory, UserFactory
from tests.procurement.factories_bids import ClosedOpportunityFactory, member, submitted_bid


def closed_opportunity(*, state: str = "assessment", lead_officer=None, **kwargs) -> Opportunity:
    """An opportunity that closed yesterday, for a commission in `state` (assessment)."""
    commission_kwargs = {"state": state}
    if lead_officer is not None:
        commission_kwargs["lead_officer"] = lead_officer
    commission = CommissionFactory(**commission_kwargs)
    specification = SpecificationFactory(commission=commission)
    return ClosedOpportunityFactory(specification=specification, **kwargs)


def panel_member_add(opportunity: Opportunity, *, user=None, declared: bool = True) -> PanelMember:
    """A panel member on the opportunity's panel; `declared=True` records "no conflict" with
    every organisation that bid (leads and partners)."""
    user = user or UserFactory(roles=[Role.PANEL_MEMBER])
    place, _ = PanelMember.objects.get_or_create(opportunity=opportunity, user=user)
    if declared:
        organisations = set()
        for bid in opportunity.bids.filter(state="submitted").prefetch_related("partners"):
            organisations.add(bid.organisation)
            organisations.update(partner.organisation for partner in bid.partners.all())
        for organisation in organisations:
            ConflictDeclaration.objects.create(
                panel_member=place, organisation=organisation, has_conflict=False, declared_by=user
            )
        place.declarations_completed_at = timezone.now()
        place.save()
    return place


def assign(bid: Bid, place: PanelMember) -> Assignment:
    return Assignment.objects.create(bid=bid, panel_member=place)


def scores_give(
    assignment: Assignment, values: Sequence[int] | int, *, submit: bool = True
) -> list[Score]:
    """Score each of the opportunity's questions in order (one value for all, or a list)."""
    questions = list(assignment.bid.opportunity.questions.order_by("order", "pk"))
    if isinstance(values, int):
        values = [values] * len(questions)
    scores = [
        Score.objects.create(
            assignment=assignment,
            question=question,
            score=value,
            comment=f"Scored {value}: the answer was read in full.",
        )
        for question, value in zip(questions, values, strict=True)
    ]
    if submit:
        assignment.submitted_at = timezone.now()
        assignment.save()
    return scores


def moderate(bid: Bid, values: Sequence[int] | int, *, by=None) -> list[ModeratedScore]:
    questions = list(bid.opportunity.questions.order_by("order", "pk"))
    if isinstance(values, int):
        values = [values] * len(questions)
    return [
        ModeratedScore.objects.create(
            bid=bid,
            question=question,
            score=value,
            rationale=f"Moderated to {value}: the panel agreed on the evidence given.",
            moderated_by=by,
        )
        for question, value in zip(questions, values, strict=True)
    ]


def recommend(bid: Bid, *, amount: str | None = None, reasons: str = "", by=None) -> AwardDecision:
    """Successful with `amount`, or unsuccessful with `reasons` (a default is given)."""
    if amount is not None:
        return AwardDecision.objects.create(
            bid=bid,
            outcome=Outcome.SUCCESSFUL,
            amount=Decimal(amount),
            conditions="Quarterly monitoring returns.",
            recommended_by=by,
        )
    return AwardDecision.objects.create(
        bid=bid,
        outcome=Outcome.UNSUCCESSFUL,
        reasons=reasons or "The bid scored below others within the budget available.",
        recommended_by=by,
    )


@dataclass
class Assessed:
    opportunity: Opportunity
    bids: list[Bid]
    panel: list[PanelMember]
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def commission(self):
        return self.opportunity.specification.commission

    @property
    def officer(self):
        return self.commission.lead_officer


def assessed_opportunity(
    *,
    amounts: Sequence[str] = ("30000", "25000", "20000"),
    scores: Sequence[int] = (4, 3, 2),
    panel_size: int = 2,
    moderated: bool = True,
    recommended: bool = False,
    state: str = "assessment",
    **opportunity_kwargs,
) -> Assessed:
    """A closed opportunity (budget £60,000, three questions of weight 20) with one
    submitted bid per amount, each with a provider member; a declared panel of
    `panel_size` who each scored every bid (bid i scored `scores[i]` on every question) and
    submitted; optionally moderated to the same scores and recommended (awards in bid order
    while the budget lasts, the rest unsuccessful)."""
    opportunity = closed_opportunity(state=state, **opportunity_kwargs)
    bids = []
    for amount in amounts:
        bid = submitted_bid(opportunity=opportunity)
        bid.amount_requested = Decimal(amount)
        bid.save()
        member(bid.organisation)
        bids.append(bid)
    panel = [panel_member_add(opportunity) for _ in range(panel_size)]
    result = Assessed(opportunity=opportunity, bids=bids, panel=panel)
    for bid, value in zip(bids, scores, strict=True):
        for place in panel:
            assignment = assign(bid, place)
            scores_give(assignment, value)
            result.assignments.append(assignment)
        if moderated:
            moderate(bid, value, by=result.officer)
    if recommended:
        remaining = opportunity.budget
        for bid in bids:
            if bid.amount_requested <= remaining:
                recommend(bid, amount=str(bid.amount_requested), by=result.officer)
                remaining -= bid.amount_requested
            else:
                recommend(bid, by=result.officer)
    return result
