"""The map of existing service provision."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.commissions import demo_areas_seed
from engagement.models import Rating, ServiceProvision
from tests.engagement.factories_understand import ServiceProvisionFactory, priority
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NO_PROVIDER = "Select a registered organisation or enter the provider&#x27;s name"


@pytest.fixture
def district(db):
    return demo_areas_seed()


def service_data(district, **overrides) -> dict:
    data = {
        "service": "Morecambe community pantry",
        "description": "Low-cost food and cooking sessions.",
        "organisation": "",
        "provider_name": "",
        "priority": priority().pk,
        "areas": [district["Harbour"].pk, district["Poulton"].pk],
        "funding_source": "National Lottery Community Fund",
        "annual_value": "£12,500",
        "quality": Rating.GOOD,
        "impact": Rating.EXCELLENT,
        "status": ServiceProvision.Status.AT_RISK,
        "notes": "",
    }
    data.update(overrides)
    return data


def test_the_provider_is_a_registered_organisation_or_a_name(client, officer, district):
    client.force_login(officer)
    response = client.post("/staff/engagement/provision/new/", service_data(district))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(NO_PROVIDER) == 2  # summary and beside the field
    assert 'href="#id_organisation"' in html
    assert 'value="Morecambe community pantry"' in html
    assert not ServiceProvision.objects.exists()

    organisation = OrganisationFactory(name="Morecambe Bay Community Food Network")
    response = client.post(
        "/staff/engagement/provision/new/",
        service_data(district, organisation=organisation.pk, provider_name="Someone else"),
    )
    assert "Select a registered organisation or enter the provider&#x27;s name, not both" in (
        response.content.decode()
    )

    response = client.post(
        "/staff/engagement/provision/new/", service_data(district, organisation=organisation.pk)
    )
    assert response["Location"] == "/staff/engagement/provision/"
    service = ServiceProvision.objects.get()
    assert service.provider_display == "Morecambe Bay Community Food Network"
    assert service.annual_value == Decimal("12500")
    assert service.status == ServiceProvision.Status.AT_RISK
    assert service.recorded_by == officer
    assert set(service.areas.all()) == {district["Harbour"], district["Poulton"]}


def test_a_provider_that_is_not_registered_is_named_in_free_text(client, officer, district):
    client.force_login(officer)
    client.post(
        "/staff/engagement/provision/new/",
        service_data(district, provider_name="NHS Lancashire and South Cumbria social prescribing"),
    )
    service = ServiceProvision.objects.get()
    assert service.organisation is None
    assert service.provider_display == "NHS Lancashire and South Cumbria social prescribing"


def test_changing_a_service(client, officer, district):
    service = ServiceProvisionFactory(areas=[district["Bare"]])
    client.force_login(officer)
    page = client.get(f"/staff/engagement/provision/{service.pk}/edit/").content.decode()
    assert f'value="{service.service}"' in page
    client.post(
        f"/staff/engagement/provision/{service.pk}/edit/",
        service_data(district, provider_name="Bare Methodist Church", status="closed"),
    )
    service.refresh_from_db()
    assert service.service == "Morecambe community pantry"
    assert service.provider_name == "Bare Methodist Church"
    assert service.status == ServiceProvision.Status.CLOSED


def test_money_that_is_not_money_is_refused(client, officer, district):
    client.force_login(officer)
    response = client.post(
        "/staff/engagement/provision/new/",
        service_data(district, provider_name="A provider", annual_value="lots", areas=[]),
    )
    html = response.content.decode()
    assert "Annual value must be an amount of money, like 12500" in html
    assert not ServiceProvision.objects.exists()


def _shown(response) -> set[str]:
    return {service.service for service in response.context["services"]}


def test_filters_narrow_the_list_and_the_total_is_of_what_is_shown(client, approver, district):
    health = priority()
    green = priority("clean-green-and-safe-places")
    ServiceProvisionFactory(
        service="Lunch club",
        priority=health,
        areas=[district["Harbour"], district["Bare"]],
        annual_value=Decimal("8000"),
    )
    ServiceProvisionFactory(
        service="Dunes volunteers",
        priority=green,
        areas=[district["Heysham South"]],
        annual_value=Decimal("4500.50"),
        organisation=OrganisationFactory(name="Heysham Green Spaces Trust"),
        provider_name="",
    )
    ServiceProvisionFactory(
        service="Old befriending scheme",
        priority=health,
        areas=[district["Lancaster"]],
        status=ServiceProvision.Status.CLOSED,
        annual_value=None,
    )
    client.force_login(approver)

    response = client.get("/staff/engagement/provision/")
    assert _shown(response) == {"Lunch club", "Dunes volunteers", "Old befriending scheme"}
    html = response.content.decode()
    assert "£12,500.50" in html
    assert "Heysham Green Spaces Trust" in html
    assert "NHS Lancashire and South Cumbria social prescribing" in html
    assert "govuk-tag--grey" in html  # closed

    response = client.get(f"/staff/engagement/provision/?priority={health.pk}")
    assert _shown(response) == {"Lunch club", "Old befriending scheme"}
    assert response.context["total_value"] == Decimal("8000")

    # Tagged with two Morecambe wards, the lunch club is listed and counted once.
    response = client.get(f"/staff/engagement/provision/?area={district['Morecambe'].pk}")
    assert _shown(response) == {"Lunch club"}
    assert response.context["total_value"] == Decimal("8000")

    response = client.get("/staff/engagement/provision/?status=closed")
    assert _shown(response) == {"Old befriending scheme"}
    assert response.context["total_value"] == Decimal("0")
    assert "Add a service" not in response.content.decode()


def test_provision_list_query_count_does_not_grow_with_rows(client, officer, district):
    client.force_login(officer)
    organisation = OrganisationFactory()

    def count(rows: int) -> int:
        ServiceProvision.objects.all().delete()
        for n in range(rows):
            ServiceProvisionFactory(
                service=f"Service {n}",
                organisation=organisation if n % 2 else None,
                provider_name="" if n % 2 else "A provider",
                areas=[district["Harbour"], district["Carnforth"]],
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/engagement/provision/")
        assert len(response.context["services"]) == rows
        return len(queries)

    few, many = count(5), count(50)
    print(f"queries: {few} with 5 rows, {many} with 50")
    assert few == many
