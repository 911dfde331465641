"""What stops a bid being submitted is the `submit` transition's checklist: each problem the
bidder reads comes from one of the machine's conditions, in the same words as before."""

import re
from html import unescape

import pytest

from core.transitions import checklist_problems, transition_checklist
from procurement.selectors.bids import bid_submit_problems
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import (
    BidFactory,
    ClosedOpportunityFactory,
    OpportunityFactory,
    bid_complete,
    member,
    partner_add,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_every_problem_on_the_submit_page_comes_from_the_machines_checklist(client):
    organisation = OrganisationFactory(verification_status="pending")
    bid = BidFactory(organisation=organisation)  # no title, amount, answers or targets
    partner_add(bid, OrganisationFactory(name="Carnforth Youth and Community Hub"))
    expected = [
        "Your organisation must be verified by the council before you can submit this bid",
        "Enter the project title",
        "Enter the amount you are asking for",
        "Answer question 1",
        "Answer question 2",
        "Answer question 3",
        "Enter your targets for People supported for every year",
        "Carnforth Youth and Community Hub has not confirmed it is a partner in this bid",
    ]

    checklist = transition_checklist(instance=bid, name="submit")

    assert checklist_problems(checklist) == expected
    assert bid_submit_problems(bid=bid) == expected
    assert [item.met for item in checklist] == [True, False, True] + [False] * 5
    client.force_login(member(organisation))
    page = text_of(client.get(f"/bids/{bid.pk}/actions/submit/"))
    assert "You cannot submit your bid yet" in page
    for problem in expected:
        assert problem in page


def test_a_complete_bid_has_nothing_left_and_every_condition_is_ticked():
    bid = bid_complete(BidFactory())

    checklist = transition_checklist(instance=bid, name="submit")

    assert bid_submit_problems(bid=bid) == []
    assert all(item.met for item in checklist)
    assert [item.label for item in checklist] == [
        "The opportunity is open for bids.",
        "The lead organisation has been verified by the council.",
        "The organisation has passed the opportunity’s eligibility check.",
        "The project title is given.",
        "The amount requested is given.",
        "Every question is answered.",
        "A target is proposed for every success measure of the specification, in every year "
        "the specification sets a target for.",
        "Every consortium partner has confirmed from its own account.",
    ]


def test_after_the_deadline_the_deadline_is_all_there_is_to_say(client):
    organisation = OrganisationFactory()
    bid = BidFactory(opportunity=ClosedOpportunityFactory(), organisation=organisation)

    problems = bid_submit_problems(bid=bid)

    assert problems == [
        "The deadline for this opportunity was 5pm on 25 November 2026. "
        "Your bid has not been submitted."
    ]
    deadline = transition_checklist(instance=bid, name="submit")[0]
    assert (deadline.met, deadline.needed) == (False, tuple(problems))


def test_before_it_opens_the_bidder_is_told_it_is_not_open_yet(clock):
    opportunity = OpportunityFactory()
    bid = BidFactory(opportunity=opportunity)
    clock.move_to(opportunity.opens_at.replace(hour=8))

    assert bid_submit_problems(bid=bid) == [
        "This opportunity opens for bids at 9am on 19 November 2026. You can submit your bid "
        "from then"
    ]
