"""An empty list says what it is for and offers the first step, and only to someone who may
take it; the controls that need rows (filters, totals, CSV downloads, a second 'Create'
button) are not shown while there are none."""

import re
from html import unescape

import pytest

from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    html = response.content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def links_of(response) -> dict[str, str]:
    """Each link's text in <main> (tags removed, spaces collapsed) and where it goes."""
    html = re.search(r"<main\b.*?</main>", response.content.decode(), re.S).group(0)
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()): unescape(href)
        for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    }


OFFICER_LISTS = [
    # (address, what the empty list says, the first step, where it goes)
    (
        "/staff/",
        "No commissions yet. Each commission follows one service through the cycle",
        "Create a commission",
        "/staff/commissions/new/",
    ),
    (
        "/staff/plans/",
        "No Commissioning Plans yet. A plan sets out a sector’s commissions",
        "Create a draft plan",
        "/staff/plans/new/",
    ),
    (
        "/staff/opportunities/",
        "No opportunities yet. An opportunity invites bids",
        "Create an opportunity",
        "/staff/opportunities/new/",
    ),
    (
        "/staff/engagement/evidence/",
        "No evidence yet. Research, surveys and feedback about the district’s needs appear here",
        "Add evidence",
        "/staff/engagement/evidence/new/",
    ),
    (
        "/staff/engagement/provision/",
        "No services on the map yet. Services already running in the district appear here",
        "Add a service",
        "/staff/engagement/provision/new/",
    ),
    (
        "/staff/engagement/events/",
        "No engagement events yet. Workshops, drop-ins and consultations",
        "Create an event",
        "/staff/engagement/events/new/",
    ),
    (
        "/staff/engagement/feedback/",
        "No feedback yet. What residents, communities and providers tell the council",
        "Record feedback",
        "/staff/engagement/feedback/new/",
    ),
]


@pytest.mark.parametrize(("url", "says", "action", "href"), OFFICER_LISTS)
def test_an_empty_staff_list_says_what_it_is_for_and_offers_the_first_step(
    client, officer, url, says, action, href
):
    client.force_login(officer)

    response = client.get(url)

    assert response.status_code == 200
    assert says in main_of(response)
    assert links_of(response)[action] == href


@pytest.mark.parametrize(("url", "says", "action", "href"), OFFICER_LISTS)
def test_someone_who_may_not_take_the_first_step_is_not_offered_it(
    client, make_user, url, says, action, href
):
    """An approver reads every list but creates none of these."""
    approver = make_user(Role.APPROVER)
    client.force_login(approver)

    response = client.get(url)

    assert response.status_code == 200
    assert says in main_of(response)
    assert action not in links_of(response)
    assert href not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/staff/", "/staff/engagement/evidence/", "/staff/engagement/provision/"]
)
def test_an_empty_staff_list_shows_no_filters(client, officer, url):
    client.force_login(officer)

    page = main_of(client.get(url))

    assert "Apply filters" not in page
    assert "Clear filters" not in page


def test_filters_that_match_nothing_keep_the_filters_and_say_so(client, officer):
    from tests.factories import CommissionFactory

    CommissionFactory(lead_officer=officer)
    client.force_login(officer)

    page = main_of(client.get("/staff/?stage=review"))

    assert "No commissions match these filters." in page
    assert "Apply filters" in page


def test_the_public_opportunities_offer_no_download_when_none_are_listed(client):
    response = client.get("/opportunities/")
    page = main_of(response)

    assert "There are no opportunities open for bids at the moment." in page
    assert "Download these as CSV" not in page
    assert links_of(response)["Get an email when a new opportunity is published"] == "/alerts/"


PROVIDER_LISTS = [
    (
        "/bids/",
        "Your organisations have not started any bids. A bid you start for a funding "
        "opportunity is kept here",
        "Find funding opportunities to bid for",
        "/opportunities/",
    ),
    (
        "/returns/",
        "You have no returns to send. Once an agreement is in delivery, a return is due here",
        "See your agreements",
        "/agreements/",
    ),
    (
        "/engagement/bookings/",
        "You have not booked a place at any events. Places you book",
        "Find an event to book",
        "/engagement/",
    ),
]


@pytest.mark.parametrize(("url", "says", "action", "href"), PROVIDER_LISTS)
def test_an_empty_provider_list_says_what_it_is_for_and_where_to_start(
    client, url, says, action, href
):
    client.force_login(UserFactory(roles=[Role.PROVIDER]))

    response = client.get(url)

    assert response.status_code == 200
    assert says in main_of(response)
    assert links_of(response)[action] == href


def test_no_notifications_says_what_would_appear(client):
    client.force_login(UserFactory(roles=[Role.PROVIDER]))

    page = main_of(client.get("/notifications/"))

    assert "You have no notifications. Messages about your work on the portal" in page


def test_a_shortlist_with_no_expressions_of_interest_says_so_and_offers_no_sending(
    client, officer, clock
):
    import datetime as dt

    from tests.procurement.factories_expressions import two_stage_opportunity
    from tests.procurement.factories_opportunities import published_specification

    opportunity = two_stage_opportunity(specification=published_specification(lead_officer=officer))
    clock.move_to(opportunity.expression_stage.closes_at + dt.timedelta(minutes=1))
    client.force_login(officer)

    page = main_of(client.get(f"/staff/opportunities/{opportunity.pk}/shortlist/"))

    assert "No expressions of interest were received." in page
    assert "Send the decisions" not in page


