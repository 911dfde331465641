"""Reads for evaluation: outcomes achieved against targets and spending against the award,
computed from the accepted monitoring returns (a return submitted but not accepted does not
count), an agreement's and a commission's evaluation, the lessons library, and the chain of
cycles a commission belongs to.

Nothing here checks who is asking: the views check the `monitoring.*` rules first.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from monitoring.models import (
    AgreementEvaluation,
    CommissionEvaluation,
    CycleCarryForward,
    InstalmentPayment,
    Lesson,
    MonitoringReturn,
    ReturnActual,
    ReturnState,
)

ZERO = Decimal(0)


# --- Outcomes and spending, from accepted returns -------------------------------------------------


@dataclass
class OutcomeLine:
    """One success measure: its target over the whole agreement (or commission) and what
    the accepted returns say was achieved."""

    outcome: str
    measure: str
    unit: str
    target: Decimal = ZERO
    achieved: Decimal = ZERO

    @property
    def percent(self) -> int | None:
        """Achieved as a whole percentage of the target; None when there is no target."""
        if not self.target:
            return None
        return int((self.achieved * 100 / self.target).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def met(self) -> bool:
        return self.achieved >= self.target


@dataclass
class SpendLine:
    """Money for one agreement, or a commission's agreements together."""

    award: Decimal = ZERO
    paid: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def unspent(self) -> Decimal:
        return self.award - self.spent


def _key(outcome: str, measure: str, unit: str) -> tuple[str, str, str]:
    return (outcome, measure, unit)


