"""Submitting, reopening and withdrawing a bid: the deadline on the server, verification,
consortium partners' confirmations, every submitted version kept, the receipt."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm import TransitionNotAllowed

from procurement.models import BidSubmission, ConsortiumPartner
from procurement.services import bids as services
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import (
    BidFactory,
    OpportunityFactory,
    attachment_add,
    bid_complete,
    member,
    partner_add,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def submit(client, bid, **extra):
    return client.post(
        f"/bids/{bid.pk}/actions/submit/",
        {"seen_state": "draft", "declaration": "on", **extra},
        follow=True,
    )


@pytest.fixture
def ready_bid():
    """A complete draft from a verified organisation, for an opportunity closing at 5pm on
    3 December 2026 (a week after the suite's clock), with a file attached."""
    opportunity = OpportunityFactory(
        reference="OPP-2026-001",
        opens_at=london(2026, 11, 1, 9),
        closes_at=london(2026, 12, 3, 17),
        published_at=london(2026, 11, 1, 9),
    )
    bid = bid_complete(BidFactory(opportunity=opportunity, reference="BID-OPP-2026-001-007"))
    attachment_add(bid, "Project plan.pdf")
    return bid


@pytest.fixture
def lead(ready_bid):
    return member(ready_bid.organisation, full_name="Lee Lead")


# --- Submitting ----------------------------------------------------------------------------------


def test_submitting_keeps_the_version_and_shows_a_receipt(client, ready_bid, lead, clock):
    client.force_login(lead)
    clock.move_to(london(2026, 11, 26, 16, 32))
    response = submit(client, ready_bid)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "submitted"
    submission = BidSubmission.objects.get(bid=ready_bid)
    assert submission.number == 1
    # short and readable: no letters or digits that look like others (I, L, O, U, 0, 1)
    assert re.fullmatch(r"R[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{4}", submission.receipt)
    assert submission.submitted_by == lead
    assert response.redirect_chain[-1][0] == f"/bids/{ready_bid.pk}/receipts/1/"
    page = text_of(response)
    assert "Bid submitted" in page
    assert f"Your reference number {submission.receipt}" in page
    assert "Received at 4:32pm on 26 November 2026" in page


def test_the_snapshot_holds_everything_submitted(client, ready_bid, lead, clock):
    partner = partner_add(ready_bid, OrganisationFactory(name="Carnforth Youth"), confirmed=True)
    client.force_login(lead)
    clock.move_to(london(2026, 11, 26, 16, 32))
    submit(client, ready_bid)
    content = BidSubmission.objects.get().content
    assert content["reference"] == "BID-OPP-2026-001-007"
    assert content["title"] == "Money advice in Morecambe"
    assert content["amount_requested"] == "45000.00"
    assert content["match_funding"] == "5000.00"
    assert [a["number"] for a in content["answers"]] == [1, 2, 3]
    assert content["answers"][0]["words"] == 50
    assert content["budget_lines"] == [{"item": "Advice worker", "amount": "45000.00"}]
    assert content["partners"][0]["name"] == "Carnforth Youth"
    assert content["partners"][0]["role"] == partner.role
    assert content["attachments"] == [
        {
            "name": "Project plan.pdf",
            "size": ready_bid.attachments.get().size,
            "content_type": "application/pdf",
        }
    ]


def test_every_member_of_the_lead_organisation_gets_the_receipt(
    client, ready_bid, lead, mailoutbox, django_capture_on_commit_callbacks, clock
):
    colleague = member(ready_bid.organisation, full_name="Cal Colleague")
    client.force_login(lead)
    clock.move_to(london(2026, 11, 26, 16, 32))
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, ready_bid)
    receipt = BidSubmission.objects.get().receipt
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, colleague.email])
    email = mailoutbox[0]
    assert receipt in email.subject
    assert "at 4:32pm on 26 November 2026" in email.body
    assert f"/bids/{ready_bid.pk}/receipts/1/" in email.body


def test_the_submit_page_asks_to_check_and_declare(client, ready_bid, lead):
    client.force_login(lead)
    page = text_of(client.get(f"/bids/{ready_bid.pk}/actions/submit/"))
    assert "Check your bid before you submit it" in page
    assert "Money advice in Morecambe" in page
    response = client.post(f"/bids/{ready_bid.pk}/actions/submit/", {"seen_state": "draft"})
    assert "Confirm that the information in the bid is correct" in text_of(response)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "draft"


# --- The deadline --------------------------------------------------------------------------------


