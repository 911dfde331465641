"""Browser: an officer goes from an agreement's performance page to its Social Return on
Investment, reads the ratio (£4.32 for each £1, the worked example of
tests/monitoring/test_sroi.py), changes one assumption and sees the ratio move (£3.25),
types a wrong one and is shown the GOV.UK error beside it, and reads the sensitivity chart's
table. axe-core on every state; nothing scrolls sideways at 320px."""

import pytest

from core.roles import Role
from tests.factories import UserFactory
from tests.monitoring.factories_sroi import INTO_WORK, measure_key, sroi_worked_example

OFFICER = "sroi.officer@example.org"


def _main(page) -> str:
    return page.locator("main").inner_text()


@pytest.mark.django_db(transaction=True)
def test_officer_changes_an_assumption_and_sees_the_ratio_move(page, sign_in, axe):
    agreement = sroi_worked_example()
    UserFactory(email=OFFICER, roles=[Role.OFFICER])
    key = measure_key(INTO_WORK)
    sign_in(OFFICER)

    page.goto(f"/staff/agreements/{agreement.pk}/performance/")
    page.get_by_role("link", name="Social Return on Investment").click()
    page.wait_for_url(f"**/staff/agreements/{agreement.pk}/sroi/")
    assert "£4.32 of social value for each £1 invested" in _main(page)
    assert "£43,151.37" in _main(page)
    axe(page)

    deadweight = page.locator(f"#id_{key}-deadweight")
    assert deadweight.input_value() == "30"
    deadweight.fill("50")
    page.get_by_role("button", name="Work out the ratio again").click()
    page.wait_for_load_state()
    assert f"{key}-deadweight=50" in page.url
    assert "£3.25 of social value for each £1 invested" in _main(page)
    assert "You have changed some assumptions" in _main(page)
    axe(page)

    page.locator(f"#id_{key}-deadweight").fill("150")
    page.get_by_role("button", name="Work out the ratio again").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    message = f"The deadweight for {INTO_WORK} must be between 0 and 100"
    assert message in summary.inner_text()
    assert message in page.locator(f"#id_{key}-deadweight-error").inner_text()
    assert page.locator(f"#id_{key}-deadweight").input_value() == "150"  # nothing typed lost
    assert "£4.32 of social value" in _main(page)  # the usual figures stand
    axe(page)

    page.get_by_role("link", name="Use the usual assumptions").first.click()
    page.wait_for_url(f"**/staff/agreements/{agreement.pk}/sroi/")
    table = page.locator("#sensitivity-table").inner_text()
    assert "Financial proxy values" in table and "£3.24" in table and "£5.39" in table
    assert page.locator("svg.portal-chart rect.portal-chart__low").count() == 7

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
