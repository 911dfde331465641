"""A step that waits for time says the date and time it can be taken: the contract during
its standstill period, closing an opportunity to bids, submitting before bidding opens."""

import pytest

from tests.procurement.factories_agreements import agreement_made
from tests.procurement.test_notices import award_notice, london, summaries_sent, text_of

pytestmark = pytest.mark.django_db


def test_the_agreement_page_says_when_the_contract_can_be_sent(client, clock):
    made = agreement_made(funding_type="contract")
    opportunity = made.agreement.decision.bid.opportunity
    summaries_sent(opportunity)
    clock.move_to(london(2026, 12, 22))
    award_notice(opportunity, made.officer, london(2026, 12, 22).date())
    # Tue 22 December (1) … Wed 6 January 2027 (8): Christmas, the Boxing Day substitute,
    # New Year's Day and Scotland's 2 January substitute (Monday 4th) are not working days.
    clock.move_to(london(2027, 1, 6, 16))
    client.force_login(made.officer)

    page = text_of(client.get(f"/agreements/{made.agreement.pk}/"))

    assert (
        "The standstill period ends at the end of 6 January 2027. You can send this contract "
        "from midnight on 7 January 2027" in page
    )
    assert "Send to the provider to accept" not in page

    clock.move_to(london(2027, 1, 7, 0))
    page = text_of(client.get(f"/agreements/{made.agreement.pk}/"))

    assert "You can send this contract from" not in page
    assert "Send to the provider to accept" in page


# --- Expressions of interest: the deadline, and when shortlisting can start -------------------


def test_the_shortlist_says_when_shortlisting_can_start(client, officer):
    from tests.procurement.factories_expressions import ExpressionFactory, two_stage_opportunity

    opportunity = two_stage_opportunity(eoi_closes_in=7)
    ExpressionFactory(opportunity=opportunity, state="submitted")
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/shortlist/"))

    assert "You can shortlist from 5pm on 3 December 2026." in page


def test_the_staff_opportunity_page_says_when_expressions_close(client, officer):
    from tests.procurement.factories_expressions import two_stage_opportunity

    opportunity = two_stage_opportunity(eoi_closes_in=7)
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/"))

    assert (
        "Two stages: expressions of interest close at 5pm on 3 December 2026; you can "
        "shortlist from then" in page
    )


def test_a_shortlist_decision_before_the_deadline_says_when_it_can_be_made():
    from core.transitions import transition_problems
    from tests.procurement.factories_expressions import ExpressionFactory, two_stage_opportunity

    expression = ExpressionFactory(
        opportunity=two_stage_opportunity(eoi_closes_in=7), state="submitted"
    )

    assert (
        "Expressions of interest close at 5pm on 3 December 2026. You can shortlist from 5pm "
        "on 3 December 2026" in transition_problems(instance=expression, name="shortlist")
    )


def test_an_expression_for_an_opportunity_not_open_yet_says_when_it_can_be_sent():
    from core.transitions import transition_problems
    from tests.procurement.factories_bids import at
    from tests.procurement.factories_expressions import ExpressionFactory, two_stage_opportunity

    opportunity = two_stage_opportunity(eoi_closes_in=7, opens_at=at(2, 9))
    expression = ExpressionFactory(opportunity=opportunity)

    assert (
        "You can send your expression of interest from 9am on 28 November 2026 until 5pm on "
        "3 December 2026" in transition_problems(instance=expression, name="submit")
    )
