"""The officer's side of the panel: forming it, assigning the bids received, the banner of
conflicts to deal with, and reassigning a bid a conflict took away."""

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from procurement.models import Assignment, ConflictDeclaration, PanelMember
from procurement.selectors.assessment import (
    commission_conflicts_are_resolved,
    commission_scores_are_complete,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    panel_member_add,
    scores_give,
)
from tests.procurement.factories_bids import OpportunityFactory, partner_add, submitted_bid

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed, as a person reads it."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def panel_url(opportunity) -> str:
    return f"/staff/opportunities/{opportunity.pk}/panel/"


def person(name: str, *roles: Role):
    return UserFactory(roles=list(roles or [Role.PANEL_MEMBER]), full_name=name)


def conflict_declare(assignment: Assignment, organisation=None, kind="financial"):
    """What declaring a conflict leaves behind: the declaration, and the assignment taken away."""
    declaration = ConflictDeclaration.objects.create(
        panel_member=assignment.panel_member,
        organisation=organisation or assignment.bid.organisation,
        has_conflict=True,
        kind=kind,
        description="I am paid to advise them.",
        declared_by=assignment.panel_member.user,
    )
    assignment.conflict = declaration
    assignment.save()
    return declaration


@pytest.fixture
def closed(officer):
    """An opportunity that closed yesterday with two bids received — the second a consortium
    — led by the `officer` fixture."""
    opportunity = closed_opportunity(lead_officer=officer)
    first = submitted_bid(
        opportunity=opportunity, organisation=OrganisationFactory(name="Lune Valley Advice")
    )
    second = submitted_bid(
        opportunity=opportunity, organisation=OrganisationFactory(name="Morecambe Bay Foodbank")
    )
    partner_add(second, OrganisationFactory(name="Heysham Youth Hub"), confirmed=True)
    return opportunity, [first, second]


# --- Who may see the panel page ------------------------------------------------------------------


def test_only_officers_and_administrators_manage_the_panel(
    client, closed, approver, panel_member, provider_user, administrator, officer
):
    opportunity, _ = closed
    url = panel_url(opportunity)
    assert client.get(url).status_code == 302
    for someone in (approver, panel_member, provider_user):
        client.force_login(someone)
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "add", "user": panel_member.pk}).status_code == 403
    assert not PanelMember.objects.exists()
    for someone in (officer, administrator):
        client.force_login(someone)
        assert client.get(url).status_code == 200


# --- Panel members -------------------------------------------------------------------------------


def test_panel_members_are_listed_with_whether_they_have_declared(client, closed, officer):
    opportunity, _ = closed
    declared = panel_member_add(opportunity, user=person("Dev Declared"))
    declared.declarations_completed_at = dt.datetime(2026, 11, 26, 17, tzinfo=LONDON)
    declared.save()
    panel_member_add(opportunity, user=person("Nina Notyet"), declared=False)
    client.force_login(officer)
    page = text_of(client.get(panel_url(opportunity)))
    assert "Dev Declared" in page
    assert "Declared 26 November 2026, 5pm" in page
    assert re.search(r"Nina Notyet \S+ Not declared yet", page)


def test_the_officer_adds_a_panel_member_from_the_panel_member_role(client, closed, officer):
    opportunity, _ = closed
    newcomer = person("Rosa Reader")
    already = panel_member_add(opportunity, user=person("Ahmed Already"), declared=False)
    not_panel = person("Priya Provider", Role.PROVIDER)
    client.force_login(officer)
    html = client.get(panel_url(opportunity)).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert any("Rosa Reader" in option for option in options)
    assert not any("Ahmed Already" in option for option in options)
    assert not any("Priya Provider" in option for option in options)

    response = client.post(panel_url(opportunity), {"action": "add", "user": newcomer.pk})
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    assert "Rosa Reader added to the panel" in page
    assert PanelMember.objects.filter(opportunity=opportunity, user=newcomer).exists()
    assert PanelMember.objects.get(user=newcomer).added_by == officer

    response = client.post(panel_url(opportunity), {"action": "add", "user": not_panel.pk})
    page = text_of(response)
    assert page.startswith("Error: ")
    assert "Select a person in the Panel member role" in page
    assert not PanelMember.objects.filter(user=not_panel).exists()
    response = client.post(panel_url(opportunity), {"action": "add", "user": already.user.pk})
    assert "Select a person in the Panel member role" in text_of(response)
    assert PanelMember.objects.filter(opportunity=opportunity).count() == 2


