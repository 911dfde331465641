"""Starting a bid, the task list, the draft (word limits, the budget cap), the budget
breakdown and the person's list of bids."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import Bid, BidAnswer, BudgetLine
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
    """The page's text with tags removed and spaces collapsed, as a person reads it."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- Starting a bid ------------------------------------------------------------------------------


def test_a_member_starts_a_bid_with_a_reference(client):
    opportunity = OpportunityFactory(reference="OPP-2026-001")
    organisation = OrganisationFactory()
    client.force_login(member(organisation))

    page = client.get(f"/opportunities/{opportunity.slug}/bid/")
    assert "You are bidding for" in text_of(page)
    response = client.post(
        f"/opportunities/{opportunity.slug}/bid/", {"organisation": organisation.pk}
    )

    bid = Bid.objects.get()
    assert response["Location"] == f"/bids/{bid.pk}/"
    assert bid.reference == "BID-OPP-2026-001-001"
    assert bid.state == "draft"
    assert bid.organisation == organisation


def test_references_count_up_within_an_opportunity(client):
    opportunity = OpportunityFactory(reference="OPP-2026-001")
    first, second = OrganisationFactory(), OrganisationFactory()
    client.force_login(member(first))
    client.post(f"/opportunities/{opportunity.slug}/bid/", {"organisation": first.pk})
    client.force_login(member(second))
    client.post(f"/opportunities/{opportunity.slug}/bid/", {"organisation": second.pk})
    assert sorted(Bid.objects.values_list("reference", flat=True)) == [
        "BID-OPP-2026-001-001",
        "BID-OPP-2026-001-002",
    ]


def test_a_person_in_several_organisations_chooses_which_is_bidding(client):
    opportunity = OpportunityFactory()
    first, second = OrganisationFactory(name="Alpha Trust"), OrganisationFactory(name="Beta CIC")
    person = member(first)
    second.memberships.create(user=person)
    client.force_login(person)

    page = text_of(client.get(f"/opportunities/{opportunity.slug}/bid/"))
    assert "Which organisation is bidding?" in page
    assert "Alpha Trust" in page and "Beta CIC" in page
    empty = client.post(f"/opportunities/{opportunity.slug}/bid/", {})
    assert "Select the organisation that is bidding" in text_of(empty)

    client.post(f"/opportunities/{opportunity.slug}/bid/", {"organisation": second.pk})
    assert Bid.objects.get().organisation == second


