"""Writes for moderation and the award recommendation: the officer's moderated score and
rationale for each question of a bid, and the recommended decision on each bid.

Both are made only while the commission is in assessment: once the recommendation has gone
to an approver (award_approval) nothing here may change it, unless the approver returns it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import Commission, CommissionState
from core.models import User
from core.templatetags.portal import money
from procurement.models import (
    MAX_SCORE,
    AwardDecision,
    Bid,
    BidState,
    ModeratedScore,
    Opportunity,
    Outcome,
)
from procurement.selectors import moderation as selectors
from procurement.services.assessment import AssessmentClosed as AssessmentClosed
from procurement.services.assessment import commission_lock


def assessment_closed_message(commission: Commission) -> str:
    return (
        f"The commission is at “{commission.get_state_display()}”. Scores can be moderated "
        "and awards recommended only while it is in assessment. Nothing has been changed."
    )


def _lock_assessment(opportunity: Opportunity) -> Commission:
    """Lock the opportunity's commission row until the transaction ends, so that nobody
    sends the recommendation for approval half way through a change; AssessmentClosed
    unless it is in assessment."""
    return commission_lock(
        opportunity=opportunity,
        states=frozenset({CommissionState.ASSESSMENT}),
        message=assessment_closed_message,
    )


# --- Moderation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModeratedInput:
    question_id: int
    score: int
    rationale: str


@transaction.atomic
def moderation_record(
    *, bid: Bid, scores: Iterable[ModeratedInput], moderated_by: User
) -> list[ModeratedScore]:
    """Record (or change) the moderated score and rationale for questions of a received bid.

    Raises AssessmentClosed when the commission is not in assessment, and ValidationError
    for a question of another opportunity, a score outside 0 to 5 or a rationale left empty.
    """
    _lock_assessment(bid.opportunity)
    if bid.state != BidState.SUBMITTED or not bid.opportunity.has_closed():
        raise ValidationError("Only a bid received by the deadline can be moderated")
    questions = {question.pk: question for question in bid.opportunity.questions.all()}
    saved = []
    for given in scores:
        question = questions.get(given.question_id)
        if question is None:
            raise ValidationError("That question is not part of this opportunity")
        if not 0 <= given.score <= MAX_SCORE:
            raise ValidationError(f"A moderated score must be from 0 to {MAX_SCORE}")
        rationale = given.rationale.strip()
        if not rationale:
            raise ValidationError("Enter the reasons for the moderated score")
        moderated, _ = ModeratedScore.objects.update_or_create(
            bid=bid,
            question=question,
            defaults={"score": given.score, "rationale": rationale, "moderated_by": moderated_by},
        )
        saved.append(moderated)
    return saved


# --- The award recommendation ------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    bid_id: int
    outcome: str
    amount: Decimal | None = None
    conditions: str = ""
    reasons: str = ""


def over_budget_message(*, total: Decimal, budget: Decimal) -> str:
    return (
        f"The awards add up to {money(total)}, which is more than the budget of "
        f"{money(budget)}. Reduce the amounts or recommend fewer awards."
    )


def below_threshold_message(*, reference: str, total: Decimal, threshold: Decimal) -> str:
    return (
        f"{reference} cannot be recommended for an award: its moderated score, "
        f"{total:.2f}, is below the quality threshold of {threshold:.2f}"
    )


@transaction.atomic
def recommendation_record(
    *, opportunity: Opportunity, decisions: Iterable[DecisionInput], recommended_by: User
) -> list[AwardDecision]:
    """Record the recommended decision on bids received for the opportunity: an award with
    its amount (more than £0) and conditions, or not successful with the reasons the bidder
    will read. Each decision records who recommended it.

    Every bid must be fully moderated, and an award needs a moderated score at or above the
    opportunity's quality threshold; the awards for the opportunity (these and any already
    recorded for its other bids) must not add up to more than its budget.

    Raises AssessmentClosed when the commission is not in assessment, and ValidationError
    (with every problem found) otherwise.
    """
    _lock_assessment(opportunity)
    decisions = list(decisions)
    ranking = selectors.opportunity_ranking(opportunity=opportunity)
    rows = {row.bid.pk: row for row in ranking.ranked}
    unmoderated = {item.bid.pk for item in ranking.not_moderated}
    problems: list[str] = []
    for given in decisions:
        row = rows.get(given.bid_id)
        if row is None:
            if given.bid_id in unmoderated:
                problems.append("Moderate every question of a bid before you recommend it")
            else:
                problems.append("That bid was not received for this opportunity")
            continue
        reference = row.bid.reference
        if row.decision is not None and row.decision.is_approved:
            problems.append(f"The decision on {reference} has been approved: it cannot change")
        if given.outcome == Outcome.SUCCESSFUL:
            if given.amount is None or given.amount <= 0:
                problems.append(f"Enter an amount more than £0 to award to {reference}")
            if not row.meets_threshold:
                problems.append(
                    below_threshold_message(
                        reference=reference, total=row.total, threshold=ranking.threshold
                    )
                )
        elif given.outcome == Outcome.UNSUCCESSFUL:
            if not given.reasons.strip():
                problems.append(f"Enter the reasons {reference} was not successful")
        else:
            problems.append(f"Select whether to recommend an award for {reference}")

    given_ids = {given.bid_id for given in decisions}
    total = sum(
        (given.amount or Decimal(0) for given in decisions if given.outcome == Outcome.SUCCESSFUL),
        start=Decimal(0),
    ) + sum(
        (
            row.decision.amount
            for row in ranking.ranked
            if row.bid.pk not in given_ids and row.decision and row.decision.is_successful
        ),
        start=Decimal(0),
    )
    if total > opportunity.budget:
        problems.append(over_budget_message(total=total, budget=opportunity.budget))
    if problems:
        raise ValidationError(problems)

    saved = []
    for given in decisions:
        successful = given.outcome == Outcome.SUCCESSFUL
        decision, _ = AwardDecision.objects.update_or_create(
            bid=rows[given.bid_id].bid,
            defaults={
                "outcome": given.outcome,
                "amount": given.amount if successful else None,
                "conditions": given.conditions.strip() if successful else "",
                "reasons": "" if successful else given.reasons.strip(),
                "recommended_by": recommended_by,
            },
        )
        saved.append(decision)
    return saved
