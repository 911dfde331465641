"""The next cycle: recommissioning a closed (or closing) commission opens a new one for the
next period, linked both ways and carrying the evaluation, its lessons and the links to the
needs evidence and gaps; redesigning starts at planning with the specifications copied."""

import datetime

import pytest
from django.urls import reverse

from commissioning.models import Commission, CommissionState
from engagement.models import EvidenceItem, Gap
from monitoring.models import CycleCarryForward
from tests.factories import SpecificationFactory
from tests.monitoring.factories_evaluation import (
    commission_put,
    delivered,
    evaluation_completed,
    priority,
)

pytestmark = pytest.mark.django_db


def _understood(commission):
    evidence = EvidenceItem.objects.create(
        title="Census 2021: people aged 65 and over living alone",
        category=EvidenceItem.Category.DEMOGRAPHY,
        source="Office for National Statistics",
        dated=datetime.date(2022, 11, 2),
        summary="One in three people over 65 in Morecambe live alone.",
    )
    evidence.commissions.add(commission)
    gap = Gap.objects.create(
        commission=commission,
        priority=priority(),
        need="Older people are isolated",
        current_provision="Two lunch clubs",
        gap="No weekend provision",
        opportunity="Weekend community meals",
        severity=Gap.Severity.HIGH,
    )
    return evidence, gap


def _form(kind: str, title: str = "Community meals 2029 to 2032") -> dict:
    return {
        "kind": kind,
        "title": title,
        "indicative_budget": "90000",
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2029",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2032",
    }


@pytest.fixture
def closed():
    made = delivered()
    commission = made.assessed.commission
    evidence, gap = _understood(commission)
    commission = commission_put(commission, CommissionState.REVIEW)
    evaluation_completed(commission, user=made.officer, lesson="Weekend sessions filled first")
    commission = commission_put(commission, CommissionState.CLOSED)
    return made, commission, evidence, gap


def test_recommission_opens_the_next_cycle_linked_both_ways(client, closed):
    made, commission, evidence, gap = closed
    client.force_login(made.officer)
    page = client.get(reverse("monitoring:commission_evaluation", args=[commission.pk]))
    assert "Recommission or redesign" in page.content.decode()
    response = client.post(
        reverse("monitoring:commission_next_cycle", args=[commission.pk]), _form("recommission")
    )
    new = Commission.objects.get(previous_cycle=commission)
    assert response.status_code == 302
    assert response["Location"] == new.get_absolute_url()
    assert new.state == CommissionState.DRAFT
    assert new.title == "Community meals 2029 to 2032"
    assert new.period_start == datetime.date(2029, 4, 1)
    assert list(new.priorities.all()) == list(commission.priorities.all())
    assert new.lead_officer == made.officer
    # Linked both ways, carrying the evaluation, the evidence and the gaps.
    carried = CycleCarryForward.objects.get(commission=new)
    assert carried.previous == commission
    assert carried.evaluation == commission.evaluation
    assert list(commission.next_cycles.all()) == [new]
    assert list(carried.gaps.all()) == [gap]
    assert evidence in new.evidence_items.all()
    assert evidence in commission.evidence_items.all()

    # Both commission pages show the chain of cycles.
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert commission.reference in new_page
    assert "Recommissioned from" in new_page
    assert "No weekend provision" in new_page
    old_page = client.get(commission.get_absolute_url()).content.decode()
    assert new.reference in old_page

    # The new commission's Understand page starts from the lessons learned.
    understand = client.get(reverse("engagement:gap_analysis", args=[new.pk])).content.decode()
    assert "Lessons learned for these priorities" in understand
    assert "Weekend sessions filled first" in understand

    # Only once.
    again = client.post(
        reverse("monitoring:commission_next_cycle", args=[commission.pk]),
        _form("recommission"),
        follow=True,
    )
    assert "already been opened" in again.content.decode()
    assert Commission.objects.filter(previous_cycle=commission).count() == 1


def test_redesign_starts_at_planning_with_the_specification_copied(client, closed):
    made, commission, _, _ = closed
    original = commission.specifications.first() or SpecificationFactory(commission=commission)
    client.force_login(made.officer)
    client.post(
        reverse("monitoring:commission_next_cycle", args=[commission.pk]), _form("redesign")
    )
    new = Commission.objects.get(previous_cycle=commission)
    assert new.state == CommissionState.PLANNING
    copies = list(new.specifications.all())
    assert [copy.title for copy in copies] == [
        spec.title for spec in commission.specifications.order_by("title")
    ]
    copy = next(c for c in copies if c.title == original.title)
    assert copy.pk != original.pk
    assert copy.measures.count() == original.measures.count()
    assert copy.outcomes.count() == original.outcomes.count()
    # The copy is a draft the officer can change: the new commission is at planning.
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Redesigned from" in page
    # Its timeline says it started at planning.
    assert f"Redesigned from {commission.reference}: its specifications copied" in page


def test_next_cycle_needs_a_completed_evaluation_and_review_or_closed(client):
    made = delivered()
    commission = commission_put(made.assessed.commission, CommissionState.DELIVERY)
    client.force_login(made.officer)
    response = client.post(
        reverse("monitoring:commission_next_cycle", args=[commission.pk]),
        _form("recommission"),
        follow=True,
    )
    page = response.content.decode()
    assert "The commission must be in review or closed" in page
    assert "Complete the commission’s evaluation first" in page
    assert not Commission.objects.filter(previous_cycle=commission).exists()


def test_next_cycle_form_errors(client, closed):
    made, commission, _, _ = closed
    client.force_login(made.officer)
    response = client.post(
        reverse("monitoring:commission_next_cycle", args=[commission.pk]),
        {**_form(""), "title": "", "period_end_2": "2028"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select recommission or redesign" in page
    assert "Enter a title" in page
    assert "The end of the period must be after the start" in page