def test_a_late_submission_is_refused_and_the_draft_kept_intact(client, ready_bid, lead, clock):
    client.force_login(lead)

    def state_of(bid):
        bid.refresh_from_db()
        return (
            bid.state,
            bid.title,
            bid.amount_requested,
            bid.match_funding,
            sorted(bid.answers.values_list("question_id", "text")),
            list(bid.budget_lines.values_list("item", "amount")),
            list(bid.attachments.values_list("original_name", "size", "file")),
        )

    before = state_of(ready_bid)
    clock.move_to(london(2026, 12, 3, 17, 0, 1))
    response = submit(client, ready_bid)
    assert (
        "The deadline for this opportunity was 5pm on 3 December 2026. "
        "Your bid has not been submitted." in text_of(response)
    )
    assert state_of(ready_bid) == before
    assert before[0] == "draft"
    assert not BidSubmission.objects.exists()


def test_a_submission_at_the_last_second_is_accepted(client, ready_bid, lead, clock):
    client.force_login(lead)
    clock.move_to(london(2026, 12, 3, 16, 59, 59))
    submit(client, ready_bid)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "submitted"


def test_the_service_refuses_late_submission_whatever_the_page_said(ready_bid, lead, clock):
    clock.move_to(london(2026, 12, 4, 9))
    with pytest.raises(services.BidDeadlinePassed):
        services.bid_transition(bid=ready_bid, name="submit", user=lead)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "draft"


def test_after_the_deadline_the_draft_cannot_be_changed(client, ready_bid, lead, clock):
    client.force_login(lead)
    clock.move_to(london(2026, 12, 3, 17, 30))
    response = client.post(f"/bids/{ready_bid.pk}/edit/", {"title": "Too late"}, follow=True)
    assert "The deadline for this opportunity has passed" in text_of(response)
    ready_bid.refresh_from_db()
    assert ready_bid.title == "Money advice in Morecambe"


def test_a_submitted_bid_cannot_be_withdrawn_or_reopened_after_the_deadline(
    client, ready_bid, lead, clock
):
    client.force_login(lead)
    clock.move_to(london(2026, 11, 26, 16, 32))
    submit(client, ready_bid)
    clock.move_to(london(2026, 12, 4, 9))
    for name in ("withdraw", "reopen"):
        client.post(f"/bids/{ready_bid.pk}/actions/{name}/", {"seen_state": "submitted"})
        ready_bid.refresh_from_db()
        assert ready_bid.state == "submitted"


# --- Verification --------------------------------------------------------------------------------


def test_an_unverified_organisation_cannot_submit(client, ready_bid, lead):
    ready_bid.organisation.verification_status = "pending"
    ready_bid.organisation.save()
    client.force_login(lead)
    page = text_of(client.get(f"/bids/{ready_bid.pk}/actions/submit/"))
    assert "You cannot submit your bid yet" in page
    assert "Your organisation must be verified by the council before you can submit this bid" in (
        page
    )
    submit(client, ready_bid)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "draft"
    assert not BidSubmission.objects.exists()
    with pytest.raises(TransitionNotAllowed):
        services.bid_transition(bid=ready_bid, name="submit", user=lead)


def test_an_incomplete_bid_says_what_is_missing(client, lead, ready_bid):
    ready_bid.answers.first().delete()
    ready_bid.title = ""
    ready_bid.save()
    client.force_login(lead)
    page = text_of(client.get(f"/bids/{ready_bid.pk}/actions/submit/"))
    assert "Enter the project title" in page
    assert "Answer question 1" in page


# --- Consortium partners -------------------------------------------------------------------------


def test_partners_must_confirm_before_the_lead_can_submit(client, ready_bid, lead):
    waiting = partner_add(ready_bid, OrganisationFactory(name="Carnforth Youth Hub"))
    partner_add(ready_bid, OrganisationFactory(name="Skerton Centre"), confirmed=True)
    client.force_login(lead)
    page = text_of(client.get(f"/bids/{ready_bid.pk}/actions/submit/"))
    assert "Carnforth Youth Hub has not confirmed it is a partner in this bid" in page
    assert "Skerton Centre has not confirmed" not in page
    submit(client, ready_bid)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "draft"

    partner_person = member(waiting.organisation)
    client.force_login(partner_person)
    assert "Confirm" in text_of(client.get("/partnerships/"))
    confirm_page = client.get(f"/partnerships/{waiting.pk}/confirm/")
    assert "Runs the Carnforth sessions" in text_of(confirm_page)
    response = client.post(f"/partnerships/{waiting.pk}/confirm/", follow=True)
    assert "You have confirmed that Carnforth Youth Hub is a partner" in text_of(response)
    waiting.refresh_from_db()
    assert waiting.confirmed_by == partner_person

    client.force_login(lead)
    submit(client, ready_bid)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "submitted"


