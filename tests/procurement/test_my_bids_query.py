"""A provider's bids are found from their own organisations outwards (the bids their
organisations lead and those they are partners in, as two id lists), not by testing every
bid in the portal against their memberships: the list stays quick however many bids other
organisations have made."""

import re

import pytest

from procurement.selectors.bids import bids_for_user
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import BidFactory, member, partner_add

pytestmark = pytest.mark.django_db


def test_the_filter_is_two_id_lists_not_an_or_of_exists():
    person = member(OrganisationFactory())

    sql = str(bids_for_user(user=person).query).upper()

    assert "EXISTS" not in sql
    assert " OR " not in sql
    assert re.search(r'"PROCUREMENT_BID"\."ID" IN \(\(?SELECT', sql)  # PostgreSQL adds a (
    assert " UNION " in sql


def test_the_person_sees_exactly_their_own_and_their_partner_bids():
    ours, also_ours = OrganisationFactory(), OrganisationFactory()
    person = member(ours)
    also_ours.memberships.create(user=person)
    led = BidFactory(organisation=ours)
    led_by_the_other = BidFactory(organisation=also_ours)
    partnered = BidFactory()
    partner_add(partnered, ours)
    both = BidFactory(organisation=ours)
    partner_add(both, also_ours)  # led by one of ours, partnered by the other: listed once
    someone_elses = BidFactory()
    partner_add(someone_elses)
    member(someone_elses.organisation)

    found = {bid.pk: bid.is_lead for bid in bids_for_user(user=person)}

    assert found == {
        led.pk: True,
        led_by_the_other.pk: True,
        partnered.pk: False,
        both.pk: True,
    }


def test_someone_with_no_organisation_sees_no_bids():
    BidFactory()
    person = member(OrganisationFactory())
    person.memberships.all().delete()

    assert list(bids_for_user(user=person)) == []


def test_the_bids_page_shows_its_page_and_page_two_holds_the_rest(client, monkeypatch):
    from procurement.views.bids import MyBidsView

    monkeypatch.setattr(MyBidsView, "paginate_by", 2)
    ours = OrganisationFactory()
    person = member(ours)
    bids = [BidFactory(organisation=ours) for _ in range(3)]
    partnered = BidFactory()
    partner_add(partnered, ours)
    client.force_login(person)

    first = client.get("/bids/")
    second = client.get("/bids/", {"page": 2})

    references = [bid.reference for bid in [*bids, partnered]]
    on_first = [ref for ref in references if ref in first.content.decode()]
    on_second = [ref for ref in references if ref in second.content.decode()]
    assert len(on_first) == 2 and len(on_second) == 2
    assert set(on_first) | set(on_second) == set(references)
    assert 'aria-label="Pages of your bids"' in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()


def test_the_bids_page_takes_the_same_queries_for_5_and_50_bids(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ours = OrganisationFactory()
    person = member(ours)
    client.force_login(person)
    BidFactory.create_batch(5, organisation=ours)
    client.get("/bids/")  # caches warmed
    with CaptureQueriesContext(connection) as five:
        assert client.get("/bids/").status_code == 200
    BidFactory.create_batch(45, organisation=ours)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get("/bids/").status_code == 200

    assert len(fifty) == len(five) <= 15


def test_the_bids_page_counts_only_the_partnerships_still_waiting(client):
    ours = OrganisationFactory()
    person = member(ours)
    partner_add(BidFactory(), ours)
    partner_add(BidFactory(), ours)
    partner_add(BidFactory(), ours, confirmed=True)
    partner_add(BidFactory(state="withdrawn"), ours)
    partner_add(BidFactory())  # another organisation's partnership
    client.force_login(person)

    page = " ".join(client.get("/bids/").content.decode().split())

    assert "2 consortium bids are waiting for your organisation to confirm it is a partner." in page


def test_the_bids_page_shows_25_bids_a_page(client):
    ours = OrganisationFactory()
    person = member(ours)
    bids = BidFactory.create_batch(26, organisation=ours)
    client.force_login(person)

    first = client.get("/bids/").content.decode()
    second = client.get("/bids/", {"page": 2}).content.decode()

    assert sum(bid.get_absolute_url() + '"' in first for bid in bids) == 25
    assert sum(bid.get_absolute_url() + '"' in second for bid in bids) == 1
