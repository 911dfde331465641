"""The public lists' filters live in the address, so a filtered list can be shared and
bookmarked; each list offers exactly its filtered rows as a CSV file, with cells that a
spreadsheet would run as formulas neutralised; the opportunities are paginated (open,
then opening soon, then closed)."""

import csv
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import CorporatePriority, Sector
from core.csv_export import csv_safe
from procurement.models import Opportunity, Outcome
from tests.factories import OrganisationFactory
from tests.procurement.factories_decisions import award_make
from tests.procurement.factories_opportunities import (
    ClosedOpportunityFactory,
    DraftOpportunityFactory,
    OpportunityFactory,
    UpcomingOpportunityFactory,
    at,
    published_specification,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def download_link(response) -> str:
    """The address of the page's "Download these as CSV" link, as a browser reads it."""
    html = response.content.decode()
    match = re.search(r'<a class="govuk-link" href="([^"]+)" download>Download these as CSV', html)
    assert match, "no CSV link"
    return unescape(match.group(1))


# --- Cells a spreadsheet would run ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1524 582000", "'+44 1524 582000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("Morecambe Bay Foodbank", "Morecambe Bay Foodbank"),
        ("12500.00", "12500.00"),
        (None, ""),
        ("", ""),
    ],
)
def test_csv_safe_neutralises_formulas(value, cell):
    assert csv_safe(value) == cell


# --- Award decisions -------------------------------------------------------------------------


def test_decision_filters_are_a_get_form_whose_address_can_be_shared(client):
    award_make(organisation=OrganisationFactory(name="Grant Holder"), funding_type="grant")
    award_make(organisation=OrganisationFactory(name="Contract Holder"), funding_type="contract")

    html = client.get("/decisions/").content.decode()
    assert re.search(r'<form method="get" novalidate action="/decisions/">', html)

    shared = client.get("/decisions/?funding_type=contract")  # a bookmarked address
    page = text_of(shared)
    assert "Contract Holder" in page and "Grant Holder" not in page
    assert "1 award matching your search and filters" in page
    assert 'value="contract" selected' in shared.content.decode()


def test_decision_csv_has_exactly_the_filtered_rows_of_every_page(client):
    for number in range(27):
        award_make(organisation=OrganisationFactory(name=f"Grant {number:02d}"), amount="100")
    award_make(organisation=OrganisationFactory(name="Contract Holder"), funding_type="contract")
    award_make(organisation=OrganisationFactory(name="Refused"), outcome=Outcome.UNSUCCESSFUL)
    award_make(organisation=OrganisationFactory(name="Unapproved"), approved=False)

    listed = client.get("/decisions/", {"funding_type": "grant"})
    assert "27 awards matching your search and filters" in text_of(listed)
    link = download_link(listed)
    assert link == "/decisions.csv?funding_type=grant"

    rows = csv_rows(client.get(link))
    assert len(rows) == 27  # both pages of the register, not one
    names = {row["Recipient"] for row in rows}
    assert names == {f"Grant {number:02d}" for number in range(27)}
    assert {row["Grant or contract"] for row in rows} == {"Grant"}
    assert {row["Amount awarded (£)"] for row in rows} == {"100.00"}

    everything = csv_rows(client.get("/decisions.csv"))
    assert len(everything) == 28
    assert "Refused" not in {row["Recipient"] for row in everything}
    assert "Unapproved" not in {row["Recipient"] for row in everything}


def test_decision_csv_row_says_what_the_register_says(client):
    decision = award_make(
        organisation=OrganisationFactory(name="Carnforth Lunch Club", org_id="GB-CHC-1164883"),
        amount="12500",
        title="Lunch clubs in Carnforth",
    )
    [row] = csv_rows(client.get("/decisions.csv"))
    assert row["Recipient"] == "Carnforth Lunch Club"
    assert row["Organisation identifier"] == "GB-CHC-1164883"
    assert row["Amount awarded (£)"] == "12500.00"
    assert row["Purpose"] == "Lunch clubs in Carnforth"
    assert row["Date of the decision"] == "2026-11-26"
    assert row["Web page"] == f"http://testserver/decisions/{decision.pk}/"


def test_decision_csv_neutralises_a_formula_looking_name(client):
    award_make(organisation=OrganisationFactory(name="=cmd|' /C calc'!A0"))
    award_make(organisation=OrganisationFactory(name="@Risky Trust"), title="-Lunch clubs")
    rows = csv_rows(client.get("/decisions.csv"))
    names = {row["Recipient"] for row in rows}
    assert names == {"'=cmd|' /C calc'!A0", "'@Risky Trust"}
    assert "'-Lunch clubs" in {row["Purpose"] for row in rows}


def test_decision_csv_with_a_search_and_unknown_filters(client):
    award_make(organisation=OrganisationFactory(name="Morecambe Bay Foodbank"))
    award_make(organisation=OrganisationFactory(name="Lancaster Arts"))
    rows = csv_rows(client.get("/decisions.csv", {"q": "foodbank", "sector": "no-such-sector"}))
    assert [row["Recipient"] for row in rows] == ["Morecambe Bay Foodbank"]


def test_no_csv_link_when_there_are_no_awards(client):
    assert "Download these as CSV" not in text_of(client.get("/decisions/"))
    assert csv_rows(client.get("/decisions.csv")) == []