def test_with_everyone_in_the_role_on_the_panel_there_is_no_one_to_add(client, closed, officer):
    opportunity, _ = closed
    panel_member_add(opportunity, user=person("Ahmed Already"))
    client.force_login(officer)
    response = client.get(panel_url(opportunity))
    assert "Everyone in the Panel member role is on this panel." in text_of(response)
    assert 'name="user"' not in response.content.decode()

    person("Rosa Reader")
    response = client.get(panel_url(opportunity))
    assert "Everyone in the Panel member role" not in text_of(response)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", response.content.decode())
    assert options[0] == "Choose a person"
    assert [option.split(" (")[0] for option in options[1:]] == ["Rosa Reader"]


def test_adding_with_no_one_chosen_says_so(client, closed, officer):
    opportunity, _ = closed
    person("Rosa Reader")
    client.force_login(officer)
    page = text_of(client.post(panel_url(opportunity), {"action": "add", "user": ""}))
    assert page.startswith("Error: ")
    assert page.count("Select the person to add to the panel") == 2  # summary and field


def test_panel_members_may_be_added_before_bidding_closes_but_bids_are_sealed(client, officer):
    opportunity = OpportunityFactory(
        specification__commission__lead_officer=officer,
        closes_at=dt.datetime(2027, 1, 15, 17, tzinfo=LONDON),
    )
    submitted_bid(opportunity=opportunity)
    newcomer = person("Early Bird")
    client.force_login(officer)
    page = text_of(client.get(panel_url(opportunity)))
    assert "Bids are sealed until 5pm on 15 January 2027" in page
    assert "BID-" not in page
    client.post(panel_url(opportunity), {"action": "add", "user": newcomer.pk})
    place = PanelMember.objects.get(user=newcomer)
    bid = opportunity.bids.get()
    response = client.post(
        panel_url(opportunity), {"action": "assign", "assign": [f"{bid.pk}-{place.pk}"]}
    )
    assert "Bids can be assigned once the opportunity has closed" in text_of(
        client.get(response["Location"])
    )
    assert not Assignment.objects.exists()


def test_removing_a_panel_member(client, closed, officer):
    opportunity, bids = closed
    place = panel_member_add(opportunity, user=person("Gone Soon"))
    assign(bids[0], place)
    client.force_login(officer)
    response = client.post(
        panel_url(opportunity), {"action": "remove", "panel_member": place.pk}, follow=True
    )
    assert "Gone Soon removed from the panel" in text_of(response)
    assert not PanelMember.objects.filter(pk=place.pk).exists()
    assert not Assignment.objects.exists()


def test_a_panel_member_who_has_sent_scores_cannot_be_removed(client, closed, officer):
    opportunity, bids = closed
    place = panel_member_add(opportunity, user=person("Sally Scored"))
    scores_give(assign(bids[0], place), 3)
    client.force_login(officer)
    page = text_of(client.get(panel_url(opportunity)))
    assert "Remove Sally Scored from the panel" not in page
    response = client.post(
        panel_url(opportunity), {"action": "remove", "panel_member": place.pk}, follow=True
    )
    page = text_of(response)
    assert "There is a problem" in page
    assert "You cannot remove Sally Scored from the panel because they have sent scores" in page
    assert PanelMember.objects.filter(pk=place.pk).exists()
    assert place.assignments.get().scores.count() == 3


