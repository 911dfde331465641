"""Signed out, a visitor follows the footer to the open data page, which passes axe-core
at desktop width and reflows at 320 px, and downloads the 360Giving file it lists."""

import json

import pytest

from tests.procurement.factories_decisions import award_make


@pytest.mark.django_db(transaction=True)
def test_from_the_footer_to_open_data_and_its_files(page, axe):
    award = award_make()
    page.goto("/decisions/")
    page.locator("footer").get_by_role("link", name="Open data").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Open data"
    assert "1 award so far" in page.locator("main").inner_text()
    axe(page)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)

    link = page.get_by_role(
        "link", name="Grants and contracts awarded (360Giving Data Standard, JSON)"
    )
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    (grant,) = json.loads(response.body())["grants"]
    assert grant["recipientOrganization"][0]["name"] == award.bid.organisation.name
