"""From the Do stage on, the commission page shows what it bought: each award with its
agreement's state and the next thing to do, in the same number of queries however many."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.services.agreements import agreement_create
from tests.procurement.factories_agreements import agreement_made

pytestmark = pytest.mark.django_db


def _page(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    return text, len(queries)


def test_the_commission_page_lists_its_awards_and_agreements_with_the_next_step(client):
    made = agreement_made()
    commission = made.agreement.decision.bid.opportunity.specification.commission
    client.force_login(made.officer)
    url = commission.get_absolute_url()

    _page(client, url)  # caches warmed (content types), as on every later visit
    page, few = _page(client, url)

    assert "Awards and agreements" in page
    first = made.awards[0].bid
    assert f"{first.organisation.name} {first.reference} Being prepared" in page
    assert "Next: Send the agreement" in page

    for award in made.awards[1:]:
        agreement_create(decision=award, created_by=made.officer)
    page, more = _page(client, url)

    assert page.count("Next: Send the agreement") == len(made.awards) > 1
    assert more == few