def test_an_organisation_with_a_live_bid_goes_to_it(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    url = f"/opportunities/{bid.opportunity.slug}/bid/"
    assert client.get(url)["Location"] == f"/bids/{bid.pk}/"
    response = client.post(url, {"organisation": bid.organisation.pk})
    assert response["Location"] == f"/bids/{bid.pk}/"
    assert Bid.objects.count() == 1


def test_a_withdrawn_bid_does_not_stop_a_new_one(client):
    bid = BidFactory(state="withdrawn")
    client.force_login(member(bid.organisation))
    url = f"/opportunities/{bid.opportunity.slug}/bid/"
    client.post(url, {"organisation": bid.organisation.pk})
    assert Bid.objects.filter(state="draft").count() == 1


def test_cannot_bid_for_another_organisation(client):
    opportunity = OpportunityFactory()
    mine, also_mine, theirs = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    person = member(mine)
    also_mine.memberships.create(user=person)
    client.force_login(person)
    response = client.post(f"/opportunities/{opportunity.slug}/bid/", {"organisation": theirs.pk})
    assert "Select the organisation that is bidding" in text_of(response)
    assert not Bid.objects.exists()


def test_with_one_organisation_a_posted_organisation_is_ignored(client):
    opportunity = OpportunityFactory()
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    client.force_login(member(mine))
    client.post(f"/opportunities/{opportunity.slug}/bid/", {"organisation": theirs.pk})
    assert Bid.objects.get().organisation == mine


def test_no_bid_can_be_started_after_the_deadline(client):
    opportunity = ClosedOpportunityFactory()
    organisation = OrganisationFactory()
    client.force_login(member(organisation))
    page = client.post(f"/opportunities/{opportunity.slug}/bid/", {"organisation": organisation.pk})
    assert "You can no longer start a bid" in text_of(page)
    assert not Bid.objects.exists()


def test_an_unpublished_opportunity_has_no_bid_page(client):
    opportunity = OpportunityFactory(published_at=None)
    client.force_login(member(OrganisationFactory()))
    assert client.get(f"/opportunities/{opportunity.slug}/bid/").status_code == 404


def test_someone_with_no_organisation_is_told_to_register_one(client, provider_user):
    opportunity = OpportunityFactory()
    client.force_login(provider_user)
    assert "Register your organisation" in text_of(
        client.get(f"/opportunities/{opportunity.slug}/bid/")
    )


def test_an_unverified_organisation_may_start_and_save_a_draft(client):
    opportunity = OpportunityFactory()
    organisation = OrganisationFactory(verification_status="pending")
    client.force_login(member(organisation))
    client.post(f"/opportunities/{opportunity.slug}/bid/", {"organisation": organisation.pk})
    bid = Bid.objects.get()
    response = client.post(f"/bids/{bid.pk}/edit/", {"title": "Warm spaces"})
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.title == "Warm spaces"
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "Your organisation must be verified by the council before you can submit this bid" in (
        page
    )


# --- The task list -------------------------------------------------------------------------------


def test_the_bid_page_is_a_task_list_with_statuses(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "Project title and amounts Not started" in page
    assert "Question 1:" in page and "0 of 500 words Not started" in page
    assert "Budget breakdown Not started" in page
    assert "Consortium partners Optional: only if you are bidding with other organisations" in page
    assert "Attachments Optional Not started" in page
    assert "Submit your bid" in page and "Cannot start yet" in page

    bid_complete(bid)
    partner_add(bid)
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "Project title and amounts £45,000 requested Completed" in page
    assert "50 of 500 words Completed" in page
    assert "Budget breakdown Total £45,000 Completed" in page
    assert "Waiting for 1 partner to confirm In progress" in page


def test_the_submit_task_can_start_once_the_bid_is_ready(client):
    bid = bid_complete(BidFactory())
    client.force_login(member(bid.organisation))
    page = client.get(f"/bids/{bid.pk}/").content.decode()
    assert f'href="/bids/{bid.pk}/actions/submit/"' in page


# --- The draft: amounts and answers --------------------------------------------------------------


def draft_data(bid, **overrides) -> dict:
    data = {
        "title": "Money advice in Morecambe",
        "amount_requested": "£45,000",
        "match_funding": "5000",
        "match_funding_sources": "Lottery",
        "other_leverage": "Volunteers",
    }
    for question in bid.opportunity.questions.all():
        data[f"answer_{question.pk}"] = "We will help people."
    data.update(overrides)
    return data


def test_saving_a_draft_any_number_of_times(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    question = bid.opportunity.questions.first()
    for text in ("First go.", "Second go, a little longer."):
        response = client.post(
            f"/bids/{bid.pk}/edit/", draft_data(bid, **{f"answer_{question.pk}": text})
        )
        assert response["Location"] == f"/bids/{bid.pk}/"
    bid.refresh_from_db()
    assert bid.amount_requested == Decimal("45000")
    assert BidAnswer.objects.get(bid=bid, question=question).text == "Second go, a little longer."
    assert bid.answers.count() == 3


def test_an_empty_draft_can_be_saved(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    assert client.post(f"/bids/{bid.pk}/edit/", {}).status_code == 302


def test_word_limits_are_enforced_and_the_rest_is_kept(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    third = list(bid.opportunity.questions.all())[2]
    long_answer = " ".join(["word"] * 523)
    response = client.post(
        f"/bids/{bid.pk}/edit/",
        draft_data(bid, title="Kept title", **{f"answer_{third.pk}": long_answer}),
    )
    page = text_of(response)
    assert page.startswith("Error:")
    message = "Your answer to question 3 must be 500 words or fewer. It has 523 words"
    assert page.count(message) == 2  # in the summary and beside the field
    assert 'value="Kept title"' in response.content.decode()
    assert long_answer in response.content.decode()
    bid.refresh_from_db()
    assert bid.title == ""
    assert not bid.answers.exists()


def test_an_answer_at_the_word_limit_is_saved(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    first = bid.opportunity.questions.first()
    client.post(f"/bids/{bid.pk}/edit/", {f"answer_{first.pk}": " ".join(["word"] * 500)})
    assert bid.answers.get().text.count("word") == 500


def test_the_amount_cannot_be_more_than_the_budget(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    response = client.post(f"/bids/{bid.pk}/edit/", draft_data(bid, amount_requested="60000.01"))
    page = text_of(response)
    assert page.count("The amount must be £60,000 or less") == 2
    assert "We will help people." in page
    bid.refresh_from_db()
    assert bid.amount_requested is None


def test_the_amount_must_be_money(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    page = text_of(client.post(f"/bids/{bid.pk}/edit/", draft_data(bid, amount_requested="lots")))
    assert "Amount you are asking for must be an amount of money, like 12500" in page


def test_a_partner_cannot_edit_the_bid(client):
    bid = BidFactory()
    partner = partner_add(bid)
    client.force_login(member(partner.organisation))
    assert client.get(f"/bids/{bid.pk}/").status_code == 200
    assert client.get(f"/bids/{bid.pk}/edit/").status_code == 403
    assert client.post(f"/bids/{bid.pk}/edit/", draft_data(bid)).status_code == 403
    bid.refresh_from_db()
    assert bid.title == ""


def test_a_submitted_bid_cannot_be_edited_until_reopened(client):
    bid = bid_complete(BidFactory(state="submitted"))
    client.force_login(member(bid.organisation))
    response = client.post(f"/bids/{bid.pk}/edit/", draft_data(bid, title="Changed"), follow=True)
    assert "Reopen it to make changes" in text_of(response)
    bid.refresh_from_db()
    assert bid.title == "Money advice in Morecambe"


# --- Budget breakdown ----------------------------------------------------------------------------


def budget_data(rows, existing=0) -> dict:
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": str(existing),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
    }
    for index, (line_id, item, amount) in enumerate(rows):
        data[f"lines-{index}-id"] = line_id or ""
        data[f"lines-{index}-item"] = item
        data[f"lines-{index}-amount"] = amount
    return data


def test_the_budget_breakdown_is_saved_and_totalled(client):
    bid = BidFactory(amount_requested=Decimal("30000"))
    client.force_login(member(bid.organisation))
    response = client.post(
        f"/bids/{bid.pk}/budget/",
        budget_data([("", "Advice worker", "25000"), ("", "Room hire", "5,000"), ("", "", "")]),
        follow=True,
    )
    assert "Budget saved" in text_of(response)
    assert list(bid.budget_lines.values_list("item", "amount")) == [
        ("Advice worker", Decimal("25000")),
        ("Room hire", Decimal("5000")),
    ]
    page = text_of(client.get(f"/bids/{bid.pk}/budget/"))
    assert "Total of the lines saved £30,000" in page
    assert "not the" not in page


def test_the_budget_warns_when_it_does_not_match_the_amount(client):
    bid = BidFactory(amount_requested=Decimal("30000"))
    client.force_login(member(bid.organisation))
    response = client.post(
        f"/bids/{bid.pk}/budget/", budget_data([("", "Advice worker", "25000")]), follow=True
    )
    assert "Its total, £25,000, is not the same as the amount you are asking for, £30,000" in (
        text_of(response)
    )
    page = text_of(client.get(f"/bids/{bid.pk}/budget/"))
    assert "The budget adds up to £25,000, not the £30,000 you are asking for" in page


def test_budget_lines_are_changed_and_removed(client):
    bid = BidFactory()
    line = BudgetLine.objects.create(bid=bid, item="Old", amount=Decimal("100"))
    gone = BudgetLine.objects.create(bid=bid, item="Gone", amount=Decimal("50"))
    client.force_login(member(bid.organisation))
    client.post(
        f"/bids/{bid.pk}/budget/",
        budget_data([(str(line.pk), "New", "200"), (str(gone.pk), "", "")], existing=2),
    )
    assert list(bid.budget_lines.values_list("pk", "item", "amount")) == [
        (line.pk, "New", Decimal("200"))
    ]


def test_a_half_filled_budget_line_is_an_error(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    response = client.post(f"/bids/{bid.pk}/budget/", budget_data([("", "Advice worker", "")]))
    page = text_of(response)
    assert page.startswith("Error:")
    assert "Enter the amount for line 1" in page
    assert 'value="Advice worker"' in response.content.decode()
    assert not bid.budget_lines.exists()


# --- Your bids -----------------------------------------------------------------------------------


def test_your_bids_lists_the_bids_of_your_organisations_and_partnerships(client):
    organisation = OrganisationFactory()
    person = member(organisation)
    own = BidFactory(organisation=organisation, title="Our own bid")
    led_by_others = BidFactory(title="Their consortium bid")
    partner_add(led_by_others, organisation)
    BidFactory(title="Nothing to do with us")
    client.force_login(person)
    page = text_of(client.get("/bids/"))
    assert own.reference in page and "Our own bid" in page
    assert led_by_others.reference in page and "Your organisation is a partner" in page
    assert "Nothing to do with us" not in page
    assert "1 consortium bid is waiting for your organisation to confirm" in page


def test_your_bids_query_count_does_not_grow(client):
    organisation = OrganisationFactory()
    person = member(organisation)
    client.force_login(person)

    def queries_with(count: int) -> int:
        for _ in range(count - Bid.objects.filter(organisation=organisation).count()):
            bid = BidFactory(organisation=organisation)
            partner_add(BidFactory(opportunity=bid.opportunity), organisation)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/bids/").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


# --- Partnerships --------------------------------------------------------------------------------


def test_partnerships_list_waiting_and_confirmed(client):
    organisation = OrganisationFactory(name="Carnforth Youth Hub")
    person = member(organisation)
    waiting = partner_add(BidFactory(title="Lunch clubs"), organisation)
    partner_add(BidFactory(), organisation, confirmed=True)
    client.force_login(person)
    page = text_of(client.get("/partnerships/"))
    assert waiting.bid.organisation.name in page
    assert "Confirm Carnforth Youth Hub as a partner" in page
    assert "Confirmed" in page


def test_partnerships_query_count_does_not_grow(client):
    organisation = OrganisationFactory()
    person = member(organisation)
    client.force_login(person)

    def queries_with(count: int) -> int:
        while organisation.partnerships.count() < count:
            partner_add(BidFactory(), organisation, confirmed=organisation.partnerships.count() % 2)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/partnerships/").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_a_confirmed_partnership_cannot_be_confirmed_again(client):
    partner = partner_add(BidFactory(), confirmed=True)
    client.force_login(member(partner.organisation))
    page = text_of(client.get(f"/partnerships/{partner.pk}/confirm/"))
    assert "confirmed it is a partner in this bid" in page
    assert "Confirm the partnership" in page
    html = client.get(f"/partnerships/{partner.pk}/confirm/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]  # not the header's search box
    assert 'type="submit"' not in main


def test_a_draft_past_its_deadline_says_it_will_not_be_considered(client):
    bid = bid_complete(BidFactory(opportunity=ClosedOpportunityFactory()))
    client.force_login(member(bid.organisation))
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "passed before this bid was submitted. It will not be considered." in page
    assert "Submit your bid" not in page
    assert "Money advice in Morecambe" in page


def test_each_answer_task_links_to_its_box_on_the_edit_page(client):
    bid = BidFactory()
    client.force_login(member(bid.organisation))
    question = bid.opportunity.questions.first()
    assert f'href="/bids/{bid.pk}/edit/#id_answer_{question.pk}"' in (
        client.get(f"/bids/{bid.pk}/").content.decode()
    )
    assert f'id="id_answer_{question.pk}"' in client.get(f"/bids/{bid.pk}/edit/").content.decode()
