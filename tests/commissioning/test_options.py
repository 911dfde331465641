"""The options appraisal: options scored against the core criteria, compared, recommended."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import CommissionState, CoreCriterion, Option, OptionScore
from commissioning.selectors.options import option_criteria_list, options_appraisal_get
from commissioning.services.options import (
    OptionsLocked,
    ScoreInput,
    option_create,
    option_recommend,
    option_scores_set,
)
from core.roles import Role
from tests.factories import CommissionFactory, OptionFactory

S = CommissionState

# Scores for the eight core criteria (None: not scored) and, with the default weights
# (15, 15, 15, 15, 10, 10, 10, 10), what they add up to.
SCORES = {
    "links-to-priorities": 5,  # 15
    "deliverability": 4,  # 12
    "quality-assurance": 3,  # 9
    "value-for-money": 5,  # 15
    "added-value": 2,  # 4
    "sustainability": 3,  # 6
    "collaboration": None,  # 0
    "service-specific": 0,  # 0
}
TOTAL = 22
WEIGHTED = Decimal("61.0")


def _appraisal_url(commission) -> str:
    return f"/staff/commissions/{commission.pk}/options/"


def _score(option, scores: dict[str, int | None]) -> None:
    for criterion in option_criteria_list():
        value = scores.get(criterion.slug)
        if value is not None:
            OptionScore.objects.create(
                option=option, criterion=criterion, score=value, comment=f"Why {value}"
            )


def _form_data(**overrides) -> dict:
    data = {
        "title": "Grants to local groups",
        "description": "Small grants to voluntary groups already running lunch clubs.",
        "estimated_cost": "£95,000",
        "expected_outcomes": "300 older people a year less lonely.",
        "risks": "Groups may not have the volunteers to grow.",
    }
    for slug, score in SCORES.items():
        if score is not None:
            data[f"score_{slug}"] = str(score)
    data["comment_value-for-money"] = "Uses volunteers; match funding from the lottery."
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def commission(officer):
    return CommissionFactory(lead_officer=officer, state=S.PLANNING)


# --- Adding and changing options ------------------------------------------------------------


@pytest.mark.django_db
def test_lead_officer_adds_an_option_with_its_scores(client, officer, commission):
    client.force_login(officer)
    assert client.get(f"{_appraisal_url(commission)}new/").status_code == 200

    response = client.post(f"{_appraisal_url(commission)}new/", _form_data())

    assert response.status_code == 302
    assert response["Location"] == _appraisal_url(commission)
    option = Option.objects.get(commission=commission)
    assert option.title == "Grants to local groups"
    assert option.estimated_cost == Decimal("95000")
    assert option.created_by == officer
    assert not option.is_recommended
    scores = {s.criterion.slug: s.score for s in option.scores.select_related("criterion")}
    assert scores == {slug: score for slug, score in SCORES.items() if score is not None}
    assert (
        option.scores.get(criterion__slug="value-for-money").comment
        == "Uses volunteers; match funding from the lottery."
    )
    page = client.get(response["Location"])
    assert "Option “Grants to local groups” saved" in page.content.decode()


@pytest.mark.django_db
def test_missing_required_scores_are_govuk_errors_and_keep_what_was_typed(
    client, officer, commission
):
    client.force_login(officer)
    data = _form_data(**{"score_value-for-money": None, "score_sustainability": None, "risks": ""})

    response = client.post(f"{_appraisal_url(commission)}new/", data)

    assert response.status_code == 200
    assert not Option.objects.exists()
    html = response.content.decode()
    assert "<title>Error: " in html
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert '<a href="#id_score_value-for-money_1">Score the option against Value for Money</a>' in (
        summary
    )
    assert "Score the option against Sustainability" in summary
    assert "Enter the risks" in summary
    # Beside the field, as well as in the summary.
    assert html.count("Score the option against Value for Money") == 2
    assert re.search(
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>\s*'
        r"Score the option against Value for Money",
        html,
    )
    # Nothing already entered is lost.
    assert 'value="Grants to local groups"' in html
    assert 'value="£95,000"' in html
    assert "Uses volunteers; match funding from the lottery." in html
    assert html.count('checked="checked"') == 5  # the five scores that were given


@pytest.mark.django_db
def test_optional_criteria_can_be_left_unscored(client, officer, commission):
    client.force_login(officer)
    data = _form_data(**{"score_quality-assurance": None, "score_service-specific": None})

    assert client.post(f"{_appraisal_url(commission)}new/", data).status_code == 302

    option = Option.objects.get()
    assert option.scores.count() == 5


@pytest.mark.django_db
def test_lead_officer_changes_an_option_and_its_scores(client, officer, commission):
    option = OptionFactory(commission=commission, title="Old title")
    _score(option, SCORES)
    client.force_login(officer)

    form = client.get(f"/staff/options/{option.pk}/edit/")
    assert form.status_code == 200
    assert form.context["form"]["score_deliverability"].value() == "4"

    data = _form_data(
        title="New title",
        **{
            "score_deliverability": "1",
            "score_collaboration": "5",
            "score_service-specific": None,  # no longer scored
        },
    )
    response = client.post(f"/staff/options/{option.pk}/edit/", data)

    assert response.status_code == 302
    option.refresh_from_db()
    assert option.title == "New title"
    assert option.scores.get(criterion__slug="deliverability").score == 1
    assert option.scores.get(criterion__slug="collaboration").score == 5
    assert not option.scores.filter(criterion__slug="service-specific").exists()
    assert option.scores.count() == 7


@pytest.mark.django_db
def test_scores_are_saved_with_the_option_or_not_at_all(officer, commission):
    criteria = {c.slug: c for c in option_criteria_list()}
    scores = {criteria["value-for-money"]: ScoreInput(score=9)}

    with pytest.raises(ValidationError):
        option_create(
            commission=commission,
            created_by=officer,
            title="Too good to be true",
            description="-",
            estimated_cost=Decimal("1"),
            expected_outcomes="-",
            risks="-",
            scores=scores,
        )

    assert not Option.objects.exists()


@pytest.mark.django_db
def test_a_required_criterion_cannot_be_unscored(commission):
    option = OptionFactory(commission=commission)
    sustainability = CoreCriterion.objects.get(slug="sustainability")

    with pytest.raises(ValidationError) as error:
        option_scores_set(option=option, scores={sustainability: ScoreInput(score=None)})

    assert error.value.message_dict == {
        "sustainability": ["Score the option against Sustainability"]
    }


# --- The comparison -------------------------------------------------------------------------


@pytest.mark.django_db
def test_comparison_shows_each_options_totals_and_weighted_totals(client, approver, commission):
    strong = OptionFactory(commission=commission, title="Lunch clubs in every ward")
    _score(strong, SCORES)
    weak = OptionFactory(
        commission=commission, title="One central day centre", estimated_cost=Decimal("250000")
    )
    _score(weak, dict.fromkeys(SCORES, 1))
    unscored = OptionFactory(commission=commission, title="Do nothing", estimated_cost=0)
    client.force_login(approver)

    response = client.get(_appraisal_url(commission))

    assert response.status_code == 200
    appraisal = response.context["appraisal"]
    by_title = {item.option.title: item for item in appraisal.options}
    assert by_title["Lunch clubs in every ward"].total == TOTAL
    assert by_title["Lunch clubs in every ward"].weighted_total == WEIGHTED
    assert by_title["One central day centre"].total == 8
    assert by_title["One central day centre"].weighted_total == Decimal("20.0")  # 1/5 of 100
    assert by_title[unscored.title].total == 0
    assert by_title["Lunch clubs in every ward"].max_total == 40
    html = response.content.decode()
    assert "<strong>22</strong> out of 40" in html
    assert "<strong>61%</strong>" in html
    assert "<strong>20%</strong>" in html
    assert "£250,000" in html
    assert html.count("Not scored") == 1 + 8  # collaboration for the first, all for the last
    # An approver reads the appraisal but cannot change it.
    assert "Add an option" not in html
    assert "Recommend this option" not in html


@pytest.mark.django_db
def test_weighted_total_is_a_percentage_of_the_criteria_weights(commission):
    """Were an administrator to change the weights so they no longer add up to 100, the
    weighted total is still out of 100%."""
    CoreCriterion.objects.update(default_weight=Decimal("20"))  # 8 × 20 = 160
    option = OptionFactory(commission=commission)
    _score(option, dict.fromkeys(SCORES, 4))

    [item] = options_appraisal_get(commission=commission).options

    assert item.weighted_total == Decimal("80.0")


@pytest.mark.django_db
def test_lead_officer_sees_the_buttons(client, officer, commission):
    option = OptionFactory(commission=commission)
    client.force_login(officer)

    html = client.get(_appraisal_url(commission)).content.decode()

    assert f'href="{_appraisal_url(commission)}new/"' in html
    assert f'href="/staff/options/{option.pk}/edit/"' in html
    assert f'href="/staff/options/{option.pk}/recommend/"' in html
    assert "Recommend this option" in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_appraisal_query_count_is_the_same_for_2_and_10_options(client, officer, commission):
    client.force_login(officer)
    for _ in range(2):
        _score(OptionFactory(commission=commission), SCORES)
    two = _queries(client, _appraisal_url(commission))
    for _ in range(8):
        _score(OptionFactory(commission=commission), SCORES)
    option = Option.objects.filter(commission=commission).last()
    option.is_recommended, option.recommendation_rationale = True, "Best value"
    option.save()

    assert _queries(client, _appraisal_url(commission)) == two


# --- Recommending ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_recommending_an_option_unrecommends_the_other(client, officer, commission):
    first = OptionFactory(
        commission=commission, is_recommended=True, recommendation_rationale="Cheapest"
    )
    second = OptionFactory(commission=commission, title="Lunch clubs in every ward")
    client.force_login(officer)

    page = client.get(f"/staff/options/{second.pk}/recommend/")
    assert f"“{first.title}” is recommended now" in page.content.decode()

    response = client.post(
        f"/staff/options/{second.pk}/recommend/",
        {"rationale": "Reaches the most people for the money."},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_recommended
    assert first.recommendation_rationale == ""
    assert second.is_recommended
    assert second.recommendation_rationale == "Reaches the most people for the money."
    assert commission.has_recommended_option()
    html = client.get(_appraisal_url(commission)).content.decode()
    assert "Recommended option: Lunch clubs in every ward" in html
    assert html.count(">Recommended</strong>") == 1


@pytest.mark.django_db
def test_recommending_makes_the_commission_ready_for_that_condition(officer, commission):
    option = OptionFactory(commission=commission)
    assert not commission.has_recommended_option()

    option_recommend(option=option, rationale="The only feasible option.")

    assert commission.has_recommended_option()


@pytest.mark.django_db
def test_recommending_needs_a_rationale(client, officer, commission):
    option = OptionFactory(commission=commission)
    client.force_login(officer)

    response = client.post(f"/staff/options/{option.pk}/recommend/", {"rationale": "  "})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert html.count("Enter why this option is recommended") == 2
    option.refresh_from_db()
    assert not option.is_recommended


@pytest.mark.django_db
def test_commission_page_shows_the_options_and_the_recommended_one(client, officer, commission):
    OptionFactory(commission=commission)
    OptionFactory(
        commission=commission,
        title="Lunch clubs",
        is_recommended=True,
        recommendation_rationale="x",
    )
    client.force_login(officer)

    html = client.get(commission.get_absolute_url()).content.decode()

    section = html.split("Options appraisal</h2>")[1].split("</dl>")[0]
    assert '<dd class="govuk-summary-list__value">2</dd>' in section
    assert "Lunch clubs" in section
    assert _appraisal_url(commission) in section


# --- Who may change the appraisal, and when -------------------------------------------------


@pytest.mark.django_db
def test_an_officer_who_does_not_lead_the_commission_is_refused(client, make_user, commission):
    option = OptionFactory(commission=commission)
    client.force_login(make_user(Role.OFFICER))

    assert client.get(_appraisal_url(commission)).status_code == 200
    assert client.get(f"{_appraisal_url(commission)}new/").status_code == 403
    assert client.post(f"{_appraisal_url(commission)}new/", _form_data()).status_code == 403
    assert client.post(f"/staff/options/{option.pk}/edit/", _form_data()).status_code == 403
    response = client.post(f"/staff/options/{option.pk}/recommend/", {"rationale": "Mine"})
    assert response.status_code == 403
    option.refresh_from_db()
    assert not option.is_recommended
    assert Option.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.PLAN_APPROVAL, S.APPROVED, S.PROCUREMENT, S.CANCELLED])
def test_changes_are_refused_once_the_commission_is_past_planning(client, officer, state):
    commission = CommissionFactory(lead_officer=officer, state=state)
    option = OptionFactory(commission=commission, title="As it was")
    client.force_login(officer)

    for url, data in [
        (f"{_appraisal_url(commission)}new/", _form_data()),
        (f"/staff/options/{option.pk}/edit/", _form_data(title="Changed")),
        (f"/staff/options/{option.pk}/recommend/", {"rationale": "Changed my mind"}),
    ]:
        assert client.get(url)["Location"] == _appraisal_url(commission)
        response = client.post(url, data, follow=True)
        assert "The options appraisal cannot be changed now" in response.content.decode()

    option.refresh_from_db()
    assert option.title == "As it was"
    assert not option.is_recommended
    assert Option.objects.count() == 1
    html = client.get(_appraisal_url(commission)).content.decode()
    assert "can no longer be changed" in html
    assert "Add an option" not in html
    assert "Recommend this option" not in html


@pytest.mark.django_db
def test_services_refuse_changes_past_planning(officer):
    commission = CommissionFactory(lead_officer=officer, state=S.PLAN_APPROVAL)
    option = OptionFactory(commission=commission)

    with pytest.raises(OptionsLocked):
        option_recommend(option=option, rationale="Too late")

    option.refresh_from_db()
    assert not option.is_recommended
