"""Service design: specifications with outcomes, success measures and yearly targets, lots
and service-specific criteria, and the library of success measures."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import (
    CommissionState,
    Lot,
    MeasureTarget,
    ServiceCriterion,
    Specification,
    SpecificationMeasure,
    SpecificationOutcome,
    SuccessMeasure,
)
from commissioning.services import specifications as services
from tests.factories import CommissionFactory, OrganisationFactory, SpecificationFactory

S = CommissionState
DETAILS = {
    "title": "Befriending for older people",
    "summary": "Weekly befriending visits and phone calls for people over 65.",
    "budget": "£60,000",
    "duration_months": "30",
    "eligibility": "Voluntary, community and faith organisations in the district.",
    "sector_partners": "Age-friendly Lancaster network",
}


def _rows(prefix: str, rows: list[dict], extra: int = 0) -> dict:
    """POST data for a formset page: the management form and each row's fields."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def _summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def _has_error(response, message: str, field_id: str) -> None:
    """The message is in the error summary, linked to the field, and beside the field."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert f'<a href="#{field_id}">{message}</a>' in _summary(response), message
    beside = (
        rf'<span id="{field_id}_\d+_error" class="govuk-error-message">\s*<span[^>]*>Error:</span> '
    )
    assert re.search(beside + re.escape(message), html), f"{message} is not beside {field_id}"


@pytest.fixture
def commission(officer):
    return CommissionFactory(lead_officer=officer, state=S.PLANNING)


@pytest.fixture
def lead(client, officer):
    client.force_login(officer)
    return client


def _measure(name: str) -> SuccessMeasure:
    return SuccessMeasure.objects.get(name=name)


# --- The journey -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_lead_officer_builds_a_specification_until_it_is_complete(lead, commission):
    response = lead.post(f"/staff/commissions/{commission.pk}/specifications/new/", DETAILS)
    specification = Specification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/specifications/{specification.pk}/"
    assert specification.budget == Decimal("60000")
    assert specification.commission == commission
    page = lead.get(response["Location"]).content.decode()
    assert "Incomplete" in page
    assert "At least one outcome" in page
    assert "30 months" in page
    assert "£60,000" in page
    assert not commission.has_complete_specification()

    response = lead.post(
        f"/staff/specifications/{specification.pk}/outcomes/",
        _rows("outcomes", [{"description": "Older people are less lonely"}], extra=2),
    )
    assert response.status_code == 302
    outcome = specification.outcomes.get()
    assert outcome.description == "Older people are less lonely"

    response = lead.post(
        f"/staff/specifications/{specification.pk}/measures/",
        {
            "measure": _measure("Training sessions provided").pk,
            "outcome": outcome.pk,
            "target_1": "40",
            "target_2": "45",
            "target_3": "50",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/specifications/{specification.pk}/measures/"

    page = lead.get(f"/staff/specifications/{specification.pk}/").content.decode()
    assert "This specification is complete" in page
    assert "Training sessions provided" in page
    assert "Towards: Older people are less lonely" in page
    assert commission.has_complete_specification()


@pytest.mark.django_db
def test_bad_details_keep_what_was_typed_and_show_govuk_errors(lead, commission):
    response = lead.post(
        f"/staff/commissions/{commission.pk}/specifications/new/",
        {**DETAILS, "budget": "lots", "duration_months": "three years", "eligibility": ""},
    )
    _has_error(response, "Budget must be an amount of money, like 12500", "id_budget")
    _has_error(response, "Duration must be a whole number of months, like 36", "id_duration_months")
    _has_error(response, "Enter who is eligible to bid", "id_eligibility")
    html = response.content.decode()
    assert 'value="Befriending for older people"' in html
    assert 'value="lots"' in html
    assert 'value="three years"' in html
    assert not Specification.objects.exists()


@pytest.mark.django_db
def test_partner_organisations_are_verified_ones_from_the_commissions_sector(lead, commission):
    carers = OrganisationFactory(name="Morecambe Bay Carers")
    OrganisationFactory(name="Pending Group", verification_status="pending")
    page = lead.get(f"/staff/commissions/{commission.pk}/specifications/new/").content.decode()
    assert "Morecambe Bay Carers" in page
    assert "Pending Group" not in page

    lead.post(
        f"/staff/commissions/{commission.pk}/specifications/new/",
        {**DETAILS, "partner_organisations": [carers.pk]},
    )
    specification = Specification.objects.get()
    assert list(specification.partner_organisations.all()) == [carers]
    page = lead.get(specification.get_absolute_url()).content.decode()
    assert "Morecambe Bay Carers" in page
    assert "Age-friendly Lancaster network" in page


@pytest.mark.django_db
def test_change_details_and_shorter_service_drops_later_targets(lead, commission):
    specification = SpecificationFactory(commission=commission)  # 36 months, 3 targets
    response = lead.post(
        f"/staff/specifications/{specification.pk}/edit/",
        {**DETAILS, "title": "Befriending", "duration_months": "24"},
    )
    assert response.status_code == 302
    specification.refresh_from_db()
    assert specification.title == "Befriending"
    assert list(MeasureTarget.objects.values_list("year", flat=True).order_by("year")) == [1, 2]


# --- Outcomes --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_outcomes_blank_rows_are_ignored_and_a_cleared_one_is_removed(lead, commission):
    specification = SpecificationFactory(commission=commission, complete=False)
    url = f"/staff/specifications/{specification.pk}/outcomes/"
    lead.post(
        url,
        _rows(
            "outcomes",
            [
                {"description": "Older people are less lonely"},
                {"description": "  "},
                {"description": "Carers get a break"},
            ],
        ),
    )
    lonely, carers = specification.outcomes.all()
    assert [lonely.description, carers.description] == [
        "Older people are less lonely",
        "Carers get a break",
    ]
    page = lead.get(url).content.decode()
    assert "Older people are less lonely" in page
    assert 'name="outcomes-0-id"' in page

    chosen = SpecificationMeasure.objects.create(
        specification=specification, measure=_measure("People supported"), outcome=lonely
    )
    lead.post(
        url,
        _rows(
            "outcomes",
            [
                {"id": lonely.pk, "description": "Fewer older people are lonely"},
                {"id": carers.pk, "description": ""},
            ],
        ),
    )
    assert [o.description for o in specification.outcomes.all()] == [
        "Fewer older people are lonely"
    ]
    chosen.refresh_from_db()
    assert chosen.outcome_id == lonely.pk  # the same outcome, changed, keeps its measures


# --- Success measures and targets ------------------------------------------------------------


@pytest.mark.django_db
def test_targets_are_asked_for_each_year_and_errors_keep_what_was_typed(lead, commission):
    specification = SpecificationFactory(commission=commission, complete=False, duration_months=30)
    outcome = specification.outcomes.create(description="People gain skills")
    url = f"/staff/specifications/{specification.pk}/measures/"
    page = lead.get(url).content.decode()
    assert "Year 3" in page
    assert "Year 4" not in page

    response = lead.post(
        url,
        {
            "measure": _measure("Training sessions provided").pk,
            "outcome": outcome.pk,
            "target_1": "40",
            "target_2": "",
            "target_3": "forty",
        },
    )
    _has_error(response, "Enter a target for year 2", "id_target_2")
    _has_error(response, "Target must be a number, like 40", "id_target_3")
    assert 'value="forty"' in response.content.decode()
    assert not SpecificationMeasure.objects.exists()

    response = lead.post(
        url,
        {
            "measure": _measure("Training sessions provided").pk,
            "outcome": outcome.pk,
            "target_1": "40",
            "target_2": "1,200",
            "target_3": "2.5",
        },
    )
    assert response.status_code == 302
    chosen = SpecificationMeasure.objects.get()
    assert {t.year: t.target for t in chosen.targets.all()} == {
        1: Decimal("40"),
        2: Decimal("1200"),
        3: Decimal("2.5"),
    }
    page = lead.get(specification.get_absolute_url()).content.decode()
    for shown in ("Year 1", "Year 2", "Year 3", "1,200", "2.5", "sessions"):
        assert shown in page, shown
    assert re.search(r">\s*40\s*<", page)


@pytest.mark.django_db
def test_the_outcome_a_measure_serves_is_asked_for_once_there_are_outcomes(lead, commission):
    specification = SpecificationFactory(commission=commission, complete=False)
    url = f"/staff/specifications/{specification.pk}/measures/"
    targets = {"target_1": "1", "target_2": "2", "target_3": "3"}
    assert "Add the outcomes" in lead.get(url).content.decode()
    lead.post(url, {"measure": _measure("Meals provided").pk, **targets})
    assert SpecificationMeasure.objects.get().outcome is None

    specification.outcomes.create(description="People eat well")
    response = lead.post(url, {"measure": _measure("People supported").pk, **targets})
    message = "Select the outcome it measures progress towards"
    # The summary links to the first radio; the message also shows beside the question.
    assert f'<a href="#id_outcome_1">{message}</a>' in _summary(response)
    assert response.content.decode().count(message) == 2


@pytest.mark.django_db
def test_change_the_targets_of_a_chosen_measure_and_remove_it(lead, commission):
    specification = SpecificationFactory(commission=commission)
    chosen = specification.measures.get()
    url = f"/staff/specifications/{specification.pk}/measures/"
    page = lead.get(f"{url}?change={chosen.pk}").content.decode()
    assert "Change targets for People supported" in page
    assert 'value="300"' in page

    response = lead.post(
        f"{url}?change={chosen.pk}",
        {"outcome": chosen.outcome_id, "target_1": "10", "target_2": "20", "target_3": "30"},
    )
    assert response.status_code == 302
    assert [t.target for t in chosen.targets.all()] == [10, 20, 30]

    response = lead.post(url, {"remove": chosen.pk})
    assert response.status_code == 302
    assert not SpecificationMeasure.objects.exists()
    assert not MeasureTarget.objects.exists()
    assert "Success measure removed: People supported" in lead.get(url).content.decode()


@pytest.mark.django_db
def test_a_measure_already_chosen_is_not_offered_again(lead, commission):
    specification = SpecificationFactory(commission=commission)
    page = lead.get(f"/staff/specifications/{specification.pk}/measures/").content.decode()
    form = page.split('id="measure-form"')[1]
    assert "People supported (people)" not in form
    assert "Training sessions provided (sessions)" in form

    response = lead.post(
        f"/staff/specifications/{specification.pk}/measures/",
        {
            "measure": _measure("People supported").pk,
            "outcome": specification.outcomes.get().pk,
            "target_1": "1",
            "target_2": "1",
            "target_3": "1",
        },
    )
    _has_error(response, "Select a success measure from the list", "id_measure")


# --- Lots and service-specific criteria ------------------------------------------------------


@pytest.mark.django_db
def test_lots_are_saved_and_a_warning_shows_when_they_exceed_the_budget(lead, commission):
    specification = SpecificationFactory(commission=commission, budget=Decimal("60000"))
    url = f"/staff/specifications/{specification.pk}/lots/"

    response = lead.post(url, _rows("lots", [{"name": "Lancaster", "budget": ""}], extra=1))
    _has_error(response, "Enter the budget for lot 1", "id_lots-0-budget")
    response = lead.post(url, _rows("lots", [{"name": "Lancaster", "budget": "lots"}]))
    _has_error(
        response, "Budget for lot 1 must be an amount of money, like 12500", "id_lots-0-budget"
    )
    assert 'value="Lancaster"' in response.content.decode()

    response = lead.post(
        url,
        _rows(
            "lots",
            [
                {"name": "Lancaster", "description": "City wards", "budget": "40000"},
                {"name": "Morecambe", "budget": "£30,000"},
            ],
            extra=1,
        ),
    )
    assert response.status_code == 302
    assert [(lot.name, lot.budget) for lot in Lot.objects.all()] == [
        ("Lancaster", Decimal("40000")),
        ("Morecambe", Decimal("30000")),
    ]
    page = lead.get(specification.get_absolute_url()).content.decode()
    assert (
        "The lots add up to £70,000, which is more than the specification’s budget of £60,000"
        in (page)
    )


@pytest.mark.django_db
def test_criteria_are_saved_with_weights_from_0_to_100(lead, commission):
    specification = SpecificationFactory(commission=commission)
    url = f"/staff/specifications/{specification.pk}/criteria/"

    response = lead.post(
        url,
        _rows(
            "criteria",
            [{"name": "Safeguarding", "weight": "150"}, {"name": "", "weight": "20"}],
        ),
    )
    _has_error(response, "Weight must be between 0 and 100", "id_criteria-0-weight")
    _has_error(response, "Enter criterion 2", "id_criteria-1-name")
    assert 'value="150"' in response.content.decode()

    response = lead.post(
        url,
        _rows(
            "criteria",
            [
                {"name": "Safeguarding", "description": "Level 2 training", "weight": "60"},
                {"name": "Local knowledge", "weight": "40"},
            ],
            extra=1,
        ),
    )
    assert response.status_code == 302
    assert [(c.name, c.weight) for c in ServiceCriterion.objects.all()] == [
        ("Safeguarding", Decimal("60")),
        ("Local knowledge", Decimal("40")),
    ]
    page = lead.get(specification.get_absolute_url()).content.decode()
    assert "Local knowledge" in page
    assert 'value="60"' in lead.get(url).content.decode()


# --- Who may change a specification, and when ------------------------------------------------


def _change_requests(specification):
    pk = specification.pk
    return [
        (f"/staff/specifications/{pk}/edit/", DETAILS),
        (f"/staff/specifications/{pk}/outcomes/", _rows("outcomes", [{"description": "New"}])),
        (f"/staff/specifications/{pk}/lots/", _rows("lots", [{"name": "A", "budget": "1"}])),
        (
            f"/staff/specifications/{pk}/criteria/",
            _rows("criteria", [{"name": "A", "weight": "1"}]),
        ),
        (
            f"/staff/specifications/{pk}/measures/",
            {"remove": specification.measures.get().pk},
        ),
        (f"/staff/commissions/{specification.commission_id}/specifications/new/", DETAILS),
    ]


@pytest.mark.django_db
def test_another_officer_may_read_but_not_change_a_specification(client, make_user, commission):
    from core.roles import Role

    specification = SpecificationFactory(commission=commission)
    client.force_login(make_user(Role.OFFICER))
    page = client.get(specification.get_absolute_url())
    assert page.status_code == 200
    assert "/edit/" not in page.content.decode()
    for url, data in _change_requests(specification):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    specification.refresh_from_db()
    assert specification.title != DETAILS["title"]
    assert Specification.objects.count() == 1
    assert specification.measures.exists()
    assert not Lot.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.PLAN_APPROVAL, S.APPROVED, S.PROCUREMENT, S.CANCELLED])
def test_changes_are_refused_once_the_commission_is_past_planning(lead, officer, state):
    commission = CommissionFactory(lead_officer=officer, state=state)
    specification = SpecificationFactory(commission=commission)
    page = lead.get(specification.get_absolute_url()).content.decode()
    assert "can no longer be changed" in page
    assert f"/staff/specifications/{specification.pk}/edit/" not in page
    for url, data in _change_requests(specification):
        response = lead.post(url, data, follow=True)
        assert "Nothing has been changed" in response.content.decode(), url
        assert lead.get(url).status_code == 302, url
    specification.refresh_from_db()
    assert specification.title != DETAILS["title"]
    assert Specification.objects.count() == 1
    assert specification.measures.exists()
    assert not Lot.objects.exists()


@pytest.mark.django_db
def test_services_refuse_changes_once_the_commission_has_moved_on(officer):
    specification = SpecificationFactory(
        commission=CommissionFactory(lead_officer=officer, state=S.PLAN_APPROVAL)
    )
    with pytest.raises(services.SpecificationLocked):
        services.specification_outcomes_set(
            specification=specification, outcomes=[services.OutcomeRow(None, "New")]
        )
    with pytest.raises(services.SpecificationLocked):
        services.specification_measure_remove(specification_measure=specification.measures.get())
    assert SpecificationOutcome.objects.count() == 1


# --- The library of success measures ---------------------------------------------------------


@pytest.mark.django_db
def test_officer_adds_a_success_measure_and_returns_to_the_specification(lead, commission):
    specification = SpecificationFactory(commission=commission)
    back = f"/staff/specifications/{specification.pk}/measures/"
    response = lead.post(
        f"/staff/success-measures/new/?next={back}",
        {"name": "Trees planted", "unit": "trees", "description": "Native species only"},
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert SuccessMeasure.objects.get(name="Trees planted").unit == "trees"
    assert "Trees planted (trees)" in lead.get(back).content.decode()
    assert "Trees planted" in lead.get("/staff/success-measures/").content.decode()


@pytest.mark.django_db
def test_a_success_measure_name_is_not_used_twice(lead):
    response = lead.post(
        "/staff/success-measures/new/", {"name": "training sessions PROVIDED", "unit": "sessions"}
    )
    _has_error(response, "A success measure with this name already exists", "id_name")
    assert 'value="training sessions PROVIDED"' in response.content.decode()
    response = lead.post("/staff/success-measures/new/", {"name": "", "unit": ""})
    _has_error(response, "Enter the name of the success measure", "id_name")
    _has_error(response, "Enter the unit, like sessions", "id_unit")


@pytest.mark.django_db
def test_success_measure_library_lists_the_glossary_examples(client, approver):
    client.force_login(approver)
    page = client.get("/staff/success-measures/").content.decode()
    for name in (
        "Training sessions provided",
        "Premises refurbished",
        "Hectares of public open land improved",
    ):
        assert name in page
    assert "/staff/success-measures/new/" not in page  # approvers do not add measures


# --- The commission page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_commission_page_lists_its_specifications(lead, commission):
    SpecificationFactory(commission=commission, title="Lunch clubs", budget=Decimal("25000"))
    SpecificationFactory(commission=commission, title="Befriending", complete=False)
    page = lead.get(commission.get_absolute_url()).content.decode()
    section = page.split("Service specifications", 1)[1]
    assert "Lunch clubs" in section and "£25,000" in section
    assert "Complete" in section and "Incomplete" in section
    assert f"/staff/commissions/{commission.pk}/specifications/new/" in section


# --- Query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


def _grow(specification, n: int) -> None:
    """Give the specification n outcomes, measures (with targets), lots and criteria."""
    used = SpecificationMeasure.objects.values("measure")
    measures = list(SuccessMeasure.objects.exclude(pk__in=used)[:n])
    if len(measures) < n:
        measures += [
            SuccessMeasure.objects.create(name=f"Measure {i}", unit="things")
            for i in range(n - len(measures))
        ]
    years = range(1, specification.duration_months // 12 + 1)
    for i, measure in enumerate(measures):
        outcome = specification.outcomes.create(description=f"Outcome {i}", order=i)
        chosen = SpecificationMeasure.objects.create(
            specification=specification, measure=measure, outcome=outcome
        )
        MeasureTarget.objects.bulk_create(
            MeasureTarget(specification_measure=chosen, year=y, target=10 * y) for y in years
        )
        specification.lots.create(name=f"Lot {i}", budget=100)
        specification.service_criteria.create(name=f"Criterion {i}", weight=5)
        specification.partner_organisations.add(OrganisationFactory())


@pytest.mark.django_db
def test_specification_page_query_count_is_flat_from_2_to_10_of_everything(lead, commission):
    specification = SpecificationFactory(commission=commission, complete=False)
    _grow(specification, 2)
    url = specification.get_absolute_url()
    two = _queries(lead, url)
    specification.outcomes.all().delete()
    specification.measures.all().delete()
    specification.lots.all().delete()
    specification.service_criteria.all().delete()
    _grow(specification, 10)
    assert _queries(lead, url) == two


@pytest.mark.django_db
def test_measures_page_query_count_is_flat_from_2_to_10_measures(lead, commission):
    specification = SpecificationFactory(commission=commission, complete=False)
    _grow(specification, 2)
    url = f"/staff/specifications/{specification.pk}/measures/"
    two = _queries(lead, url)
    specification.measures.all().delete()
    _grow(specification, 8)
    assert _queries(lead, url) == two


@pytest.mark.django_db
def test_success_measure_list_query_count_is_flat_from_5_to_50(lead):
    SuccessMeasure.objects.all().delete()
    for i in range(5):
        SuccessMeasure.objects.create(name=f"Measure {i}", unit="things")
    five = _queries(lead, "/staff/success-measures/")
    from commissioning.models import CorporatePriority

    priorities = list(CorporatePriority.objects.all())
    for i in range(5, 50):
        SuccessMeasure.objects.create(
            name=f"Measure {i}", unit="things", priority=priorities[i % len(priorities)]
        )
    assert _queries(lead, "/staff/success-measures/") == five
