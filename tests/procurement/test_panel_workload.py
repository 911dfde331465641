"""The panel's workload: every bid assigned automatically, balanced between panel members
and never to one who declared a conflict with it; then batch actions on several bids at
once (assign, move, remind) on /staff/opportunities/<pk>/panel/workload/."""

import re
from collections import Counter
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import Assignment, ConflictDeclaration, ConflictKind
from procurement.services.workload import assignments_auto
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    panel_member_add,
    scores_give,
)
from tests.procurement.factories_bids import submitted_bid

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def opportunity_with(*, bids: int, members: int, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    made = [submitted_bid(opportunity=opportunity) for _ in range(bids)]
    panel = [panel_member_add(opportunity) for _ in range(members)]
    return opportunity, made, panel


def counts(opportunity) -> Counter:
    return Counter(
        Assignment.objects.filter(bid__opportunity=opportunity, conflict__isnull=True).values_list(
            "panel_member_id", flat=True
        )
    )


@pytest.mark.parametrize(("bids", "members", "per_bid"), [(7, 3, 2), (5, 4, 1), (6, 4, 3)])
def test_automatic_assignment_balances_within_one(officer, bids, members, per_bid):
    opportunity, made, panel = opportunity_with(bids=bids, members=members, officer=officer)

    added = assignments_auto(opportunity=opportunity, per_bid=per_bid, assigned_by=officer)

    assert added == bids * per_bid
    load = counts(opportunity)
    assert set(load) == {place.pk for place in panel}
    assert max(load.values()) - min(load.values()) <= 1
    for bid in made:
        assert bid.assignments.count() == per_bid


def test_automatic_assignment_never_assigns_a_conflicted_member(officer):
    opportunity, made, panel = opportunity_with(bids=4, members=3, officer=officer)
    conflicted, bid = panel[0], made[1]
    ConflictDeclaration.objects.create(
        panel_member=conflicted,
        organisation=bid.organisation,
        has_conflict=True,
        kind=ConflictKind.PERSONAL,
        description="My brother is its treasurer.",
        declared_by=conflicted.user,
    )

    assignments_auto(opportunity=opportunity, per_bid=2, assigned_by=officer)

    assert not Assignment.objects.filter(bid=bid, panel_member=conflicted).exists()
    assert set(bid.assignments.values_list("panel_member_id", flat=True)) == {
        panel[1].pk,
        panel[2].pk,
    }
    load = counts(opportunity)
    assert max(load.values()) - min(load.values()) <= 1  # 8 assignments: 3, 3 and 2


def test_automatic_assignment_tops_up_and_keeps_what_is_there(officer):
    opportunity, made, panel = opportunity_with(bids=3, members=3, officer=officer)
    kept = assign(made[0], panel[0])
    scores_give(kept, 3)

    added = assignments_auto(opportunity=opportunity, per_bid=2, assigned_by=officer)

    assert added == 5
    assert Assignment.objects.filter(pk=kept.pk, submitted_at__isnull=False).exists()
    assert max(counts(opportunity).values()) - min(counts(opportunity).values()) <= 1


def test_the_officer_assigns_automatically_on_the_page(client, officer):
    opportunity, made, panel = opportunity_with(bids=4, members=2, officer=officer)
    url = f"/staff/opportunities/{opportunity.pk}/panel/workload/"
    client.force_login(officer)

    response = client.post(url, {"action": "auto", "per_bid": "3"})
    page = text_of(response)
    assert page.startswith("Error:")
    assert "Enter 2 or fewer: the panel has 2 members" in page

    response = client.post(url, {"action": "auto", "per_bid": "1"}, follow=True)
    page = text_of(response)
    assert "4 assignments added" in page
    for place in panel:
        assert f"{place.user.get_full_name()} 2 2" in page


def test_batch_move_and_assign_and_remind(
    client, officer, mailoutbox, django_capture_on_commit_callbacks
):
    opportunity, made, panel = opportunity_with(bids=3, members=3, officer=officer)
    for bid in made:
        assign(bid, panel[0])
    url = f"/staff/opportunities/{opportunity.pk}/panel/workload/"
    client.force_login(officer)
    chosen = [str(made[0].pk), str(made[1].pk)]

    response = client.post(
        url, {"bids": chosen, "action": "move", "source": panel[0].pk, "to": panel[1].pk}
    )
    assert response.status_code == 302
    assert set(Assignment.objects.filter(panel_member=panel[1]).values_list("bid", flat=True)) == {
        made[0].pk,
        made[1].pk,
    }
    assert list(Assignment.objects.filter(panel_member=panel[0]).values_list("bid", flat=True)) == [
        made[2].pk
    ]

    client.post(url, {"bids": [str(made[2].pk)], "action": "assign", "to": panel[2].pk})
    assert Assignment.objects.filter(bid=made[2], panel_member=panel[2]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"bids": chosen, "action": "remind"}, follow=True)
    assert "1 panel member reminded" in text_of(response)
    assert [m.to for m in mailoutbox] == [[panel[1].user.email]]
    assert made[0].reference in mailoutbox[0].body and made[1].reference in mailoutbox[0].body


def test_batch_assign_to_a_conflicted_member_is_refused_and_nothing_changes(client, officer):
    opportunity, made, panel = opportunity_with(bids=2, members=2, officer=officer)
    ConflictDeclaration.objects.create(
        panel_member=panel[1],
        organisation=made[1].organisation,
        has_conflict=True,
        kind=ConflictKind.FINANCIAL,
        description="I am paid by them.",
        declared_by=panel[1].user,
    )
    client.force_login(officer)
    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/panel/workload/",
        {"bids": [str(made[0].pk), str(made[1].pk)], "action": "assign", "to": panel[1].pk},
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "cannot be assigned to" in page
    assert not Assignment.objects.exists()


def test_a_batch_without_bids_or_person_says_what_is_missing(client, officer):
    opportunity, made, panel = opportunity_with(bids=2, members=2, officer=officer)
    client.force_login(officer)
    page = text_of(
        client.post(f"/staff/opportunities/{opportunity.pk}/panel/workload/", {"action": "move"})
    )
    assert "Select at least one bid" in page
    assert "Select the panel member to give the bids to" in page
    assert "Select the panel member to move the bids from" in page


def test_the_workload_page_keeps_its_queries_flat(client, officer, django_assert_max_num_queries):
    opportunity, made, panel = opportunity_with(bids=2, members=2, officer=officer)
    client.force_login(officer)
    url = f"/staff/opportunities/{opportunity.pk}/panel/workload/"
    assignments_auto(opportunity=opportunity, per_bid=2, assigned_by=officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        submitted_bid(opportunity=opportunity)
    panel_member_add(opportunity)
    assignments_auto(opportunity=opportunity, per_bid=2, assigned_by=officer)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
