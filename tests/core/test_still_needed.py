"""A blocked step says what is still needed, each item linking to where it is done: the
bid's task list ("Submit your bid — Cannot start yet") and a commission's next step, both
from the machines' own checklists (core.transitions)."""

import re
from html import unescape

import pytest

from commissioning.models import CommissionState
from tests.factories import CommissionFactory
from tests.procurement.factories_bids import BidFactory, bid_complete, member

pytestmark = pytest.mark.django_db


def links_of(response) -> dict[str, str]:
    """Each link's text (tags removed, spaces collapsed) and where it goes."""
    html = response.content.decode()
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()): unescape(href)
        for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    }


def still_needed_of(response) -> str:
    html = response.content.decode()
    block = re.search(r'<div class="portal-still-needed".*?</div>', html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", block.group(0))).split()) if block else ""


def test_submit_your_bid_says_what_is_missing_with_links_to_where_it_is_done(client):
    bid = BidFactory(organisation__verification_status="pending")
    question = bid.opportunity.questions.order_by("order").first()
    client.force_login(member(bid.organisation))

    response = client.get(f"/bids/{bid.pk}/")
    needed, links = still_needed_of(response), links_of(response)

    assert needed.startswith("Still needed:")
    assert "Enter the project title" in needed
    assert "Enter the amount you are asking for" in needed
    assert "Answer question 1" in needed
    assert links["Enter the project title"] == f"/bids/{bid.pk}/edit/#id_title"
    assert (
        links["Enter the amount you are asking for"] == f"/bids/{bid.pk}/edit/#id_amount_requested"
    )
    assert links["Answer question 1"] == f"/bids/{bid.pk}/edit/#id_answer_{question.pk}"
    verified = "Your organisation must be verified by the council before you can submit this bid"
    assert links[verified] == f"/organisations/{bid.organisation.pk}/"


def test_a_bid_with_nothing_missing_can_be_submitted_from_its_task_list(client):
    bid = BidFactory()
    bid_complete(bid)
    client.force_login(member(bid.organisation))

    response = client.get(f"/bids/{bid.pk}/")

    assert still_needed_of(response) == ""
    assert "Submit your bid" in links_of(response)


def test_a_commissions_next_step_links_each_missing_condition_to_where_it_is_done(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.PLANNING)
    client.force_login(officer)

    response = client.get(commission.get_absolute_url())
    links = links_of(response)

    option = "One option in the options appraisal is recorded as recommended, with its rationale."
    assert links[option] == f"/staff/commissions/{commission.pk}/options/"
    specification = (
        "At least one service specification is complete: outcomes, success measures with "
        "targets, budget, duration and eligibility."
    )
    assert links[specification] == f"/staff/commissions/{commission.pk}/specifications/new/"
    assert "Recommend one option in the options appraisal, with its rationale" in (
        response.content.decode()
    )
