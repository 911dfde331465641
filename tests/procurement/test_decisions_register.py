"""The public register of award decisions: approved, successful awards only, with what
each was for and where; searched and filtered; paginated with the total awarded; its Atom
feed and each award's own page."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Area, CorporatePriority, Sector
from procurement.models import Outcome
from procurement.selectors.decisions import FinancialYear
from procurement.services.agreements import agreement_create
from tests.factories import CommissionFactory, OrganisationFactory
from tests.procurement.factories_decisions import approve, awaiting_approval, award_make

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def places():
    morecambe = Area.objects.create(name="Morecambe", slug="morecambe", kind=Area.Kind.AREA)
    harbour = Area.objects.create(
        name="Harbour", slug="harbour", kind=Area.Kind.WARD, parent=morecambe
    )
    lancaster = Area.objects.create(name="Lancaster", slug="lancaster", kind=Area.Kind.AREA)
    castle = Area.objects.create(
        name="Castle", slug="castle", kind=Area.Kind.WARD, parent=lancaster
    )
    return {"morecambe": morecambe, "harbour": harbour, "lancaster": lancaster, "castle": castle}


def test_only_approved_successful_awards_are_listed(client):
    listed = award_make(organisation=OrganisationFactory(name="Morecambe Bay Foodbank"))
    award_make(
        outcome=Outcome.UNSUCCESSFUL, organisation=OrganisationFactory(name="Turned Down Trust")
    )
    award_make(approved=False, organisation=OrganisationFactory(name="Not Yet Approved CIO"))
    response = client.get("/decisions/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Morecambe Bay Foodbank" in page
    assert "Turned Down Trust" not in page
    assert "Not Yet Approved CIO" not in page
    assert "1 award, £12,500 in total" in page
    assert listed.get_absolute_url() in response.content.decode()


def test_a_recommendation_waiting_for_approval_is_not_published(client, approver):
    assessed = awaiting_approval()
    names = [bid.organisation.name for bid in assessed.bids]
    page = text_of(client.get("/decisions/"))
    assert not any(name in page for name in names)
    approve(assessed, by=approver)
    page = text_of(client.get("/decisions/"))
    assert names[0] in page and names[1] in page
    assert names[2] not in page  # not successful: never named on the register
    assert "2 awards, £55,000 in total" in page


def test_each_award_shows_what_the_register_must(client, places):
    commission = CommissionFactory(
        state="delivery",
        title="Older people's wellbeing programme",
        sector=Sector.objects.get(short_name="Arts"),
        priorities=CorporatePriority.objects.filter(
            slug__in=["health-and-well-being", "community-leadership"]
        ),
        areas=[places["harbour"], places["castle"]],
    )
    award_make(
        commission=commission,
        organisation=OrganisationFactory(name="Dukes Theatre Trust", org_id="GB-CHC-1234567"),
        amount="24999.50",
        title="Reminiscence theatre for people with dementia",
        funding_type="contract",
        decided_on=dt.date(2026, 11, 20),
    )
    page = text_of(client.get("/decisions/"))
    for expected in (
        "Dukes Theatre Trust",
        "GB-CHC-1234567",
        "Amount awarded £24,999.50",
        "Purpose Reminiscence theatre for people with dementia",
        "Programme Older people's wellbeing programme",
        "Grant or contract Contract",
        "Arts sector",
        "Health and Well Being",
        "Community Leadership",
        "Castle, Harbour",
        "Date of the decision 20 November 2026",
        "Runs 1 April 2027 to 31 March 2030",  # the commission's period: no agreement yet
    ):
        assert expected in page, expected


def test_the_agreements_purpose_and_dates_are_shown_once_there_is_one(client):
    decision = award_make(title="Lunch clubs", decided_on=dt.date(2027, 5, 12))
    agreement = agreement_create(decision=decision)
    agreement.purpose = "Weekly lunch clubs for older people in Carnforth."
    agreement.starts_on = dt.date(2027, 6, 1)
    agreement.ends_on = dt.date(2028, 5, 31)
    agreement.save()
    page = text_of(client.get("/decisions/"))
    assert "Purpose Weekly lunch clubs for older people in Carnforth." in page
    assert "Runs 1 June 2027 to 31 May 2028" in page
    page = text_of(client.get(decision.get_absolute_url()))
    assert "Start date 1 June 2027" in page
    assert "End date 31 May 2028" in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("foodbank", {"Morecambe Bay Foodbank"}),
        ("GB-COH-0765", {"Ridge Community Interest Company"}),
        ("skate park", {"Ridge Community Interest Company"}),
        ("arts festival", {"Lancaster Arts Partnership"}),
        ("  MORECAMBE   bay ", {"Morecambe Bay Foodbank"}),
        ("nothing like this", set()),
    ],
)
def test_search_by_name_org_id_purpose_and_programme(client, query, found):
    names = {
        "Morecambe Bay Foodbank": {"org_id": "GB-CHC-1100999", "title": "Emergency food parcels"},
        "Ridge Community Interest Company": {"org_id": "GB-COH-07654321", "title": "Skate park"},
        "Lancaster Arts Partnership": {"org_id": "GB-CHC-1100888", "title": "Workshops"},
    }
    for name, details in names.items():
        commission = CommissionFactory(
            state="delivery",
            title="Summer arts festival" if name == "Lancaster Arts Partnership" else "Food",
        )
        award_make(
            commission=commission,
            organisation=OrganisationFactory(name=name, org_id=details["org_id"]),
            title=details["title"],
        )
    response = client.get("/decisions/", {"q": query})
    page = text_of(response)
    assert {name for name in names if name in page} == found
    assert f'value="{query}"' in response.content.decode()  # what was typed is kept
    if not found:
        assert "No awards match your search and filters." in page


def test_search_finds_the_agreements_purpose_and_the_bids_title_only_without_one(client):
    """The purpose the register shows is searched: the agreement's once it has one, the
    bid's project title before that (through the indexes on PostgreSQL)."""
    with_purpose = award_make(
        organisation=OrganisationFactory(name="Carnforth Friends"), title="Lunch clubs"
    )
    agreement = agreement_create(decision=with_purpose)
    agreement.purpose = "Weekly meals for older people."
    agreement.save()
    award_make(organisation=OrganisationFactory(name="Silverdale Friends"), title="Lunch clubs")

    def found(query: str) -> set[str]:
        page = text_of(client.get("/decisions/", {"q": query}))
        return {name for name in ("Carnforth Friends", "Silverdale Friends") if name in page}

    assert found("weekly meals") == {"Carnforth Friends"}
    assert found("lunch clubs") == {"Silverdale Friends"}
    assert found("friends meals") == {"Carnforth Friends"}


