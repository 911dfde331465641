"""Booking a place at an engagement event, cancelling it, and recording attendance."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core import mail

from engagement.models import Booking
from engagement.selectors.events import FULLY_BOOKED
from engagement.services.events import BookingRefused, event_book
from tests.engagement.factories_events import (
    BookingFactory,
    EventFactory,
    PastEventFactory,
    in_days,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def book(client, event, **data):
    return client.post(
        f"/engagement/events/{event.pk}/book/", {"access_needs": "", **data}, follow=True
    )


# --- Booking ---------------------------------------------------------------------------------


def test_booking_a_place_confirms_it_and_sends_an_email(
    client, provider_user, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(
        name="Morecambe Bay Community Food Network", members=[provider_user]
    )
    event = EventFactory(title="Healthy ageing in Morecambe: provider workshop")
    client.force_login(provider_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = book(
            client, event, organisation=str(organisation.pk), access_needs="A hearing loop"
        )

    page = text_of(response)
    assert "Place booked" in page
    assert 'class="govuk-panel govuk-panel--confirmation"' in response.content.decode()
    booking = Booking.objects.get()
    assert booking.user == provider_user and booking.organisation == organisation
    assert booking.access_needs == "A hearing loop"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["provider@test.example.org"]
    assert email.subject == "Your place at Healthy ageing in Morecambe: provider workshop is booked"
    assert "Morecambe Town Hall" in email.body
    assert "A hearing loop" in email.body


def test_person_without_an_organisation_books_without_being_asked_for_one(client, make_user):
    person = make_user(email="resident@example.org")
    event = EventFactory()
    client.force_login(person)

    page = client.get(f"/engagement/events/{event.pk}/book/").content.decode()
    assert "Which organisation are you coming for?" not in page

    book(client, event)
    assert Booking.objects.get().organisation is None


def test_booking_form_asks_which_organisation_and_keeps_access_needs(client, provider_user):
    OrganisationFactory(members=[provider_user])
    event = EventFactory()
    client.force_login(provider_user)

    response = book(client, event, access_needs="Step-free access")

    html = response.content.decode()
    message = "Select the organisation you are coming for, or that you are coming for yourself"
    assert html.count(message) == 2  # in the error summary and beside the field
    assert "Step-free access</textarea>" in html
    assert not Booking.objects.exists()


def test_booking_the_last_place_works_and_the_next_person_is_told_it_is_full(client, make_user):
    event = EventFactory(capacity=2)
    BookingFactory(event=event)
    last, too_late = make_user(), make_user()

    client.force_login(last)
    book(client, event)
    assert Booking.objects.filter(event=event, user=last, status="booked").exists()

    client.force_login(too_late)
    page = text_of(client.get(f"/engagement/events/{event.pk}/book/"))
    assert FULLY_BOOKED in page
    response = book(client, event)
    assert "This event is fully booked" in text_of(response)
    assert not Booking.objects.filter(user=too_late).exists()
    assert Booking.objects.filter(event=event, status="booked").count() == 2


def test_service_refuses_the_place_when_the_event_filled_up_meanwhile(make_user):
    """The page offered a place, but someone took it first: the locked count decides."""
    event = EventFactory(capacity=1)
    first, second = make_user(), make_user()
    event_book(event=event, user=first)

    with pytest.raises(BookingRefused, match="This event is fully booked"):
        event_book(event=event, user=second)
    assert event.bookings.count() == 1


def test_cannot_book_twice(client, provider_user):
    event = EventFactory()
    BookingFactory(event=event, user=provider_user)

    with pytest.raises(BookingRefused, match="You have already booked a place at this event"):
        event_book(event=event, user=provider_user)

    client.force_login(provider_user)
    response = book(client, event)
    assert "You have already booked a place at this event" in text_of(response)
    assert Booking.objects.filter(user=provider_user).count() == 1


@pytest.mark.parametrize(
    ("event_kwargs", "message"),
    [
        # Dates are worked out in the test, on its clock, not while the module is collected.
        (lambda: {"starts_at": in_days(-1)}, "This event has already started"),
        (lambda: {"bookings_open": False}, "Bookings for this event are closed"),
    ],
    ids=["past", "closed"],
)
def test_cannot_book_a_past_or_closed_event(client, provider_user, event_kwargs, message):
    event = EventFactory(**event_kwargs())
    client.force_login(provider_user)

    response = book(client, event)

    assert message in text_of(response)
    assert not Booking.objects.exists()
    with pytest.raises(BookingRefused, match=message):
        event_book(event=event, user=provider_user)


def test_cannot_book_for_someone_elses_organisation(provider_user):
    event = EventFactory()
    stranger_organisation = OrganisationFactory()

    with pytest.raises(BookingRefused, match="Select one of your organisations"):
        event_book(event=event, user=provider_user, organisation=stranger_organisation)


# --- Cancelling ------------------------------------------------------------------------------


def test_cancelling_asks_first_then_frees_the_place(
    client, provider_user, make_user, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, title="Carnforth drop-in")
    booking = BookingFactory(event=event, user=provider_user)
    client.force_login(provider_user)
    url = f"/engagement/bookings/{booking.pk}/cancel/"

    assert "Are you sure you want to cancel your place?" in text_of(client.get(url))
    booking.refresh_from_db()
    assert booking.status == "booked"  # looking at the question cancels nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "Your place at Carnforth drop-in has been cancelled" in text_of(response)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_at is not None
    assert mail.outbox[0].subject == "Your booking for Carnforth drop-in is cancelled"

    someone_else = make_user()
    event_book(event=event, user=someone_else)  # the freed place can be taken
    assert event.bookings.filter(status="booked").get().user == someone_else


def test_cancelled_person_can_book_again(client, provider_user):
    event = EventFactory()
    BookingFactory(event=event, user=provider_user, status=Booking.Status.CANCELLED)

    event_book(event=event, user=provider_user)

    assert event.bookings.filter(user=provider_user, status="booked").count() == 1


def test_provider_cannot_cancel_someone_elses_booking(client, provider_user):
    booking = BookingFactory()
    client.force_login(provider_user)
    url = f"/engagement/bookings/{booking.pk}/cancel/"

    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_officer_cancels_a_booking_for_someone(client, officer):
    booking = BookingFactory()
    client.force_login(officer)

    response = client.post(f"/engagement/bookings/{booking.pk}/cancel/")

    assert response["Location"] == f"/staff/engagement/events/{booking.event_id}/attendance/"
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_booking_cannot_be_cancelled_once_the_event_has_started(client, provider_user):
    booking = BookingFactory(event=PastEventFactory(), user=provider_user)
    client.force_login(provider_user)
    url = f"/engagement/bookings/{booking.pk}/cancel/"

    assert "This booking can no longer be cancelled" in text_of(client.get(url))
    client.post(url)
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_my_bookings_lists_the_persons_bookings_only(client, provider_user):
    BookingFactory(event=EventFactory(title="Heysham workshop"), user=provider_user)
    BookingFactory(
        event=EventFactory(title="Lancaster meeting"),
        user=provider_user,
        status=Booking.Status.CANCELLED,
    )
    BookingFactory(event=EventFactory(title="Someone else's event"))
    client.force_login(provider_user)

    page = text_of(client.get("/engagement/bookings/"))

    assert "Heysham workshop" in page and "Booked" in page
    assert "Lancaster meeting" in page and "Cancelled" in page
    assert "Someone else's event" not in page


# --- Attendance ------------------------------------------------------------------------------


def test_officer_records_attendance_and_notes(client, officer, make_user):
    event = EventFactory(starts_at=in_days(-1), capacity=None)
    came = BookingFactory(event=event, user=make_user(full_name="Jo Whitehead"))
    stayed_away = BookingFactory(event=event, user=make_user(full_name="Sam Lee"))
    not_known = BookingFactory(event=event, user=make_user(full_name="Ann Patel"))
    client.force_login(officer)
    url = f"/staff/engagement/events/{event.pk}/attendance/"

    page = text_of(client.get(url))
    assert "Did Jo Whitehead come?" in page and "Did Sam Lee come?" in page

    response = client.post(
        url,
        {
            f"attended_{came.pk}": "yes",
            f"attended_{stayed_away.pk}": "no",
            "notes": "Transport to the West End came up again and again.",
        },
        follow=True,
    )

    assert "Attendance has been saved" in text_of(response)
    came.refresh_from_db(), stayed_away.refresh_from_db(), not_known.refresh_from_db()
    assert (came.attended, stayed_away.attended, not_known.attended) == (True, False, None)
    event.refresh_from_db()
    assert event.notes == "Transport to the West End came up again and again."
    assert sorted(_checked_radios(client.get(url))) == sorted(
        [(f"attended_{came.pk}", "yes"), (f"attended_{stayed_away.pk}", "no")]
    )


def _checked_radios(response) -> list[tuple[str, str]]:
    """(name, value) of each radio that is checked on the page."""
    inputs = re.findall(r"<input[^>]*>", response.content.decode())
    return [
        (re.search(r'name="([^"]+)"', tag)[1], re.search(r'value="([^"]*)"', tag)[1])
        for tag in inputs
        if 'type="radio"' in tag and "checked" in tag
    ]


def test_attendance_waits_until_the_event_has_started(client, officer):
    event = EventFactory(starts_at=in_days(2))
    booking = BookingFactory(event=event)
    client.force_login(officer)
    url = f"/staff/engagement/events/{event.pk}/attendance/"

    assert "You can record who came once the event has started" in text_of(client.get(url))
    client.post(url, {f"attended_{booking.pk}": "yes"})
    booking.refresh_from_db()
    assert booking.attended is None


def test_attendance_shows_access_needs_to_officers(client, officer):
    event = EventFactory(starts_at=in_days(2) + dt.timedelta(hours=1))
    BookingFactory(event=event, access_needs="British Sign Language interpreter")
    client.force_login(officer)

    page = text_of(client.get(f"/staff/engagement/events/{event.pk}/attendance/"))

    assert "British Sign Language interpreter" in page


def test_confirmation_email_reads_well(provider_user, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name="Skerton Community Centre", members=[provider_user])
    event = EventFactory(title="Carnforth drop-in", starts_at=in_days(5, 14))

    with django_capture_on_commit_callbacks(execute=True):
        event_book(event=event, user=provider_user, organisation=organisation)

    body = mail.outbox[0].body
    assert "Dear Priya Provider," in body
    assert "When: 2pm to 4pm on " in body
    assert "Where:\nMorecambe Town Hall\nMarine Road East" in body
    assert "Booked for: Skerton Community Centre" in body
    assert "/engagement/bookings/" in body
