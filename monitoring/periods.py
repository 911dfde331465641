"""The arithmetic of a return's period: which year of the agreement it falls in, its share
of each yearly target, progress to date, and spending to date.

An agreement's year 1 starts on its start date and lasts twelve months; the last year ends
with the agreement, so it may be shorter. A yearly target is spread over its year pro rata,
in whole months when the spans are whole months (a quarter of a year is exactly a quarter)
and in days otherwise.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from monitoring.models import SENT_STATES, InstalmentPayment, MonitoringReturn, ReturnActual
from procurement.services.agreements import months_add

PENNY = Decimal("0.01")
ONE_DAY = datetime.timedelta(days=1)


def year_bounds(*, agreement, year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of year `year` (1, 2, …) of the agreement."""
    start = months_add(agreement.starts_on, 12 * (year - 1))
    end = min(months_add(agreement.starts_on, 12 * year) - ONE_DAY, agreement.ends_on)
    return start, end


def agreement_years_overlapping(
    *, agreement, start: datetime.date, end: datetime.date
) -> list[int]:
    """The years of the agreement that the days from `start` to `end` fall in."""
    years = []
    year = 1
    while True:
        year_start, year_end = year_bounds(agreement=agreement, year=year)
        if year_start > agreement.ends_on or year_start > end:
            break
        if year_end >= start:
            years.append(year)
        year += 1
    return years


def _whole_months(start: datetime.date, end: datetime.date) -> int | None:
    """How many whole months the days from `start` to `end` (inclusive) make, or None."""
    after = end + ONE_DAY
    months = (after.year - start.year) * 12 + after.month - start.month
    return months if months > 0 and months_add(start, months) == after else None


def _share(
    part: tuple[datetime.date, datetime.date], whole: tuple[datetime.date, datetime.date]
) -> Decimal:
    """How much of `whole` the days of `part` (within it) are, from 0 to 1."""
    start, end = max(part[0], whole[0]), min(part[1], whole[1])
    if end < start:
        return Decimal(0)
    part_months, whole_months = _whole_months(start, end), _whole_months(*whole)
    if part_months and whole_months:
        return Decimal(part_months) / Decimal(whole_months)
    return Decimal((end - start).days + 1) / Decimal((whole[1] - whole[0]).days + 1)


def period_share(*, agreement, target, start: datetime.date, end: datetime.date) -> Decimal:
    """The part of a yearly target that falls in the days from `start` to `end`."""
    bounds = year_bounds(agreement=agreement, year=target.year)
    return (target.target * _share((start, end), bounds)).quantize(PENNY, ROUND_HALF_UP)


def measure_key(target) -> tuple[str, str, str]:
    """One success measure across the years: its targets share outcome, name and unit."""
    return (target.outcome, target.measure, target.unit)


@dataclass(frozen=True)
class ActualLine:
    """One success measure in one return, with everything shown beside the actual."""

    target: object  # procurement.AgreementTarget
    year_target: Decimal
    period_target: Decimal
    actual: Decimal | None
    confirmed: bool
    cumulative_actual: Decimal
    cumulative_target: Decimal

    @property
    def actual_before(self) -> Decimal:
        """Progress to date before this period."""
        return self.cumulative_actual - (self.actual or Decimal(0))

    @property
    def is_high(self) -> bool:
        return self.actual is not None and self.actual > 2 * self.period_target


def actual_is_high(*, monitoring_return: MonitoringReturn, actual: ReturnActual) -> bool:
    """More than twice the period's share of its target: "Is this right?"."""
    share = period_share(
        agreement=monitoring_return.agreement,
        target=actual.target,
        start=monitoring_return.period_start,
        end=monitoring_return.period_end,
    )
    return actual.value > 2 * share


def _earlier_sent(monitoring_return: MonitoringReturn):
    """The agreement's returns for earlier periods that have been sent to the council."""
    return MonitoringReturn.objects.filter(
        agreement_id=monitoring_return.agreement_id,
        period_end__lt=monitoring_return.period_start,
        state__in=SENT_STATES,
    )


def actual_lines(
    *, monitoring_return: MonitoringReturn, values: dict[int, Decimal | None] | None = None
) -> list[ActualLine]:
    """For each target of the period: the agreed yearly target, the period's share, the
    actual (from `values`, target id → value, when given: what is being typed), and the
    cumulative actual and target from the agreement's start to the end of the period."""
    agreement = monitoring_return.agreement
    start, end = monitoring_return.period_start, monitoring_return.period_end
    # The period's targets (`targets_for_period`) picked from all the agreement's, read once.
    all_targets = sorted(agreement.targets.all(), key=lambda target: target.pk)
    years = set(agreement_years_overlapping(agreement=agreement, start=start, end=end))
    targets = [target for target in all_targets if target.year in years]
    saved = {a.target_id: a for a in monitoring_return.actuals.all()}
    earlier = (
        ReturnActual.objects.filter(monitoring_return__in=_earlier_sent(monitoring_return))
        .values("target_id")
        .annotate(total=Sum("value"))
    )
    earlier_by_target = {row["target_id"]: row["total"] for row in earlier}
    lines = []
    for target in targets:
        key = measure_key(target)
        same_measure = [t for t in all_targets if measure_key(t) == key]
        if values is not None and target.pk in values:
            actual = values[target.pk]
        else:
            actual = saved[target.pk].value if target.pk in saved else None
        earlier_total = sum(
            (earlier_by_target.get(t.pk) or Decimal(0) for t in same_measure), start=Decimal(0)
        )
        cumulative_target = sum(
            (
                period_share(agreement=agreement, target=t, start=agreement.starts_on, end=end)
                for t in same_measure
            ),
            start=Decimal(0),
        )
        lines.append(
            ActualLine(
                target=target,
                year_target=target.target,
                period_target=period_share(
                    agreement=agreement, target=target, start=start, end=end
                ),
                actual=actual,
                confirmed=target.pk in saved and saved[target.pk].confirmed,
                cumulative_actual=earlier_total + (actual or Decimal(0)),
                cumulative_target=cumulative_target,
            )
        )
    return lines


def spend_before(*, monitoring_return: MonitoringReturn) -> Decimal:
    """What the provider reported spending in earlier periods, in returns sent."""
    total = _earlier_sent(monitoring_return).aggregate(total=Sum("spend_in_period"))["total"]
    return total or Decimal(0)


def spend_to_date(
    *, monitoring_return: MonitoringReturn, spend_in_period: Decimal | None = None
) -> Decimal:
    """Spending from the start of the agreement to the end of this period: earlier returns
    sent, and this one (`spend_in_period` when given: what is being typed)."""
    this = monitoring_return.spend_in_period if spend_in_period is None else spend_in_period
    return spend_before(monitoring_return=monitoring_return) + (this or Decimal(0))


def payments_received(*, monitoring_return: MonitoringReturn) -> Decimal:
    """What the council had paid the provider by the end of the period."""
    total = InstalmentPayment.objects.filter(
        agreement_id=monitoring_return.agreement_id, paid_on__lte=monitoring_return.period_end
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)
