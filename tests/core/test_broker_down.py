"""Celery's broker (Redis) down: asking a clarification, submitting a bid and booking an
event answer as usual and save what was done; their emails wait in the outbox, and the
drain (`manage.py outbox_drain`, or Celery beat's once Redis is back) sends each once."""

import io

import pytest
from django.core.management import call_command

from core.models import Email, OutboxTask
from core.outbox import outbox_drain
from engagement.models import Booking
from procurement.models import BidSubmission, Clarification
from tests.core.broker import CLOSED_PORT_REDIS_URL, broker_at
from tests.engagement.factories_events import EventFactory
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import (
    BidFactory,
    OpportunityFactory,
    attachment_add,
    bid_complete,
    member,
)
from tests.procurement.factories_opportunities import (
    OpportunityFactory as OpenOpportunityFactory,
)
from tests.procurement.factories_opportunities import published_specification


@pytest.fixture
def broker_down():
    """Celery is not eager and its broker (Redis) refuses connections, as in production
    with Redis stopped."""
    with broker_at(CLOSED_PORT_REDIS_URL):
        yield


def pending_tasks() -> list[str]:
    return sorted(
        OutboxTask.objects.filter(status=OutboxTask.Status.PENDING).values_list("task", flat=True)
    )


def drain() -> str:
    out = io.StringIO()
    call_command("outbox_drain", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_question_asked_with_the_broker_down_is_saved_and_its_email_sent_once_by_the_drain(
    client, provider_user, officer, broker_down, mailoutbox
):
    OrganisationFactory(name="Bowerham Advice Project", members=[provider_user])
    opportunity = OpenOpportunityFactory(
        specification=published_specification(lead_officer=officer, state="procurement")
    )
    client.force_login(provider_user)

    response = client.post(
        f"/opportunities/{opportunity.slug}/ask/",
        {"question": "Can volunteer time count as match funding?"},
    )

    assert response.status_code == 302
    assert Clarification.objects.get().question == "Can volunteer time count as match funding?"
    assert pending_tasks() == ["procurement.tasks.clarification_email_send"]
    assert mailoutbox == []

    assert drain() == "Done: 1 outbox tasks, 1 emails\n"
    assert [message.to for message in mailoutbox] == [[officer.email]]
    assert "Can volunteer time count as match funding?" in mailoutbox[0].body
    email = Email.objects.get()
    assert (email.to, email.status, email.attempts) == (officer.email, "sent", 1)
    assert email.template == "procurement/email/clarification_asked"

    assert drain() == "Done: 0 outbox tasks, 0 emails\n"
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_bid_submitted_with_the_broker_down_is_received_and_each_member_gets_one_receipt(
    client, broker_down, mailoutbox
):
    bid = bid_complete(BidFactory(opportunity=OpportunityFactory()))
    attachment_add(bid, "Project plan.pdf")
    lead = member(bid.organisation, full_name="Lee Lead")
    colleague = member(bid.organisation, full_name="Cal Colleague")
    client.force_login(lead)

    response = client.post(
        f"/bids/{bid.pk}/actions/submit/", {"seen_state": "draft", "declaration": "on"}
    )

    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.state == "submitted"
    receipt = BidSubmission.objects.get(bid=bid).receipt
    assert pending_tasks() == ["procurement.tasks.bid_receipt_email_send"]
    assert mailoutbox == []

    drained = outbox_drain()
    assert (drained.tasks, drained.emails) == (1, 2)
    assert sorted(message.to[0] for message in mailoutbox) == sorted([lead.email, colleague.email])
    assert all(receipt in message.subject for message in mailoutbox)

    drained = outbox_drain()
    assert (drained.tasks, drained.emails) == (0, 0)
    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_place_booked_with_the_broker_down_is_kept_and_confirmed_once_by_the_drain(
    client, provider_user, broker_down, mailoutbox
):
    event = EventFactory(title="Healthy ageing in Morecambe: provider workshop")
    client.force_login(provider_user)

    response = client.post(f"/engagement/events/{event.pk}/book/", {"access_needs": ""})

    assert response.status_code == 302
    assert Booking.objects.get().user == provider_user
    assert pending_tasks() == ["engagement.tasks.booking_email_send"]

    drain()
    drain()
    assert [message.to for message in mailoutbox] == [[provider_user.email]]
    assert OutboxTask.objects.get().status == "done"
