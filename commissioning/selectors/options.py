"""Reads for the options appraisal: options side by side, scored against the core criteria."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from commissioning.models import (
    Commission,
    CommissionState,
    CoreCriterion,
    Framework,
    Option,
    OptionScore,
)
from commissioning.selectors.framework_periods import framework_of_commission

MAX_SCORE = 5

# The options appraisal is part of planning: it can change until the plan goes for approval.
OPTIONS_EDITABLE_STATES = frozenset(
    {CommissionState.DRAFT, CommissionState.UNDERSTANDING, CommissionState.PLANNING}
)


@dataclass(frozen=True)
class CriterionScore:
    """One option's score against one criterion; `score` is None when not scored."""

    criterion: CoreCriterion
    score: int | None
    comment: str


@dataclass(frozen=True)
class OptionAppraisal:
    """An option with its scores in criterion order, its total and its weighted total."""

    option: Option
    scores: list[CriterionScore]
    total: int
    max_total: int
    weighted_total: Decimal  # a percentage, 0 to 100


@dataclass(frozen=True)
class CriterionRow:
    """One row of the comparison: a criterion and each option's score against it."""

    criterion: CoreCriterion
    cells: list[CriterionScore]


@dataclass(frozen=True)
class OptionsAppraisal:
    commission: Commission
    criteria: list[CoreCriterion]
    options: list[OptionAppraisal]
    rows: list[CriterionRow]

    @property
    def recommended(self) -> OptionAppraisal | None:
        return next((o for o in self.options if o.option.is_recommended), None)

    @property
    def total_weight(self) -> Decimal:
        return sum((c.default_weight for c in self.criteria), Decimal("0"))


def options_editable(*, commission: Commission) -> bool:
    """Options can be added, changed and recommended until the plan goes for approval."""
    return commission.state in OPTIONS_EDITABLE_STATES


def options_commission_get(*, pk: int) -> Commission:
    """The commission whose options are appraised: just what the pages and rules need."""
    return Commission.objects.select_related("sector").get(pk=pk)


def option_criteria_list(*, commission: Commission | None = None) -> list[CoreCriterion]:
    """The core criteria options are scored against, in order: those of the framework period
    the commission was opened in (the current framework's when no commission is given)."""
    framework = (
        framework_of_commission(commission=commission)
        if commission is not None
        else Framework.objects.current()
    )
    criteria = CoreCriterion.objects.order_by("order", "name")
    if framework is not None:
        criteria = criteria.filter(framework=framework)
    return list(criteria)


def option_get(*, pk: int) -> Option:
    """An option with its commission (for the rules) and its scores."""
    return (
        Option.objects.select_related("commission", "commission__lead_officer")
        .prefetch_related(Prefetch("scores", OptionScore.objects.select_related("criterion")))
        .get(pk=pk)
    )


def option_appraise(*, option: Option, criteria: list[CoreCriterion]) -> OptionAppraisal:
    """Total and weighted total of an option's scores (its `scores` prefetched).

    The weighted total is the sum of score / 5 × weight, as a percentage of the criteria's
    total weight: with the framework's default weights, which add up to 100, it is exactly
    sum(score / 5 × weight). A criterion not scored counts as 0.
    """
    by_criterion = {score.criterion_id: score for score in option.scores.all()}
    scores = []
    total = 0
    weighted = Decimal("0")
    total_weight = Decimal("0")
    for criterion in criteria:
        found = by_criterion.get(criterion.pk)
        value = found.score if found is not None else None
        scores.append(CriterionScore(criterion, value, found.comment if found else ""))
        total_weight += criterion.default_weight
        if value is not None:
            total += value
            weighted += Decimal(value) / MAX_SCORE * criterion.default_weight
    percentage = weighted * 100 / total_weight if total_weight else Decimal("0")
    return OptionAppraisal(
        option=option,
        scores=scores,
        total=total,
        max_total=MAX_SCORE * len(criteria),
        weighted_total=percentage.quantize(Decimal("0.1")),
    )


def options_appraisal_get(*, commission: Commission) -> OptionsAppraisal:
    """The commission's options side by side against the core criteria.

    Three queries (framework, criteria, options with their scores in one more) however
    many options there are.
    """
    criteria = option_criteria_list(commission=commission)
    options = Option.objects.filter(commission=commission).prefetch_related("scores")
    appraisals = [option_appraise(option=option, criteria=criteria) for option in options]
    rows = [
        CriterionRow(criterion, [appraisal.scores[index] for appraisal in appraisals])
        for index, criterion in enumerate(criteria)
    ]
    return OptionsAppraisal(commission=commission, criteria=criteria, options=appraisals, rows=rows)
