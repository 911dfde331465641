"""Weighted scores. A question's weight is a percentage of the whole; a score runs from 0
to 5, so a bid scoring 5 on every question has a weighted total of 100."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from procurement.models import MAX_SCORE

TWO_PLACES = Decimal("0.01")


def weighted_total(
    *, scores: Mapping[int, int | Decimal], weights: Mapping[int, Decimal]
) -> Decimal:
    """The weighted total out of 100 of `scores` (question id → score, 0 to 5) with
    `weights` (question id → weight, percentages adding up to 100), to two places.

    A question with no score counts as 0. When the weights do not add up to 100 the total is
    scaled so that full marks are still 100.
    """
    weight_sum = sum(weights.values(), start=Decimal(0))
    if not weight_sum:
        return Decimal("0.00")
    points = sum(
        (
            Decimal(scores.get(question_id, 0)) * Decimal(weight)
            for question_id, weight in weights.items()
        ),
        start=Decimal(0),
    )
    total = points / MAX_SCORE * Decimal(100) / weight_sum
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
