"""The officers' list of opportunities grows with every opportunity ever made: it is shown
newest first, 50 to a page with GOV.UK pagination, in the same number of queries however
many there are, each row still saying how many bids came in and questions wait."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import Opportunity
from procurement.views.opportunities import StaffOpportunityListView
from tests.procurement.factories_bids import BidFactory
from tests.procurement.factories_opportunities import (
    ClarificationFactory,
    OpportunityFactory,
    published_specification,
)

pytestmark = pytest.mark.django_db


def _make(count: int, specification) -> None:
    while Opportunity.objects.count() < count:
        OpportunityFactory(specification=specification, questions=False)


def _titles(response) -> list[str]:
    return re.findall(r'staff/opportunities/\d+/">([^<]+)</a>', response.content.decode())


def test_opportunities_are_paginated_newest_first(client, officer, monkeypatch):
    monkeypatch.setattr(StaffOpportunityListView, "paginate_by", 2)
    specification = published_specification(state="procurement")
    _make(5, specification)
    newest_first = list(Opportunity.objects.order_by("-created_at", "-pk"))
    client.force_login(officer)

    first = client.get("/staff/opportunities/")
    second = client.get("/staff/opportunities/", {"page": 2})
    last = client.get("/staff/opportunities/", {"page": 3})

    assert _titles(first) == [o.title for o in newest_first[:2]]
    assert _titles(second) == [o.title for o in newest_first[2:4]]
    assert _titles(last) == [newest_first[4].title]
    html = first.content.decode()
    assert 'class="govuk-pagination" aria-label="Pages of opportunities"' in html
    assert 'href="?page=2" rel="next"' in html
    for garbage in ("99", "x", "-1", "0"):
        assert client.get("/staff/opportunities/", {"page": garbage}).status_code == 404


def test_each_row_counts_its_bids_and_waiting_questions(client, officer):
    specification = published_specification(state="procurement")
    busy = OpportunityFactory(specification=specification, questions=False)
    quiet = OpportunityFactory(specification=specification, questions=False)
    for _ in range(3):
        BidFactory(opportunity=busy, state="submitted")
    BidFactory(opportunity=busy)  # a draft is not received
    ClarificationFactory(opportunity=busy)
    client.force_login(officer)

    page = client.get("/staff/opportunities/")

    rows = {entry.opportunity.pk: entry.opportunity for entry in page.context["entries"]}
    assert (rows[busy.pk].bids_received, rows[busy.pk].clarifications_waiting) == (3, 1)
    assert (rows[quiet.pk].bids_received, rows[quiet.pk].clarifications_waiting) == (0, 0)


def test_queries_stay_flat_from_5_to_60_opportunities(client, officer):
    specification = published_specification(state="procurement")
    client.force_login(officer)

    def queries_with(count: int) -> int:
        _make(count, specification)
        client.get("/staff/opportunities/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/opportunities/").status_code == 200
        return len(queries)

    five = queries_with(5)
    assert five == queries_with(60)
    assert five <= 15