def test_a_panel_member_whose_conflict_took_a_bid_away_cannot_be_removed(client, closed, officer):
    opportunity, bids = closed
    place = panel_member_add(opportunity, user=person("Connie Conflict"))
    conflict_declare(assign(bids[0], place))
    client.force_login(officer)
    response = client.post(
        panel_url(opportunity), {"action": "remove", "panel_member": place.pk}, follow=True
    )
    assert "Their declaration is kept" in text_of(response)
    assert PanelMember.objects.filter(pk=place.pk).exists()


# --- Assignments ---------------------------------------------------------------------------------


def test_the_grid_has_a_row_per_bid_and_a_labelled_checkbox_per_panel_member(
    client, closed, officer
):
    opportunity, bids = closed
    withdrawn = submitted_bid(opportunity=opportunity)
    withdrawn.__dict__["state"] = "withdrawn"
    withdrawn.save()
    panel_member_add(opportunity, user=person("Ann Assessor"))
    panel_member_add(opportunity, user=person("Bob Assessor"))
    client.force_login(officer)
    html = client.get(panel_url(opportunity)).content.decode()
    page = text_of(client.get(panel_url(opportunity)))
    for bid in bids:
        assert f"Assign {bid.reference} to Ann Assessor" in page
        assert f"Assign {bid.reference} to Bob Assessor" in page
    assert withdrawn.reference not in page
    assert "Partner: Heysham Youth Hub" in page
    assert "Morecambe Bay Foodbank" in page
    assert html.count('type="checkbox"') == 2 * 2


def test_saving_the_grid_assigns_and_unassigns(client, closed, officer):
    opportunity, bids = closed
    ann = panel_member_add(opportunity, user=person("Ann Assessor"))
    bob = panel_member_add(opportunity, user=person("Bob Assessor"))
    client.force_login(officer)
    response = client.post(
        panel_url(opportunity),
        {"action": "assign", "assign": [f"{bids[0].pk}-{ann.pk}", f"{bids[1].pk}-{bob.pk}"]},
        follow=True,
    )
    assert "Assignments saved: 2 assignments added" in text_of(response)
    assert set(Assignment.objects.values_list("bid", "panel_member")) == {
        (bids[0].pk, ann.pk),
        (bids[1].pk, bob.pk),
    }
    assert Assignment.objects.first().assigned_by == officer
    html = response.content.decode()
    assert re.search(rf'value="{bids[0].pk}-{ann.pk}"\s+checked', html)
    assert not re.search(rf'value="{bids[0].pk}-{bob.pk}"\s+checked', html)

    response = client.post(
        panel_url(opportunity),
        {"action": "assign", "assign": [f"{bids[1].pk}-{bob.pk}", f"{bids[1].pk}-{ann.pk}"]},
        follow=True,
    )
    assert "1 assignment added and 1 assignment removed" in text_of(response)
    assert set(Assignment.objects.values_list("bid", "panel_member")) == {
        (bids[1].pk, ann.pk),
        (bids[1].pk, bob.pk),
    }


def test_an_assignment_with_sent_scores_cannot_be_taken_away(client, closed, officer):
    opportunity, bids = closed
    ann = panel_member_add(opportunity, user=person("Ann Assessor"))
    sent = assign(bids[0], ann)
    scores_give(sent, 4)
    client.force_login(officer)
    page = text_of(client.get(panel_url(opportunity)))
    assert "Scores sent" in page
    response = client.post(
        panel_url(opportunity), {"action": "assign", "assign": [f"{bids[1].pk}-{ann.pk}"]}
    )
    page = text_of(response)
    assert page.startswith("Error: ")
    assert f"{bids[0].reference} cannot be taken away from Ann Assessor" in page
    assert list(Assignment.objects.all()) == [sent]
    # What they ticked is still ticked.
    assert re.search(rf'value="{bids[1].pk}-{ann.pk}"\s+checked', response.content.decode())