def test_filter_by_sector_priority_and_type(client):
    arts = award_make(
        organisation=OrganisationFactory(name="Arts Org"),
        sector=Sector.objects.get(short_name="Arts"),
        priorities=CorporatePriority.objects.filter(slug="economic-growth"),
        funding_type="contract",
        amount="1000",
    )
    vcfs = award_make(
        organisation=OrganisationFactory(name="Community Org"),
        priorities=CorporatePriority.objects.filter(
            slug__in=["health-and-well-being", "economic-growth"]
        ),
        amount="2000",
    )
    assert arts and vcfs

    def names(**params):
        page = text_of(client.get("/decisions/", params))
        return {name for name in ("Arts Org", "Community Org") if name in page}, page

    assert names(sector="arts")[0] == {"Arts Org"}
    assert names(sector="vcfs")[0] == {"Community Org"}
    assert names(priority="economic-growth")[0] == {"Arts Org", "Community Org"}
    found, page = names(priority="health-and-well-being")
    assert found == {"Community Org"}
    assert "1 award matching your search and filters, £2,000 in total" in page
    # A commission with two priorities is listed once, and counted once in the total.
    found, page = names(priority="economic-growth")
    assert "2 awards matching your search and filters, £3,000 in total" in page
    assert names(funding_type="contract")[0] == {"Arts Org"}
    assert names(funding_type="grant")[0] == {"Community Org"}
    assert names(sector="arts", funding_type="grant")[0] == set()


