"""The public site finished: sitemap.xml lists only what is published, robots.txt keeps
crawlers out of the signed-in areas, every public page has its own title and description,
published records say when they were published and last changed, and the home page says
what is open now, what the council has decided and what it plans."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import CommissioningPlan, Framework
from procurement.models import Opportunity, Outcome
from tests.factories import OrganisationFactory, PlanFactory
from tests.procurement.factories_decisions import award_make
from tests.procurement.factories_opportunities import (
    ClosedOpportunityFactory,
    DraftOpportunityFactory,
    OpportunityFactory,
    PublishedClarificationFactory,
    UpcomingOpportunityFactory,
    at,
    published_specification,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def sitemap_paths(client) -> dict[str, str]:
    """Each address in sitemap.xml (its path) with its lastmod ("" when none)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.findall(f"{SITEMAP}url"):
        location = url.find(f"{SITEMAP}loc").text
        assert location.startswith("http://")
        path = "/" + location.split("/", 3)[3]
        lastmod = url.find(f"{SITEMAP}lastmod")
        entries[path] = lastmod.text if lastmod is not None else ""
    return entries


def head(response) -> tuple[str, str]:
    """The page's <title> and meta description."""
    html = response.content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
    descriptions = re.findall(r'<meta name="description"', html)
    assert len(descriptions) == 1, f"{len(descriptions)} meta descriptions"
    description = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert description, "no meta description"
    return title, unescape(description.group(1))


@pytest.fixture
def published_things():
    """One of each published thing, and one of each that is not."""
    plan = PlanFactory(state="published", title="VCFS Commissioning Plan 2027 to 2030")
    plan.published_at = timezone.now() - dt.timedelta(days=20)
    plan.save()
    draft_plan = PlanFactory(state="draft", title="Draft Arts Plan")
    awaiting = PlanFactory(state="approved", title="Approved, not published")
    opportunity = OpportunityFactory(title="Money advice in Morecambe")
    closed = ClosedOpportunityFactory(title="Last year's lunch clubs")
    draft_opportunity = DraftOpportunityFactory(title="Unpublished opportunity")
    award = award_make(organisation=OrganisationFactory(name="Morecambe Bay Foodbank"))
    refused = award_make(outcome=Outcome.UNSUCCESSFUL)
    unapproved = award_make(approved=False)
    return {
        "plan": plan,
        "draft_plan": draft_plan,
        "awaiting_plan": awaiting,
        "opportunity": opportunity,
        "closed": closed,
        "draft_opportunity": draft_opportunity,
        "award": award,
        "refused": refused,
        "unapproved": unapproved,
    }


# --- sitemap.xml -------------------------------------------------------------------------------


def test_sitemap_lists_published_things_and_the_public_pages(client, published_things):
    paths = sitemap_paths(client)
    things = published_things
    for path in (
        "/",
        "/framework/",
        "/framework/glossary/",
        "/plans/",
        "/opportunities/",
        "/decisions/",
        "/open-data/",
        "/engagement/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        things["plan"].get_absolute_url(),
        things["opportunity"].get_absolute_url(),
        things["closed"].get_absolute_url(),
        things["award"].get_absolute_url(),
    ):
        assert path in paths, path
    assert paths[things["plan"].get_absolute_url()] == "2026-11-06"
    assert paths[things["award"].get_absolute_url()] == "2026-11-26"


def test_sitemap_leaves_out_anything_unpublished(client, published_things):
    paths = sitemap_paths(client)
    things = published_things
    for key in ("draft_plan", "awaiting_plan", "draft_opportunity", "refused", "unapproved"):
        assert things[key].get_absolute_url() not in paths, key
    assert not any(path.startswith(("/staff/", "/admin/", "/accounts/")) for path in paths)
    # Every address it lists answers the public.
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_sitemap_queries_stay_flat_from_5_to_50(client):
    specification = published_specification(state="procurement")

    def queries_with(count: int) -> int:
        while CommissioningPlan.objects.count() < count:
            PlanFactory(state="published")
            OpportunityFactory(specification=specification, questions=False)
            award_make()
        client.get("/sitemap.xml")  # the site's domain is cached after the first time
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sitemap.xml").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


# --- robots.txt ------------------------------------------------------------------------------


def test_robots_keeps_crawlers_out_of_signed_in_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow:")}
    assert {"/staff/", "/admin/", "/accounts/", "/bids/", "/agreements/", "/returns/"} <= (
        disallowed
    )
    for public in ("/", "/plans/", "/opportunities/", "/decisions/", "/framework/"):
        assert public not in disallowed
    assert f"Sitemap: http://{settings.SITE_DOMAIN}/sitemap.xml" in lines


# --- Titles and descriptions -------------------------------------------------------------------


