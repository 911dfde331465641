"""A person downloads what the portal holds about them (their own, nobody else's, nothing of
a sealed bid) and asks for their account to be closed; an administrator anonymises it, after
which they cannot sign in, what they wrote stays without their name, the published record
still names their organisation, and the record of it says it happened, not what was
removed."""

import datetime as dt
import json
import re
from html import unescape

import pytest
from axes.models import AccessLog
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ClosureRequest, Notification, PersonalDataEvent
from core.roles import Role
from engagement.models import Booking, Feedback
from tests.engagement.factories_events import EventFactory
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_decisions import award_make
from tests.procurement.factories_opportunities import ClarificationFactory, StartedBidFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def text_of_html(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def text_of(response) -> str:
    return text_of_html(response.content.decode())


@pytest.fixture
def priya():
    organisation = OrganisationFactory(name="Heysham Helpers")
    user = UserFactory(roles=[Role.PROVIDER], email="priya@example.org", full_name="Priya Provider")
    organisation.memberships.create(user=user, role="admin")
    return user


@pytest.fixture
def quentin(priya):
    """Another member of Priya's organisation, with records of his own."""
    user = UserFactory(
        roles=[Role.PROVIDER], email="quentin@example.org", full_name="Quentin Other"
    )
    priya.memberships.get().organisation.memberships.create(user=user)
    return user


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get("/account/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


# --- Downloading one's data -------------------------------------------------------------------


def test_the_download_has_my_records_and_nobody_elses(client, priya, quentin):
    event = EventFactory(title="Carers' workshop")
    Booking.objects.create(event=event, user=priya, access_needs="Hearing loop")
    Booking.objects.create(event=event, user=quentin, access_needs="Quentin's needs")
    for user, words in ((priya, "Priya's feedback"), (quentin, "Quentin's feedback")):
        Feedback.objects.create(
            source=Feedback.Source.PROVIDER,
            submitted_by=user,
            summary=words,
            text=words,
            received_on=timezone.localdate(),
        )
        Notification.objects.create(user=user, title=f"For {user.full_name}", url="/")
    organisation = priya.memberships.get().organisation
    ClarificationFactory(asked_by=priya, organisation=organisation, question="Bid jointly?")
    ClarificationFactory(asked_by=quentin, organisation=organisation, question="Quentin's?")
    AccessLog.objects.create(username=priya.email, ip_address="192.0.2.7", user_agent="Firefox")
    AccessLog.objects.create(username=quentin.email, ip_address="192.0.2.9", user_agent="Edge")

    data = download(client, priya)
    text = json.dumps(data)

    assert data["account"]["email"] == "priya@example.org"
    assert data["memberships"][0]["organisation"] == "Heysham Helpers"
    assert data["event_bookings"][0]["access_needs"] == "Hearing loop"
    assert data["feedback_given"][0]["feedback"] == "Priya's feedback"
    assert data["clarification_questions"][0]["question"] == "Bid jointly?"
    assert data["notifications"][0]["title"] == "For Priya Provider"
    assert data["sign_ins"][0]["ip_address"] == "192.0.2.7"
    for other in ("quentin", "Quentin", "192.0.2.9"):
        assert other not in text
    assert "password" not in text


def test_a_bid_before_its_deadline_is_listed_without_its_content(client, priya, clock):
    bid = StartedBidFactory(
        organisation=priya.memberships.get().organisation,
        created_by=priya,
        title="Secret project title",
    )
    data = download(client, priya)
    assert data["bids_started"][0]["reference"] == bid.reference
    assert "Secret project title" not in json.dumps(data)

    clock.move_to(bid.opportunity.closes_at)
    clock.shift(60)
    data = download(client, priya)
    assert data["bids_started"][0]["title"] == "Secret project title"


def test_the_download_is_recorded(client, priya):
    download(client, priya)
    event = PersonalDataEvent.objects.get(kind=PersonalDataEvent.Kind.DATA_DOWNLOADED)
    assert event.subject_id == priya.pk


def test_the_account_page_links_to_the_download_and_to_closing(client, priya):
    client.force_login(priya)
    html = client.get("/account/").content.decode()
    assert 'href="/account/data/"' in html
    assert 'href="/account/close/"' in html


# --- Closing an account -----------------------------------------------------------------------


def test_asking_to_close_then_an_administrator_anonymises(client, priya, administrator):
    organisation = priya.memberships.get().organisation
    feedback = Feedback.objects.create(
        source=Feedback.Source.PROVIDER,
        submitted_by=priya,
        given_by="Priya Provider",
        summary="Longer deadlines",
        text="Six weeks is too short for small charities.",
        received_on=timezone.localdate(),
    )
    clarification = ClarificationFactory(asked_by=priya, organisation=organisation)
    award_make(organisation=organisation, title="Befriending in Heysham")

    client.force_login(priya)
    response = client.post("/account/close/", {"reason": "Moving away"}, follow=True)
    assert "You have asked us to close your account" in text_of(response)
    page = client.get("/account/close/").content.decode()
    assert "You asked us to close your account on 26 November 2026" in text_of_html(page)
    assert "<form" not in page.split("<main", 1)[1]  # nothing more to ask
    client.post("/account/close/", {"reason": "Again"})
    assert ClosureRequest.objects.filter(user=priya).count() == 1  # one at a time

    client.force_login(administrator)
    listing = text_of(client.get("/staff/closure-requests/"))
    assert "Priya Provider" in listing and "Waiting for an administrator" in listing
    request = ClosureRequest.objects.get(user=priya)
    confirm = text_of(client.get(f"/staff/closure-requests/{request.pk}/anonymise/"))
    assert "This cannot be undone" in confirm and "Moving away" in confirm
    response = client.post(f"/staff/closure-requests/{request.pk}/anonymise/", follow=True)
    assert "The account has been closed and anonymised" in text_of(response)

    priya.refresh_from_db()
    assert priya.full_name == "Former user"
    assert "priya" not in priya.email
    assert not priya.has_usable_password() and not priya.is_active
    assert not priya.memberships.exists() and not priya.groups.exists()
    request.refresh_from_db()
    assert request.status == ClosureRequest.Status.DONE

    feedback.refresh_from_db()
    clarification.refresh_from_db()
    assert feedback.text == "Six weeks is too short for small charities."
    assert feedback.submitted_by is None and feedback.given_by == ""
    assert clarification.question and clarification.asked_by is None

    client.logout()
    for email in ("priya@example.org", priya.email):
        client.post("/accounts/login/", {"login": email, "password": PASSWORD})
        assert "_auth_user_id" not in client.session

    cache.clear()
    decisions = text_of(client.get("/decisions/"))
    assert "Heysham Helpers" in decisions and "Priya" not in decisions

    event = PersonalDataEvent.objects.get(kind=PersonalDataEvent.Kind.ACCOUNT_ANONYMISED)
    assert event.subject_id == priya.pk and event.actor == administrator
    recorded = f"{event.note} {event}"
    assert "priya@example.org" not in recorded and "Priya" not in recorded
    assert "Moving away" not in recorded


def test_closing_signs_the_person_out_at_once(client, priya, administrator):
    from django.test import Client

    theirs = Client()
    theirs.force_login(priya)
    assert theirs.get("/account/").status_code == 200
    request = ClosureRequest.objects.create(user=priya)

    client.force_login(administrator)
    client.post(f"/staff/closure-requests/{request.pk}/anonymise/")

    response = theirs.get("/account/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymising_twice_says_it_was_already_done(client, priya, administrator):
    request = ClosureRequest.objects.create(user=priya)
    client.force_login(administrator)
    client.post(f"/staff/closure-requests/{request.pk}/anonymise/")
    response = client.post(f"/staff/closure-requests/{request.pk}/anonymise/", follow=True)
    assert "The account was already closed" in text_of(response)
    assert PersonalDataEvent.objects.filter(kind="account_anonymised").count() == 1


def test_an_administrator_cannot_anonymise_themselves(client, administrator):
    request = ClosureRequest.objects.create(user=administrator)
    client.force_login(administrator)
    response = client.post(f"/staff/closure-requests/{request.pk}/anonymise/", follow=True)
    assert "Another administrator must close your own account" in text_of(response)
    administrator.refresh_from_db()
    assert administrator.is_active


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/staff/closure-requests/999999/anonymise/",
        "/staff/closure-requests/0/anonymise/",
        "/staff/closure-requests/?page=999",
        "/staff/closure-requests/?page=abc",
    ],
)
def test_garbage_gets_not_found_never_an_error(client, administrator, path):
    client.force_login(administrator)
    assert client.get(path).status_code == 404
    if "anonymise" in path:
        assert client.post(path).status_code == 404


@pytest.mark.parametrize(
    "data", [{"reason": "x" * 5000}, {"reason": "\x00"}, {"reason": ["a", "b"]}, {}]
)
def test_a_closure_request_with_odd_input_is_not_an_error(client, priya, data):
    client.force_login(priya)
    response = client.post("/account/close/", data)
    assert response.status_code in (200, 302)


def test_the_closure_request_list_stays_flat_from_5_to_50(client, administrator):
    def make(count: int):
        for _ in range(count):
            ClosureRequest.objects.create(user=UserFactory(roles=[Role.PROVIDER]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/staff/closure-requests/")
        assert response.status_code == 200
        return len(captured)

    client.force_login(administrator)
    make(5)
    client.get("/staff/closure-requests/")
    with_5 = queries()
    make(45)
    assert queries() == with_5


def test_administrators_find_the_requests_from_their_dashboard(client, administrator, officer):
    client.force_login(administrator)
    assert 'href="/staff/closure-requests/"' in client.get("/staff/").content.decode()
    client.force_login(officer)
    assert 'href="/staff/closure-requests/"' not in client.get("/staff/").content.decode()


def test_the_admin_lists_requests_and_events_read_only(admin_client, priya):
    request = ClosureRequest.objects.create(user=priya, reason="Moving away")
    PersonalDataEvent.objects.create(kind=PersonalDataEvent.Kind.ACCOUNT_ANONYMISED)
    for path in ("/admin/core/closurerequest/", "/admin/core/personaldataevent/"):
        assert admin_client.get(path).status_code == 200
    assert admin_client.get(f"/admin/core/closurerequest/{request.pk}/change/").status_code == 200
    assert admin_client.get("/admin/core/personaldataevent/add/").status_code == 403


def test_closing_an_account_asks_the_administrator_to_confirm_who_they_are(
    client, priya, administrator, clock
):
    request = ClosureRequest.objects.create(user=priya)
    client.force_login(administrator)
    clock.idle(dt.timedelta(minutes=10))  # signed in ten minutes ago

    response = client.post(f"/staff/closure-requests/{request.pk}/anonymise/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    priya.refresh_from_db()
    assert priya.email == "priya@example.org"


def test_the_audit_trail_shows_the_closure_not_what_was_removed(client, priya, administrator):
    request = ClosureRequest.objects.create(user=priya, reason="Moving away")
    client.force_login(administrator)
    client.post(f"/staff/closure-requests/{request.pk}/anonymise/")

    page = text_of(client.get("/staff/audit/"))
    assert "Account closed and anonymised: Closed on request" in page
    assert "priya@example.org" not in page and "Priya Provider" not in page
    assert "Moving away" not in page
