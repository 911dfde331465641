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


def checklist_links_of(response) -> dict[str, str]:
    """The links inside the page's checklists (includes/checklist.html) only."""
    html = response.content.decode()
    lists = re.findall(r'<ul class="govuk-list portal-checklist".*?</ul>', html, re.S)
    return {
        " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split()): unescape(href)
        for block in lists
        for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', block, re.S)
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


# --- The Do stage's conditions and a plan's: each links to where it is done -------------------


def test_procurement_links_bidding_to_the_opportunity_still_open(client, officer):
    from tests.procurement.factories_opportunities import (
        OpportunityFactory,
        published_specification,
    )

    specification = published_specification(lead_officer=officer, state="procurement")
    opportunity = OpportunityFactory(specification=specification)
    client.force_login(officer)

    links = links_of(client.get(specification.commission.get_absolute_url()))

    bidding = (
        "At least one opportunity was published for the commission, and every one of them "
        "has passed its deadline."
    )
    assert links[bidding] == f"/staff/opportunities/{opportunity.pk}/"


def test_procurement_with_no_opportunity_links_to_making_one(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.PROCUREMENT)
    client.force_login(officer)

    links = links_of(client.get(commission.get_absolute_url()))

    bidding = (
        "At least one opportunity was published for the commission, and every one of them "
        "has passed its deadline."
    )
    assert links[bidding] == f"/staff/opportunities/new/?commission={commission.pk}"


ASSESSMENT_CONDITIONS = {
    "Every bid received is assigned to a panel member, and every panel member has submitted "
    "all their scores for the bids assigned to them.": "panel",
    "Every declared conflict of interest has been dealt with: the bid reassigned to another "
    "panel member, or the reason recorded why no one else is needed.": "panel",
    "Every bid received has a moderated score for every question and a recommendation: an "
    "award with its amount, or the reasons it was not successful; and the awards for each "
    "opportunity fit within its budget.": "moderation",
}


def _assessment_with_a_conflict(officer):
    from procurement.models import Assignment
    from tests.procurement.factories_assessment import (
        assign,
        closed_opportunity,
        panel_member_add,
    )
    from tests.procurement.factories_bids import submitted_bid

    opportunity = closed_opportunity(lead_officer=officer)
    bid = submitted_bid(opportunity=opportunity)
    assignment = assign(bid, panel_member_add(opportunity))
    place = panel_member_add(opportunity, declared=False)
    conflict = place.declarations.create(
        organisation=bid.organisation,
        has_conflict=True,
        kind="personal",
        description="My sister chairs its board.",
        declared_by=place.user,
    )
    Assignment.objects.create(bid=bid, panel_member=place, conflict=conflict)
    return opportunity, assignment


def test_assessment_links_each_condition_to_the_panel_or_moderation(client, officer):
    opportunity, _ = _assessment_with_a_conflict(officer)
    client.force_login(officer)

    response = client.get(opportunity.specification.commission.get_absolute_url())
    links = links_of(response)

    for sentence, page in ASSESSMENT_CONDITIONS.items():
        assert links[sentence] == f"/staff/opportunities/{opportunity.pk}/{page}/", sentence


def test_someone_who_may_not_open_the_panel_reads_the_conditions_without_links(client, approver):
    opportunity, _ = _assessment_with_a_conflict(None)
    client.force_login(approver)

    response = client.get(opportunity.specification.commission.get_absolute_url())
    page = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())

    assert checklist_links_of(response) == {}
    for sentence in ASSESSMENT_CONDITIONS:
        assert f"Missing {sentence}" in page


def test_review_links_the_missing_evaluation_to_it(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.REVIEW)
    client.force_login(officer)

    links = links_of(client.get(commission.get_absolute_url()))

    evaluation = (
        "The commission’s evaluation is complete: impact, lessons learned and a recommendation "
        "for the next cycle."
    )
    assert links[evaluation] == f"/staff/commissions/{commission.pk}/evaluation/"


def test_a_plans_missing_sections_and_specifications_link_to_where_they_are_written(
    client, officer
):
    from tests.factories import PlanFactory, SpecificationFactory

    specification = SpecificationFactory(commission__lead_officer=officer)
    specification.outcomes.all().delete()
    plan = PlanFactory(purpose="", performance_management="", specifications=[specification])
    client.force_login(officer)

    links = checklist_links_of(client.get(f"/staff/plans/{plan.pk}/"))

    assert links["Purpose"] == f"/staff/plans/{plan.pk}/edit/#id_purpose"
    assert (
        links["Performance management arrangements"]
        == f"/staff/plans/{plan.pk}/edit/#id_performance_management"
    )
    assert links["Every specification is complete"] == f"/staff/specifications/{specification.pk}/"


def test_a_plan_with_no_specifications_links_to_choosing_them(client, officer):
    from tests.factories import PlanFactory

    plan = PlanFactory()
    client.force_login(officer)

    links = checklist_links_of(client.get(f"/staff/plans/{plan.pk}/"))

    assert links["At least one service specification"] == (
        f"/staff/plans/{plan.pk}/edit/#id_specifications_1"
    )


def test_an_approver_reads_a_plans_checklist_without_links_to_a_form_they_may_not_open(
    client, approver
):
    from tests.factories import PlanFactory

    plan = PlanFactory(purpose="")
    client.force_login(approver)

    response = client.get(f"/staff/plans/{plan.pk}/")

    assert response.status_code == 200
    assert checklist_links_of(response) == {}
    assert "Write the purpose" in response.content.decode()
