"""An officer takes a commission from creation to planning; a provider books a workshop."""

import datetime

import pytest
from django.utils import timezone

from commissioning.models import Area, Commission
from core.roles import Role
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_officer_understands_needs_and_moves_to_planning(page, axe, sign_in, browser, live_server):
    Area.objects.create(name="Morecambe", slug="morecambe", kind=Area.Kind.AREA)
    UserFactory(roles=[Role.OFFICER], email="sam@example.org", full_name="Sam Okafor")
    provider = UserFactory(roles=[Role.PROVIDER], email="jo@example.org", full_name="Jo White")
    OrganisationFactory(name="Morecambe Bay Community Food Network", members=[provider])
    sign_in("sam@example.org")

    # Create the commission.
    page.goto("/staff/")
    axe(page)
    page.get_by_role("button", name="Create a commission").click()
    page.get_by_label("Title").fill("Tackling loneliness in later life")
    page.get_by_label("VCFS").check()
    page.get_by_label("Health and Well Being").check()
    page.get_by_label("Morecambe (whole area)").check()
    page.get_by_label("Indicative budget (£)").fill("150000")
    page.locator("#id_period_start_0").fill("1")
    page.locator("#id_period_start_1").fill("4")
    page.locator("#id_period_start_2").fill("2027")
    page.locator("#id_period_end_0").fill("31")
    page.locator("#id_period_end_1").fill("3")
    page.locator("#id_period_end_2").fill("2030")
    page.get_by_label("Summary").fill("Befriending and lunch clubs for older people.")
    axe(page)
    page.get_by_role("button", name="Save commission").click()
    page.wait_for_url("**/staff/commissions/*/")
    commission = Commission.objects.get()
    assert "Draft" in page.locator("main").inner_text()
    axe(page)

    # Start understanding needs.
    page.get_by_role("button", name="Start understanding needs").click()
    axe(page)
    page.get_by_role("button", name="Start understanding needs").click()
    page.wait_for_url(f"**{commission.get_absolute_url()}")
    assert "Understanding needs" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Move to planning").count() == 0

    # Record an engagement event about it.
    page.goto("/staff/engagement/events/new/")
    event_day = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Event title").fill("Later life in Morecambe: provider workshop")
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("Description").fill("What older people tell us, and where the gaps are.")
    page.locator("#id_start_date_0").fill(str(event_day.day))
    page.locator("#id_start_date_1").fill(str(event_day.month))
    page.locator("#id_start_date_2").fill(str(event_day.year))
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("End time").fill("12:30pm")
    page.get_by_label("Venue (optional if the event is online)").fill("Morecambe Town Hall")
    page.get_by_label("Number of places (optional)").fill("20")
    page.get_by_label("Tackling loneliness in later life").check()
    page.get_by_label("Publish this event on the portal").check()
    axe(page)
    page.get_by_role("button", name="Save event").click()
    page.wait_for_load_state()
    assert "Later life in Morecambe" in page.locator("main").inner_text()
    axe(page)

    # Add needs evidence from the commission page.
    page.goto(commission.get_absolute_url())
    page.get_by_role("link", name="Add needs evidence").click()
    page.get_by_label("Title").fill("Census 2021: older people living alone in Morecambe")
    page.get_by_label("Demography").check()
    page.get_by_label("Source").fill("Office for National Statistics")
    page.locator("#id_dated_0").fill("2")
    page.locator("#id_dated_1").fill("11")
    page.locator("#id_dated_2").fill("2022")
    page.get_by_label("Summary").fill("One in three people over 65 in Morecambe live alone.")
    assert page.get_by_label("Tackling loneliness in later life").is_checked()
    axe(page)
    page.get_by_role("button", name="Save evidence").click()
    page.wait_for_load_state()
    assert commission.evidence_items.count() == 1

    # Record a gap in the gap analysis.
    page.goto(commission.get_absolute_url())
    page.get_by_role("link", name="Gap analysis", exact=True).click()
    axe(page)
    page.get_by_role("button", name="Record a gap").click()
    page.get_by_label("Health and Well Being").check()
    page.get_by_label("What is the need?").fill("Older people are lonely at weekends")
    page.get_by_label("What provision exists now?").fill("Two weekday lunch clubs")
    page.get_by_label("What is the gap?").fill("Nothing at weekends")
    page.get_by_label("What is the opportunity?").fill("Weekend community meals")
    page.get_by_label("High").check()
    axe(page)
    page.get_by_role("button", name="Save gap").click()
    page.wait_for_load_state()
    axe(page)

    assert commission.gaps.count() == 1
    # Now it can move to planning.
    page.goto(commission.get_absolute_url())
    page.get_by_role("button", name="Move to planning").click()
    axe(page)
    page.get_by_role("button", name="Move to planning").click()
    page.wait_for_url(f"**{commission.get_absolute_url()}")
    commission.refresh_from_db()
    assert commission.state == "planning"
    assert "Understanding needs → Planning" in page.locator("main").inner_text()

    # A provider books a place at the workshop.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    provider_page = context.new_page()
    provider_page.goto("/accounts/login/")
    provider_page.get_by_label("Email address").fill("jo@example.org")
    provider_page.get_by_label("Password").fill("a-long-test-password")
    provider_page.get_by_role("button", name="Sign in").click()
    provider_page.wait_for_load_state()
    provider_page.goto("/engagement/")
    axe(provider_page)
    provider_page.get_by_role("link", name="Later life in Morecambe: provider workshop").click()
    axe(provider_page)
    provider_page.get_by_role("button", name="Book a place").click()
    provider_page.wait_for_url("**/book/")
    axe(provider_page)
    provider_page.get_by_role("button", name="Book a place").click()
    provider_page.wait_for_load_state()
    assert "Place booked" in provider_page.locator("main").inner_text()
    axe(provider_page)
    assert commission.engagement_events.get().bookings.get().user == provider
    context.close()
