"""Ranking within the budget and the award recommendation: the ranked list, the optimiser's
proposal, recording the recommended awards and reasons, and the budget enforced."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import AwardDecision
from tests.procurement.factories_assessment import (
    assessed_opportunity,
    closed_opportunity,
    moderate,
    recommend,
)
from tests.procurement.factories_bids import submitted_bid

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def bid_with(opportunity, amount: str, moderated: list[int] | None, name: str):
    from tests.factories import OrganisationFactory

    bid = submitted_bid(opportunity=opportunity, organisation=OrganisationFactory(name=name))
    bid.amount_requested = Decimal(amount)
    bid.save()
    if moderated is not None:
        moderate(bid, moderated)
    return bid


@pytest.fixture
def field(officer):
    """Budget £60,000, threshold 50. Three questions of equal weight, so a bid's total is
    its moderated scores' sum × 100 / 15.

    Picking the best score first takes Alder (93.33, £50,000) and leaves room for nothing
    else worth funding; the best set is Birch and Cedar (80 + 73.33 = 153.33, £60,000).
    Damson fits in what Alder leaves but is below the quality threshold; Elm is not
    moderated yet."""
    opportunity = closed_opportunity(lead_officer=officer)
    bids = {
        "alder": bid_with(opportunity, "50000", [5, 5, 4], "Alder Trust"),
        "birch": bid_with(opportunity, "30000", [4, 4, 4], "Birch Centre"),
        "cedar": bid_with(opportunity, "30000", [4, 4, 3], "Cedar Project"),
        "damson": bid_with(opportunity, "5000", [2, 2, 2], "Damson Club"),
        "elm": bid_with(opportunity, "10000", None, "Elm Friends"),
    }
    return opportunity, bids


def ranking_url(opportunity) -> str:
    return f"/staff/opportunities/{opportunity.pk}/ranking/"


def _choice(bid, outcome, *values) -> dict:
    data = {f"outcome_{bid.pk}": outcome}
    if outcome == "successful":
        data[f"amount_{bid.pk}"] = values[0]
        data[f"conditions_{bid.pk}"] = values[1]
    else:
        data[f"reasons_{bid.pk}"] = values[0]
    return data


def checked(html: str, bid, value: str) -> bool:
    return bool(re.search(rf'name="outcome_{bid.pk}"[^>]*value="{value}"\s*checked', html))


# --- The ranking ---------------------------------------------------------------------------------


def test_the_ranking_lists_moderated_bids_by_score_against_the_budget(client, officer, field):
    opportunity, bids = field
    client.force_login(officer)
    page = text_of(client.get(ranking_url(opportunity)))
    assert "Budget £60,000" in page
    assert "Quality threshold 50 out of 100" in page
    assert re.search(
        r"1 Alder Trust BID-\S+ 93\.33 £50,000 £50,000"
        r".*2 Birch Centre BID-\S+ 80\.00 £30,000 £80,000 over budget"
        r".*3 Cedar Project BID-\S+ 73\.33 £30,000 £110,000 over budget"
        r".*4 Damson Club BID-\S+ 40\.00 £5,000 £115,000 over budget Below quality threshold",
        page,
    )
    # Not moderated: listed apart, not ranked.
    assert "Not yet moderated" in page
    assert re.search(r"Elm Friends ?: 0 of 3 questions moderated", page)


def test_the_proposal_is_the_exact_optimum_not_the_best_scores_first(client, officer, field):
    opportunity, bids = field
    client.force_login(officer)
    response = client.get(ranking_url(opportunity))
    page = text_of(response)
    proposal = page.split("The portal’s proposal")[1].split("Bids ranked by moderated score")[0]
    assert "Birch Centre: £30,000, scored 80.00" in proposal
    assert "Cedar Project: £30,000, scored 73.33" in proposal
    assert "Alder Trust" not in proposal
    assert "Damson Club" not in proposal  # fits the budget, but below the threshold
    assert "Total £60,000 of £60,000, leaving £0 unspent. Total moderated score 153.33." in proposal
    # With nothing recorded yet, the form starts from the proposal.
    html = response.content.decode()
    assert checked(html, bids["birch"], "successful")
    assert checked(html, bids["cedar"], "successful")
    assert checked(html, bids["alder"], "unsuccessful")
    assert checked(html, bids["damson"], "unsuccessful")
    assert f'name="amount_{bids["birch"].pk}" value="30000"' in html
    assert f"outcome_{bids['elm'].pk}" not in html


def test_the_officer_records_the_recommendation(client, officer, field):
    opportunity, bids = field
    client.force_login(officer)
    data = {
        **_choice(bids["alder"], "unsuccessful", "Strong, but it would take most of the budget."),
        **_choice(bids["birch"], "successful", "28000", "Quarterly monitoring returns."),
        **_choice(bids["cedar"], "successful", "£30,000", ""),
        **_choice(bids["damson"], "unsuccessful", "Below the quality threshold."),
    }
    response = client.post(ranking_url(opportunity), data)

    assert response.status_code == 302
    assert response["Location"] == f"/staff/opportunities/{opportunity.pk}/recommendation/"
    decisions = {d.bid_id: d for d in AwardDecision.objects.all()}
    assert len(decisions) == 4
    birch = decisions[bids["birch"].pk]
    assert (birch.outcome, birch.amount, birch.conditions, birch.reasons) == (
        "successful",
        Decimal("28000"),
        "Quarterly monitoring returns.",
        "",
    )
    assert decisions[bids["cedar"].pk].amount == Decimal("30000")
    alder = decisions[bids["alder"].pk]
    assert (alder.outcome, alder.amount, alder.reasons) == (
        "unsuccessful",
        None,
        "Strong, but it would take most of the budget.",
    )
    assert {d.recommended_by for d in decisions.values()} == {officer}
    assert not any(d.is_approved for d in decisions.values())

    # Coming back, the form starts from what was recorded, not from the proposal.
    html = client.get(ranking_url(opportunity)).content.decode()
    assert f'name="amount_{bids["birch"].pk}" value="28000"' in html
    assert "Award £28,000" in text_of(client.get(ranking_url(opportunity)))


def test_awards_over_the_budget_are_refused_with_a_message(client, officer, field):
    opportunity, bids = field
    client.force_login(officer)
    data = {
        **_choice(bids["alder"], "successful", "50000", "Keep to the plan as submitted"),
        **_choice(bids["birch"], "successful", "30000", ""),
        **_choice(bids["cedar"], "unsuccessful", "Out of budget"),
        **_choice(bids["damson"], "unsuccessful", "Below the threshold"),
    }
    response = client.post(ranking_url(opportunity), data)
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    assert "<title>Error: " in html
    message = (
        "The awards add up to £80,000, which is more than the budget of £60,000. "
        "Reduce the amounts or recommend fewer awards."
    )
    summary = page.split("There is a problem")[1].split("Ranking and recommendation")[0]
    assert message in summary
    assert page.count(message) == 2  # and above the recommendation form
    assert 'href="#form-errors"' in html and 'id="form-errors"' in html
    # Nothing typed is lost.
    assert "Keep to the plan as submitted" in page
    assert checked(html, bids["alder"], "successful")
    assert not AwardDecision.objects.exists()


@pytest.mark.parametrize(
    ("who", "choice", "message"),
    [
        ("birch", ("successful", "", ""), "Enter the amount to award to {ref}"),
        ("birch", ("successful", "0", ""), "The amount to award to {ref} must be more than £0"),
        ("birch", ("successful", "lots", ""), "must be an amount of money, like 12500"),
        ("alder", ("unsuccessful", "  "), "Enter the reasons {ref} was not successful"),
        (
            "damson",
            ("successful", "5000", ""),
            "{ref} cannot be recommended for an award: its moderated score, 40.00, is below "
            "the quality threshold of 50.00",
        ),
    ],
)
def test_each_recommendation_is_checked(client, officer, field, who, choice, message):
    opportunity, bids = field
    client.force_login(officer)
    data = {
        **_choice(bids["alder"], "unsuccessful", "Too large for the budget"),
        **_choice(bids["birch"], "successful", "30000", ""),
        **_choice(bids["cedar"], "unsuccessful", "Out of budget"),
        **_choice(bids["damson"], "unsuccessful", "Below the threshold"),
    }
    for key in [k for k in data if k.endswith(f"_{bids[who].pk}")]:
        del data[key]
    data.update(_choice(bids[who], *choice))
    response = client.post(ranking_url(opportunity), data)
    assert response.status_code == 200
    page = text_of(response)
    expected = message.format(ref=bids[who].reference)
    assert page.count(expected) == 2, page  # in the summary and beside the field
    assert not AwardDecision.objects.exists()


def test_a_choice_is_needed_for_every_ranked_bid(client, officer, field):
    opportunity, bids = field
    client.force_login(officer)
    response = client.post(ranking_url(opportunity), {})
    page = text_of(response)
    for key in ("alder", "birch", "cedar", "damson"):
        assert f"Select whether to recommend an award for {bids[key].reference}" in page
    html = response.content.decode()
    assert f'href="#id_outcome_{bids["alder"].pk}_0"' in html
    assert f'id="id_outcome_{bids["alder"].pk}_0"' in html


@pytest.mark.parametrize("state", ["award_approval", "delivery"])
def test_the_recommendation_is_read_only_once_sent_for_approval(client, officer, field, state):
    opportunity, bids = field
    recommend(bids["birch"], amount="30000", by=officer)
    commission = opportunity.specification.commission
    type(commission).objects.filter(pk=commission.pk).update(state=state)
    client.force_login(officer)
    page = text_of(client.get(ranking_url(opportunity)))
    assert "Save the recommendation" not in page
    assert "cannot be changed" in page or "have been approved" in page
    assert "Award £30,000" in page

    response = client.post(
        ranking_url(opportunity),
        _choice(bids["birch"], "unsuccessful", "Changed my mind"),
        follow=True,
    )
    assert "Nothing has been changed" in text_of(response)
    assert AwardDecision.objects.get().outcome == "successful"


def test_nothing_moderated_yet(client, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    bid_with(opportunity, "20000", None, "Fir Collective")
    client.force_login(officer)
    page = text_of(client.get(ranking_url(opportunity)))
    assert "Moderate the bids to see the proposal." in page
    assert "Save the recommendation" not in page
    assert re.search(r"Fir Collective ?: 0 of 3 questions moderated", page)


def test_ranking_page_query_count_does_not_grow(client, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    client.force_login(officer)

    def queries_with(count: int) -> int:
        for n in range(count - opportunity.bids.count()):
            bid = bid_with(opportunity, str(10000 + n * 1000), [3 + n % 3] * 3, f"Org {count}-{n}")
            if n % 2:
                recommend(bid, amount="1000", by=officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ranking_url(opportunity)).status_code == 200
        return len(queries)

    assert queries_with(3) == queries_with(12)


def test_the_factory_recommendation_passes_the_page(client):
    """The shared factory's recommendation reads back on the page as recorded."""
    assessed = assessed_opportunity(recommended=True)
    client.force_login(assessed.officer)
    page = text_of(client.get(ranking_url(assessed.opportunity)))
    assert "Award £30,000" in page and "Award £25,000" in page
    assert page.count("Not successful") >= 1


