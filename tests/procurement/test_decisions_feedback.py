"""Each bidder's feedback page, and the outcome on the bid page and the list of bids: only
once the council has approved the decision, only for the bidder's people and staff who
read bids; moderated scores and reasons, never the panel's names or their own scores."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.roles import Role
from core.templatetags.portal import govuk_date
from procurement.models import AwardDecision, NoticeKind
from procurement.services.notices import notice_record
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import member, partner_add
from tests.procurement.factories_decisions import approve, awaiting_approval, award_make

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def lead_member(bid):
    return bid.organisation.memberships.select_related("user").first().user


@pytest.fixture
def approved(approver):
    assessed = awaiting_approval()
    approve(assessed, by=approver)
    return assessed


def test_the_bidder_reads_each_moderated_score_and_reasons(client, approved):
    bid = approved.bids[0]
    client.force_login(lead_member(bid))
    response = client.get(f"/bids/{bid.pk}/feedback/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Successful £30,000 awarded" in page
    assert "Quarterly monitoring returns." in page
    questions = list(approved.opportunity.questions.select_related("criterion"))
    for number, question in enumerate(questions, start=1):
        assert f"Question {number}: {question.criterion.name}" in page
        assert question.text in page
    assert page.count("4 out of 5 – Good") == 3
    assert page.count("Moderated to 4: the panel agreed on the evidence given.") == 3
    assert "Weighted total 80 out of 100" in page
    assert "Standstill" not in page  # a grant


def test_an_unsuccessful_bidder_reads_the_reasons_and_scores(client, approved):
    bid = approved.bids[2]
    client.force_login(lead_member(bid))
    page = text_of(client.get(f"/bids/{bid.pk}/feedback/"))
    assert "Not successful" in page
    assert "The bid scored below others within the budget available." in page
    assert page.count("2 out of 5 – Weak") == 3
    assert "40 out of 100" in page
    assert "awarded" not in page


def test_the_page_never_shows_the_panel_or_their_own_scores(client, approved):
    bid = approved.bids[1]
    client.force_login(lead_member(bid))
    page = text_of(client.get(f"/bids/{bid.pk}/feedback/"))
    for place in approved.panel:
        assert place.user.get_full_name() not in page
    assert "the answer was read in full" not in page  # a panel member's own comment


def test_a_contract_shows_the_standstill_period(client, approver, officer):
    assessed = awaiting_approval(funding_type="contract")
    approve(assessed, by=approver)
    bid = assessed.bids[0]
    client.force_login(lead_member(bid))
    page = text_of(client.get(f"/bids/{bid.pk}/feedback/"))
    assert "The standstill period of 8 working days begins the day it is published" in page

    AwardDecision.objects.filter(bid__opportunity=bid.opportunity).update(
        notified_at=timezone.now()
    )
    notice_record(
        opportunity=bid.opportunity,
        kind=NoticeKind.CONTRACT_AWARD,
        identifier="CAN-001",
        published_on=timezone.localdate(),
        recorded_by=officer,
    )
    decision = AwardDecision.objects.get(bid=bid)
    page = text_of(client.get(f"/bids/{bid.pk}/feedback/"))
    assert decision.standstill_ends_on is not None
    assert f"Standstill period ends {govuk_date(decision.standstill_ends_on)}" in page
    assert "will not enter into the contract until the standstill period has ended" in page


def test_not_found_before_the_decision_is_approved(client, officer):
    assessed = awaiting_approval()
    bid = assessed.bids[0]
    client.force_login(lead_member(bid))
    assert client.get(f"/bids/{bid.pk}/feedback/").status_code == 404
    client.force_login(officer)
    assert client.get(f"/bids/{bid.pk}/feedback/").status_code == 404


def test_not_found_for_another_provider(client, approved):
    stranger = member(OrganisationFactory())
    other_bidder = lead_member(approved.bids[1])
    bid = approved.bids[0]
    for person in (stranger, other_bidder):
        client.force_login(person)
        assert client.get(f"/bids/{bid.pk}/feedback/").status_code == 404


def test_not_found_for_a_bid_that_does_not_exist(client, provider_user):
    client.force_login(provider_user)
    assert client.get("/bids/999999/feedback/").status_code == 404


def test_a_consortium_partner_reads_the_feedback(client):
    decision = award_make()
    partner = partner_add(decision.bid, confirmed=True)
    person = member(partner.organisation)
    client.force_login(person)
    response = client.get(f"/bids/{decision.bid.pk}/feedback/")
    assert response.status_code == 200
    assert "4 out of 5 – Good" in text_of(response)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.APPROVER, Role.ADMINISTRATOR])
def test_staff_who_read_bids_read_the_feedback(client, make_user, approved, role):
    client.force_login(make_user(role))
    assert client.get(f"/bids/{approved.bids[0].pk}/feedback/").status_code == 200


def test_a_panel_member_may_not(client, approved):
    client.force_login(approved.panel[0].user)
    assert client.get(f"/bids/{approved.bids[0].pk}/feedback/").status_code == 403


def test_the_public_is_asked_to_sign_in(client, approved):
    response = client.get(f"/bids/{approved.bids[0].pk}/feedback/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_feedback_page_query_count_does_not_grow_with_questions(client):
    def queries_with(questions: int) -> int:
        decision = award_make()
        opportunity = decision.bid.opportunity
        for extra in range(questions - opportunity.questions.count()):
            question = opportunity.questions.create(
                text=f"Extra question {extra}", weight=1, order=10 + extra
            )
            decision.bid.moderated_scores.create(question=question, score=3, rationale="Fair")
        client.force_login(member(decision.bid.organisation))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/bids/{decision.bid.pk}/feedback/").status_code == 200
        return len(queries)

    assert queries_with(3) == queries_with(12)


# --- The bid page and the list of bids ---------------------------------------------------------


def test_the_bid_page_shows_the_outcome_and_links_to_the_feedback(client, approved):
    bid = approved.bids[0]
    client.force_login(lead_member(bid))
    response = client.get(f"/bids/{bid.pk}/")
    page = text_of(response)
    assert "Decision Successful £30,000 awarded" in page
    assert "Read the feedback on your bid" in page
    assert f'href="/bids/{bid.pk}/feedback/"' in response.content.decode()

    unsuccessful = approved.bids[2]
    client.force_login(lead_member(unsuccessful))
    page = text_of(client.get(f"/bids/{unsuccessful.pk}/"))
    assert "Decision Not successful" in page
    assert "Read the feedback on your bid" in page


def test_the_bid_page_says_nothing_before_approval(client):
    assessed = awaiting_approval()
    bid = assessed.bids[0]
    client.force_login(lead_member(bid))
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "Successful" not in page
    assert "Read the feedback" not in page


def test_your_bids_shows_each_outcome(client, approved):
    bid = approved.bids[0]
    person = lead_member(bid)
    approved.bids[2].organisation.memberships.create(user=person)
    client.force_login(person)
    response = client.get("/bids/")
    page = text_of(response)
    assert "Successful £30,000 awarded" in page
    assert "Not successful" in page
    html = response.content.decode()
    assert f'href="/bids/{bid.pk}/feedback/"' in html
    assert f'href="/bids/{approved.bids[2].pk}/feedback/"' in html
    assert page.count("Read the feedback on your bid") == 2


def test_your_bids_says_nothing_before_approval(client):
    assessed = awaiting_approval()
    client.force_login(lead_member(assessed.bids[0]))
    page = text_of(client.get("/bids/"))
    assert "Successful" not in page
    assert "Read the feedback" not in page


def test_staff_reading_the_bid_see_the_outcome_and_the_feedback_link(client, officer, approved):
    bid = approved.bids[0]
    client.force_login(officer)
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "Decision Successful £30,000 awarded" in page
    assert "Read the feedback on the bid" in page


def test_a_panel_member_reading_the_bid_gets_no_feedback_link(client, approved):
    bid = approved.bids[0]
    client.force_login(approved.panel[0].user)
    response = client.get(f"/bids/{bid.pk}/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Decision Successful £30,000 awarded" in page
    assert "Read the feedback" not in page
