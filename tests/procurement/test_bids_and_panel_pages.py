"""The officers' list of bids received and the panel's assignment grid for an opportunity
with hundreds of bids: 50 bids to a page with GOV.UK pagination, in the same number of
queries however many bids there are; saving the assignments on one page of the grid
changes only that page's bids."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import Assignment
from procurement.views.assessment import PanelView
from procurement.views.bids import StaffBidListView
from tests.procurement.factories_assessment import assign, closed_opportunity, panel_member_add
from tests.procurement.factories_bids import attachment_add, submitted_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_bids(officer):
    opportunity = closed_opportunity(lead_officer=officer)
    return [submitted_bid(opportunity=opportunity) for _ in range(5)]


def _queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


# --- Bids received ---------------------------------------------------------------------------


def test_bids_received_are_paginated_in_the_order_they_came_in(
    client, officer, five_bids, monkeypatch
):
    monkeypatch.setattr(StaffBidListView, "paginate_by", 2)
    attachment_add(five_bids[2])
    attachment_add(five_bids[2], name="budget.pdf")
    address = f"/staff/opportunities/{five_bids[0].opportunity_id}/bids/"
    client.force_login(officer)

    pages = [client.get(address, {"page": number}) for number in (1, 2, 3)]

    shown = [bid.pk for page in pages for bid in page.context["bids"]]
    in_order = sorted(five_bids, key=lambda bid: (bid.submitted_at, bid.pk))
    assert shown == [bid.pk for bid in in_order]
    counted = {bid.pk: bid.attachment_count for page in pages for bid in page.context["bids"]}
    assert counted[five_bids[2].pk] == 2 and counted[five_bids[0].pk] == 0
    html = pages[0].content.decode()
    assert "5 bids received" in html
    assert 'aria-label="Pages of bids received"' in html and 'href="?page=2" rel="next"' in html
    assert "1 to 2 of 5" in html
    for garbage in ("4", "x", "0"):
        assert client.get(address, {"page": garbage}).status_code == 404


def test_bids_received_queries_stay_flat_from_3_to_12_bids(client, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    client.force_login(officer)
    address = f"/staff/opportunities/{opportunity.pk}/bids/"

    def queries_with(count: int) -> int:
        while opportunity.bids.count() < count:
            attachment_add(submitted_bid(opportunity=opportunity))
        return _queries(client, address)

    three = queries_with(3)
    assert three == queries_with(12)
    assert three <= 15


def test_bids_received_counts_those_withdrawn_after_being_submitted(client, officer, five_bids):
    """Counted with the opportunity: the bids standing submitted, and those submitted and then
    withdrawn (a bid withdrawn before it was ever submitted was never received)."""
    from procurement.models import Bid
    from tests.procurement.factories_bids import BidFactory

    opportunity = five_bids[0].opportunity
    Bid.objects.filter(pk__in=[five_bids[0].pk, five_bids[1].pk]).update(state="withdrawn")
    BidFactory(opportunity=opportunity, state="withdrawn")
    client.force_login(officer)

    page = client.get(f"/staff/opportunities/{opportunity.pk}/bids/")

    text = " ".join(page.content.decode().split())
    assert "3 bids received; 2 withdrawn before the deadline." in text
    assert {bid.pk for bid in page.context["bids"]} == {bid.pk for bid in five_bids[2:]}


# --- The panel's assignment grid -------------------------------------------------------------


def test_the_grid_is_paginated_by_reference_and_saving_a_page_leaves_the_others(
    client, officer, five_bids, monkeypatch
):
    monkeypatch.setattr(PanelView, "paginate_by", 2)
    opportunity = five_bids[0].opportunity
    ann, ben = panel_member_add(opportunity), panel_member_add(opportunity)
    by_reference = sorted(five_bids, key=lambda bid: bid.reference)
    first_page_assignment = assign(by_reference[0], ann)
    address = f"/staff/opportunities/{opportunity.pk}/panel/"
    client.force_login(officer)

    second = client.get(address, {"page": 2})
    rows = [row.bid.pk for row in second.context["grid"]]
    assert rows == [bid.pk for bid in by_reference[2:4]]
    html = second.content.decode()
    assert 'aria-label="Pages of bids to assign"' in html
    assert "bids 3 to 4 of 5" in html

    third_bid = by_reference[2]
    response = client.post(
        f"{address}?page=2", {"action": "assign", "assign": [f"{third_bid.pk}-{ben.pk}"]}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{address}?page=2"
    assert set(
        Assignment.objects.filter(bid__opportunity=opportunity).values_list(
            "bid_id", "panel_member_id"
        )
    ) == {(by_reference[0].pk, ann.pk), (third_bid.pk, ben.pk)}
    assert Assignment.objects.filter(pk=first_page_assignment.pk).exists()
    for garbage in ("4", "x", "0"):
        assert client.get(address, {"page": garbage}).status_code == 404


def test_the_panel_page_stays_within_15_queries_from_3_to_12_bids(client, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    places = [panel_member_add(opportunity, declared=False) for _ in range(3)]
    client.force_login(officer)
    address = f"/staff/opportunities/{opportunity.pk}/panel/"

    def queries_with(count: int) -> int:
        while opportunity.bids.count() < count:
            bid = submitted_bid(opportunity=opportunity)
            for place in places:
                assign(bid, place)
        return _queries(client, address)

    three = queries_with(3)
    assert three == queries_with(12)
    assert three <= 15
