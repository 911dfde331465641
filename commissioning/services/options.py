"""Writes for the options appraisal: options, their scores, and the recommended option."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import Commission, CoreCriterion, Option, OptionScore
from commissioning.selectors.options import MAX_SCORE, options_editable
from core.models import User

# The framework names Value for Money, Added Value and Sustainability as the criteria that
# support options appraisal; Deliverability and Links to priorities decide whether an
# option is feasible at all. Every option is scored against these.
REQUIRED_CRITERION_SLUGS = frozenset(
    {"links-to-priorities", "deliverability", "value-for-money", "added-value", "sustainability"}
)


@dataclass(frozen=True)
class ScoreInput:
    """A score from 0 to 5 against one criterion (None: not scored) and the reason."""

    score: int | None
    comment: str = ""


class OptionsLocked(Exception):
    """The commission has gone past planning: its options appraisal can no longer change."""

    def __init__(self, commission: Commission):
        self.commission = commission
        super().__init__(
            "The options appraisal cannot be changed now that the commission is at "
            f"“{commission.get_state_display()}”. Nothing has been changed."
        )


def _ensure_editable(commission: Commission) -> None:
    if not options_editable(commission=commission):
        raise OptionsLocked(commission)


def _locked_commission(commission: Commission) -> Commission:
    """Re-read the commission, locking its row where the database can, so that a change of
    state (or another recommendation) made meanwhile is seen."""
    return Commission.objects.select_for_update().get(pk=commission.pk)


@transaction.atomic
def option_create(
    *,
    commission: Commission,
    created_by: User,
    title: str,
    description: str,
    estimated_cost: Decimal,
    expected_outcomes: str,
    risks: str,
    scores: Mapping[CoreCriterion, ScoreInput],
) -> Option:
    """A new option for the commission, with its scores, all saved or none."""
    _ensure_editable(_locked_commission(commission))
    option = Option(
        commission=commission,
        created_by=created_by,
        title=title,
        description=description,
        estimated_cost=estimated_cost,
        expected_outcomes=expected_outcomes,
        risks=risks,
    )
    option.full_clean()
    option.save()
    option_scores_set(option=option, scores=scores)
    return option


@transaction.atomic
def option_update(
    *,
    option: Option,
    title: str,
    description: str,
    estimated_cost: Decimal,
    expected_outcomes: str,
    risks: str,
    scores: Mapping[CoreCriterion, ScoreInput],
) -> Option:
    """Change an option's details and scores, all saved or none."""
    _ensure_editable(_locked_commission(option.commission))
    option.title = title
    option.description = description
    option.estimated_cost = estimated_cost
    option.expected_outcomes = expected_outcomes
    option.risks = risks
    option.full_clean(exclude=["created_by"])
    option.save()
    option_scores_set(option=option, scores=scores)
    return option


@transaction.atomic
def option_scores_set(*, option: Option, scores: Mapping[CoreCriterion, ScoreInput]) -> None:
    """Replace the option's scores with `scores`; a criterion given no score is unscored.

    Raises ValidationError when a score is outside 0 to 5, or when a criterion every option
    must be scored against (Value for Money, Added value, …) is among those given but has
    no score.
    """
    errors = {}
    for criterion, given in scores.items():
        if given.score is None:
            if criterion.slug in REQUIRED_CRITERION_SLUGS:
                errors[criterion.slug] = f"Score the option against {criterion.name}"
        elif not 0 <= given.score <= MAX_SCORE:
            errors[criterion.slug] = f"Score the option from 0 to 5 against {criterion.name}"
    if errors:
        raise ValidationError(errors)
    option.scores.filter(criterion__in=list(scores)).delete()
    OptionScore.objects.bulk_create(
        OptionScore(
            option=option, criterion=criterion, score=given.score, comment=given.comment.strip()
        )
        for criterion, given in scores.items()
        if given.score is not None
    )
    if hasattr(option, "_prefetched_objects_cache"):
        option._prefetched_objects_cache.pop("scores", None)


@transaction.atomic
def option_recommend(*, option: Option, rationale: str) -> Option:
    """Record `option` as the commission's recommended option, and why.

    Any other option recommended for the commission stops being recommended (and loses
    its rationale) in the same transaction, so there is never more than one.
    """
    _ensure_editable(_locked_commission(option.commission))
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": "Enter why this option is recommended"})
    Option.objects.filter(commission_id=option.commission_id, is_recommended=True).exclude(
        pk=option.pk
    ).update(is_recommended=False, recommendation_rationale="")
    option.is_recommended = True
    option.recommendation_rationale = rationale
    option.save(update_fields=["is_recommended", "recommendation_rationale", "updated_at"])
    return option
