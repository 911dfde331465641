"""The staff dashboard does not grow with every commission ever made: 25 to a page with
GOV.UK pagination, the officer's own commissions first with a link to only theirs, a
filtered list paginated the same way, in no more than 15 queries however many there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import Commission
from commissioning.views.commissions import StaffDashboardView
from core.roles import Role
from tests.factories import CommissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [commission.title for commission in response.context["commissions"]]


def test_own_commissions_come_first_and_the_list_is_paginated(
    client, officer, approver, monkeypatch
):
    monkeypatch.setattr(StaffDashboardView, "paginate_by", 2)
    for n in range(3):
        CommissionFactory(title=f"Mine {n}", lead_officer=officer)
        CommissionFactory(title=f"Theirs {n}", lead_officer=approver)
    client.force_login(officer)

    pages = [client.get("/staff/", {"page": number}) for number in (1, 2, 3)]

    # The clock stands still, so the latest made is the latest changed.
    assert [_titles(page) for page in pages] == [
        ["Mine 2", "Mine 1"],
        ["Mine 0", "Theirs 2"],
        ["Theirs 1", "Theirs 0"],
    ]
    html = pages[0].content.decode()
    assert "6 commissions, yours first" in html
    assert f'href="?lead_officer={officer.pk}">See only the 3 commissions you lead</a>' in html
    assert 'aria-label="Pages of commissions"' in html and 'href="?page=2" rel="next"' in html


def test_a_filtered_list_is_paginated_keeping_the_filter(client, officer, monkeypatch):
    monkeypatch.setattr(StaffDashboardView, "paginate_by", 2)
    colleague = UserFactory(roles=[Role.OFFICER])
    for n in range(3):
        CommissionFactory(title=f"Theirs {n}", lead_officer=colleague)
    CommissionFactory(title="Mine", lead_officer=officer)
    client.force_login(officer)

    first = client.get("/staff/", {"lead_officer": colleague.pk})
    second = client.get("/staff/", {"lead_officer": colleague.pk, "page": 2})

    assert _titles(first) == ["Theirs 2", "Theirs 1"] and _titles(second) == ["Theirs 0"]
    html = first.content.decode()
    assert "3 commissions matching your filters" in html
    assert f'href="?lead_officer={colleague.pk}&amp;page=2"' in html
    assert "See only the" not in html


def test_a_page_past_the_end_or_not_a_number_is_not_found(client, officer):
    CommissionFactory(lead_officer=officer)
    client.force_login(officer)
    assert client.get("/staff/", {"page": 1}).status_code == 200
    for garbage in ("99", "x", "0"):
        assert client.get("/staff/", {"page": garbage}).status_code == 404


def test_no_more_than_15_queries_from_5_to_80_commissions(client, officer, approver):
    client.force_login(officer)

    def queries_with(count: int) -> int:
        while Commission.objects.count() < count:
            lead = officer if Commission.objects.count() % 2 else approver
            CommissionFactory(lead_officer=lead)
        client.get("/staff/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/").status_code == 200
        return len(queries)

    five = queries_with(5)
    assert five == queries_with(80)
    assert five <= 15
