"""Browser: the golden thread. The public follows a published specification's thread to its
plan and reads what the plan achieved; an officer goes from a gap in the gap analysis to its
thread, on to the evidence behind it and back to the specification; an administrator starts
a new framework period. axe-core on every page; nothing scrolls sideways at 320px."""

import pytest

from core.roles import Role
from tests.commissioning.test_thread import EVIDENCE, GAP, UNAPPROVED, thread_made
from tests.factories import UserFactory

OFFICER = "thread.officer@example.org"
ADMIN = "thread.admin@example.org"


def _main(page) -> str:
    return page.locator("main").inner_text()


def _reflows(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways at 320px ({width}px)"
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.django_db(transaction=True)
def test_the_public_follows_the_thread_to_what_the_plan_achieved(page, axe):
    made = thread_made()
    page.goto(made["url"])
    main = _main(page)
    assert "From need to outcome" in main
    assert UNAPPROVED not in main and EVIDENCE not in main and GAP not in main
    axe(page)
    _reflows(page)

    plan = made["funded"].specification.plans.get(state="published")
    page.get_by_role("link", name=f"{plan.title}, version 1").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    page.get_by_role("link", name="What this plan achieved").click()
    assert "£2,500 spent of £12,500 awarded" in page.locator("#achieved").inner_text()
    axe(page)
    _reflows(page)


@pytest.mark.django_db(transaction=True)
def test_an_officer_follows_the_thread_forwards_from_a_gap(page, sign_in, axe):
    made = thread_made()
    UserFactory(email=OFFICER, roles=[Role.OFFICER])
    sign_in(OFFICER)
    page.goto(f"/staff/commissions/{made['funded'].commission.pk}/gaps/")
    page.get_by_role("link", name="Follow the thread from this gap").click()
    page.wait_for_url(f"**/staff/thread/gaps/{made['gap'].pk}/")
    assert GAP in _main(page) and made["agreement"].reference in _main(page)
    axe(page)
    _reflows(page)

    page.locator("main").get_by_role("link", name=EVIDENCE).first.click()
    page.wait_for_url(f"**/staff/thread/evidence/{made['evidence'].pk}/")
    axe(page)
    _reflows(page)

    page.get_by_role("link", name="Follow the thread of this specification").first.click()
    page.wait_for_url(f"**{made['url']}")
    assert UNAPPROVED in _main(page) and "awaiting approval" in _main(page)
    axe(page)
    _reflows(page)


@pytest.mark.django_db(transaction=True)
def test_an_administrator_starts_a_new_framework_period(page, sign_in, axe):
    UserFactory(email=ADMIN, roles=[Role.ADMINISTRATOR], is_staff=True)
    sign_in(ADMIN)
    page.goto("/staff/framework/periods/")
    axe(page)
    _reflows(page)
    page.get_by_role("link", name="Start a new framework period").click()
    axe(page)
    page.get_by_label("First year").fill("")
    page.get_by_role("button", name="Start the new period").click()
    assert page.title().startswith("Error: ")
    assert "Enter the first year, like 2026" in page.locator(".govuk-error-summary").inner_text()
    axe(page)
    _reflows(page)
    page.get_by_label("First year").fill("2026")
    page.get_by_label("Last year").fill("2029")
    page.get_by_role("button", name="Start the new period").click()
    page.wait_for_url("**/staff/framework/periods/")
    assert "The 2026 to 2029 framework is now in force" in _main(page)
    axe(page)
