"""Moderation: the panel's submitted scores side by side, divergences marked, and the
officer's moderated score and reasons for every question of a bid."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from procurement.models import Bid, ConflictDeclaration, ModeratedScore
from tests.factories import UserFactory
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    moderate,
    panel_member_add,
    scores_give,
)
from tests.procurement.factories_bids import member, submitted_bid

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def panel(opportunity, *names):
    return [
        panel_member_add(opportunity, user=UserFactory(roles=[Role.PANEL_MEMBER], full_name=name))
        for name in names
    ]


@pytest.fixture
def scored(officer):
    """One bid scored by Ann [5, 3, 2] and Ben [2, 3, 2] (submitted); Cat has a draft."""
    opportunity = closed_opportunity(lead_officer=officer)
    bid = submitted_bid(opportunity=opportunity)
    ann, ben, cat = panel(opportunity, "Ann Archer", "Ben Baker", "Cat Cooper")
    scores_give(assign(bid, ann), [5, 3, 2])
    scores_give(assign(bid, ben), [2, 3, 2])
    draft = scores_give(assign(bid, cat), [1, 1, 1], submit=False)
    for score in draft:
        score.comment = "Cat's unsent draft: not convinced"
        score.save()
    return bid


def url(bid) -> str:
    return f"/staff/opportunities/{bid.opportunity_id}/moderation/"


# --- The moderation page ------------------------------------------------------------------------


def test_each_bid_is_summed_up_with_its_scores_side_by_side_one_click_away(client, officer, scored):
    client.force_login(officer)
    response = client.get(url(scored))
    assert response.status_code == 200
    page = text_of(response)
    assert scored.reference in page and scored.organisation.name in page
    # The panel's mean scores [3.5, 3, 2] weighted equally: 8.5 / 15 × 100.
    assert "56.67 out of 100 – Not moderated yet 2" in page  # 2 panel members sent scores
    assert "Scores differ by 3 on 1 question" in page
    assert "Ann Archer" not in page  # each member's scores are on the bid's own page
    assert f'href="/staff/bids/{scored.pk}/moderate/"' in response.content.decode()

    detail = text_of(client.get(f"/staff/bids/{scored.pk}/moderate/"))
    # Question 1: Ann 5 and Ben 2, spread 3, mean 3.5; question 2: 3 and 3.
    assert "Ann Archer 5" in detail and "Ben Baker 2" in detail
    assert "Spread 3 · mean 3.5" in detail
    assert "Spread 0 · mean 3.0" in detail
    assert "Panel’s weighted score (mean) 56.67 out of 100" in detail
    assert "Moderated weighted score Not moderated yet" in detail


def test_a_divergent_question_is_marked_in_words(client, officer, scored):
    client.force_login(officer)
    html = client.get(url(scored)).content.decode()
    assert html.count('govuk-tag--orange portal-nowrap">Scores differ by') == 1
    assert re.search(
        r'<strong class="govuk-tag govuk-tag--orange[^"]*">Scores differ by 3</strong>', html
    )


def test_the_threshold_is_the_opportunitys(client, officer, scored):
    opportunity = scored.opportunity
    opportunity.divergence_threshold = 4
    opportunity.save()
    client.force_login(officer)
    assert (
        'govuk-tag--orange portal-nowrap">Scores differ by'
        not in client.get(url(scored)).content.decode()
    )


def test_drafts_never_appear_and_the_status_says_who_is_awaited(client, officer, scored):
    client.force_login(officer)
    page = text_of(client.get(url(scored)))
    assert "Waiting for 1 panel member’s scores" in page
    assert "Not submitted yet: Cat Cooper" in page
    html = client.get(url(scored)).content.decode()
    assert not re.search(r"<th[^>]*>\s*Cat Cooper\s*</th>", html)
    moderate_page = text_of(client.get(f"/staff/bids/{scored.pk}/moderate/"))
    assert "not convinced" not in moderate_page
    assert "Scored 5: the answer was read in full." in moderate_page


def test_scores_on_an_assignment_a_conflict_took_away_are_left_out(client, officer, scored):
    dan = panel(scored.opportunity, "Dan Dixon")[0]
    assignment = assign(scored, dan)
    scores_give(assignment, [0, 0, 0])
    declaration = ConflictDeclaration.objects.create(
        panel_member=dan,
        organisation=scored.organisation,
        has_conflict=True,
        kind="personal",
        description="My sister chairs the trustees",
        declared_by=dan.user,
    )
    assignment.conflict = declaration
    assignment.save()
    client.force_login(officer)
    page = text_of(client.get(url(scored)))
    assert "Dan Dixon" not in page
    assert "1 declared conflict of interest to resolve" in page
    assert "56.67 out of 100" in page
    detail = text_of(client.get(f"/staff/bids/{scored.pk}/moderate/"))
    assert "Dan Dixon" not in detail
    assert "Panel’s weighted score (mean) 56.67 out of 100" in detail


def test_moderated_scores_and_total_show_once_recorded(client, officer, scored):
    moderate(scored, [4, 3, 2], by=officer)
    client.force_login(officer)
    page = text_of(client.get(url(scored)))
    assert "56.67 out of 100 60.00 out of 100" in page
    assert "2 bids received" not in page and "1 bid received; 1 moderated" in page
    detail = text_of(client.get(f"/staff/bids/{scored.pk}/moderate/"))
    assert "Moderated weighted score 60.00 out of 100" in detail


def test_no_bids_received(client, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    client.force_login(officer)
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/moderation/"))
    assert "No bids were received." in page


def test_moderation_page_query_count_does_not_grow(client, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    client.force_login(officer)
    members = []

    def queries_with(bids: int, panel_size: int) -> int:
        while len(members) < panel_size:
            members.append(panel_member_add(opportunity, declared=False))
        for _ in range(bids - opportunity.bids.count()):
            bid = submitted_bid(opportunity=opportunity)
            moderate(bid, 3, by=officer)
            for place in members:
                scores_give(assign(bid, place), 3)
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(f"/staff/opportunities/{opportunity.pk}/moderation/").status_code == 200
            )
        return len(queries)

    few = queries_with(2, 2)
    assert few <= 15
    assert queries_with(8, 5) == few


# --- Moderating one bid -----------------------------------------------------------------------


def moderation_data(bid, scores, rationales):
    data = {}
    for question, score, rationale in zip(
        bid.opportunity.questions.order_by("order", "pk"), scores, rationales, strict=True
    ):
        if score is not None:
            data[f"score_{question.pk}"] = str(score)
        data[f"rationale_{question.pk}"] = rationale
    return data


def test_the_moderate_page_shows_each_panel_score_and_comment_and_the_descriptors(
    client, officer, scored
):
    client.force_login(officer)
    page = text_of(client.get(f"/staff/bids/{scored.pk}/moderate/"))
    assert "Question 1:" in page and "Question 3:" in page
    assert "Ann Archer 5 Scored 5: the answer was read in full." in page
    assert "Ben Baker 2 Scored 2: the answer was read in full." in page
    assert "3 – Satisfactory" in page
    assert "A comprehensive, convincing answer" in page
    assert "The bidder reads these as feedback" in page


def test_moderating_saves_every_question_at_once(client, officer, scored):
    client.force_login(officer)
    response = client.post(
        f"/staff/bids/{scored.pk}/moderate/",
        moderation_data(scored, [4, 3, 2], ["Clear plan", "Adequate", "Thin evidence"]),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/moderation/#bid-{scored.pk}")
    saved = list(ModeratedScore.objects.filter(bid=scored).order_by("question__order"))
    assert [(m.score, m.rationale, m.moderated_by) for m in saved] == [
        (4, "Clear plan", officer),
        (3, "Adequate", officer),
        (2, "Thin evidence", officer),
    ]
    # Changing one later keeps the others.
    data = moderation_data(scored, [5, 3, 2], ["Clear plan, strong", "Adequate", "Thin evidence"])
    client.post(f"/staff/bids/{scored.pk}/moderate/", data)
    assert ModeratedScore.objects.get(bid=scored, question=saved[0].question).score == 5
    assert ModeratedScore.objects.filter(bid=scored).count() == 3


def test_a_missing_reason_or_score_is_an_error_and_nothing_typed_is_lost(client, officer, scored):
    client.force_login(officer)
    response = client.post(
        f"/staff/bids/{scored.pk}/moderate/",
        moderation_data(scored, [4, None, 2], ["Clear plan written out", "", "Thin evidence"]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    assert "<title>Error: " in html
    assert "There is a problem" in page
    assert page.count("Enter the reasons for the moderated score for question 2") == 2
    assert page.count("Select a moderated score for question 2") == 2
    assert "Clear plan written out" in page
    first = scored.opportunity.questions.order_by("order", "pk").first()
    assert re.search(rf'name="score_{first.pk}"[^>]*value="4"\s*checked', html)
    # The summary links to the first radio, which exists on the page.
    second = scored.opportunity.questions.order_by("order", "pk")[1]
    assert f'href="#id_score_{second.pk}_1"' in html
    assert f'id="id_score_{second.pk}_1"' in html
    assert not ModeratedScore.objects.filter(bid=scored).exists()


@pytest.mark.parametrize("state", ["procurement", "award_approval", "delivery"])
def test_moderation_is_read_only_outside_assessment(client, officer, scored, state):
    moderate(scored, [4, 3, 2], by=officer)
    commission = scored.opportunity.specification.commission
    type(commission).objects.filter(pk=commission.pk).update(state=state)
    client.force_login(officer)
    page = text_of(client.get(f"/staff/bids/{scored.pk}/moderate/"))
    assert "Save moderated scores" not in page
    assert "Moderated to 4: the panel agreed on the evidence given." in page
    assert "Read the moderation" in text_of(client.get(url(scored)))

    response = client.post(
        f"/staff/bids/{scored.pk}/moderate/",
        moderation_data(scored, [0, 0, 0], ["x", "y", "z"]),
        follow=True,
    )
    assert "Nothing has been changed" in text_of(response)
    assert set(ModeratedScore.objects.filter(bid=scored).values_list("score", flat=True)) == {
        2,
        3,
        4,
    }


def test_a_withdrawn_or_draft_bid_has_no_moderation(client, officer):
    from tests.procurement.factories_bids import BidFactory

    opportunity = closed_opportunity(lead_officer=officer)
    client.force_login(officer)
    for state in ("draft", "withdrawn"):
        bid = BidFactory(opportunity=opportunity, state=state)
        assert client.get(f"/staff/bids/{bid.pk}/moderate/").status_code == 404


def test_sealed_before_the_deadline(client, officer):
    from tests.procurement.factories_bids import OpportunityFactory

    bid = submitted_bid(opportunity=OpportunityFactory())
    client.force_login(officer)
    assert client.get(f"/staff/bids/{bid.pk}/moderate/").status_code == 403
    assert client.get(url(bid)).status_code == 403


def test_a_provider_and_a_panel_member_are_refused(client, scored):
    client.force_login(member(scored.organisation))
    assert client.get(url(scored)).status_code == 403
    assignment = scored.assignments.first()
    client.force_login(assignment.panel_member.user)
    assert client.get(f"/staff/bids/{scored.pk}/moderate/").status_code == 403
    assert client.post(f"/staff/bids/{scored.pk}/moderate/", {}).status_code == 403


def test_a_provider_cannot_tell_which_bids_were_received(client, scored, provider_user):
    """The role is checked before anything is looked up: a bid that exists and one that
    does not both give 403."""
    missing = Bid.objects.order_by("-pk").first().pk + 100
    for person in (member(scored.organisation), provider_user):
        client.force_login(person)
        for pk in (scored.pk, missing):
            assert client.get(f"/staff/bids/{pk}/moderate/").status_code == 403
        for pk in (scored.opportunity_id, missing):
            for page in ("moderation", "ranking", "recommendation"):
                assert client.get(f"/staff/opportunities/{pk}/{page}/").status_code == 403