def test_the_lead_cannot_confirm_for_a_partner(client, ready_bid, lead):
    waiting = partner_add(ready_bid)
    client.force_login(lead)
    assert client.post(f"/partnerships/{waiting.pk}/confirm/").status_code == 404
    waiting.refresh_from_db()
    assert waiting.confirmed_at is None
    with pytest.raises(PermissionDenied):
        services.partnership_confirm(partner=waiting, user=lead)


def test_adding_a_partner_emails_its_members_and_resets_nothing(
    client, ready_bid, lead, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed = partner_add(ready_bid, confirmed=True)
    hub = OrganisationFactory(name="Carnforth Youth and Community Hub", org_id="GB-COH-11235813")
    hub_person = member(hub)
    client.force_login(lead)

    page = text_of(client.get(f"/bids/{ready_bid.pk}/partners/?q=11235813"))
    assert "Carnforth Youth and Community Hub" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bids/{ready_bid.pk}/partners/",
            {"q": "Carnforth", "organisation": hub.pk, "role": "Youth sessions in Carnforth"},
            follow=True,
        )
    assert "Carnforth Youth and Community Hub added" in text_of(response)
    added = ConsortiumPartner.objects.get(bid=ready_bid, organisation=hub)
    assert added.confirmed_at is None
    confirmed.refresh_from_db()
    assert confirmed.confirmed_at is not None
    assert [m.to for m in mailoutbox] == [[hub_person.email]]
    assert f"/partnerships/{added.pk}/confirm/" in mailoutbox[0].body
    assert ready_bid.organisation.name in mailoutbox[0].subject


def test_the_lead_cannot_be_its_own_partner_nor_add_one_twice(client, ready_bid, lead):
    existing = partner_add(ready_bid)
    client.force_login(lead)
    own = client.post(
        f"/bids/{ready_bid.pk}/partners/",
        {"q": "x", "organisation": ready_bid.organisation.pk, "role": "Us"},
    )
    assert "Your organisation is the lead. Choose a different organisation" in text_of(own)
    twice = client.post(
        f"/bids/{ready_bid.pk}/partners/",
        {"q": "x", "organisation": existing.organisation.pk, "role": "Again"},
    )
    assert f"{existing.organisation.name} is already a partner in this bid" in text_of(twice)
    assert ready_bid.partners.count() == 1


def test_search_leaves_out_the_lead_and_existing_partners(client, ready_bid, lead):
    ready_bid.organisation.name = "Morecambe Food Network"
    ready_bid.organisation.save()
    partner_add(ready_bid, OrganisationFactory(name="Morecambe Carers"))
    OrganisationFactory(name="Morecambe Festival")
    OrganisationFactory(name="Morecambe Refused", verification_status="rejected")
    client.force_login(lead)
    page = client.get(f"/bids/{ready_bid.pk}/partners/?q=morecambe")
    labels = text_of(page)
    assert "Morecambe Festival" in labels
    assert page.content.decode().count('name="organisation"') == 1
    assert "Morecambe Carers" not in labels.split("Add a partner")[1]
    assert "Morecambe Refused" not in labels


def test_a_partner_is_removed(client, ready_bid, lead):
    partner = partner_add(ready_bid)
    client.force_login(lead)
    client.post(f"/bids/{ready_bid.pk}/partners/", {"remove": partner.pk})
    assert not ready_bid.partners.exists()


def test_a_role_is_needed(client, ready_bid, lead):
    hub = OrganisationFactory()
    client.force_login(lead)
    response = client.post(
        f"/bids/{ready_bid.pk}/partners/", {"q": hub.name, "organisation": hub.pk, "role": ""}
    )
    assert "Enter the partner’s role in the consortium" in text_of(response)


# --- Withdraw, reopen and submit again: every version kept ---------------------------------------


