"""The public journey, signed out: the home page says what is open, decided and planned; the
framework; the plans and a plan's PDF; the opportunities filtered by sector, and the filtered
address opened again in a new page shows the same filter; an award decision; search; open
data. Every page passes axe-core 1280 and 320 pixels wide, and none scrolls sideways at
320 pixels."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.models import Sector
from tests.factories import OrganisationFactory, PlanFactory, SpecificationFactory
from tests.procurement.factories_decisions import award_make
from tests.procurement.factories_opportunities import OpportunityFactory, published_specification

DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}
# 320 pixels less a classic scrollbar's 15.
REFLOW = {"width": 305, "height": 640}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def check(page, axe) -> None:
    """axe-core clean at 1280 and at 320 pixels wide, with no sideways scroll at 320."""
    page.set_viewport_size(DESKTOP)
    axe(page)
    page.set_viewport_size(REFLOW)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= REFLOW["width"], f"{page.url} is {width} px wide in a 320 px window"
    page.set_viewport_size(NARROW)
    axe(page)
    page.set_viewport_size(DESKTOP)


def navigate(page, name: str) -> None:
    """Follow a link in the service navigation."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()
    page.wait_for_load_state()


@pytest.fixture
def published():
    """A published plan with its PDF; an open advice grant (VCFS) and an open festival
    contract (Arts); an award on the register."""
    vcfs = published_specification(state="procurement")
    arts = published_specification(
        state="procurement", sector=Sector.objects.get(short_name="Arts")
    )
    plan = PlanFactory(
        state="published",
        title="Voluntary sector Commissioning Plan 2027 to 2030",
        specifications=[SpecificationFactory(commission=vcfs.commission, title="Advocacy")],
    )
    plan.published_at = timezone.now() - dt.timedelta(days=30)
    plan.pdf.save(f"{plan.slug}.pdf", ContentFile(PDF), save=True)
    OpportunityFactory(
        title="Independent advocacy in Morecambe",
        specification=vcfs,
        summary="Advocacy for people who find it hard to be heard.",
    )
    OpportunityFactory(
        title="Summer festival commissions", specification=arts, funding_type="contract"
    )
    award = award_make(
        organisation=OrganisationFactory(name="Morecambe Bay Advocacy"),
        title="Independent advocacy for older people",
        amount="24000",
    )
    return {"plan": plan, "award": award}


@pytest.mark.django_db(transaction=True)
def test_the_public_journey_signed_out(page, browser, live_server, axe, published):
    plan, award = published["plan"], published["award"]
    page.set_viewport_size(DESKTOP)

    # Home: what is open now, what the council has decided, what it plans.
    page.goto("/")
    assert page.locator("h1").inner_text() == "Commissioning portal"
    open_now = page.get_by_role("region", name="Open for bids now")
    assert "Independent advocacy in Morecambe" in open_now.inner_text()
    decided = page.get_by_role("region", name="What the council has decided")
    assert "Morecambe Bay Advocacy awarded £24,000" in decided.inner_text()
    planned = page.get_by_role("region", name="What the council plans")
    assert plan.title in planned.inner_text()
    check(page, axe)

    # The framework.
    navigate(page, "Framework")
    assert "Commissioning Framework" in page.locator("h1").inner_text()
    check(page, axe)

    # The plans, a plan, and its PDF.
    navigate(page, "Plans")
    assert page.locator("h1").inner_text() == "Commissioning Plans"
    check(page, axe)
    page.get_by_role("link", name=re.compile(plan.title)).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == plan.title
    assert "Published 27 October 2026" in page.locator("main").inner_text()
    check(page, axe)
    pdf_link = page.get_by_role("link", name=re.compile("Download the PDF"))
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # Opportunities, filtered by sector; the filtered address, shared, shows the same.
    navigate(page, "Opportunities")
    assert page.locator("h1").inner_text() == "Funding opportunities"
    check(page, axe)
    page.get_by_label("Sector").select_option(label="Arts")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "sector=arts" in page.url
    main = page.locator("main").inner_text()
    assert "1 opportunity matching your filters" in main
    assert "Summer festival commissions" in main
    assert "Independent advocacy in Morecambe" not in main
    check(page, axe)
    shared_url = page.url
    shared = page.context.new_page()
    shared.set_viewport_size(DESKTOP)
    shared.goto(shared_url)
    assert shared.get_by_label("Sector").input_value() == "arts"
    shared_main = shared.locator("main").inner_text()
    assert "1 opportunity matching your filters" in shared_main
    assert "Summer festival commissions" in shared_main
    assert "Independent advocacy in Morecambe" not in shared_main
    csv_link = shared.get_by_role("link", name=re.compile("Download these as CSV"))
    download = shared.request.get(csv_link.get_attribute("href"))
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert "Summer festival commissions" in download.text()
    assert "Independent advocacy in Morecambe" not in download.text()
    shared.close()

    # A decision on the register.
    navigate(page, "Decisions")
    assert page.locator("h1").inner_text() == "Award decisions"
    check(page, axe)
    page.get_by_role("link", name="Morecambe Bay Advocacy: £24,000").click()
    page.wait_for_load_state()
    assert page.url.endswith(award.get_absolute_url())
    assert page.locator("h1").inner_text() == "Morecambe Bay Advocacy awarded £24,000"
    assert "Published 26 November 2026" in page.locator("main").inner_text()
    check(page, axe)

    # Search, from the box in the header.
    search = page.get_by_role("search", name="Site search")
    search.get_by_label("Search the portal").fill("advocacy")
    search.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "/search/" in page.url
    assert page.locator("h1").inner_text() == "Search"
    results = page.locator("main").inner_text()
    assert "Independent advocacy in Morecambe" in results
    check(page, axe)

    # Open data, from the footer.
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Open data"
    check(page, axe)
