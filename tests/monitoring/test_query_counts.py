"""Every monitoring list and dashboard page asks the database the same number of
questions whether it shows 5 rows or 50: the agreement's monitoring page (returns, RAG
history, payments), its performance page (periods), the provider's home (agreements) and
the public performance page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from monitoring.models import ReturnActual, ReturnState
from providers.models import Membership
from tests.factories import UserFactory
from tests.monitoring.factories import agreement_in_delivery, return_put
from tests.monitoring.factories_portfolio import agreement_under, funded_commission, pay, rate

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    client.get(path)  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _reported(agreement, quarters: int) -> None:
    """The first `quarters` returns accepted with an actual, each quarter's instalment
    paid, and a RAG rating per quarter."""
    target = agreement.targets.first()
    returns = list(agreement.monitoring_returns.order_by("period_start")[:quarters])
    for number, monitoring_return in enumerate(returns):
        return_put(monitoring_return, ReturnState.ACCEPTED)
        ReturnActual.objects.create(
            monitoring_return=monitoring_return, target=target, value=Decimal(10 + number)
        )
        rate(agreement, ["green", "amber", "red"][number % 3], days_ago=quarters - number)
    for instalment in agreement.payments.order_by("due_on")[:quarters]:
        pay(instalment)


@pytest.mark.parametrize(
    "page", ["/staff/agreements/{pk}/monitoring/", "/staff/agreements/{pk}/performance/"]
)
def test_an_agreements_staff_pages_stay_flat_from_5_to_50_periods(client, officer, page):
    client.force_login(officer)
    five = agreement_in_delivery(months=15).agreement  # 5 quarters
    fifty = agreement_in_delivery(months=150).agreement  # 50 quarters
    _reported(five, 5)
    _reported(fifty, 50)

    assert five.monitoring_returns.count() == 5
    assert fifty.monitoring_returns.count() == 50
    few = _queries(client, page.format(pk=five.pk))
    assert few == _queries(client, page.format(pk=fifty.pk)) <= 15
    shown = client.get(page.format(pk=fifty.pk)).content.decode()
    last = fifty.monitoring_returns.order_by("period_start").last()
    assert last.period_label in shown


def test_the_providers_own_performance_page_stays_flat_from_5_to_50_periods(client):
    five = agreement_in_delivery(months=15)
    fifty = agreement_in_delivery(months=150)
    _reported(five.agreement, 5)
    _reported(fifty.agreement, 50)
    person = UserFactory(roles=[Role.PROVIDER])
    for made in (five, fifty):
        Membership.objects.create(organisation=made.organisation, user=person)
    client.force_login(person)

    assert _queries(client, f"/agreements/{five.agreement.pk}/performance/") == _queries(
        client, f"/agreements/{fifty.agreement.pk}/performance/"
    )


def test_the_providers_home_stays_flat_from_5_to_50_agreements(client):
    person = UserFactory(roles=[Role.PROVIDER])
    client.force_login(person)
    funded = funded_commission(budget="5000000")

    def with_agreements(count: int) -> int:
        while Membership.objects.filter(user=person).count() < count:
            agreement = agreement_under(funded, amount="1000")
            Membership.objects.create(organisation=agreement.organisation, user=person)
        return _queries(client, "/organisations/")

    assert with_agreements(5) == with_agreements(50) <= 15
    page = client.get("/organisations/").content.decode()
    assert "See all 50 agreements" in page


def test_a_return_form_stays_flat_from_5_to_50_returns_before_it(client):
    """The form shows each target's actuals to date: summed in the database, however many
    returns came before."""
    from django.utils import timezone

    from procurement.services.agreements import months_add

    this_month = timezone.localdate().replace(day=1)
    five = agreement_in_delivery(months=15)  # 5 quarters from a year ago
    fifty = agreement_in_delivery(starts_on=months_add(this_month, -156), months=165)
    _reported(five.agreement, 4)
    _reported(fifty.agreement, 50)
    person = UserFactory(roles=[Role.PROVIDER])
    for made in (five, fifty):
        Membership.objects.create(organisation=made.organisation, user=person)
    client.force_login(person)

    def form_of(agreement) -> str:
        monitoring_return = agreement.monitoring_returns.order_by("period_start")[
            agreement.monitoring_returns.filter(state=ReturnState.ACCEPTED).count()
        ]
        return f"/returns/{monitoring_return.pk}/edit/"

    assert (
        _queries(client, form_of(five.agreement))
        == _queries(client, form_of(fifty.agreement))
        <= 15
    )