def test_a_declared_conflict_shows_in_the_grid_and_cannot_be_assigned(client, closed, officer):
    opportunity, bids = closed
    ann = panel_member_add(opportunity, user=person("Ann Assessor"))
    ConflictDeclaration.objects.create(
        panel_member=ann,
        organisation=bids[1].partners.get().organisation,
        has_conflict=True,
        kind="personal",
        description="My son runs it.",
        declared_by=ann.user,
    )
    client.force_login(officer)
    page = text_of(client.get(panel_url(opportunity)))
    assert "Conflict declared" in page
    assert f"Assign {bids[1].reference} to Ann Assessor" not in page
    assert f"Assign {bids[0].reference} to Ann Assessor" in page
    response = client.post(
        panel_url(opportunity), {"action": "assign", "assign": [f"{bids[1].pk}-{ann.pk}"]}
    )
    assert "Check the assignments again" in text_of(response)
    assert not Assignment.objects.exists()


def test_the_panel_page_query_count_does_not_grow(client, officer):
    opportunity = closed_opportunity(lead_officer=officer)
    client.force_login(officer)

    def queries_with(bids: int, members: int) -> int:
        while opportunity.bids.count() < bids:
            bid = submitted_bid(opportunity=opportunity)
            partner_add(bid, confirmed=True)
        while opportunity.panel_members.count() < members:
            place = panel_member_add(opportunity)
            for bid in opportunity.bids.all():
                assignment = Assignment.objects.create(bid=bid, panel_member=place)
                if bid.pk % 2:
                    conflict_declare(assignment)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(panel_url(opportunity))
            assert response.status_code == 200
        return len(queries)

    few = queries_with(2, 2)
    assert few <= 15
    assert queries_with(8, 6) == few


# --- Conflicts: the banner, and reassigning ---------------------------------------------------


@pytest.fixture
def conflicted(closed):
    """Ann and Bob were assigned the consortium bid; Ann declared a financial conflict with
    it. Cat is on the panel but declared a conflict with its partner; Dan is free."""
    opportunity, bids = closed
    bid = bids[1]
    ann = panel_member_add(opportunity, user=person("Ann Assessor"))
    bob = panel_member_add(opportunity, user=person("Bob Assessor"))
    cat = panel_member_add(opportunity, user=person("Cat Conflicted"))
    dan = panel_member_add(opportunity, user=person("Dan Free"))
    ConflictDeclaration.objects.create(
        panel_member=cat,
        organisation=bid.partners.get().organisation,
        has_conflict=True,
        kind="professional",
        description="I am on its board.",
        declared_by=cat.user,
    )
    taken = assign(bid, ann)
    conflict_declare(taken)
    other = assign(bid, bob)
    for place in (ann, bob, dan):
        scores_give(assign(bids[0], place), 3)
    return {"opportunity": opportunity, "bid": bid, "taken": taken, "other": other, "dan": dan}


def test_the_panel_page_tells_the_officer_which_bids_need_reassigning(client, conflicted, officer):
    client.force_login(officer)
    bid = conflicted["bid"]
    response = client.get(panel_url(conflicted["opportunity"]))
    page = text_of(response)
    assert (
        f"Ann Assessor declared a financial conflict with Morecambe Bay Foodbank: "
        f"{bid.reference} needs reassigning"
    ) in page
    assert f'href="/staff/assignments/{conflicted["taken"].pk}/resolve/"' in (
        response.content.decode()
    )


