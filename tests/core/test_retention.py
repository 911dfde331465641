"""Personal data kept no longer than its period (settings.RETENTION, shown on the privacy
notice): the nightly sweep (core.retention.retention_apply, on Celery beat and in
`manage.py run_scheduled`, by hand `manage.py apply_retention`) keeps a record just inside
its period and removes one just past it, twice over does nothing more, and leaves the
published record naming the organisation."""

import json
import re
from html import unescape
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from core.models import Email, Notification, OutboxTask, PersonalDataEvent
from core.retention import retention_apply
from core.roles import Role
from engagement.models import Booking, Feedback
from procurement.models import BidAttachment, Outcome
from tests.engagement.factories_events import PastEventFactory
from tests.factories import OrganisationFactory, PlanFactory, UserFactory
from tests.procurement.factories_bids import attachment_add
from tests.procurement.factories_decisions import award_make

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def years(number: int) -> float:
    """Seconds in `number` years from the suite's "now" (with its leap days)."""
    now = timezone.now()
    return (now.replace(year=now.year + number) - now).total_seconds()


# --- The privacy notice says what the settings say -------------------------------------------


def test_the_privacy_notice_lists_the_periods_from_the_settings(client):
    page = text_of(client.get("/privacy/"))
    assert "Documents attached to bids that are not funded 2 years after the decision" in page
    assert "The text of emails we sent you 30 days after we sent them" in page
    assert "Your account Until you ask us to close it, or 2 years after you last signed in" in page
    assert "Records of signing in and failed attempts to sign in 90 days" in page


def test_changing_a_period_changes_the_privacy_notice(client, settings):
    settings.RETENTION = {**settings.RETENTION, "email_log": 7, "unsuccessful_bid_files": 1}
    page = text_of(client.get("/privacy/"))
    assert "7 days after we sent them" in page
    assert "1 year after the decision" in page
    assert "30 days after we sent them" not in page


# --- The schedule -----------------------------------------------------------------------------


def test_the_sweep_is_on_the_beat_and_run_by_run_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-apply"]
    assert entry["task"] == "core.tasks.retention_apply"
    out = StringIO()
    call_command("run_scheduled", stdout=out)
    assert "retention-apply: done" in out.getvalue()


def test_apply_retention_says_what_it_did():
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "email_log: 0" in out.getvalue()


# --- Emails, notifications, the outbox, sign-in records --------------------------------------


def _email(**kwargs) -> Email:
    return Email.objects.create(
        to="someone@example.org",
        subject="Reset your password",
        body="Follow https://portal.example/accounts/password/reset/key/abc-123/",
        html_body="<a href='https://portal.example/accounts/password/reset/key/abc-123/'>Reset</a>",
        status=Email.Status.SENT,
        **kwargs,
    )


def test_an_email_body_is_wiped_just_past_its_period_and_kept_just_inside(clock):
    email = _email()
    clock.shift(30 * DAY - 60)
    retention_apply()
    email.refresh_from_db()
    assert "reset/key" in email.body

    clock.shift(120)
    retention_apply()
    email.refresh_from_db()
    assert email.body == "" and email.html_body == ""
    assert email.subject == "Reset your password"  # that it was sent stays


def test_a_queued_email_is_never_wiped(clock):
    email = Email.objects.create(to="a@example.org", subject="Hello", body="Still to send")
    clock.shift(60 * DAY)
    retention_apply()
    email.refresh_from_db()
    assert email.body == "Still to send"


def test_notifications_done_outbox_tasks_and_sign_in_records_go_after_their_periods(clock):
    user = UserFactory(roles=[Role.PROVIDER])
    Notification.objects.create(user=user, title="Your return is due", url="/")
    OutboxTask.objects.create(
        task="core.tasks.email_deliver", status=OutboxTask.Status.DONE, done_at=timezone.now()
    )
    pending = OutboxTask.objects.create(task="core.tasks.email_deliver")
    AccessLog.objects.create(username=user.email, ip_address="192.0.2.1", user_agent="Firefox")
    AccessAttempt.objects.create(
        username=user.email,
        ip_address="192.0.2.1",
        user_agent="Firefox",
        failures_since_start=1,
        get_data="",
        post_data="",
    )

    clock.shift(30 * DAY - 60)
    done = retention_apply()
    assert done["outbox_done"] == 0
    assert OutboxTask.objects.count() == 2

    clock.shift(120)
    assert retention_apply()["outbox_done"] == 1
    assert list(OutboxTask.objects.all()) == [pending]  # work still to do is never removed

    clock.shift(60 * DAY)  # 90 days and a minute
    assert retention_apply()["axes_attempts"] == 2
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()
    assert Notification.objects.count() == 1

    clock.shift(275 * DAY)  # 365 days and a minute
    assert retention_apply()["notifications"] == 1
    assert not Notification.objects.exists()


# --- Bids not funded, bookings, feedback ------------------------------------------------------


