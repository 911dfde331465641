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