def test_filter_by_ward_or_area(client, places):
    award_make(organisation=OrganisationFactory(name="Harbour Org"), areas=[places["harbour"]])
    award_make(organisation=OrganisationFactory(name="Morecambe Org"), areas=[places["morecambe"]])
    award_make(organisation=OrganisationFactory(name="Castle Org"), areas=[places["castle"]])

    def names(area):
        page = text_of(client.get("/decisions/", {"area": area}))
        return {n for n in ("Harbour Org", "Morecambe Org", "Castle Org") if n in page}

    # A ward: commissions for the ward, and for the whole area it lies in.
    assert names("harbour") == {"Harbour Org", "Morecambe Org"}
    # An area: commissions for the whole area and for each of its wards.
    assert names("morecambe") == {"Harbour Org", "Morecambe Org"}
    assert names("castle") == {"Castle Org"}
    assert names("lancaster") == {"Castle Org"}


def test_filter_by_financial_year_of_the_decision(client):
    award_make(organisation=OrganisationFactory(name="March Org"), decided_on=dt.date(2026, 3, 31))
    award_make(organisation=OrganisationFactory(name="April Org"), decided_on=dt.date(2026, 4, 1))
    award_make(organisation=OrganisationFactory(name="Later Org"), decided_on=dt.date(2027, 3, 31))
    response = client.get("/decisions/")
    page = text_of(response)
    assert "April 2026 to March 2027" in page
    assert "April 2025 to March 2026" in page

    def names(year):
        page = text_of(client.get("/decisions/", {"year": year}))
        return {n for n in ("March Org", "April Org", "Later Org") if n in page}

    assert names("2026") == {"April Org", "Later Org"}
    assert names("2025") == {"March Org"}


def test_financial_year_boundaries():
    year = FinancialYear(2026)
    assert (year.starts_on, year.ends_on) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert FinancialYear.of(dt.date(2027, 3, 31)) == year
    assert FinancialYear.of(dt.date(2027, 4, 1)) == FinancialYear(2027)


def test_unknown_filter_values_are_ignored(client):
    award_make(organisation=OrganisationFactory(name="Still Listed"))
    response = client.get(
        "/decisions/",
        {"sector": "nope", "priority": "x", "area": "y", "funding_type": "loan", "year": "abc"},
    )
    assert response.status_code == 200
    assert "Still Listed" in text_of(response)


def test_pagination_keeps_the_filters(client):
    for number in range(27):
        award_make(organisation=OrganisationFactory(name=f"Org {number:02d}"), amount="100")
    response = client.get("/decisions/", {"funding_type": "grant"})
    page = text_of(response)
    assert "27 awards matching your search and filters, £2,700 in total" in page
    html = response.content.decode()
    assert 'href="?funding_type=grant&amp;page=2"' in html
    second = text_of(client.get("/decisions/", {"funding_type": "grant", "page": 2}))
    assert second.count("Amount awarded £100") == 2


def test_newest_decisions_come_first(client):
    award_make(organisation=OrganisationFactory(name="Older Award"), decided_on=dt.date(2026, 5, 1))
    award_make(organisation=OrganisationFactory(name="Newer Award"), decided_on=dt.date(2026, 9, 1))
    page = text_of(client.get("/decisions/"))
    assert page.index("Newer Award") < page.index("Older Award")


def test_the_register_query_count_does_not_grow(client, places):
    def queries_with(count: int) -> int:
        while len(awards) < count:
            decision = award_make(
                areas=[places["harbour"], places["castle"]],
                priorities=CorporatePriority.objects.filter(
                    slug__in=["health-and-well-being", "economic-growth"]
                ),
            )
            if len(awards) % 2:
                agreement_create(decision=decision)
            awards.append(decision)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/decisions/").status_code == 200
        return len(queries)

    awards = []
    assert queries_with(3) == queries_with(20)


