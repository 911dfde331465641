"""Making an agreement from an approved award: its terms are copied from what is already
recorded, never typed again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from procurement.models import Agreement, AgreementState
from procurement.services.agreements import (
    agreement_create,
    monitoring_periods,
    months_add,
    payment_schedule_default,
)
from tests.procurement.factories_agreements import agreement_made, decisions_approve
from tests.procurement.factories_assessment import assessed_opportunity
from tests.procurement.factories_bids import targets_propose

pytestmark = pytest.mark.django_db


def test_agreement_is_made_from_the_approved_award():
    made = agreement_made()
    agreement = made.agreement
    decision = made.awards[0]
    opportunity = decision.bid.opportunity
    assert agreement.state == AgreementState.DRAFT
    assert agreement.reference.startswith("AGR-")
    assert agreement.reference.endswith("-001")
    assert agreement.kind == opportunity.funding_type
    assert agreement.amount == decision.amount == Decimal("30000")
    assert decision.bid.title in agreement.purpose
    assert opportunity.title in agreement.purpose and opportunity.reference in agreement.purpose
    assert agreement.special_conditions == decision.conditions
    assert "commissioning@lancaster.example.org" in agreement.communications
    # Decided 10 June 2026, but the commission's period starts on 1 April 2027: later wins.
    assert agreement.starts_on == dt.date(2027, 4, 1)
    assert agreement.ends_on == dt.date(2030, 3, 31)  # 36 months


def test_agreement_starts_the_month_after_the_decision_when_that_is_later():
    assessed = assessed_opportunity(recommended=True)
    commission = assessed.commission
    commission.period_start = dt.date(2026, 1, 1)
    commission.save()
    awards = decisions_approve(assessed, decided_on=dt.date(2026, 6, 10))
    agreement = agreement_create(decision=awards[0], created_by=assessed.officer)
    assert agreement.starts_on == dt.date(2026, 7, 1)
    assert agreement.ends_on == dt.date(2029, 6, 30)


def test_targets_are_the_bids_for_each_measure_of_the_specification():
    assessed = assessed_opportunity(recommended=True)
    awards = decisions_approve(assessed)
    bid = awards[0].bid
    # The £30,000 bid proposed half of the whole service's targets (100, 200, 300).
    targets_propose(bid, share="0.5")
    agreement = agreement_create(decision=awards[0], created_by=assessed.officer)
    specification = bid.opportunity.specification
    proposed = {(t.specification_measure_id, t.year): t.target for t in bid.targets.all()}
    expected = [
        (
            chosen.outcome.description,
            chosen.measure.name,
            chosen.measure.unit,
            t.year,
            proposed[(chosen.pk, t.year)],
            chosen.pk,
        )
        for chosen in specification.measures.all()
        for t in chosen.targets.all()
    ]
    got = [
        (t.outcome, t.measure, t.unit, t.year, t.target, t.specification_measure_id)
        for t in agreement.targets.all()
    ]
    assert got == expected
    assert [t.target for t in agreement.targets.all()] == [Decimal(50), Decimal(100), Decimal(150)]


def test_a_year_the_bid_has_no_target_for_takes_the_specifications():
    assessed = assessed_opportunity(recommended=True)
    awards = decisions_approve(assessed)
    bid = awards[0].bid
    targets_propose(bid, share="0.25")
    bid.targets.filter(year=3).delete()  # an older bid, from before targets were asked for
    agreement = agreement_create(decision=awards[0], created_by=assessed.officer)
    assert [(t.year, t.target) for t in agreement.targets.all()] == [
        (1, Decimal(25)),
        (2, Decimal(50)),
        (3, Decimal(300)),
    ]


def test_default_payments_are_quarterly_in_advance_and_add_up_exactly():
    agreement = agreement_made().agreement
    payments = list(agreement.payments.all())
    assert len(payments) == 12
    assert payments[0].due_on == agreement.starts_on
    assert payments[1].due_on == dt.date(2027, 7, 1)
    assert sum(p.amount for p in payments) == agreement.amount
    assert agreement.payments_add_up()
    rows = payment_schedule_default(
        amount=Decimal("10000"), starts_on=dt.date(2027, 4, 1), ends_on=dt.date(2028, 3, 31)
    )
    assert [row[1] for row in rows] == [Decimal("2500")] * 4
    rows = payment_schedule_default(
        amount=Decimal("1000"), starts_on=dt.date(2027, 4, 1), ends_on=dt.date(2027, 12, 31)
    )
    assert [row[1] for row in rows] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]


def test_monitoring_schedule_follows_the_frequency():
    agreement = agreement_made().agreement
    returns = list(agreement.monitoring_returns.all())
    assert len(returns) == 12
    first = returns[0]
    assert (first.period_start, first.period_end, first.due_on) == (
        dt.date(2027, 4, 1),
        dt.date(2027, 6, 30),
        dt.date(2027, 7, 30),
    )
    assert returns[-1].period_end == agreement.ends_on
    assert agreement.has_monitoring_schedule()
    annual = monitoring_periods(
        starts_on=dt.date(2027, 4, 1), ends_on=dt.date(2028, 9, 30), frequency="annual"
    )
    assert annual == [
        (dt.date(2027, 4, 1), dt.date(2028, 3, 31), dt.date(2028, 4, 30)),
        (dt.date(2028, 4, 1), dt.date(2028, 9, 30), dt.date(2028, 10, 30)),
    ]


def test_month_arithmetic_keeps_to_the_end_of_short_months():
    assert months_add(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert months_add(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert months_add(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)
    assert months_add(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)


def test_making_it_again_returns_the_same_agreement():
    made = agreement_made()
    again = agreement_create(decision=made.awards[0], created_by=made.officer)
    assert again.pk == made.agreement.pk
    assert Agreement.objects.count() == 1
    assert made.agreement.targets.count() == 3


def test_second_agreement_gets_the_next_reference():
    made = agreement_made()
    second = agreement_create(decision=made.awards[1], created_by=made.officer)
    assert second.reference[-3:] == "002"
    assert second.amount == Decimal("25000")


def test_only_an_approved_award_becomes_an_agreement():
    assessed = assessed_opportunity(recommended=True)
    decision = assessed.bids[0].decision
    with pytest.raises(ValidationError):
        agreement_create(decision=decision, created_by=assessed.officer)
    decisions_approve(assessed)
    refused = assessed.bids[2].decision
    refused.refresh_from_db()
    with pytest.raises(ValidationError):
        agreement_create(decision=refused, created_by=assessed.officer)
    assert not Agreement.objects.exists()
