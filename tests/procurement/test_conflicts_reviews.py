"""The conflicts assessment is kept under review at each stage (Procurement Act 2023, s.83),
and for a contract the review is a condition on moving on: the recommended awards are not
sent for approval until it is reviewed at the assessment of bids, and the contract is not
sent to the provider until it is reviewed at the award. Grants are outside the Act and keep
their rules. The "Still needed" list links each missing review to the conflicts assessment
page, for those who may open it."""

import datetime as dt

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from commissioning.models import Commission, CommissionState
from commissioning.services import commission_transition
from core.roles import Role
from core.transitions import transition_checklist
from procurement.models import AgreementState, AwardDecision
from procurement.selectors.conflicts_assessment import people_involved
from procurement.services.agreements import agreement_transition
from tests.core.test_still_needed import checklist_links_of, links_of
from tests.procurement.factories_agreements import agreement_made, conflicts_reviewed
from tests.procurement.factories_assessment import assessed_opportunity
from tests.procurement.factories_expressions import ExpressionFactory, two_stage_opportunity
from tests.procurement.test_expressions import after_eoi_deadline, declare
from tests.procurement.test_notices import text_of

pytestmark = pytest.mark.django_db

ASSESSMENT_REVIEW = (
    "For a contract, the conflicts assessment is reviewed at the assessment of bids: everyone "
    "involved has declared their interests again (Procurement Act 2023, s.83)."
)
AWARD_REVIEW = (
    "For a contract, the conflicts assessment is reviewed at the award: everyone involved has "
    "declared their interests again (Procurement Act 2023, s.83)."
)


def conflicts_url(opportunity) -> str:
    return f"/staff/opportunities/{opportunity.pk}/conflicts/"


