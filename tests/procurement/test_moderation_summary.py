"""Moderation for an opportunity with hundreds of bids: the list sums each bid up in a row
(status, the panel's and the moderated weighted totals, how many panel members sent scores,
the widest divergence), 50 to a page, with each bid's scores side by side on its own page.
What is still to do is counted across every bid, not just the page shown."""

import re
from html import unescape

import pytest

from procurement.views import moderation as views
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    moderate,
    panel_member_add,
    scores_give,
)
from tests.procurement.factories_bids import submitted_bid

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def five_bids(officer):
    """Five bids scored by two panel members; the first two moderated, the fourth with
    scores 5 and 1 on its first question (differing by 4)."""
    opportunity = closed_opportunity(lead_officer=officer)
    first, second = (panel_member_add(opportunity) for _ in range(2))
    bids = [submitted_bid(opportunity=opportunity) for _ in range(5)]
    for number, bid in enumerate(sorted(bids, key=lambda b: (b.reference, b.pk))):
        scores_give(assign(bid, first), [5 if number == 3 else 3, 3, 3])
        scores_give(assign(bid, second), [1 if number == 3 else 3, 3, 3])
        if number < 2:
            moderate(bid, 3, by=officer)
    return sorted(bids, key=lambda b: (b.reference, b.pk))


def test_bids_are_listed_a_page_at_a_time_with_progress_across_all(
    client, officer, five_bids, monkeypatch
):
    monkeypatch.setattr(views.ModerationView, "paginate_by", 2)
    opportunity = five_bids[0].opportunity
    client.force_login(officer)
    address = f"/staff/opportunities/{opportunity.pk}/moderation/"

    pages = [client.get(address, {"page": number}) for number in (1, 2, 3)]

    shown = [[m.bid.pk for m in page.context["moderations"]] for page in pages]
    assert shown == [
        [b.pk for b in five_bids[:2]],
        [b.pk for b in five_bids[2:4]],
        [five_bids[4].pk],
    ]
    for page in pages:
        text = text_of(page)
        assert "5 bids received; 2 moderated." in text
        assert "There is 1 such question across the bids." in text
    assert "Scores differ by 4 on 1 question" in text_of(pages[1])
    assert "Scores differ by" not in text_of(pages[0]).split("across the bids.")[1]
    html = pages[0].content.decode()
    assert 'aria-label="Pages of bids to moderate"' in html and 'href="?page=2"' in html
    for garbage in ("4", "x", "0"):
        assert client.get(address, {"page": garbage}).status_code == 404


def test_after_moderating_the_officer_returns_to_the_bids_page(
    client, officer, five_bids, monkeypatch
):
    monkeypatch.setattr(views, "MODERATION_PER_PAGE", 2)
    monkeypatch.setattr(views.ModerationView, "paginate_by", 2)
    client.force_login(officer)
    fifth = five_bids[4]
    data = {}
    for question in fifth.opportunity.questions.all():
        data[f"score_{question.pk}"] = "3"
        data[f"rationale_{question.pk}"] = "The panel agreed"

    response = client.post(f"/staff/bids/{fifth.pk}/moderate/", data)

    assert response.status_code == 302
    assert response["Location"].endswith(f"/moderation/?page=3#bid-{fifth.pk}")
    page = client.get(response["Location"])
    assert f'id="bid-{fifth.pk}"' in page.content.decode()
    assert "5 bids received; 3 moderated." in text_of(page)


def test_each_row_says_what_the_bids_own_page_says(client, officer):
    """The list sums each bid up from counts and spreads the database works out: the same
    status, totals, divergence, panel count, who is awaited and conflicts as the bid's own
    page, which reads every score."""
    from procurement.models import ConflictDeclaration
    from procurement.selectors import moderation as selectors

    opportunity = closed_opportunity(lead_officer=officer)
    ann, ben, cat = (panel_member_add(opportunity) for _ in range(3))
    bids = sorted(
        (submitted_bid(opportunity=opportunity) for _ in range(6)),
        key=lambda b: (b.reference, b.pk),
    )
    waiting, partly, divergent, conflicted, moderated, unassigned = bids
    scores_give(assign(waiting, ann), [4, 4, 4])
    assign(waiting, ben)  # nothing sent yet
    for bid in (partly, divergent, conflicted, moderated):
        scores_give(assign(bid, ann), [5, 2, 3])
        scores_give(
            assign(bid, ben), [1 if bid is divergent else 4, 2, 0 if bid is divergent else 3]
        )
    moderate(moderated, [4, 2, 3], by=officer)
    moderate(partly, [4, 2, 3], by=officer)
    partly.moderated_scores.order_by("question__order").last().delete()
    taken_away = assign(conflicted, cat)
    scores_give(taken_away, [0, 0, 0])
    taken_away.conflict = ConflictDeclaration.objects.create(
        panel_member=cat,
        organisation=conflicted.organisation,
        has_conflict=True,
        kind="personal",
        description="A trustee",
        declared_by=cat.user,
    )
    taken_away.save()
    client.force_login(officer)

    page = client.get(f"/staff/opportunities/{opportunity.pk}/moderation/")

    rows = {summary.bid.pk: summary for summary in page.context["moderations"]}
    assert list(rows) == [bid.pk for bid in bids]
    for bid in bids:
        summary, detail = rows[bid.pk], selectors.bid_moderation(bid=bid)
        widest = detail.widest_divergence
        assert (
            summary.status,
            summary.status_colour,
            summary.panel_total,
            summary.moderated_total,
            summary.divergent_count,
            summary.widest_divergence.spread if summary.widest_divergence else None,
            summary.submitted_count,
            summary.waiting_for,
            summary.conflicts_unresolved,
        ) == (
            detail.status,
            detail.status_colour,
            detail.panel_total,
            detail.moderated_total,
            detail.divergent_count,
            widest.spread if widest else None,
            len(detail.columns),
            detail.waiting_for,
            detail.conflicts_unresolved,
        ), bid.reference
    assert rows[waiting.pk].status == "Waiting for 1 panel member’s scores"
    assert rows[partly.pk].status == "Moderated 2 of 3 questions"
    assert rows[divergent.pk].widest_divergence.spread == 4
    assert rows[conflicted.pk].conflicts_unresolved == 1
    assert rows[moderated.pk].status == "Moderated"
    assert rows[unassigned.pk].status == "Not assigned to the panel"
