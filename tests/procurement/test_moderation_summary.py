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
