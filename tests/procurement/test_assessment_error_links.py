"""Every link in the error summary of the panel's hand-written forms goes somewhere: to the
first radio of a set of radios, to the textarea, or (for a problem with the whole form) to
the first question."""

import re

import pytest

from procurement.models import ConflictDeclaration
from tests.factories import OrganisationFactory
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    panel_member_add,
)
from tests.procurement.factories_bids import partner_add, submitted_bid

pytestmark = pytest.mark.django_db


def summary_targets(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


def assert_every_link_lands(response, expected: int) -> None:
    html = response.content.decode()
    targets = summary_targets(response)
    assert len(targets) == expected
    for target in targets:
        assert len(re.findall(rf'\sid="{re.escape(target)}"', html)) == 1, target


def assert_labels_match_radios(response) -> None:
    html = response.content.decode()
    for radio_id in re.findall(r'<input class="govuk-radios__input" id="([^"]+)"', html):
        assert f'for="{radio_id}"' in html, radio_id


@pytest.fixture
def opportunity(officer):
    opportunity = closed_opportunity(lead_officer=officer)
    lune = submitted_bid(opportunity=opportunity, organisation=OrganisationFactory(name="Lune"))
    foodbank = submitted_bid(
        opportunity=opportunity, organisation=OrganisationFactory(name="Foodbank")
    )
    partner_add(foodbank, OrganisationFactory(name="Heysham Youth Hub"), confirmed=True)
    return opportunity, lune


def test_declaration_errors_link_to_the_first_radio_and_the_description(
    client, opportunity, panel_member
):
    opportunity, lune = opportunity
    panel_member_add(opportunity, user=panel_member, declared=False)
    client.force_login(panel_member)
    url = f"/assessment/opportunities/{opportunity.pk}/declare/"
    response = client.post(url, {f"conflict_{lune.organisation_id}": "yes"})
    # Lune: kind and description missing; the two other organisations: nothing chosen.
    assert_every_link_lands(response, expected=4)
    targets = summary_targets(response)
    assert f"id_kind_{lune.organisation_id}_1" in targets
    assert f"id_description_{lune.organisation_id}" in targets
    assert_labels_match_radios(response)
    assert not ConflictDeclaration.objects.exists()


def test_a_problem_with_the_whole_declaration_links_to_the_first_question(
    client, officer, panel_member
):
    opportunity = closed_opportunity(state="award_approval", lead_officer=officer)
    bid = submitted_bid(opportunity=opportunity)
    panel_member_add(opportunity, user=panel_member, declared=False)
    client.force_login(panel_member)
    response = client.post(
        f"/assessment/opportunities/{opportunity.pk}/declare/",
        {f"conflict_{bid.organisation_id}": "no"},
    )
    assert_every_link_lands(response, expected=1)


def test_score_errors_link_to_the_first_radio_and_the_comment(client, opportunity, panel_member):
    opportunity, lune = opportunity
    assignment = assign(lune, panel_member_add(opportunity, user=panel_member))
    questions = list(opportunity.questions.order_by("order", "pk"))
    client.force_login(panel_member)
    response = client.post(
        f"/assessment/assignments/{assignment.pk}/",
        {
            "save": "1",
            f"score_{questions[0].pk}": "4",
            f"comment_{questions[1].pk}": "Vague.",
        },
    )
    assert_every_link_lands(response, expected=2)
    assert set(summary_targets(response)) == {
        f"id_comment_{questions[0].pk}",
        f"id_score_{questions[1].pk}_1",
    }
    assert_labels_match_radios(response)


def test_conflict_errors_link_to_the_first_radio(client, opportunity, panel_member):
    opportunity, lune = opportunity
    assignment = assign(lune, panel_member_add(opportunity, user=panel_member))
    client.force_login(panel_member)
    response = client.post(f"/assessment/assignments/{assignment.pk}/conflict/", {})
    assert_every_link_lands(response, expected=3)
    assert "id_organisation_1" in summary_targets(response)
    assert_labels_match_radios(response)
