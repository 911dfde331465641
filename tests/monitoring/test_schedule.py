"""Monitoring returns are made from each agreement's schedule: one per period, due a month
after it ends; a variation that moves the end date adds returns or removes only those not
yet started."""

import calendar
import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from monitoring.models import MonitoringReturn, ReturnState
from procurement.services.agreements import (
    PaymentRow,
    monitoring_schedule_generate,
    months_add,
    variation_approve,
    variation_propose,
)
from tests.factories import UserFactory
from tests.monitoring.factories import agreement_in_delivery, first_of_month, return_put

pytestmark = pytest.mark.django_db


def schedule(agreement) -> list[tuple[dt.date, dt.date, dt.date]]:
    return [(r.period_start, r.period_end, r.due_on) for r in agreement.monitoring_returns.all()]


def next_month_named(month: int) -> dt.date:
    """The first day of `month` in the year after the clock's."""
    return timezone.localdate().replace(year=timezone.localdate().year + 1, month=month, day=1)


def test_quarterly_returns_across_a_year_end():
    starts_on = next_month_named(11)
    year = starts_on.year
    agreement = agreement_in_delivery(starts_on=starts_on, months=12).agreement
    end_of_february = calendar.monthrange(year + 1, 2)[1]
    assert schedule(agreement) == [
        (starts_on, dt.date(year + 1, 1, 31), dt.date(year + 1, 2, end_of_february)),
        (dt.date(year + 1, 2, 1), dt.date(year + 1, 4, 30), dt.date(year + 1, 5, 30)),
        (dt.date(year + 1, 5, 1), dt.date(year + 1, 7, 31), dt.date(year + 1, 8, 31)),
        (dt.date(year + 1, 8, 1), dt.date(year + 1, 10, 31), dt.date(year + 1, 11, 30)),
    ]
    labels = [r.period_label for r in agreement.monitoring_returns.all()]
    assert labels[0] == f"Nov {year}–Jan {year + 1}"
    assert labels[1] == f"Feb–Apr {year + 1}"
    assert {r.state for r in agreement.monitoring_returns.all()} == {ReturnState.DUE}


def test_six_monthly_returns():
    starts_on = next_month_named(4)
    year = starts_on.year
    agreement = agreement_in_delivery(
        starts_on=starts_on, months=24, frequency="six_monthly"
    ).agreement
    assert schedule(agreement) == [
        (starts_on, dt.date(year, 9, 30), dt.date(year, 10, 30)),
        (dt.date(year, 10, 1), dt.date(year + 1, 3, 31), dt.date(year + 1, 4, 30)),
        (dt.date(year + 1, 4, 1), dt.date(year + 1, 9, 30), dt.date(year + 1, 10, 30)),
        (dt.date(year + 1, 10, 1), dt.date(year + 2, 3, 31), dt.date(year + 2, 4, 30)),
    ]


def test_annual_returns_with_a_shorter_last_year():
    starts_on = next_month_named(4)
    year = starts_on.year
    agreement = agreement_in_delivery(starts_on=starts_on, months=18, frequency="annual").agreement
    assert schedule(agreement) == [
        (starts_on, dt.date(year + 1, 3, 31), dt.date(year + 1, 4, 30)),
        (dt.date(year + 1, 4, 1), dt.date(year + 1, 9, 30), dt.date(year + 1, 10, 30)),
    ]
    assert agreement.monitoring_returns.last().period_label == f"Apr–Sep {year + 1}"


def _vary_end_date(made, *, ends_on: dt.date):
    """Propose (the lead officer) and approve (an approver) a new end date, with the
    payments kept on their dates (those after the new end date dropped)."""
    agreement = made.agreement
    payments = [
        PaymentRow(p.due_on, p.amount, p.description)
        for p in agreement.payments.all()
        if p.due_on <= ends_on
    ]
    variation = variation_propose(
        agreement=agreement,
        user=made.officer,
        reason="The service runs for a different time",
        ends_on=ends_on,
        payments=payments,
        targets={},
    )
    variation_approve(variation=variation, user=UserFactory(roles=[Role.APPROVER]))
    agreement.refresh_from_db()
    return agreement


def test_a_variation_that_extends_the_end_date_adds_returns_and_keeps_those_sent():
    made = agreement_in_delivery(months=24)  # started a year ago
    agreement = made.agreement
    returns = list(agreement.monitoring_returns.all())
    assert len(returns) == 8
    accepted = return_put(returns[0], ReturnState.ACCEPTED, outcomes_narrative="Done")
    submitted = return_put(returns[1], ReturnState.SUBMITTED, outcomes_narrative="Sent")
    before = schedule(agreement)

    agreement = _vary_end_date(made, ends_on=months_add(agreement.ends_on, 6))

    after = schedule(agreement)
    assert len(after) == 10
    assert after[:8] == before
    assert after[8][0] == months_add(agreement.starts_on, 24)
    assert after[9][1] == agreement.ends_on
    accepted.refresh_from_db()
    submitted.refresh_from_db()
    assert (accepted.state, accepted.outcomes_narrative) == (ReturnState.ACCEPTED, "Done")
    assert (submitted.state, submitted.outcomes_narrative) == (ReturnState.SUBMITTED, "Sent")


def test_a_variation_that_shortens_the_agreement_removes_only_returns_not_started():
    made = agreement_in_delivery(months=24)
    agreement = made.agreement
    returns = list(agreement.monitoring_returns.all())
    started = return_put(returns[5], ReturnState.DRAFT, risks="Started early")
    new_end = months_add(agreement.starts_on, 12) - dt.timedelta(days=1)

    agreement = _vary_end_date(made, ends_on=new_end)

    left = list(agreement.monitoring_returns.all())
    assert [r.pk for r in left] == [r.pk for r in returns[:4]] + [started.pk]
    started.refresh_from_db()
    assert started.state == ReturnState.DRAFT and started.risks == "Started early"
    assert not MonitoringReturn.objects.filter(pk__in=[returns[4].pk, returns[6].pk]).exists()


def test_making_the_schedule_again_changes_nothing_that_stands():
    made = agreement_in_delivery(months=12)
    agreement = made.agreement
    pks = [r.pk for r in agreement.monitoring_returns.all()]
    monitoring_schedule_generate(agreement=agreement)
    assert [r.pk for r in agreement.monitoring_returns.all()] == pks


def test_an_unstarted_last_return_takes_the_new_end_date():
    made = agreement_in_delivery(months=12, starts_on=first_of_month(timezone.localdate()))
    agreement = made.agreement
    last = agreement.monitoring_returns.last()
    new_end = agreement.ends_on - dt.timedelta(days=31)

    agreement = _vary_end_date(made, ends_on=new_end)

    last.refresh_from_db()
    assert agreement.monitoring_returns.last().pk == last.pk
    assert last.period_end == new_end
    assert last.due_on == months_add(new_end, 1)