def test_the_register_with_filters_query_count_does_not_grow(client, places):
    params = {"q": "Org", "sector": "vcfs", "priority": "health-and-well-being", "area": "harbour"}

    def queries_with(count: int) -> int:
        while len(awards) < count:
            awards.append(award_make(organisation=OrganisationFactory(), areas=[places["harbour"]]))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/decisions/", params).status_code == 200
        return len(queries)

    awards = []
    assert queries_with(2) == queries_with(15)


def test_the_list_page_names_its_feed(client):
    html = client.get("/decisions/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/decisions/feed/"' in html


# --- One award -------------------------------------------------------------------------------


def test_an_awards_own_page(client):
    decision = award_make(
        organisation=OrganisationFactory(name="Carnforth Lunch Club", org_id="GB-CHC-1199999"),
        amount="7500",
        decided_on=dt.date(2026, 10, 5),
    )
    response = client.get(f"/decisions/{decision.pk}/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Carnforth Lunch Club awarded £7,500" in page
    assert "GB-CHC-1199999" in page
    assert "Date of the decision 5 October 2026" in page
    assert "Lunch clubs in Carnforth" in page
    assert decision.bid.opportunity.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    "make",
    [
        lambda: award_make(outcome=Outcome.UNSUCCESSFUL),
        lambda: award_make(approved=False),
    ],
    ids=["unsuccessful", "not approved"],
)
def test_an_award_page_is_not_found_unless_approved_and_successful(client, make):
    assert client.get(f"/decisions/{make().pk}/").status_code == 404


def test_an_award_page_that_does_not_exist(client):
    assert client.get("/decisions/999999/").status_code == 404


# --- The feed --------------------------------------------------------------------------------


def test_the_feed_lists_approved_awards(client):
    decision = award_make(
        organisation=OrganisationFactory(name="Heysham Youth Hub"),
        amount="18000",
        title="Youth club on Friday nights",
    )
    award_make(outcome=Outcome.UNSUCCESSFUL, organisation=OrganisationFactory(name="Refused"))
    award_make(approved=False, organisation=OrganisationFactory(name="Waiting"))
    response = client.get("/decisions/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == "Award decisions – Lancaster City Council"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}title").text == (
        "Heysham Youth Hub awarded £18,000 for Youth club on Friday nights"
    )
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/decisions/{decision.pk}/")
    updated = dt.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert updated == decision.approved_at
    assert "Refused" not in response.content.decode()
    assert "Waiting" not in response.content.decode()


def test_the_feed_uses_the_first_line_of_the_agreements_purpose(client):
    decision = award_make(organisation=OrganisationFactory(name="Bay Arts"), amount="5000")
    agreement = agreement_create(decision=decision)
    agreement.purpose = "Community murals on the promenade.\n\nFunded under the arts programme."
    agreement.save()
    feed = ET.fromstring(client.get("/decisions/feed/").content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Bay Arts awarded £5,000 for Community murals on the promenade"]


def test_the_feed_holds_the_latest_fifty_newest_first(client):
    commission = CommissionFactory(state="delivery")
    base = timezone.now() - dt.timedelta(days=60)
    for number in range(52):
        decision = award_make(commission=commission, amount=str(100 + number))
        decision.approved_at = base + dt.timedelta(days=number)
        decision.save()
    feed = ET.fromstring(client.get("/decisions/feed/").content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    assert "£151" in entries[0].find(f"{ATOM}title").text
    assert "£102" in entries[-1].find(f"{ATOM}title").text


def test_amounts_on_the_register_are_decimal_pounds(client):
    award_make(amount="1234.56")
    award_make(amount="0.44")
    page = text_of(client.get("/decisions/"))
    assert "Amount awarded £1,234.56" in page
    assert "Amount awarded £0.44" in page
    assert "£1,235 in total" in page