def test_decision_csv_queries_stay_flat_from_5_to_50(client):
    def queries_with(count: int) -> int:
        while len(awards) < count:
            awards.append(award_make(organisation=OrganisationFactory()))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/decisions.csv", {"funding_type": "grant"}).status_code == 200
        return len(queries)

    awards = []
    assert queries_with(5) == queries_with(50) == queries_with(90)


# --- Opportunities ---------------------------------------------------------------------------


@pytest.fixture
def arts_growth():
    arts = Sector.objects.get(short_name="Arts")
    growth = CorporatePriority.objects.get(slug="economic-growth", framework__is_current=True)
    return published_specification(state="procurement", sector=arts, priorities=[growth])


def test_opportunity_filters_in_the_address_and_their_csv(client, arts_growth):
    OpportunityFactory(title="Community advice")
    OpportunityFactory(title="Festival commissions", specification=arts_growth)
    UpcomingOpportunityFactory(title="Festival workshops", specification=arts_growth)
    ClosedOpportunityFactory(title="Last year's festival", specification=arts_growth)
    DraftOpportunityFactory(title="Draft nobody sees")

    listed = client.get("/opportunities/?sector=arts")
    page = text_of(listed)
    assert "3 opportunities matching your filters" in page
    assert "Community advice" not in page
    link = download_link(listed)
    assert link == "/opportunities.csv?sector=arts"

    rows = csv_rows(client.get(link))
    assert [(row["Title"], row["Status"]) for row in rows] == [
        ("Festival commissions", "Open"),
        ("Festival workshops", "Upcoming"),
        ("Last year's festival", "Closed"),
    ]
    assert {row["Sector"] for row in rows} == {"Arts sector"}
    assert rows[0]["Budget (£)"] == "60000.00"
    assert rows[0]["Closes"].endswith("17:00")

    everything = {row["Title"] for row in csv_rows(client.get("/opportunities.csv"))}
    assert "Community advice" in everything
    assert "Draft nobody sees" not in everything


def test_opportunity_csv_neutralises_formulas(client):
    OpportunityFactory(title="=1+1 advice", slug="formula-advice")
    [row] = csv_rows(client.get("/opportunities.csv"))
    assert row["Title"] == "'=1+1 advice"


def test_opportunities_are_paginated_keeping_the_filters(client, arts_growth):
    OpportunityFactory(title="Open one", specification=arts_growth)
    for number in range(27):
        ClosedOpportunityFactory(
            title=f"Closed {number:02d}", specification=arts_growth, questions=False
        )

    first = client.get("/opportunities/", {"sector": "arts"})
    html = first.content.decode()
    page = text_of(first)
    assert "Showing opportunities 1 to 25 of 28" in page
    assert 'href="?sector=arts&amp;page=2"' in html
    assert "Open one" in page
    assert page.index("Open one") < page.index("Closed 26")  # open first, latest closed next

    second = client.get("/opportunities/", {"sector": "arts", "page": 2})
    page = text_of(second)
    assert "Showing opportunities 26 to 28 of 28" in page
    assert [f"Closed {n:02d}" in page for n in (0, 1, 2, 3)] == [True, True, True, False]
    assert "Open one" not in page and "Open for bids" not in page
    assert "(page 2 of 2)" in second.content.decode().split("</title>")[0]

    # The CSV holds every one, not a page of them.
    assert len(csv_rows(client.get("/opportunities.csv", {"sector": "arts"}))) == 28
    # A page number past the end shows the last page rather than failing.
    assert client.get("/opportunities/", {"page": 99}).status_code == 200
    assert client.get("/opportunities/", {"page": "x"}).status_code == 200


def test_many_open_opportunities_are_shown_25_to_a_page_then_what_opens_soon(client):
    specification = published_specification(state="procurement")
    for number in range(30):
        OpportunityFactory(
            title=f"Open {number:02d}",
            closes_at=at(10 + number, 17),
            specification=specification,
            questions=False,
        )
    UpcomingOpportunityFactory(title="Opening later", specification=specification)

    first = client.get("/opportunities/")
    page = text_of(first)
    assert "Showing opportunities 1 to 25 of 31" in page
    assert [f"Open {n:02d}" in page for n in (0, 24, 25, 29)] == [True, True, False, False]
    assert "Opening later" not in page and "Opening soon" not in page
    html = first.content.decode()
    assert 'aria-label="Pages of funding opportunities"' in html
    assert 'href="?page=2"' in html

    page = text_of(client.get("/opportunities/", {"page": 2}))
    assert [f"Open {n:02d}" in page for n in (24, 25, 29)] == [False, True, True]
    assert page.index("Open 29") < page.index("Opening soon") < page.index("Opening later")


@pytest.mark.parametrize("path", ["/opportunities/", "/opportunities.csv"])
def test_opportunity_list_and_csv_queries_stay_flat_from_5_to_50(client, path):
    specification = published_specification(state="procurement")

    def queries_with(rows: int) -> int:
        Opportunity.objects.all().delete()
        factories = (OpportunityFactory, UpcomingOpportunityFactory, ClosedOpportunityFactory)
        for n in range(rows):
            factories[n % 3](specification=specification, questions=False)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, {"priority": "health-and-well-being"}).status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50) == queries_with(90) <= 15