def standstill_over(agreement):
    """The contract award notice's standstill period ended yesterday."""
    AwardDecision.objects.filter(pk=agreement.decision_id).update(
        standstill_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    agreement.decision.refresh_from_db()


# --- Sending the recommended awards for approval ----------------------------------------------


@pytest.mark.parametrize(
    ("funding_type", "reviewed", "allowed"),
    [
        ("contract", False, False),
        ("contract", True, True),
        ("grant", False, True),
    ],
)
def test_awards_go_for_approval_only_once_a_contracts_assessment_is_reviewed(
    funding_type, reviewed, allowed
):
    assessed = assessed_opportunity(recommended=True, funding_type=funding_type)
    if reviewed:
        conflicts_reviewed(assessed.opportunity, stage="assessment", by=assessed.officer)
    commission = Commission.objects.get(pk=assessed.commission.pk)

    if allowed:
        commission_transition(
            commission=commission, name="request_award_approval", user=assessed.officer
        )
        assert Commission.objects.get(pk=commission.pk).state == CommissionState.AWARD_APPROVAL
    else:
        with pytest.raises(TransitionNotAllowed):
            commission_transition(
                commission=commission, name="request_award_approval", user=assessed.officer
            )
        assert Commission.objects.get(pk=commission.pk).state == CommissionState.ASSESSMENT


def test_a_review_at_another_stage_does_not_count_for_the_assessment():
    assessed = assessed_opportunity(recommended=True, funding_type="contract")
    conflicts_reviewed(assessed.opportunity, stage="publication", by=assessed.officer)
    commission = Commission.objects.get(pk=assessed.commission.pk)

    item = next(
        i
        for i in transition_checklist(instance=commission, name="request_award_approval")
        if i.label == ASSESSMENT_REVIEW
    )

    assert not item.met
    opportunity = assessed.opportunity
    assert item.needed == (
        f"Review the conflicts assessment for {opportunity.reference} ({opportunity.title}) at "
        "the assessment of bids: everyone involved declares their interests again",
    )
    assert item.url == conflicts_url(opportunity)


def test_the_commission_page_links_the_missing_review_to_the_conflicts_page(client):
    assessed = assessed_opportunity(recommended=True, funding_type="contract")
    client.force_login(assessed.officer)

    response = client.get(assessed.commission.get_absolute_url())

    assert links_of(response)[ASSESSMENT_REVIEW] == conflicts_url(assessed.opportunity)
    assert "Recommend awards for approval" not in links_of(response)

    conflicts_reviewed(assessed.opportunity, stage="assessment", by=assessed.officer)
    response = client.get(assessed.commission.get_absolute_url())

    assert ASSESSMENT_REVIEW not in links_of(response)  # met: no longer a link
    assert ASSESSMENT_REVIEW in text_of(response)


def test_the_link_is_not_offered_to_someone_the_conflicts_page_refuses(client, make_user):
    """A panel member may read the checklist item but not open the conflicts page."""
    assessed = assessed_opportunity(recommended=True, funding_type="contract")
    commission = Commission.objects.get(pk=assessed.commission.pk)
    item = next(
        i
        for i in transition_checklist(instance=commission, name="request_award_approval")
        if i.label == ASSESSMENT_REVIEW
    )
    panel_member = make_user(Role.PANEL_MEMBER, email="panel@test.example.org")

    assert item.url_for(assessed.officer) == conflicts_url(assessed.opportunity)
    assert item.url_for(panel_member) == ""
    client.force_login(panel_member)
    assert client.get(conflicts_url(assessed.opportunity)).status_code == 403


# --- Sending the contract to the provider ----------------------------------------------------


@pytest.mark.parametrize(
    ("funding_type", "reviewed", "allowed"),
    [
        ("contract", False, False),
        ("contract", True, True),
        ("grant", False, True),
    ],
)
def test_the_contract_is_sent_only_once_the_assessment_is_reviewed_at_the_award(
    funding_type, reviewed, allowed
):
    made = agreement_made(funding_type=funding_type, reviewed=reviewed)
    agreement = made.agreement
    standstill_over(agreement)

    if allowed:
        agreement_transition(agreement=agreement, name="issue", user=made.officer)
        agreement.refresh_from_db()
        assert agreement.state == AgreementState.ISSUED
    else:
        with pytest.raises(TransitionNotAllowed):
            agreement_transition(agreement=agreement, name="issue", user=made.officer)
        agreement.refresh_from_db()
        assert agreement.state == AgreementState.DRAFT


def test_the_agreement_page_links_the_missing_award_review(client):
    made = agreement_made(funding_type="contract", reviewed=False)
    standstill_over(made.agreement)
    opportunity = made.agreement.decision.bid.opportunity
    client.force_login(made.officer)

    response = client.get(f"/agreements/{made.agreement.pk}/")

    assert "Send to the provider to accept" not in text_of(response)
    assert checklist_links_of(response)[AWARD_REVIEW] == conflicts_url(opportunity)
    assert (
        "Review the conflicts assessment at the award: everyone involved declares their "
        "interests again" in text_of(response)
    )

    conflicts_reviewed(opportunity, stage="award", by=made.officer)
    response = client.get(f"/agreements/{made.agreement.pk}/")

    assert AWARD_REVIEW not in checklist_links_of(response)
    assert "Send to the provider to accept" in text_of(response)


# --- Two stages: the shortlist's declarations are part of the assessment -----------------------


def test_the_shortlists_declarations_are_listed_and_their_officers_must_declare(
    client, clock, make_user
):
    """An officer who declared about the organisations that expressed interest is one of
    the people involved, who declares at each stage, and the conflicts page lists what they
    declared about each organisation (once the expressions' deadline has passed; nothing of
    them before it)."""
    opportunity = two_stage_opportunity()
    kept, conflicted = (
        ExpressionFactory(opportunity=opportunity, state="submitted") for _ in range(2)
    )
    shortlister = make_user(
        Role.OFFICER, email="shortlister@test.example.org", full_name="Sam Short"
    )
    reader = make_user(Role.APPROVER, email="reader@test.example.org", full_name="Ann Approver")
    client.force_login(reader)
    page = text_of(client.get(conflicts_url(opportunity)))
    assert "Declarations for the shortlist" not in page
    assert shortlister not in people_involved(opportunity=opportunity)

    after_eoi_deadline(clock, opportunity)
    declare(opportunity.expression_stage, shortlister, conflicted=[conflicted.organisation])

    assert shortlister in people_involved(opportunity=opportunity)
    page = text_of(client.get(conflicts_url(opportunity)))
    assert "Declarations for the shortlist of expressions of interest" in page
    assert f"Sam Short {kept.organisation.name} No conflict" in page
    assert (
        f"Sam Short {conflicted.organisation.name} Personal conflict My sister chairs its board"
        in page
    )
    assert "Sam Short Not declared yet" in page  # at the stage the opportunity is at
    assert "The shortlist and its decisions" not in page  # an approver cannot open it
