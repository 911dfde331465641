"""A published plan's "What this plan achieved": once its agreements report, outcomes
against targets per specification (summed from accepted returns), and money awarded and
spent; totals only, nothing of any one return and nothing not yet approved or accepted."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import ReturnActual, ReturnState
from tests.commissioning.test_thread import _accepted_return, _unapproved_award
from tests.monitoring.factories import return_put
from tests.monitoring.factories_portfolio import agreement_under, funded_commission

pytestmark = pytest.mark.django_db


def _plan_url(funded) -> str:
    return funded.specification.plans.get(state="published").get_absolute_url()


def test_nothing_achieved_is_shown_before_any_return_is_accepted(client):
    funded = funded_commission()
    agreement = agreement_under(funded, amount="12500")
    first = agreement.monitoring_returns.order_by("period_start").first()
    return_put(first, ReturnState.SUBMITTED, spend_in_period=Decimal("900"))
    page = client.get(_plan_url(funded)).content.decode()
    assert "What this plan achieved" not in page


def test_outcomes_against_targets_and_money_awarded_and_spent(client):
    funded = funded_commission()
    one = agreement_under(funded, amount="12500")
    two = agreement_under(funded, amount="7500")
    _accepted_return(one, "7", spend="2500")
    first = _accepted_return(two, "3", spend="1000")
    first.outcomes_narrative = "A private account of one family's year"
    first.case_study = "Mrs B's story, not for publishing"
    first.save()
    # Not counted: a return waiting for review, a recommendation not yet approved.
    waiting = one.monitoring_returns.order_by("period_start")[1]
    return_put(waiting, ReturnState.SUBMITTED, spend_in_period=Decimal("4000"))
    for target in one.targets.all():
        ReturnActual.objects.create(monitoring_return=waiting, target=target, value=500)
    _unapproved_award(funded, amount="9000")

    response = client.get(_plan_url(funded))
    page = response.content.decode()
    assert "What this plan achieved" in page
    assert "£20,000" in page  # awarded: 12,500 + 7,500, not the 9,000 awaiting approval
    assert "£3,500 spent of £20,000 awarded, reported by 2 funded organisations" in page
    target = one.targets.first()
    row = next(
        r for r in response.context["achievements"].rows[0].results if r.measure == target.measure
    )
    assert row.achieved == Decimal(10)  # 7 + 3 from the accepted returns only
    expected = sum(
        t.target for t in (*one.targets.all(), *two.targets.all()) if t.measure == target.measure
    )
    assert row.target == expected
    for private in ("private account", "Mrs B", "£4,000", "£9,000"):
        assert private not in page
    assert f"/thread/specifications/{funded.specification.pk}/" in page


def test_plan_page_queries_stay_flat_from_5_to_50_agreements(client):
    funded = funded_commission()
    url = _plan_url(funded)

    def add(count, start=0):
        for number in range(start, count):
            _accepted_return(agreement_under(funded, amount=str(1000 + number)), "5")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(5)
    client.get(url)
    with_5 = queries()
    add(50, start=5)
    assert queries() == with_5


def test_every_specification_of_a_published_plan_links_to_its_thread(client):
    funded = funded_commission()
    page = client.get(_plan_url(funded)).content.decode()
    assert f"/thread/specifications/{funded.specification.pk}/" in page
    assert client.get(f"/thread/specifications/{funded.specification.pk}/").status_code == 200


def test_a_long_plan_sums_the_whole_plan_and_details_each_specification_on_its_page(client):
    from tests.factories import SpecificationFactory

    funded = funded_commission()
    plan = funded.specification.plans.get(state="published")
    funded.specification.title = "Zebra crossing patrols"
    funded.specification.save()
    plan.specifications.add(
        *(
            SpecificationFactory(commission=funded.commission, title=f"Advice service {n:02}")
            for n in range(10)
        )
    )
    _accepted_return(agreement_under(funded, amount="12500"), "7", spend="2500")
    url = plan.get_absolute_url()

    first = " ".join(client.get(url).content.decode().split())
    second = " ".join(client.get(url, {"page": 2}).content.decode().split())

    for page in (first, second):  # the plan's own totals, on every page
        assert "What this plan achieved" in page
        assert 'Awarded</dt> <dd class="govuk-summary-list__value">£12,500' in page
        assert 'Spent so far</dt> <dd class="govuk-summary-list__value">£2,500' in page
    assert "1 to 10 of 11" in first
    assert "£2,500 spent of £12,500 awarded" not in first
    assert (
        'Follow the thread from need to outcome<span class="govuk-visually-hidden"> for Zebra'
        not in first
    )
    assert "11 to 11 of 11" in second
    assert "£2,500 spent of £12,500 awarded, reported by 1 funded organisation." in second