MORE_STAFF_LISTS = [
    # (address, who reads it, what the empty list says, what it does not offer while empty)
    (
        "/staff/organisations/",
        Role.OFFICER,
        "No organisations have registered yet. Voluntary, community, faith and arts "
        "organisations register themselves",
        "Apply filters",
    ),
    (
        "/staff/returns/",
        Role.OFFICER,
        "No returns are waiting for review. Once an agreement is in delivery, its provider "
        "sends a monitoring return for each period",
        "Apply filters",
    ),
    (
        "/staff/returns/?show=overdue",
        Role.OFFICER,
        "No returns are overdue. A return is overdue when its provider has not sent it",
        "Apply filters",
    ),
    (
        "/staff/portfolio/payments/",
        Role.OFFICER,
        "No payments are due by the end of this month. Each agreement in delivery has a "
        "payment schedule",
        "Apply filters",
    ),
    (
        "/staff/portfolio/payments/?show=held",
        Role.OFFICER,
        "No payments are held. A payment is held when the return before it has not been accepted",
        "Apply filters",
    ),
    (
        "/staff/payments/late/",
        Role.OFFICER,
        "No payment has been made late.",
        "Download as a CSV file",
    ),
    (
        "/staff/lessons/",
        Role.OFFICER,
        "No lessons have been recorded yet. When an officer evaluates an agreement or a "
        "commission, the lessons they record appear here",
        "Search and filter",
    ),
    (
        "/staff/agreements/",
        Role.OFFICER,
        "There are no agreements yet. When an approver approves a commission’s awards, each "
        "award becomes an agreement here",
        "Apply filters",
    ),
    (
        "/staff/closure-requests/",
        Role.ADMINISTRATOR,
        "Nobody has asked to close their account. When someone asks, from their account page, "
        "their request appears here",
        "Close account",
    ),
]


@pytest.mark.parametrize(("url", "role", "says", "not_offered"), MORE_STAFF_LISTS)
def test_an_empty_staff_list_says_what_it_is_for_and_offers_no_work_on_nothing(
    client, make_user, url, role, says, not_offered
):
    client.force_login(make_user(role))

    response = client.get(url)

    assert response.status_code == 200
    page = main_of(response)
    assert says in page
    assert not_offered not in page


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/staff/organisations/?status=rejected", "No organisations match your filters."),
        ("/staff/agreements/?q=nothing", "No agreements match your filters."),
        ("/staff/lessons/?q=nothing", "No lessons match your search. Try fewer words or filters."),
    ],
)
def test_a_list_filtered_to_nothing_keeps_its_filters(client, officer, url, says):
    from tests.factories import OrganisationFactory

    OrganisationFactory()
    client.force_login(officer)

    page = main_of(client.get(url))

    assert says in page
    assert "Clear filters" in page


def test_the_organisations_list_shows_its_counts_and_filters_once_one_has_registered(
    client, officer
):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Lune Valley Community Transport")
    client.force_login(officer)

    page = main_of(client.get("/staff/organisations/"))

    assert "Lune Valley Community Transport" in page
    assert "By verification status" in page and "Apply filters" in page
    assert "No organisations have registered yet" not in page


def test_no_framework_periods_offers_an_administrator_the_first(client, administrator):
    from commissioning.models import Framework

    Framework.objects.all().delete()
    client.force_login(administrator)

    response = client.get("/staff/framework/periods/")

    assert "No framework periods yet. A period holds the Corporate Priorities" in main_of(response)
    assert links_of(response)["Start the first framework period"] == (
        "/staff/framework/periods/new/"
    )
    assert "Change" not in main_of(response)


def test_an_empty_award_register_says_what_it_will_hold_and_shows_no_totals_or_filters(client):
    response = client.get("/decisions/")
    page = main_of(response)

    assert "No awards have been made yet. Each grant and contract the council awards is " in page
    assert links_of(response)["See the funding opportunities open now"] == "/opportunities/"
    assert "in total" not in page
    assert "Apply filters" not in page
    assert "Download these as CSV" not in page


def test_an_opportunity_with_no_clarifications_says_what_they_are_for(client, officer):
    from tests.procurement.factories_opportunities import OpportunityFactory

    opportunity = OpportunityFactory(specification__commission__lead_officer=officer)
    client.force_login(officer)

    staff = main_of(client.get(f"/staff/opportunities/{opportunity.pk}/clarifications/"))
    documents = main_of(client.get(f"/staff/opportunities/{opportunity.pk}/documents/"))

    assert "No questions have been asked yet. Bidders ask from the opportunity’s page" in staff
    assert "No documents yet. Upload the first one below" in documents


def test_a_provider_is_offered_to_ask_the_first_question_and_staff_are_not(
    client, provider_user, officer
):
    from tests.procurement.factories_opportunities import OpportunityFactory

    opportunity = OpportunityFactory()
    ask = f"/opportunities/{opportunity.slug}/ask/"

    client.force_login(provider_user)
    provider_view = client.get(opportunity.get_absolute_url())
    client.force_login(officer)
    officer_view = client.get(opportunity.get_absolute_url())

    says = "No questions have been answered yet. If anything about this opportunity is unclear"
    assert says in main_of(provider_view)
    assert links_of(provider_view)["Ask the council a question"] == ask
    assert says in main_of(officer_view)
    assert "Ask the council a question" not in links_of(officer_view)
    assert ask not in officer_view.content.decode()


def test_an_empty_panel_says_who_to_add(client, officer):
    from tests.procurement.factories_opportunities import OpportunityFactory

    opportunity = OpportunityFactory(specification__commission__lead_officer=officer)
    client.force_login(officer)

    page = main_of(client.get(f"/staff/opportunities/{opportunity.pk}/panel/"))

    assert "No one is on the panel yet. Add the people who will score the bids" in page
