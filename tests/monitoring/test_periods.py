"""Each return shows, beside the actual, the agreed target for the year, this period's
share of it and the progress to date; spending to date adds up the returns sent."""

from decimal import Decimal

import pytest

from monitoring.models import ReturnActual, ReturnState
from monitoring.periods import actual_lines, period_share, spend_to_date
from procurement.services.agreements import months_add
from tests.monitoring.factories import agreement_in_delivery, return_filled, return_put

pytestmark = pytest.mark.django_db


def test_a_quarter_is_a_quarter_of_the_year_target():
    agreement = agreement_in_delivery(months=36).agreement  # targets 100, 200, 300
    returns = list(agreement.monitoring_returns.all())
    first, fifth = returns[0], returns[4]  # year 1 quarter 1, year 2 quarter 1
    year_1 = agreement.targets.get(year=1)
    assert period_share(
        agreement=agreement, target=year_1, start=first.period_start, end=first.period_end
    ) == Decimal("25.00")
    [line] = actual_lines(monitoring_return=fifth)
    assert line.target.year == 2
    assert (line.year_target, line.period_target) == (Decimal("200"), Decimal("50.00"))
    # Year 1 in full and a quarter of year 2.
    assert line.cumulative_target == Decimal("150.00")


def test_a_shorter_last_year_spreads_its_target_over_its_own_months():
    agreement = agreement_in_delivery(months=18).agreement  # year 2 is six months long
    last = agreement.monitoring_returns.last()
    assert last.period_start == months_add(agreement.starts_on, 15)
    [line] = actual_lines(monitoring_return=last)
    assert line.target.year == 2
    assert line.period_target == Decimal("100.00")  # half of year 2's 200


def test_progress_to_date_counts_the_returns_sent_and_what_is_typed():
    agreement = agreement_in_delivery(months=12).agreement
    returns = list(agreement.monitoring_returns.all())
    return_put(return_filled(returns[0], actual=Decimal("30")), ReturnState.ACCEPTED)
    return_filled(returns[1], actual=Decimal("10"))  # a draft: not counted by later returns
    target = returns[2].targets_for_period().get()
    ReturnActual.objects.create(monitoring_return=returns[2], target=target, value=Decimal("20"))

    [line] = actual_lines(monitoring_return=returns[2])
    assert line.actual == Decimal("20")
    assert line.cumulative_actual == Decimal("50")
    assert line.cumulative_target == Decimal("75.00")
    [typed] = actual_lines(monitoring_return=returns[2], values={target.pk: Decimal("5")})
    assert typed.cumulative_actual == Decimal("35")

    # £2,000 in the accepted first return, none counted from the draft.
    assert spend_to_date(monitoring_return=returns[2], spend_in_period=Decimal("500")) == Decimal(
        "2500"
    )