def _outcome_lines(agreement_ids: list[int]) -> dict[int, dict[tuple, OutcomeLine]]:
    """agreement id → measure → line, in two queries whatever the number of agreements."""
    from procurement.models import AgreementTarget

    lines: dict[int, dict[tuple, OutcomeLine]] = defaultdict(dict)
    targets = (
        AgreementTarget.objects.filter(agreement_id__in=agreement_ids)
        .values("agreement_id", "outcome", "measure", "unit")
        .annotate(total=Sum("target"))
        .order_by("agreement_id", "measure", "outcome")
    )
    for row in targets:
        key = _key(row["outcome"], row["measure"], row["unit"])
        lines[row["agreement_id"]][key] = OutcomeLine(*key, target=row["total"] or ZERO)
    achieved = (
        ReturnActual.objects.filter(
            monitoring_return__agreement_id__in=agreement_ids,
            monitoring_return__state=ReturnState.ACCEPTED,
        )
        .values(
            "monitoring_return__agreement_id", "target__outcome", "target__measure", "target__unit"
        )
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in achieved:
        key = _key(row["target__outcome"], row["target__measure"], row["target__unit"])
        by_measure = lines[row["monitoring_return__agreement_id"]]
        line = by_measure.setdefault(key, OutcomeLine(*key))
        line.achieved += row["total"] or ZERO
    return lines


def _spend_lines(agreements) -> dict[int, SpendLine]:
    ids = [agreement.pk for agreement in agreements]
    lines = {agreement.pk: SpendLine(award=agreement.amount) for agreement in agreements}
    paid = (
        InstalmentPayment.objects.filter(agreement_id__in=ids)
        .values("agreement_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in paid:
        lines[row["agreement_id"]].paid = row["total"] or ZERO
    spent = (
        MonitoringReturn.objects.filter(agreement_id__in=ids, state=ReturnState.ACCEPTED)
        .values("agreement_id")
        .annotate(total=Sum("spend_in_period"))
        .order_by()
    )
    for row in spent:
        lines[row["agreement_id"]].spent = row["total"] or ZERO
    return lines


def agreement_outcomes(*, agreement) -> list[OutcomeLine]:
    """Each success measure of the agreement: its targets for every year added together,
    and the actuals of the accepted returns added together."""
    return list(_outcome_lines([agreement.pk])[agreement.pk].values())


def agreement_spend(*, agreement) -> SpendLine:
    """The award, what the council has paid, and what the accepted returns say was spent."""
    return _spend_lines([agreement])[agreement.pk]


def agreement_returns_accepted_count(*, agreement) -> tuple[int, int]:
    """How many of the agreement's returns are accepted, of how many."""
    returns = agreement.monitoring_returns.all()
    return returns.filter(state=ReturnState.ACCEPTED).count(), returns.count()


def commission_agreements(*, commission) -> QuerySet:
    """The commission's agreements that were accepted (so delivered and monitored)."""
    from procurement.models import Agreement

    return (
        Agreement.objects.filter(
            decision__bid__opportunity__specification__commission=commission,
            state="accepted",
        )
        .select_related("decision__bid__organisation", "evaluation")
        .order_by("reference")
    )


@dataclass
class AgreementRow:
    """One agreement in a commission's evaluation."""

    agreement: object
    outcomes: list[OutcomeLine]
    spend: SpendLine
    evaluation: AgreementEvaluation | None


@dataclass
class CommissionFigures:
    rows: list[AgreementRow] = field(default_factory=list)
    outcomes: list[OutcomeLine] = field(default_factory=list)
    spend: SpendLine = field(default_factory=SpendLine)


def commission_figures(*, commission) -> CommissionFigures:
    """Each agreement's outcomes and spending, and the commission's totals: measures of
    the same outcome, name and unit added together across agreements."""
    agreements = list(commission_agreements(commission=commission))
    outcome_lines = _outcome_lines([agreement.pk for agreement in agreements])
    spend_lines = _spend_lines(agreements)
    figures = CommissionFigures()
    totals: dict[tuple, OutcomeLine] = {}
    for agreement in agreements:
        lines = list(outcome_lines[agreement.pk].values())
        spend = spend_lines[agreement.pk]
        try:
            evaluation = agreement.evaluation
        except AgreementEvaluation.DoesNotExist:
            evaluation = None
        figures.rows.append(AgreementRow(agreement, lines, spend, evaluation))
        for line in lines:
            key = _key(line.outcome, line.measure, line.unit)
            total = totals.setdefault(key, OutcomeLine(*key))
            total.target += line.target
            total.achieved += line.achieved
        figures.spend.award += spend.award
        figures.spend.paid += spend.paid
        figures.spend.spent += spend.spent
    figures.outcomes = list(totals.values())
    return figures


# --- Evaluations ----------------------------------------------------------------------------------


def agreement_evaluation_find(*, agreement) -> AgreementEvaluation | None:
    return AgreementEvaluation.objects.filter(agreement=agreement).first()


def commission_evaluation_find(*, commission) -> CommissionEvaluation | None:
    return CommissionEvaluation.objects.filter(commission=commission).first()


def commission_evaluation_is_complete(*, commission) -> bool:
    return CommissionEvaluation.objects.filter(
        commission=commission, completed_at__isnull=False
    ).exists()


def evaluation_lessons(*, evaluation) -> QuerySet[Lesson]:
    return evaluation.lessons.select_related("priority", "area", "theme").order_by("pk")


# --- The lessons library --------------------------------------------------------------------------


def lessons_list(*, query: str = "", priority=None, area=None, theme=None) -> QuerySet[Lesson]:
    """Every lesson from every evaluation, the latest first, filtered. `query` finds words
    in the lesson, the commission's title or reference, or the provider's name."""
    lessons = Lesson.objects.for_library()
    if priority is not None:
        lessons = lessons.filter(priority=priority)
    if area is not None:
        lessons = lessons.filter(area=area)
    if theme is not None:
        lessons = lessons.filter(theme=theme)
    for word in query.split():
        lessons = lessons.filter(
            Q(text__icontains=word)
            | Q(commission__title__icontains=word)
            | Q(commission__reference__icontains=word)
            | Q(agreement_evaluation__agreement__decision__bid__organisation__name__icontains=word)
        )
    return lessons


def lessons_for_commission(*, commission, limit: int = 20) -> list[Lesson]:
    """Lessons for the commission's priorities, learned in other commissions (its own
    earlier cycles first): what the next needs assessment starts from."""
    priorities = list(commission.priorities.values_list("pk", flat=True))
    chain = [c.pk for c in commission_cycle_chain(commission=commission) if c.pk != commission.pk]
    lessons = (
        Lesson.objects.for_library()
        .filter(Q(priority__in=priorities) | Q(commission__in=chain))
        .exclude(commission=commission)
        .distinct()
    )
    return sorted(lessons[:limit], key=lambda lesson: lesson.commission_id not in chain)


# --- The chain of cycles --------------------------------------------------------------------------


def commission_cycle_chain(*, commission) -> list:
    """The commission's cycles in order, earliest first: those it came from, itself, and
    those opened from it (following the first each time)."""
    from commissioning.models import Commission

    before = []
    seen = {commission.pk}
    current = commission
    while current.previous_cycle_id and current.previous_cycle_id not in seen:
        current = Commission.objects.get(pk=current.previous_cycle_id)
        seen.add(current.pk)
        before.append(current)
    after = []
    current = commission
    while True:
        following = Commission.objects.filter(previous_cycle=current).exclude(pk__in=seen).first()
        if following is None:
            break
        seen.add(following.pk)
        after.append(following)
        current = following
    return [*reversed(before), commission, *after]


def commission_carried_from(*, commission) -> CycleCarryForward | None:
    """What was carried into this commission from the cycle before, if anything (nothing
    when it was not opened from one: the carry-forward is made with its `previous_cycle`)."""
    if commission.previous_cycle_id is None:
        return None
    return (
        CycleCarryForward.objects.filter(commission=commission)
        .select_related("previous", "evaluation")
        .prefetch_related("evidence", "gaps__priority", "gaps__area")
        .first()
    )