def test_the_first_bids_not_yet_moderated_are_listed_and_the_rest_counted(
    client, officer, monkeypatch
):
    """However many bids are still to moderate, the page lists the first few by reference
    and counts the rest, with every bid's progress one click away on the moderation list;
    its queries stay the same."""
    from procurement.views import moderation as views

    monkeypatch.setattr(views, "NOT_MODERATED_SHOWN", 2)
    opportunity = closed_opportunity(lead_officer=officer)
    bid_with(opportunity, "20000", [4, 4, 4], "Ash Trust")
    client.force_login(officer)

    def page_with(unmoderated: int):
        for n in range(unmoderated - opportunity.bids.count() + 1):
            bid_with(opportunity, "10000", None, f"Waiting {unmoderated}-{n}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ranking_url(opportunity))
        return response, len(queries)

    few, few_queries = page_with(2)
    many, many_queries = page_with(7)

    assert few_queries == many_queries
    waiting = sorted(
        opportunity.bids.filter(organisation__name__startswith="Waiting"),
        key=lambda bid: (bid.reference, bid.pk),
    )
    page = text_of(many)
    assert "Bids ranked 1 7 not yet moderated" in page
    assert "1 Ash Trust" in page
    for bid in waiting[:2]:
        assert re.search(rf"{bid.organisation.name} ?: 0 of 3 questions moderated", page)
    for bid in waiting[2:]:
        assert bid.organisation.name not in page
    assert "These are the first 2 by reference; 5 more are not yet moderated." in page
    moderation = f'href="/staff/opportunities/{opportunity.pk}/moderation/"'
    assert moderation in many.content.decode().split("Not yet moderated")[1]
    assert "more are not yet moderated" not in text_of(few)
