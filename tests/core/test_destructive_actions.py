"""The main button is the next step the machine allows; cancelling, withdrawing or refusing
is a warning-coloured link after it, never the most prominent thing on the page."""

import re

import pytest

from commissioning.models import CommissionState
from core.transitions import transition_actions_for
from tests.factories import CommissionFactory
from tests.procurement.factories_bids import BidFactory, bid_complete, member

pytestmark = pytest.mark.django_db


def actions_html(response) -> str:
    html = response.content.decode()
    groups = re.findall(r'<div class="govuk-button-group">(.*?)</div>', html, re.S)
    return next((group for group in groups if "_transition" in group or "/actions/" in group), "")


def test_a_commission_in_planning_offers_cancelling_as_a_warning_link_not_a_button(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.PLANNING)
    client.force_login(officer)

    group = actions_html(client.get(commission.get_absolute_url()))

    assert re.search(r'<a class="govuk-link portal-link--warning" href="[^"]*/cancel/">', group)
    assert "govuk-button--warning" not in group


def test_a_draft_bid_offers_submitting_first_and_withdrawing_last(client):
    bid = BidFactory()
    bid_complete(bid)
    user = member(bid.organisation)
    client.force_login(user)

    actions = transition_actions_for(instance=bid, user=user)
    html = " ".join(client.get(f"/bids/{bid.pk}/").content.decode().split())
    # the task list's last task is submitting; withdrawing is a link after it
    submit = html.index(f'href="/bids/{bid.pk}/actions/submit/"')
    withdraw = re.search(
        rf'<a class="govuk-link portal-link--warning" href="/bids/{bid.pk}/actions/withdraw/"',
        html,
    )

    assert [(a.name, a.style) for a in actions] == [("submit", ""), ("withdraw", "warning")]
    assert withdraw and submit < withdraw.start()
    assert "govuk-button--warning" not in html