def test_files_of_a_bid_not_funded_go_two_years_after_the_decision(clock):
    refused = award_make(outcome=Outcome.UNSUCCESSFUL)
    funded = award_make(outcome=Outcome.SUCCESSFUL)
    refused_file = attachment_add(refused.bid)
    funded_file = attachment_add(funded.bid)
    storage, name = refused_file.file.storage, refused_file.file.name
    assert storage.exists(name)

    clock.shift(years(2) - DAY)
    assert retention_apply()["unsuccessful_bid_files"] == 0
    assert storage.exists(name)

    clock.shift(2 * DAY)
    assert retention_apply()["unsuccessful_bid_files"] == 1
    assert not BidAttachment.objects.filter(pk=refused_file.pk).exists()
    assert not storage.exists(name)
    assert BidAttachment.objects.filter(pk=funded_file.pk).exists()  # kept 6 years
    refused.refresh_from_db()
    assert refused.reasons  # the decision itself stays


def test_access_needs_and_who_gave_feedback_go_two_years_after(clock):
    user = UserFactory(roles=[Role.PROVIDER])
    event = PastEventFactory()
    booking = Booking.objects.create(event=event, user=user, access_needs="Step-free access")
    feedback = Feedback.objects.create(
        source=Feedback.Source.INDIVIDUAL,
        given_by="Jo Bloggs",
        submitted_by=user,
        summary="More evening sessions",
        text="Evening sessions would help carers.",
        received_on=timezone.localdate(),
    )

    clock.shift(years(2) - 15 * DAY)  # the event was a fortnight ago
    retention_apply()
    booking.refresh_from_db()
    feedback.refresh_from_db()
    assert booking.access_needs == "Step-free access"
    assert feedback.given_by == "Jo Bloggs"

    clock.shift(16 * DAY)
    retention_apply()
    booking.refresh_from_db()
    feedback.refresh_from_db()
    assert booking.access_needs == ""
    assert feedback.given_by == "" and feedback.submitted_by is None
    assert feedback.text == "Evening sessions would help carers."  # what was said stays


# --- Accounts nobody uses ---------------------------------------------------------------------


def test_a_provider_account_unused_for_two_years_is_anonymised_staff_are_not(clock):
    provider = UserFactory(roles=[Role.PROVIDER], email="pat@example.org", full_name="Pat Provider")
    officer = UserFactory(roles=[Role.OFFICER], email="olive@example.org")
    for user in (provider, officer):
        user.last_login = timezone.now()
        user.save()

    clock.shift(years(2) - DAY)
    assert retention_apply()["inactive_provider_accounts"] == 0

    clock.shift(2 * DAY)
    assert retention_apply()["inactive_provider_accounts"] == 1
    provider.refresh_from_db()
    officer.refresh_from_db()
    assert provider.email.endswith("@anonymised.invalid")
    assert provider.full_name == "Former user"
    assert not provider.is_active and not provider.has_usable_password()
    assert officer.email == "olive@example.org"

    event = PersonalDataEvent.objects.get(kind=PersonalDataEvent.Kind.ACCOUNT_ANONYMISED)
    assert event.subject_id == provider.pk
    assert "pat@example.org" not in event.note and "Pat" not in event.note


def test_running_the_sweep_twice_does_nothing_more(clock):
    _email()
    UserFactory(roles=[Role.PROVIDER])
    clock.shift(years(3))
    first = retention_apply()
    assert first["email_log"] == 1 and first["inactive_provider_accounts"] == 1
    events = PersonalDataEvent.objects.count()

    assert set(retention_apply().values()) == {0}
    assert PersonalDataEvent.objects.count() == events


# --- The published record ---------------------------------------------------------------------


def test_the_published_record_still_names_the_organisation_after_its_people_go(client, clock):
    organisation = OrganisationFactory(name="Morecambe Bay Lunch Clubs")
    member = UserFactory(roles=[Role.PROVIDER], email="sam@example.org", full_name="Sam Member")
    organisation.memberships.create(user=member)
    award_make(organisation=organisation, title="Lunch clubs in Heysham")
    plan = PlanFactory(state="published", author__full_name="Olga Author")

    clock.shift(years(2) + DAY)
    retention_apply()
    member.refresh_from_db()
    assert member.full_name == "Former user"

    cache.clear()
    decisions = text_of(client.get("/decisions/"))
    assert "Morecambe Bay Lunch Clubs" in decisions
    assert "Sam Member" not in decisions

    package = client.get("/open-data/360giving.json")
    assert package.status_code == 200
    body = b"".join(package.streaming_content) if package.streaming else package.content
    grants = json.loads(body)
    recipients = [
        org["name"] for grant in grants["grants"] for org in grant["recipientOrganization"]
    ]
    assert "Morecambe Bay Lunch Clubs" in recipients
    assert "sam@example.org" not in json.dumps(grants)

    plan_page = client.get(f"/plans/{plan.slug}/")
    assert plan_page.status_code == 200
    assert plan.title in text_of(plan_page)
    cache.clear()