def test_reassigning_resolves_the_conflict(client, conflicted, officer):
    commission = conflicted["opportunity"].specification.commission
    taken, bid, dan = conflicted["taken"], conflicted["bid"], conflicted["dan"]
    scores_give(conflicted["other"], 4)
    assert not commission_conflicts_are_resolved(commission=commission)
    assert commission_scores_are_complete(commission=commission)  # Bob still scores it

    client.force_login(officer)
    url = f"/staff/assignments/{taken.pk}/resolve/"
    page = text_of(client.get(url))
    assert "Dan Free" in page
    assert "Bob Assessor" in page  # still assessing it: not offered
    assert "Cat Conflicted" not in page  # conflicted with the partner
    assert "I am paid to advise them." in page
    response = client.post(url, {"resolution": str(dan.pk)}, follow=True)
    page = text_of(response)
    assert f"{bid.reference} reassigned to Dan Free" in page
    assert "needs reassigning" not in page

    taken.refresh_from_db()
    assert taken.conflict_resolved_at is not None
    assert taken.conflict_resolved_by == officer
    assert taken.conflict_resolution == "Reassigned to Dan Free"
    new = Assignment.objects.get(bid=bid, panel_member=dan)
    assert new.assigned_by == officer
    assert commission_conflicts_are_resolved(commission=commission)
    assert not commission_scores_are_complete(commission=commission)  # Dan has not scored it
    scores_give(new, 2)
    assert commission_scores_are_complete(commission=commission)
    assert client.get(url).status_code == 404  # dealt with


def test_no_one_else_is_needed_only_with_a_reason_and_another_assessor(client, conflicted, officer):
    taken, other = conflicted["taken"], conflicted["other"]
    client.force_login(officer)
    url = f"/staff/assignments/{taken.pk}/resolve/"
    page = text_of(client.post(url, {"resolution": "none", "reason": ""}))
    assert page.startswith("Error: ")
    assert page.count("Enter why no one else is needed") == 2
    page = text_of(client.post(url, {}))
    assert "Select who will assess the bid instead, or that no one else is needed" in page

    other.delete()  # no one else is assessing it now
    response = client.post(url, {"resolution": "none", "reason": "Two is enough"})
    page = text_of(response)
    assert f"No one else is assessing {taken.bid.reference}" in page
    assert "Two is enough" in page  # what they typed is kept
    taken.refresh_from_db()
    assert taken.conflict_resolved_at is None


def test_no_one_else_is_needed_records_the_reason(client, conflicted, officer):
    taken = conflicted["taken"]
    client.force_login(officer)
    response = client.post(
        f"/staff/assignments/{taken.pk}/resolve/",
        {"resolution": "none", "reason": "Bob's scores are enough for a bid this size."},
        follow=True,
    )
    assert "no one else is needed for" in text_of(response)
    taken.refresh_from_db()
    assert taken.conflict_resolution == "Bob's scores are enough for a bid this size."
    assert taken.conflict_resolved_by == officer
    assert Assignment.objects.filter(bid=taken.bid).count() == 2
    assert commission_conflicts_are_resolved(
        commission=conflicted["opportunity"].specification.commission
    )


def test_a_conflicted_member_cannot_be_chosen_by_a_forged_post(client, conflicted, officer):
    taken = conflicted["taken"]
    cat = PanelMember.objects.get(user__full_name="Cat Conflicted")
    client.force_login(officer)
    page = text_of(client.post(f"/staff/assignments/{taken.pk}/resolve/", {"resolution": cat.pk}))
    assert "Select one of the panel members listed" in page
    assert not Assignment.objects.filter(panel_member=cat).exists()


def test_the_lead_officer_is_emailed_about_a_conflict(
    conflicted, officer, django_capture_on_commit_callbacks
):
    from procurement.services.assessment import conflict_declared_email_send

    declaration = conflicted["taken"].conflict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # sent once it commits
        assert conflict_declared_email_send(declaration=declaration) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "Conflict of interest declared" in message.subject
    assert "Ann Assessor has declared a financial conflict of interest" in message.body
    assert conflicted["bid"].reference in message.body
    assert f"/staff/opportunities/{conflicted['opportunity'].pk}/panel/" in message.body


def test_the_panel_lists_only_unresolved_conflicts(client, conflicted, officer):
    taken = conflicted["taken"]
    taken.conflict_resolved_at = taken.conflict.declared_at
    taken.conflict_resolution = "Enough"
    taken.save()
    client.force_login(officer)
    page = text_of(client.get(panel_url(conflicted["opportunity"])))
    assert "needs reassigning" not in page
    assert "Conflict declared" in page
