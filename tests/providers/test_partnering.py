"""Working Together: organisations opt in to be found for consortium bids, say what they
offer and where; a lead bidder finds them on the bid's partners step and adds one."""

import pytest

from commissioning.models import Area
from procurement.models import ConsortiumPartner
from providers.models import Membership, PartnerProfile
from providers.services import partner_profile_set
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import BidFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def carnforth():
    return Area.objects.create(name="Carnforth", slug="carnforth", kind=Area.Kind.AREA)


def findable(name, offer, *areas, **kwargs):
    organisation = OrganisationFactory(name=name, **kwargs)
    partner_profile_set(organisation=organisation, findable=True, offer=offer, areas=areas, by=None)
    return organisation


def test_an_organisation_admin_opts_in_to_be_found(client, carnforth):
    organisation = OrganisationFactory()
    admin = member(organisation)
    Membership.objects.filter(user=admin).update(role=Membership.Role.ADMIN)
    client.force_login(admin)
    url = f"/organisations/{organisation.pk}/partnering/"
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "findable": "yes",
            "offer": "Befriending volunteers and a minibus",
            "areas": [carnforth.pk],
        },
    )

    assert response.status_code == 302
    profile = PartnerProfile.objects.get(organisation=organisation)
    assert profile.findable and profile.offer == "Befriending volunteers and a minibus"
    assert list(profile.areas.all()) == [carnforth]


def test_what_is_missing_is_said_beside_the_field_and_what_was_typed_is_kept(client):
    organisation = OrganisationFactory()
    admin = member(organisation)
    Membership.objects.filter(user=admin).update(role=Membership.Role.ADMIN)
    client.force_login(admin)

    response = client.post(f"/organisations/{organisation.pk}/partnering/", {"findable": "yes"})

    page = response.content.decode()
    assert "Enter what your organisation offers a consortium" in page
    assert 'value="yes" checked' in page or "checked" in page
    assert not PartnerProfile.objects.exists()


def test_a_plain_member_cannot_change_it(client):
    organisation = OrganisationFactory()
    client.force_login(member(organisation))

    assert client.get(f"/organisations/{organisation.pk}/partnering/").status_code == 403


def test_the_lead_finds_organisations_offering_to_work_together_and_adds_one(client, carnforth):
    lead_organisation = findable("Bay Lunch Club", "Befriending lunches", carnforth)
    bid = BidFactory(organisation=lead_organisation)
    lead = member(lead_organisation)
    ward = Area.objects.create(name="Bolton-le-Sands", slug="bls", kind="ward", parent=carnforth)
    wanted = findable("Carnforth Befrienders", "Befriending volunteers", ward)
    findable("Morecambe Befrienders", "Befriending volunteers")  # works nowhere in Carnforth
    findable("Carnforth Cycles", "Bike repairs", carnforth)  # offers something else
    hidden = findable("Quiet Befrienders", "Befriending", carnforth)
    PartnerProfile.objects.filter(organisation=hidden).update(findable=False)
    findable("Refused Befrienders", "Befriending", carnforth, verification_status="rejected")
    OrganisationFactory(name="Carnforth Befriending Trust")  # has not opted in
    client.force_login(lead)

    response = client.get(f"/bids/{bid.pk}/partners/?offer=befriending&area=carnforth")

    assert [profile.organisation for profile in response.context["finder"].results] == [wanted]
    page = response.content.decode()
    assert "Befriending volunteers" in page
    assert "Works in:" in page and "Bolton-le-Sands" in page

    # Adding it goes through the step's own form, which emails its members to confirm.
    add = client.get(f"/bids/{bid.pk}/partners/?q={wanted.org_id}")
    assert wanted.pk in [value for value, _ in add.context["form"].fields["organisation"].choices]
    client.post(
        f"/bids/{bid.pk}/partners/",
        {"q": wanted.org_id, "organisation": wanted.pk, "role": "Befriending in Carnforth"},
    )
    assert ConsortiumPartner.objects.filter(bid=bid, organisation=wanted).exists()
    # Once a partner, it is not offered again.
    again = client.get(f"/bids/{bid.pk}/partners/?offer=befriending")
    assert wanted not in [profile.organisation for profile in again.context["finder"].results]


def test_the_finders_queries_stay_flat_as_organisations_grow(
    client, carnforth, django_assert_max_num_queries
):
    bid = BidFactory()
    lead = member(bid.organisation)
    client.force_login(lead)
    url = f"/bids/{bid.pk}/partners/?offer=befriending&area=carnforth"
    findable("Befrienders 1", "Befriending", carnforth)
    client.get(url)  # warm up: sessions, reference data
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for n in range(2, 12):
        findable(f"Befrienders {n}", "Befriending", carnforth)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["finder"].results) == 11


def test_an_area_that_does_not_exist_finds_nothing_and_does_not_fail(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))

    response = client.get(f"/bids/{bid.pk}/partners/?area=nowhere")

    assert response.status_code == 200
    assert response.context["finder"].results == []
    assert "Select a place from the list" in response.content.decode()
