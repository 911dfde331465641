"""The award recommendation as the approver reads it, who may approve it, and the services
behind moderation and the recommendation."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import Commission
from commissioning.services import commission_transition
from core.roles import Role
from procurement.models import AwardDecision, ModeratedScore
from procurement.services.moderation import (
    AssessmentClosed,
    DecisionInput,
    ModeratedInput,
    moderation_record,
    recommendation_record,
)
from tests.factories import UserFactory
from tests.procurement.factories_assessment import assessed_opportunity, recommend

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def url(assessed) -> str:
    return f"/staff/opportunities/{assessed.opportunity.pk}/recommendation/"


def to_award_approval(assessed, by) -> Commission:
    commission = Commission.objects.get(pk=assessed.commission.pk)
    commission_transition(commission=commission, name="request_award_approval", user=by)
    return commission


@pytest.fixture
def both():
    """A lead officer who is also an approver."""
    return UserFactory(
        roles=[Role.OFFICER, Role.APPROVER], email="both@example.org", full_name="Bea Both"
    )


# --- The summary -------------------------------------------------------------------------------


def test_the_summary_shows_awards_refusals_total_and_who_recommended(client, approver):
    assessed = assessed_opportunity(recommended=True)
    first, second, third = assessed.bids
    client.force_login(approver)
    response = client.get(url(assessed))
    assert response.status_code == 200
    page = text_of(response)
    awards = page.split("highest moderated score first")[1].split("Bids not recommended")[0]
    assert first.organisation.name in awards and first.organisation.org_id in awards
    assert second.organisation.name in awards
    assert "80.00 £30,000 Quarterly monitoring returns." in awards
    assert "60.00 £25,000" in awards
    assert "Total £55,000" in awards
    assert third.organisation.name not in awards
    refused = page.split("Bids not recommended")[1]
    assert third.organisation.name in refused
    assert "The bid scored below others within the budget available." in refused
    assert "Awards recommended £55,000 of the budget of £60,000 £5,000 unspent" in page
    assert f"Recommended by {assessed.officer.full_name}" in page
    assert "Last changed at" in page and str(timezone.localdate().year) in page


def test_an_incomplete_recommendation_is_flagged(client, approver):
    assessed = assessed_opportunity(recommended=False)
    recommend(assessed.bids[0], amount="30000", by=assessed.officer)
    client.force_login(approver)
    page = text_of(client.get(url(assessed)))
    assert "The recommendation is not complete" in page
    assert "moderated, no recommendation recorded" in page


# --- Who may act on it -------------------------------------------------------------------------


def test_an_approver_who_did_not_recommend_gets_the_buttons_from_the_machine(
    client, approver, both
):
    assessed = assessed_opportunity(recommended=True, lead_officer=both)
    commission = to_award_approval(assessed, both)
    client.force_login(approver)
    html = client.get(url(assessed)).content.decode()
    assert f'href="/staff/commissions/{commission.pk}/actions/approve_awards/"' in html
    assert f'href="/staff/commissions/{commission.pk}/actions/return_awards/"' in html
    assert "Approve the awards" in html and "Return the recommendation" in html
    assert "actions/cancel/" not in html  # cancelling is on the commission's own page

    response = client.post(
        f"/staff/commissions/{commission.pk}/actions/approve_awards/",
        {"seen_state": "award_approval"},
    )
    assert response.status_code == 302
    commission.refresh_from_db()
    assert commission.state == "delivery"
    assert all(d.is_approved for d in AwardDecision.objects.all())


def test_the_recommending_officer_who_is_also_an_approver_may_not_approve(client, both):
    assessed = assessed_opportunity(recommended=True, lead_officer=both)
    commission = to_award_approval(assessed, both)
    client.force_login(both)
    html = client.get(url(assessed)).content.decode()
    assert "actions/approve_awards/" not in html
    assert "actions/return_awards/" not in html
    assert "An approver who did not recommend these awards approves them" in html

    response = client.post(
        f"/staff/commissions/{commission.pk}/actions/approve_awards/",
        {"seen_state": "award_approval"},
    )
    assert response.status_code == 403
    commission.refresh_from_db()
    assert commission.state == "award_approval"
    assert not any(d.is_approved for d in AwardDecision.objects.all())


def test_an_approver_who_recorded_any_recommendation_sees_no_approve_button(client, approver):
    """Someone who recorded a decision, though another officer sent it for approval."""
    colleague = UserFactory(roles=[Role.OFFICER, Role.APPROVER], full_name="Colin Colleague")
    assessed = assessed_opportunity(recommended=True)
    AwardDecision.objects.filter(bid=assessed.bids[0]).update(recommended_by=colleague)
    to_award_approval(assessed, assessed.officer)
    client.force_login(colleague)
    assert "actions/approve_awards/" not in client.get(url(assessed)).content.decode()
    client.force_login(approver)
    assert "actions/approve_awards/" in client.get(url(assessed)).content.decode()


def test_the_lead_officer_sends_a_complete_recommendation_for_approval(client):
    assessed = assessed_opportunity(recommended=True)
    client.force_login(assessed.officer)
    html = client.get(url(assessed)).content.decode()
    assert (
        f'href="/staff/commissions/{assessed.commission.pk}/actions/request_award_approval/"'
        in (html)
    )
    assert "Recommend awards for approval" in html


def test_no_send_button_while_the_recommendation_is_incomplete(client):
    assessed = assessed_opportunity(recommended=False)
    client.force_login(assessed.officer)
    html = client.get(url(assessed)).content.decode()
    assert "request_award_approval" not in html


# --- The services -------------------------------------------------------------------------------


def test_moderation_is_refused_outside_assessment(officer):
    assessed = assessed_opportunity(moderated=False, state="award_approval")
    bid = assessed.bids[0]
    question = bid.opportunity.questions.first()
    with pytest.raises(AssessmentClosed, match="Nothing has been changed"):
        moderation_record(
            bid=bid,
            scores=[ModeratedInput(question.pk, 3, "Reasons")],
            moderated_by=officer,
        )
    assert not ModeratedScore.objects.exists()


def test_moderation_needs_reasons_and_a_score_from_0_to_5(officer):
    assessed = assessed_opportunity(moderated=False)
    bid = assessed.bids[0]
    question = bid.opportunity.questions.first()
    for given in (ModeratedInput(question.pk, 3, "   "), ModeratedInput(question.pk, 6, "Why")):
        with pytest.raises(ValidationError):
            moderation_record(bid=bid, scores=[given], moderated_by=officer)
    assert not ModeratedScore.objects.exists()


def test_the_budget_counts_awards_already_recorded_for_other_bids(officer):
    assessed = assessed_opportunity()
    first, second, third = assessed.bids
    recommend(first, amount="40000", by=officer)
    with pytest.raises(ValidationError) as error:
        recommendation_record(
            opportunity=assessed.opportunity,
            decisions=[DecisionInput(second.pk, "successful", Decimal("25000"))],
            recommended_by=officer,
        )
    assert "The awards add up to £65,000" in error.value.messages[0]
    assert not AwardDecision.objects.filter(bid=second).exists()


def test_an_approved_decision_cannot_be_changed(officer):
    assessed = assessed_opportunity(recommended=True)
    decision = AwardDecision.objects.get(bid=assessed.bids[0])
    decision.approved_at = timezone.now()
    decision.save()
    with pytest.raises(ValidationError, match="has been approved"):
        recommendation_record(
            opportunity=assessed.opportunity,
            decisions=[DecisionInput(assessed.bids[0].pk, "unsuccessful", reasons="No")],
            recommended_by=officer,
        )


def test_a_bid_not_fully_moderated_cannot_be_recommended(officer):
    assessed = assessed_opportunity(moderated=False)
    with pytest.raises(ValidationError, match="Moderate every question"):
        recommendation_record(
            opportunity=assessed.opportunity,
            decisions=[DecisionInput(assessed.bids[0].pk, "unsuccessful", reasons="No")],
            recommended_by=officer,
        )


def test_recommending_is_refused_once_sent_for_approval(officer):
    assessed = assessed_opportunity(recommended=True, state="award_approval")
    with pytest.raises(AssessmentClosed):
        recommendation_record(
            opportunity=assessed.opportunity,
            decisions=[DecisionInput(assessed.bids[2].pk, "successful", Decimal("1000"))],
            recommended_by=officer,
        )
    assert AwardDecision.objects.get(bid=assessed.bids[2]).outcome == "unsuccessful"
