"""The SROI pages' queries do not grow with what they add up: a commission's page with 5 or
50 agreements in delivery (each with an accepted return), an agreement's with 5 or 50
accepted returns."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import ReturnActual, ReturnState
from tests.monitoring.factories import agreement_in_delivery, return_put
from tests.monitoring.factories_portfolio import agreement_under, funded_commission

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _accept_first_return(agreement, value: str = "5") -> None:
    first = agreement.monitoring_returns.order_by("period_start").first()
    ReturnActual.objects.create(
        monitoring_return=first, target=agreement.targets.first(), value=Decimal(value)
    )
    return_put(first, ReturnState.ACCEPTED)


def _agreements(funded, start: int, count: int) -> None:
    for number in range(start, count):
        _accept_first_return(agreement_under(funded, amount=str(1000 + number)))


@pytest.mark.parametrize("query", ["", "?discount_rate=5"])
def test_a_commissions_page_stays_flat_from_5_to_50_agreements(client, officer, query):
    funded = funded_commission()
    path = f"/staff/commissions/{funded.commission.pk}/sroi/{query}"
    client.force_login(officer)
    _agreements(funded, 0, 5)
    client.get(path)  # warm the session and the caches
    with_5 = _queries(client, path)

    _agreements(funded, 5, 50)
    with_50 = _queries(client, path)

    assert with_5 == with_50
    html = client.get(path).content.decode()
    # 50 agreements of £1,000 to £1,049, each with 5 people accepted: 250 people.
    assert "£51,225.00" in html  # the awards added up: 50 × £1,000 + £1,225
    assert "250 people" in html


def test_an_agreements_page_stays_flat_from_5_to_50_accepted_returns(client, officer):
    made = agreement_in_delivery(months=150)
    agreement = made.agreement
    returns = list(agreement.monitoring_returns.order_by("period_start"))
    assert len(returns) == 50
    target = agreement.targets.first()
    path = f"/staff/agreements/{agreement.pk}/sroi/"
    client.force_login(officer)

    def accept(chosen):
        for monitoring_return in chosen:
            ReturnActual.objects.create(
                monitoring_return=monitoring_return, target=target, value=Decimal(2)
            )
            return_put(monitoring_return, ReturnState.ACCEPTED)

    accept(returns[:5])
    client.get(path)
    with_5 = _queries(client, path)

    accept(returns[5:])
    with_50 = _queries(client, path)

    assert with_5 == with_50
    assert "100 people" in client.get(path).content.decode()
