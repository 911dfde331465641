import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import Area, Commission, CommissionState, CorporatePriority, Sector
from core.roles import Role
from tests.commissioning.test_commission_lifecycle import _satisfy_conditions
from tests.factories import CommissionFactory, UserFactory

S = CommissionState


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_dashboard_query_count_is_flat_from_5_to_50_commissions(client, officer):
    client.force_login(officer)
    CommissionFactory.create_batch(5, lead_officer=officer)
    five = _queries(client, "/staff/")
    CommissionFactory.create_batch(45, state=S.PLANNING)
    assert _queries(client, "/staff/") == five


@pytest.mark.django_db
def test_dashboard_counts_by_stage_and_filters(client, officer):
    client.force_login(officer)
    arts = Sector.objects.get(short_name="Arts")
    CommissionFactory(title="Lunch clubs", lead_officer=officer, state=S.UNDERSTANDING)
    CommissionFactory(title="Festival of light", sector=arts, state=S.PROCUREMENT)
    CommissionFactory(
        title="Green spaces",
        state=S.PLANNING,
        priorities=CorporatePriority.objects.filter(slug="clean-green-and-safe-places"),
    )

    page = client.get("/staff/")
    assert page.context["all_counts"]["understand"] == 1
    assert page.context["all_counts"]["plan"] == 1
    assert page.context["all_counts"]["do"] == 1

    titles = lambda response: [c.title for c in response.context["commissions"]]  # noqa: E731
    assert titles(client.get("/staff/", {"sector": arts.pk})) == ["Festival of light"]
    assert titles(client.get("/staff/", {"stage": "plan"})) == ["Green spaces"]
    assert titles(client.get("/staff/", {"lead_officer": officer.pk})) == ["Lunch clubs"]
    green = CorporatePriority.objects.get(slug="clean-green-and-safe-places")
    assert titles(client.get("/staff/", {"priority": green.pk})) == ["Green spaces"]


@pytest.mark.django_db
def test_officer_creates_a_commission(client, officer):
    client.force_login(officer)
    lancaster = Area.objects.create(name="Lancaster", slug="lancaster", kind="area")
    response = client.post(
        "/staff/commissions/new/",
        {
            "title": "Tackling loneliness in later life",
            "sector": Sector.objects.get(short_name="VCFS").pk,
            "priorities": [CorporatePriority.objects.get(slug="health-and-well-being").pk],
            "areas": [lancaster.pk],
            "indicative_budget": "150000",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2027",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2030",
            "lead_officer": officer.pk,
            "summary": "Befriending and community meals for older people.",
        },
    )
    commission = Commission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/commissions/{commission.pk}/"
    assert commission.state == S.DRAFT
    assert commission.reference.startswith("COM-")
    assert commission.created_by == officer


