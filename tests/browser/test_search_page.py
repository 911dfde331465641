"""Signed out, on a phone 320 px wide, a visitor searches from the box in the navigation,
reads the results grouped by type, narrows them to one type and opens one; every page
passes axe-core and none scrolls sideways."""

import pytest

from tests.factories import PlanFactory, SpecificationFactory
from tests.procurement.factories_opportunities import OpportunityFactory


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.django_db(transaction=True)
def test_search_from_the_navigation_box_at_320_px(page, axe):
    specification = SpecificationFactory(
        title="Independent advocacy", summary="Advocacy for people who find it hard to be heard."
    )
    plan = PlanFactory(
        state="published", specifications=[specification], title="Advice plan for the district"
    )
    OpportunityFactory(title="Advocacy at benefit appeals")
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto("/")
    _no_sideways_scroll(page)
    axe(page)
    search = page.get_by_role("search", name="Site search")
    search.get_by_label("Search the portal").fill("advocate")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=advocate")

    main = page.locator("main")
    assert "2 results for “advocate”" in main.inner_text()
    assert main.get_by_role("heading", name="Service specifications (1)").is_visible()
    assert main.get_by_role("heading", name="Funding opportunities (1)").is_visible()
    _no_sideways_scroll(page)
    axe(page)

    main.get_by_role("link", name="Service specifications (1)").click()
    page.wait_for_url("**/search/?q=advocate&type=specifications")
    assert "1 result in service specifications for “advocate”" in main.inner_text()
    _no_sideways_scroll(page)
    axe(page)

    main.get_by_role("link", name="Independent advocacy").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}#specification-{specification.pk}")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/search/?q=xylophone")
    assert "There are no matching results." in page.locator("main").inner_text()
    axe(page)
