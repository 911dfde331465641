"""Every email the portal sends is recorded: to whom, which template, the subject, its
status, how many attempts and when it was sent. A mail server that is down fails no page:
the email is retried with back-off and sent once it is back, and administrators see the
failures in the admin. Emails about a sealed bid give nothing away there."""

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from core.emails import email_queue
from core.models import Email, OutboxTask
from core.outbox import outbox_drain
from engagement.models import Booking
from tests.engagement.factories_events import EventFactory
from tests.procurement.factories_bids import (
    BidFactory,
    OpportunityFactory,
    attachment_add,
    bid_complete,
    member,
)

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SIGNUP = {
    "full_name": "Sam Smith",
    "email": "sam.smith@example.org",
    "password1": "a-long-test-password",
    "password2": "a-long-test-password",
}


@pytest.fixture
def mail_server_down(settings):
    """The real SMTP backend, pointed at a port where no mail server listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    return settings


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_signing_up_with_the_mail_server_down_answers_and_the_email_follows_once_it_is_back(
    client, mail_server_down, mailoutbox, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    email = Email.objects.get()
    assert email.to == "sam.smith@example.org"
    assert email.template == "account/email/email_confirmation_signup"
    assert email.subject == "[Commissioning portal] Confirm your email address"
    assert (email.status, email.attempts) == ("queued", 1)
    assert email.last_error.startswith("ConnectionRefusedError")
    assert mailoutbox == []

    mail_server_down.EMAIL_BACKEND = LOCMEM  # the mail server is back
    assert outbox_drain().emails == 0  # the next attempt is a minute after the first
    clock.shift(dt.timedelta(minutes=1))
    assert outbox_drain().emails == 1
    clock.shift(dt.timedelta(hours=1))
    assert outbox_drain().emails == 0

    (message,) = mailoutbox
    assert message.to == ["sam.smith@example.org"]
    assert message.subject == "[Commissioning portal] Confirm your email address"
    assert "/accounts/confirm-email/" in message.body
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    assert email.sent_at == timezone.now() - dt.timedelta(hours=1)


def test_booking_with_the_mail_server_down_answers_and_the_confirmation_is_retried(
    client, provider_user, mail_server_down, mailoutbox, clock, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Healthy ageing in Morecambe: provider workshop")
    client.force_login(provider_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/engagement/events/{event.pk}/book/", {"access_needs": ""}, follow=True
        )

    assert "Place booked" in text_of(response)
    assert Booking.objects.get().user == provider_user
    assert OutboxTask.objects.get().status == "done"  # the email was written down
    email = Email.objects.get()
    assert (email.to, email.status, email.attempts) == (provider_user.email, "queued", 1)
    assert email.template == "engagement/email/booking_confirmed"

    clock.shift(dt.timedelta(minutes=1))
    outbox_drain()  # still down: the second attempt fails too, and waits longer
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 2)
    assert email.next_attempt_at == timezone.now() + dt.timedelta(minutes=2)

    mail_server_down.EMAIL_BACKEND = LOCMEM
    clock.shift(dt.timedelta(minutes=2))
    assert outbox_drain().emails == 1
    assert outbox_drain().emails == 0
    assert [message.to for message in mailoutbox] == [[provider_user.email]]


# --- What administrators see ------------------------------------------------------------------


def test_administrators_see_failed_emails_and_why(client, administrator):
    failed = Email.objects.create(
        to="jo@barelane.example.org",
        template="providers/email/invitation",
        subject="You are invited to join Bare Lane Arts",
        body="…",
        status="failed",
        attempts=10,
        last_error="SMTPRecipientsRefused: {'jo@barelane.example.org': (550, b'No such user')}",
    )
    email_queue(to="sam@example.org", subject="Your place is booked", body="…")
    client.force_login(administrator)

    everything = client.get("/admin/core/email/")
    failures = client.get("/admin/core/email/?status__exact=failed")

    assert everything.status_code == 200
    assert everything.context["cl"].result_count == 2
    assert failures.context["cl"].result_count == 1
    page = text_of(failures)
    assert "jo@barelane.example.org" in page
    assert "You are invited to join Bare Lane Arts" in page
    assert "Failed" in page
    assert "SMTPRecipientsRefused" in page
    assert "sam@example.org" not in page
    assert client.get(f"/admin/core/email/{failed.pk}/change/").status_code == 200
    assert client.get("/admin/core/outboxtask/").status_code == 200


def test_an_administrator_can_try_a_failed_email_again(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    failed = Email.objects.create(
        to="jo@barelane.example.org",
        subject="You are invited to join Bare Lane Arts",
        body="Follow the link to join.",
        status="failed",
        attempts=10,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/email/", {"action": "retry", "_selected_action": [failed.pk]}
        )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert [message.to for message in mailoutbox] == [["jo@barelane.example.org"]]


def test_emails_about_a_sealed_bid_give_nothing_away_in_the_admin_until_the_deadline(
    client, administrator, clock, django_capture_on_commit_callbacks
):
    bid = bid_complete(BidFactory(opportunity=OpportunityFactory()), amount="45000")
    attachment_add(bid)
    lead = member(bid.organisation, email="lee@lune.example.org")
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bids/{bid.pk}/actions/submit/", {"seen_state": "draft", "declaration": "on"})
    receipt = Email.objects.get(template="procurement/email/bid_receipt")
    assert receipt.sealed_until == bid.opportunity.closes_at
    assert "£45,000" in receipt.body
    client.force_login(administrator)

    listing = client.get("/admin/core/email/")
    assert listing.context["cl"].result_count == 1
    page = text_of(listing)
    assert "Sealed until the bid's deadline" in page
    assert "lee@lune.example.org" not in page
    assert bid.opportunity.title not in page
    detail = text_of(client.get(f"/admin/core/email/{receipt.pk}/change/"))
    assert "lee@lune.example.org" not in detail and "45,000" not in detail
    # Nothing can be learnt by searching or filtering on what is hidden.
    assert client.get("/admin/core/email/?q=lee%40lune").context["cl"].result_count == 0
    assert client.get("/admin/core/email/?body__contains=45%2C000").status_code == 400
    assert client.get("/admin/core/email/?to=lee%40lune.example.org").status_code == 400

    clock.move_to(bid.opportunity.closes_at + dt.timedelta(minutes=1))
    client.force_login(administrator)
    page = text_of(client.get("/admin/core/email/?q=lee%40lune"))
    assert "lee@lune.example.org" in page
    assert "45,000" not in page  # bodies are never shown
