"""Evaluation to the next cycle: the lead officer evaluates an agreement (outcomes from the
accepted return, a lesson, the impact, SROI shown), finds the commission cannot close until
its own evaluation is complete, completes it, closes the commission and recommissions it;
the new commission's Understand page starts from the lessons. axe-core on every page
state."""

import re

import pytest

from commissioning.models import Commission, CommissionState
from tests.browser.conftest import enter_sign_in_code
from tests.monitoring.factories_evaluation import commission_put, delivered

PASSWORD = "a-long-test-password"
AGREEMENT_LESSON = "Benefit checks at the lunch table reach people who never book advice."
COMMISSION_LESSON = "Demand doubles in winter: plan more opening days from December."


def _main(page) -> str:
    return page.locator("main").inner_text()


def _wait_for(page, path: str) -> None:
    page.wait_for_url(re.compile(rf"^[^?#]*{re.escape(path)}(#.*)?$"))


@pytest.mark.django_db(transaction=True)
def test_evaluate_close_recommission_and_the_lessons_start_the_next_cycle(page, live_server, axe):
    made = delivered()
    commission = commission_put(made.assessed.commission, CommissionState.REVIEW)
    lead = made.officer
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    enter_sign_in_code(page, lead.email)

    # 1. The agreement's evaluation: outcomes from the accepted return only.
    agreement_url = f"/staff/agreements/{made.agreement.pk}/evaluation/"
    page.goto(agreement_url)
    main = _main(page)
    assert "From the 1 accepted monitoring return of 4" in main
    assert "Social Return on Investment" in main
    axe(page)
    page.get_by_role("button", name="Save and complete").click()
    main = _main(page)
    assert "There is a problem" in page.content()
    assert "Add at least one lesson learned before you complete the evaluation" in main
    axe(page)
    page.get_by_role("link", name="Add a lesson learned").click()
    axe(page)
    page.get_by_label("Lesson").fill(AGREEMENT_LESSON)
    page.get_by_label("Corporate Priority").select_option(label="Health and Well Being")
    page.get_by_role("button", name="Add the lesson").click()
    _wait_for(page, agreement_url)
    page.get_by_label("Impact").fill("Twenty older people less alone each week.")
    page.get_by_label("Recommission: run the service again for the next period").check()
    page.get_by_role("button", name="Save and complete").click()
    _wait_for(page, agreement_url)
    main = _main(page)
    assert "The evaluation is complete" in main
    assert AGREEMENT_LESSON in main
    axe(page)

    # 2. The commission cannot close yet: its checklist says why, and links to the place.
    page.goto(commission.get_absolute_url())
    main = _main(page)
    assert "The commission’s evaluation is complete" in main
    assert "Missing" in main
    axe(page)
    page.get_by_role("link", name=re.compile("The commission’s evaluation is complete")).click()
    _wait_for(page, f"/staff/commissions/{commission.pk}/evaluation/")
    axe(page)
    page.get_by_role("link", name="Add a lesson learned").click()
    page.get_by_label("Lesson").fill(COMMISSION_LESSON)
    page.get_by_label("Corporate Priority").select_option(label="Health and Well Being")
    page.get_by_role("button", name="Add the lesson").click()
    page.get_by_label("Impact").fill("The club reached people no other service did.")
    page.get_by_label("Recommission: run the service again for the next period").check()
    page.get_by_role("button", name="Save and complete").click()
    assert "The evaluation is complete" in _main(page)
    axe(page)

    # 3. Close the commission from its page.
    page.goto(commission.get_absolute_url())
    page.get_by_role("button", name="Close the commission").click()
    axe(page)
    page.get_by_role("button", name="Close the commission").click()
    _wait_for(page, commission.get_absolute_url())
    assert "is now at: Closed" in _main(page)
    axe(page)

    # 4. Recommission it for the next period.
    page.goto(f"/staff/commissions/{commission.pk}/evaluation/")
    page.get_by_role("button", name="Recommission or redesign").click()
    axe(page)
    page.get_by_label(
        "Recommission: a new commission for the next period, starting at Understand"
    ).check()
    page.get_by_role("button", name="Open the next cycle").click()
    new = Commission.objects.get(previous_cycle=commission)
    _wait_for(page, new.get_absolute_url())
    main = _main(page)
    assert "opened for the next cycle" in main
    assert f"Recommissioned from {commission.reference}" in main
    axe(page)

    # 5. Its Understand page starts from what was learned.
    page.goto(f"/staff/commissions/{new.pk}/gaps/")
    main = _main(page)
    assert "Lessons learned for these priorities" in main
    assert AGREEMENT_LESSON in main and COMMISSION_LESSON in main
    axe(page)
