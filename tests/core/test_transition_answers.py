"""A page that shows a record's checklist and its buttons asks each condition once
(`conditions_evaluated_once`); everywhere else each call asks afresh, so a service that
changes a record and checks again sees the change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import CommissionState, CorporatePriority
from core.transitions import conditions_evaluated_once, transition_checklist
from tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db


def _gap_add(commission):
    from engagement.models import Gap

    Gap.objects.create(
        commission=commission,
        priority=CorporatePriority.objects.first(),
        need="Debt advice",
        current_provision="None in Heysham",
        gap="No advice in Heysham",
        opportunity="An outreach service",
        severity=Gap.Severity.HIGH,
    )


def _gap_met(commission) -> bool:
    item = next(
        item
        for item in transition_checklist(instance=commission, name="start_planning")
        if item.name == "has_gap_analysis"
    )
    return item.met


def test_inside_a_page_each_condition_is_asked_once():
    commission = CommissionFactory(state=CommissionState.UNDERSTANDING)
    with conditions_evaluated_once():
        with CaptureQueriesContext(connection) as first:
            commission.has_gap_analysis()
        with CaptureQueriesContext(connection) as again:
            commission.has_gap_analysis()
    assert len(first) >= 1
    assert len(again) == 0


def test_outside_a_page_each_call_sees_the_change():
    commission = CommissionFactory(state=CommissionState.UNDERSTANDING)
    assert not _gap_met(commission)
    _gap_add(commission)
    assert _gap_met(commission)


def test_answers_do_not_outlive_the_page():
    commission = CommissionFactory(state=CommissionState.UNDERSTANDING)
    with conditions_evaluated_once():
        assert not _gap_met(commission)
    _gap_add(commission)
    with conditions_evaluated_once():
        assert _gap_met(commission)


def test_two_records_have_answers_of_their_own():
    with_gap = CommissionFactory(state=CommissionState.UNDERSTANDING)
    without = CommissionFactory(state=CommissionState.UNDERSTANDING)
    _gap_add(with_gap)
    with conditions_evaluated_once():
        assert _gap_met(with_gap)
        assert not _gap_met(without)
