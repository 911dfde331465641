"""Notifications in the portal: each person's list, the unread count in the header, marked
read when opened, and nobody opens anyone else's."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.emails import organisation_members
from core.models import Notification
from core.notifications import notifications_create
from monitoring.services import return_transition
from tests.factories import UserFactory
from tests.monitoring.factories import agreement_in_delivery, return_filled
from tests.procurement.factories_agreements import org_member

pytestmark = pytest.mark.django_db


def _navigation(response) -> str:
    html = response.content.decode()
    navigation = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", navigation.group(0)).split())


def _notify(user, title="Your monitoring return for Apr–Jun 2026 is overdue", url="/returns/"):
    return notifications_create(people=[user], title=title, url=url)[0]


def test_the_header_counts_unread_notifications_and_opening_one_counts_it_down(client):
    person = UserFactory()
    first = _notify(person, url="/returns/")
    _notify(person, title="Agreement to accept")
    _notify(UserFactory())  # someone else's is not counted
    client.force_login(person)

    assert "Notifications (2 new)" in _navigation(client.get("/notifications/"))

    response = client.get(f"/notifications/{first.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/returns/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert "Notifications (1 new)" in _navigation(client.get("/notifications/"))


def test_with_nothing_unread_the_header_shows_no_count(client):
    person = UserFactory()
    client.force_login(person)
    navigation = _navigation(client.get("/notifications/"))
    assert "Notifications" in navigation
    assert "new)" not in navigation


def test_opening_a_notification_again_keeps_when_it_was_first_read(client, clock):
    person = UserFactory()
    notification = _notify(person)
    client.force_login(person)
    client.get(f"/notifications/{notification.pk}/")
    notification.refresh_from_db()
    first_read = notification.read_at
    clock.shift(dt.timedelta(days=1))
    client.get(f"/notifications/{notification.pk}/")
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_nobody_opens_someone_elses_notification(client):
    owner, other = UserFactory(), UserFactory()
    notification = _notify(owner)
    client.force_login(other)

    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert notification.title not in client.get("/notifications/").content.decode()


def test_a_link_off_the_portal_is_not_followed(client):
    person = UserFactory()
    notification = _notify(person, url="https://elsewhere.example.com/")
    client.force_login(person)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response["Location"] == "/notifications/"


def test_the_list_shows_the_newest_first_marking_those_not_opened(client, clock):
    person = UserFactory()
    older = _notify(person, title="Agreement LCC-2026-001 is waiting for you to accept it")
    clock.shift(dt.timedelta(hours=2))
    _notify(person, title="Your safeguarding policy expires in 30 days")
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    client.force_login(person)

    page = client.get("/notifications/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert text.index("Your safeguarding policy expires") < text.index("Agreement LCC-2026-001")
    # The link names when it came for screen readers (", 10am on …"), then the tag.
    newest = text[text.index("Your safeguarding policy") : text.index("Agreement LCC-2026-001")]
    assert " New " in newest
    assert "waiting for you to accept it New" not in text
    assert "midday on 26 November 2026" in text


def test_the_list_is_paginated(client):
    person = UserFactory()
    for number in range(30):
        _notify(person, title=f"Reminder number {number}")
    client.force_login(person)
    first = client.get("/notifications/").content.decode()
    assert "Reminder number 29" in first and "Reminder number 4<" not in first
    assert 'aria-label="Pages of notifications"' in first
    second = client.get("/notifications/", {"page": 2}).content.decode()
    assert "Reminder number 4<" in second


def test_the_public_is_asked_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_list_query_count_does_not_grow(client):
    person = UserFactory()
    client.force_login(person)

    def queries_with(count: int) -> int:
        while Notification.objects.filter(user=person).count() < count:
            _notify(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


# --- Monitoring emails leave notifications too --------------------------------------------------


def test_each_monitoring_email_leaves_a_notification_linking_to_the_return(
    django_capture_on_commit_callbacks,
):
    made = agreement_in_delivery(months=12)
    member = org_member(made.organisation)
    lead = made.assessed.commission.lead_officer
    monitoring_return = return_filled(made.agreement.monitoring_returns.first())
    path = f"/returns/{monitoring_return.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        return_transition(monitoring_return=monitoring_return, name="submit", user=member)
    [submitted] = Notification.objects.filter(user=lead)
    [email] = [message for message in mail.outbox if message.to == [lead.email]]
    assert submitted.title == email.subject
    assert submitted.url == path

    with django_capture_on_commit_callbacks(execute=True):
        return_transition(monitoring_return=monitoring_return, name="accept", user=lead)
    for person in organisation_members(made.organisation):
        [accepted] = Notification.objects.filter(user=person)
        assert "accepted" in accepted.title
        assert accepted.url == path