def test_reopen_change_and_submit_again_keeps_both_versions(client, ready_bid, lead, clock):
    client.force_login(lead)
    clock.move_to(london(2026, 11, 26, 16, 32))
    submit(client, ready_bid)
    clock.move_to(london(2026, 11, 27, 10))
    page = text_of(client.get(f"/bids/{ready_bid.pk}/"))
    assert "Reopen to change the bid" in page
    response = client.post(
        f"/bids/{ready_bid.pk}/actions/reopen/", {"seen_state": "submitted"}, follow=True
    )
    assert "You must submit it again before 5pm on 3 December 2026" in text_of(response)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "draft"
    client.post(
        f"/bids/{ready_bid.pk}/edit/",
        {
            "title": "Money advice in Morecambe and Heysham",
            "amount_requested": "50000",
            **{f"answer_{q.pk}": "A better answer." for q in ready_bid.opportunity.questions.all()},
        },
    )
    clock.move_to(london(2026, 11, 28, 11, 5))
    response = submit(client, ready_bid)
    assert "Received at 11:05am on 28 November 2026" in text_of(response)
    first, second = BidSubmission.objects.filter(bid=ready_bid).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.receipt != second.receipt
    assert first.content["title"] == "Money advice in Morecambe"
    assert first.content["amount_requested"] == "45000.00"
    assert second.content["title"] == "Money advice in Morecambe and Heysham"
    assert second.content["amount_requested"] == "50000.00"
    assert second.content["answers"][0]["text"] == "A better answer."
    page = text_of(client.get(f"/bids/{ready_bid.pk}/"))
    assert "Version 1" in page and "Version 2" in page
    assert client.get(f"/bids/{ready_bid.pk}/receipts/1/").status_code == 200


def test_withdraw_with_a_reason_keeps_the_submitted_version(client, ready_bid, lead, clock):
    from django_fsm_log.models import StateLog

    client.force_login(lead)
    clock.move_to(london(2026, 11, 26, 16, 32))
    submit(client, ready_bid)
    clock.move_to(london(2026, 11, 27, 9))
    page = text_of(client.get(f"/bids/{ready_bid.pk}/actions/withdraw/"))
    assert "Why are you withdrawing the bid? (optional)" in page
    response = client.post(
        f"/bids/{ready_bid.pk}/actions/withdraw/",
        {"seen_state": "submitted", "reason": "Our trustees decided not to go ahead"},
        follow=True,
    )
    assert "withdrawn" in text_of(response)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "withdrawn"
    assert BidSubmission.objects.filter(bid=ready_bid).count() == 1
    log = StateLog.objects.for_(ready_bid).latest("timestamp")
    assert (log.transition, log.by, log.description) == (
        "withdraw",
        lead,
        "Our trustees decided not to go ahead",
    )


def test_a_withdrawn_bid_can_be_followed_by_a_new_one(client, ready_bid, lead, clock):
    client.force_login(lead)
    clock.move_to(london(2026, 11, 26, 9))
    client.post(f"/bids/{ready_bid.pk}/actions/withdraw/", {"seen_state": "draft"})
    client.post(
        f"/opportunities/{ready_bid.opportunity.slug}/bid/",
        {"organisation": ready_bid.organisation.pk},
    )
    assert ready_bid.organisation.bids.filter(state="draft").count() == 1


def test_a_stale_page_changes_nothing(client, ready_bid, lead):
    client.force_login(lead)
    response = client.post(
        f"/bids/{ready_bid.pk}/actions/withdraw/", {"seen_state": "submitted"}, follow=True
    )
    assert "changed by someone else" in text_of(response)
    ready_bid.refresh_from_db()
    assert ready_bid.state == "draft"


def test_a_partner_cannot_submit_or_withdraw(client, ready_bid):
    partner = partner_add(ready_bid, confirmed=True)
    client.force_login(member(partner.organisation))
    for name in ("submit", "withdraw"):
        assert client.get(f"/bids/{ready_bid.pk}/actions/{name}/").status_code == 403
        assert client.post(f"/bids/{ready_bid.pk}/actions/{name}/", {}).status_code == 403
    ready_bid.refresh_from_db()
    assert ready_bid.state == "draft"


def test_an_unknown_action_is_not_found(client, ready_bid, lead):
    client.force_login(lead)
    assert client.get(f"/bids/{ready_bid.pk}/actions/approve/").status_code == 404


@pytest.mark.parametrize(
    ("source", "name", "allowed"),
    [
        ("draft", "submit", True),
        ("draft", "withdraw", True),
        ("draft", "reopen", False),
        ("submitted", "reopen", True),
        ("submitted", "withdraw", True),
        ("submitted", "submit", False),
        ("withdrawn", "submit", False),
        ("withdrawn", "reopen", False),
        ("withdrawn", "withdraw", False),
    ],
)
def test_transitions_by_state(source, name, allowed):
    bid = bid_complete(BidFactory(state=source))
    person = member(bid.organisation)
    if allowed:
        services.bid_transition(bid=bid, name=name, user=person)
        assert bid.state != source
    else:
        with pytest.raises(TransitionNotAllowed):
            services.bid_transition(bid=bid, name=name, user=person)


def test_someone_outside_the_lead_organisation_may_not_make_transitions(provider_user):
    bid = bid_complete(BidFactory())
    with pytest.raises(PermissionDenied):
        services.bid_transition(bid=bid, name="submit", user=provider_user)
    assert bid.amount_requested == Decimal("45000")