@pytest.mark.django_db
def test_bad_commission_form_keeps_what_was_typed_and_says_what_is_wrong(client, officer):
    client.force_login(officer)
    response = client.post(
        "/staff/commissions/new/",
        {
            "title": "Tackling loneliness in later life",
            "indicative_budget": "lots",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2027",
            "period_end_0": "1",
            "period_end_1": "4",
            "period_end_2": "2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "There is a problem" in html
    for message in (
        "Select the sector",
        "Select at least one Corporate Priority",
        "Indicative budget must be an amount of money, like 12500",
        "The end of the period must be after the start",
        "Enter a summary",
    ):
        assert html.count(message) >= 2, message  # in the summary and beside the field
    assert 'value="Tackling loneliness in later life"' in html
    assert not Commission.objects.exists()


@pytest.mark.django_db
def test_page_offers_only_the_actions_the_machine_allows(client, officer, approver):
    commission = CommissionFactory(lead_officer=officer, state=S.UNDERSTANDING)
    client.force_login(officer)
    plan_button = f'href="/staff/commissions/{commission.pk}/actions/start_planning/"'
    cancel_button = f'href="/staff/commissions/{commission.pk}/actions/cancel/"'
    html = client.get(commission.get_absolute_url()).content.decode()
    assert plan_button not in html  # no evidence or gap yet
    assert "Missing" in html
    assert "At least one gap is recorded in the gap analysis." in html
    assert cancel_button in html

    _satisfy_conditions(commission)
    html = client.get(commission.get_absolute_url()).content.decode()
    assert plan_button in html

    client.force_login(approver)
    html = client.get(commission.get_absolute_url()).content.decode()
    assert plan_button not in html  # only the lead officer
    assert cancel_button in html


@pytest.mark.django_db
def test_crafted_post_by_someone_not_allowed_is_refused_and_changes_nothing(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=S.UNDERSTANDING)
    _satisfy_conditions(commission)
    another_officer = UserFactory(roles=[Role.OFFICER])
    client.force_login(another_officer)
    response = client.post(
        f"/staff/commissions/{commission.pk}/actions/start_planning/",
        {"seen_state": S.UNDERSTANDING},
    )
    assert response.status_code == 403
    commission.refresh_from_db()
    assert commission.state == S.UNDERSTANDING


@pytest.mark.django_db
def test_crafted_post_for_an_action_not_open_now_gets_a_clear_message(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=S.DRAFT)
    client.force_login(officer)
    response = client.post(
        f"/staff/commissions/{commission.pk}/actions/close/", {"seen_state": S.DRAFT}, follow=True
    )
    assert "cannot be done while the commission is at “Draft”" in response.content.decode()
    commission.refresh_from_db()
    assert commission.state == S.DRAFT
    assert client.get(f"/staff/commissions/{commission.pk}/actions/fly/").status_code == 404


@pytest.mark.django_db
def test_cancelling_asks_for_reasons_and_keeps_the_form(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=S.DRAFT)
    client.force_login(officer)
    url = f"/staff/commissions/{commission.pk}/actions/cancel/"
    response = client.post(url, {"seen_state": S.DRAFT, "reason": ""})
    assert "Enter the reasons" in response.content.decode()
    response = client.post(url, {"seen_state": S.DRAFT, "reason": "Budget withdrawn"})
    assert response.status_code == 302
    commission.refresh_from_db()
    assert commission.state == S.CANCELLED
    html = client.get(commission.get_absolute_url()).content.decode()
    assert "Budget withdrawn" in html  # on the timeline
    assert "Olive Officer" in html


@pytest.mark.django_db
def test_timeline_shows_who_when_from_to_and_why(client, officer, approver):
    commission = CommissionFactory(lead_officer=officer, state=S.PLANNING)
    _satisfy_conditions(commission)
    client.force_login(officer)
    client.post(
        f"/staff/commissions/{commission.pk}/actions/request_plan_approval/",
        {"seen_state": S.PLANNING, "reason": "Ready for sign-off"},
    )
    client.force_login(approver)
    client.post(
        f"/staff/commissions/{commission.pk}/actions/return_plan/",
        {"seen_state": S.PLAN_APPROVAL, "reason": "Add the Heysham wards"},
    )
    html = client.get(commission.get_absolute_url()).content.decode()
    assert "Planning → Plan awaiting approval" in html
    assert "Plan awaiting approval → Planning" in html
    assert "Add the Heysham wards" in html
    assert "Alan Approver" in html


@pytest.mark.django_db
def test_commission_page_query_count_is_flat_as_its_plan_grows(client, officer):
    from tests.factories import OptionFactory, SpecificationFactory

    commission = CommissionFactory(lead_officer=officer, state=S.PLANNING)
    _satisfy_conditions(commission)
    client.force_login(officer)
    OptionFactory.create_batch(2, commission=commission)
    SpecificationFactory.create_batch(2, commission=commission)
    client.get(commission.get_absolute_url())  # caches warmed, as on every later visit
    few = _queries(client, commission.get_absolute_url())
    OptionFactory.create_batch(8, commission=commission)
    SpecificationFactory.create_batch(8, commission=commission)
    assert _queries(client, commission.get_absolute_url()) == few
    assert few <= 15  # issue 17


@pytest.mark.django_db
def test_a_commission_at_assessment_takes_the_same_queries_for_5_and_50_bids(client, clock):
    """Its checklist ("Still needed") and its buttons ask the same conditions, once each;
    its timeline names its states without a query per entry."""
    from django_fsm_log.models import StateLog

    from tests.procurement.factories_assessment import assign, closed_opportunity, panel_member_add
    from tests.procurement.factories_bids import submitted_bid

    opportunity = closed_opportunity()
    commission = opportunity.specification.commission
    lead = commission.lead_officer
    place = panel_member_add(opportunity)
    for _ in range(5):
        assign(submitted_bid(opportunity=opportunity), place)
    client.force_login(lead)
    url = commission.get_absolute_url()
    client.get(url)  # caches warmed (content types, permissions), as on every later visit
    five = _queries(client, url)

    for _ in range(45):
        assign(submitted_bid(opportunity=opportunity), place)
    for _ in range(5):  # a longer timeline
        StateLog.objects.create(
            content_object=commission,
            transition="start_assessment",
            source_state=S.PROCUREMENT,
            state=S.ASSESSMENT,
            by=lead,
        )
    fifty = _queries(client, url)

    assert fifty == five
    assert five <= 15  # issue 17


@pytest.mark.django_db
def test_commission_page_shows_its_priorities_themes_areas_and_recommended_option(client, officer):
    from commissioning.models import CrossCuttingTheme
    from tests.factories import OptionFactory

    priorities = list(CorporatePriority.objects.order_by("-order")[:2])
    commission = CommissionFactory(
        lead_officer=officer,
        state=S.PLANNING,
        priorities=priorities,
        areas=[
            Area.objects.create(name="Skerton", slug="skerton"),
            Area.objects.create(name="Bulk", slug="bulk"),
        ],
    )
    commission.themes.set(CrossCuttingTheme.objects.order_by("order")[:1])
    OptionFactory(commission=commission, title="Extend the lunch clubs")
    OptionFactory(commission=commission, title="Befriending by phone", is_recommended=True)
    client.force_login(officer)

    html = " ".join(client.get(commission.get_absolute_url()).content.decode().split())

    in_order = sorted(priorities, key=lambda priority: (priority.order, priority.name))
    assert f"{in_order[0].name} <br> {in_order[1].name}" in html
    theme = CrossCuttingTheme.objects.order_by("order").first()
    assert f'Cross-cutting themes</dt> <dd class="govuk-summary-list__value"> {theme.name}' in html
    assert "Bulk, Skerton" in html
    assert 'Options</dt> <dd class="govuk-summary-list__value">2</dd>' in html
    recommended = 'Recommended option</dt> <dd class="govuk-summary-list__value">'
    assert f"{recommended}Befriending by phone" in html


@pytest.mark.django_db
def test_a_commission_without_options_themes_or_recommendation_says_so(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=S.UNDERSTANDING)
    client.force_login(officer)

    html = " ".join(client.get(commission.get_absolute_url()).content.decode().split())

    assert 'Options</dt> <dd class="govuk-summary-list__value">None yet</dd>' in html
    assert 'Recommended option</dt> <dd class="govuk-summary-list__value">None yet' in html
    assert "None recorded" in html