def test_every_public_page_has_its_own_title_and_description(client, published_things):
    things = published_things
    pages = [
        "/",
        "/framework/",
        "/framework/glossary/",
        "/plans/",
        things["plan"].get_absolute_url(),
        "/opportunities/",
        things["opportunity"].get_absolute_url(),
        things["closed"].get_absolute_url(),
        "/decisions/",
        things["award"].get_absolute_url(),
        "/engagement/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    titles, descriptions = {}, {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        title, description = head(response)
        assert title.endswith("Commissioning portal – Lancaster City Council"), path
        assert 50 <= len(description) <= 320, (path, description)
        titles.setdefault(title, []).append(path)
        descriptions.setdefault(description, []).append(path)
    assert [paths for paths in titles.values() if len(paths) > 1] == []
    assert [paths for paths in descriptions.values() if len(paths) > 1] == []


def test_a_records_description_says_what_it_is(client, published_things):
    _, description = head(client.get(published_things["award"].get_absolute_url()))
    assert description.startswith("Morecambe Bay Foodbank was awarded £12,500")
    _, description = head(client.get(published_things["opportunity"].get_absolute_url()))
    assert description.startswith("Grant of up to £60,000 from Lancaster City Council")


# --- Published and last updated ----------------------------------------------------------------


def test_a_plan_says_when_it_was_published_and_last_changed(client, published_things, clock):
    plan = published_things["plan"]
    page = text_of(client.get(plan.get_absolute_url()))
    assert "Published 6 November 2026 · Last updated 6 November 2026" in page

    # A new version supersedes it: the old page changes on the day the new one is published.
    plan.__dict__["state"] = "superseded"
    plan.save()
    newer = PlanFactory(state="published", series=plan.series, version=2, slug=f"{plan.series}-v2")
    newer.published_at = timezone.now()
    newer.save()
    page = text_of(client.get(plan.get_absolute_url()))
    assert "Published 6 November 2026 · Last updated 26 November 2026" in page


def test_an_opportunity_is_updated_when_an_answer_is_published(client, clock):
    opportunity = OpportunityFactory(published_at=at(-10, 9))
    Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=at(-10, 9))
    page = text_of(client.get(opportunity.get_absolute_url()))
    assert "Published 16 November 2026 · Last updated 16 November 2026" in page

    clock.move_to(at(-2, 12))
    PublishedClarificationFactory(opportunity=opportunity)
    clock.move_to(at(0, 10))
    page = text_of(client.get(opportunity.get_absolute_url()))
    assert "Published 16 November 2026 · Last updated 24 November 2026" in page


def test_a_decision_says_when_it_was_published(client):
    award = award_make(decided_on=dt.date(2026, 10, 1))
    page = text_of(client.get(award.get_absolute_url()))
    assert "Published 1 October 2026 · Last updated 1 October 2026" in page


# --- The home page -----------------------------------------------------------------------------


def test_home_page_answers_what_is_open_decided_and_planned(client, published_things):
    OpportunityFactory(title="Closing soonest", closes_at=at(3))
    OpportunityFactory(title="Closing later", closes_at=at(50))
    OpportunityFactory(title="Closing last", closes_at=at(60))
    UpcomingOpportunityFactory(title="Not open yet")
    for number in range(4):
        award_make(
            organisation=OrganisationFactory(name=f"Older Award {number}"),
            decided_on=dt.date(2026, 6, 1 + number),
        )

    page = text_of(client.get("/"))

    open_now = page[page.index("Open for bids now") : page.index("What the council has decided")]
    assert "Closing soonest" in open_now
    assert open_now.index("Closing soonest") < open_now.index("Money advice in Morecambe")
    assert "Closing later" in open_now
    assert "Closing last" not in open_now  # the three closing soonest only
    assert "Not open yet" not in open_now and "Last year's lunch clubs" not in open_now
    assert "See all 4 opportunities open for bids" in open_now

    decided = page[
        page.index("What the council has decided") : page.index("What the council plans")
    ]
    assert "Morecambe Bay Foodbank awarded £12,500" in decided
    assert "Older Award 3" in decided and "Older Award 2" in decided
    assert "Older Award 0" not in decided
    assert "See all 5 award decisions" in decided

    planned = page[page.index("What the council plans") : page.index("How commissioning works")]
    assert "VCFS Commissioning Plan 2027 to 2030" in planned
    assert "Published 6 November 2026" in planned
    assert "Draft Arts Plan" not in planned and "Approved, not published" not in planned


def test_home_page_when_nothing_is_published_yet(client):
    page = text_of(client.get("/"))
    assert "Nothing is open for bids at the moment." in page
    assert "No awards have been made yet." in page
    assert "No Commissioning Plans have been published yet." in page


def test_home_page_queries_stay_flat_from_5_to_50(client):
    specification = published_specification(state="procurement")

    def queries_with(count: int) -> int:
        while CommissioningPlan.objects.filter(state="published").count() < count:
            PlanFactory(state="published", published_at=timezone.now())
            OpportunityFactory(specification=specification, questions=False)
            award_make()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50) <= 15


# --- The accessibility statement ---------------------------------------------------------------


def test_accessibility_statement_follows_the_govuk_sample_and_says_what_was_tested(client):
    html = client.get("/accessibility/").content.decode()
    headings = re.findall(r"<h[23] [^>]*>([^<]+)</h[23]>", html)
    sample = [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that’s not within the scope of the accessibility regulations",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]
    assert [heading for heading in headings if heading in sample] == sample
    page = text_of(client.get("/accessibility/"))
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in page
    # What is tested, as the suite tests it.
    assert "axe-core 4.14" in page
    assert "WCAG 2.0, 2.1 and 2.2 level A and AA" in page
    assert "1280 pixels wide and again 320 pixels wide" in page
    # What is known not to meet WCAG 2.2 AA.
    assert "1.4.10 (reflow)" in page
    assert "the staff home page" in page and "the staff list of agreements" in page
    assert "This statement was prepared on 6 December 2026." in page


def test_an_earlier_framework_period_is_in_the_sitemap_with_its_own_description(client):
    current = Framework.objects.get(is_current=True)
    earlier = Framework.objects.create(
        title=current.title,
        slug="framework-2009-2012",
        period_start=2009,
        period_end=2012,
        core_purpose="To commission services that meet local needs.",
        what_is_commissioning="Commissioning is a cycle.",
        is_current=False,
    )
    paths = sitemap_paths(client)
    assert "/framework/" in paths
    assert f"/framework/periods/{earlier.slug}/" in paths
    now_title, now_description = head(client.get("/framework/"))
    then_title, then_description = head(client.get(f"/framework/periods/{earlier.slug}/"))
    assert now_title != then_title
    assert now_description != then_description
    assert "2009 to 2012" in then_description
