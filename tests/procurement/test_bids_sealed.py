"""Sealed bids: before the deadline council staff see how many bids there are, never what
is in them; after it, officers, approvers and administrators read the bids received."""

import csv
import datetime as dt
import io
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_bids import (
    BidFactory,
    ClosedOpportunityFactory,
    OpportunityFactory,
    attachment_add,
    member,
    partner_add,
    submitted_bid,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def sealed(clock):
    """Three bids received at noon on 26 November 2026 for an opportunity closing at 5pm on
    15 January 2027."""
    opportunity = OpportunityFactory(
        opens_at=london(2026, 11, 1, 9),
        closes_at=london(2027, 1, 15, 17),
        published_at=london(2026, 11, 1, 9),
    )
    clock.move_to(london(2026, 11, 26, 12))
    bids = [submitted_bid(opportunity=opportunity) for _ in range(3)]
    BidFactory(opportunity=opportunity)  # a draft: not received
    for bid in bids:
        attachment_add(bid)
    return opportunity, bids


def sealed_urls(bid) -> list[str]:
    attachment = bid.attachments.get()
    return [
        f"/bids/{bid.pk}/",
        f"/bids/{bid.pk}/attachments/{attachment.pk}/",
        f"/staff/opportunities/{bid.opportunity_id}/bids.csv",
        reverse("admin:procurement_bid_change", args=[bid.pk]),
        reverse("admin:procurement_bid_history", args=[bid.pk]),
    ]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.APPROVER, Role.ADMINISTRATOR])
def test_staff_see_only_how_many_bids_before_the_deadline(client, sealed, role, clock):
    opportunity, bids = sealed
    client.force_login(UserFactory(roles=[role], is_staff=True))
    clock.move_to(london(2026, 11, 26, 13))
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/bids/"))
    assert "3 bids received. Bids are sealed until 5pm on 15 January 2027." in page
    for bid in bids:
        assert bid.reference not in page
        assert bid.organisation.name not in page
    for url in sealed_urls(bids[0]):
        assert client.get(url).status_code in (403, 404), url


def test_a_superuser_cannot_open_a_sealed_bid_either(client, sealed, clock):
    _, bids = sealed
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    clock.move_to(london(2026, 11, 26, 13))
    for url in sealed_urls(bids[0]):
        assert client.get(url).status_code in (403, 404), url


def test_the_admin_list_leaves_sealed_bids_out(client, sealed, clock):
    """More in tests/procurement/test_admin_sealed.py."""
    _, bids = sealed
    bids[0].title = "A secret project title"
    bids[0].save()
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True))
    clock.move_to(london(2026, 11, 26, 13))
    response = client.get(reverse("admin:procurement_bid_changelist"))
    assert response.status_code == 200
    page = text_of(response)
    assert bids[0].reference not in page
    assert "A secret project title" not in page
    assert "45,000" not in page and "45000" not in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.APPROVER, Role.ADMINISTRATOR])
def test_after_the_deadline_staff_read_the_bids(client, sealed, role, clock):
    opportunity, bids = sealed
    partner_add(bids[0], OrganisationFactory(name="Carnforth Youth Hub"), confirmed=True)
    clock.move_to(london(2027, 1, 15, 17, 0, 1))
    client.force_login(UserFactory(roles=[role], is_staff=True))
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/bids/"))
    assert "3 bids received" in page
    for bid in bids:
        assert bid.reference in page and bid.organisation.name in page
    assert "£45,000" in page
    assert "Carnforth Youth Hub" in page
    bid = bids[0]
    detail = client.get(f"/bids/{bid.pk}/")
    assert detail.status_code == 200
    assert "Money advice in Morecambe" in text_of(detail)
    assert "Reopen" not in text_of(detail) and "Withdraw" not in text_of(detail)
    attachment = bid.attachments.get()
    assert client.get(f"/bids/{bid.pk}/attachments/{attachment.pk}/").status_code == 200
    assert client.get(f"/bids/{bid.pk}/edit/").status_code == 403
    assert client.get(f"/bids/{bid.pk}/actions/withdraw/").status_code == 403
    export = client.get(f"/staff/opportunities/{opportunity.pk}/bids.csv")
    assert export.status_code == 200


def test_the_admin_change_page_opens_after_the_deadline_read_only(client, sealed, clock):
    _, bids = sealed
    clock.move_to(london(2027, 1, 16, 9))
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True))
    response = client.get(reverse("admin:procurement_bid_change", args=[bids[0].pk]))
    assert response.status_code == 200
    assert "Money advice in Morecambe" in text_of(response)
    assert 'name="_save"' not in response.content.decode()


def test_drafts_are_never_opened_by_staff(client, sealed, clock):
    opportunity, _ = sealed
    draft = opportunity.bids.get(state="draft")
    clock.move_to(london(2027, 1, 16, 9))
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    assert client.get(f"/bids/{draft.pk}/").status_code == 403
    assert draft.reference not in text_of(
        client.get(f"/staff/opportunities/{opportunity.pk}/bids/")
    )


def test_panel_members_are_refused_before_and_after(client, sealed, clock):
    opportunity, bids = sealed
    panel = UserFactory(roles=[Role.PANEL_MEMBER])
    for moment in ((2026, 11, 26, 13), (2027, 1, 16, 9)):
        clock.move_to(london(*moment))
        client.force_login(panel)
        assert client.get(f"/staff/opportunities/{opportunity.pk}/bids/").status_code == 403
        assert client.get(f"/bids/{bids[0].pk}/").status_code == 403


def test_the_csv_export_holds_the_bids_received(client, sealed, clock):
    opportunity, bids = sealed
    bids[0].title = '=HYPERLINK("http://evil")'
    bids[0].save()
    clock.move_to(london(2027, 1, 16, 9))
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    response = client.get(f"/staff/opportunities/{opportunity.pk}/bids.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "Reference",
        "Organisation",
        "Organisation identifier",
        "Project title",
        "Amount requested",
    ]
    assert rows[0][-3:] == ["Question 1", "Question 2", "Question 3"]
    assert len(rows) == 4
    assert {row[0] for row in rows[1:]} == {bid.reference for bid in bids}
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference[bids[0].reference][3] == '\'=HYPERLINK("http://evil")'
    assert by_reference[bids[1].reference][4] == "45000.00"


def test_the_staff_list_query_count_does_not_grow(client):
    opportunity = ClosedOpportunityFactory()
    client.force_login(UserFactory(roles=[Role.OFFICER]))

    def queries_with(count: int) -> int:
        while opportunity.bids.count() < count:
            bid = submitted_bid(opportunity=opportunity)
            partner_add(bid, confirmed=True)
            attachment_add(bid)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/staff/opportunities/{opportunity.pk}/bids/")
            assert response.status_code == 200
        assert text_of(response).count("BID-TEST-") == count
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_a_partner_reads_the_bid_but_another_provider_gets_404(client):
    bid = submitted_bid()
    partner = partner_add(bid, confirmed=True)
    client.force_login(member(partner.organisation))
    page = client.get(f"/bids/{bid.pk}/")
    assert page.status_code == 200
    assert "Your organisation is a partner in this bid" in text_of(page)
    assert client.get(f"/bids/{bid.pk}/receipts/1/").status_code == 403

    client.force_login(member(OrganisationFactory()))
    assert client.get(f"/bids/{bid.pk}/").status_code == 404
    assert client.get(f"/bids/{bid.pk}/receipts/1/").status_code == 404
