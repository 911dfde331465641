"""Engagement events: the public list and event pages, and the officers' event pages."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Area, CorporatePriority
from engagement.models import Booking, EngagementEvent
from tests.engagement.factories_events import (
    BookingFactory,
    EventFactory,
    PastEventFactory,
    in_days,
)
from tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed, as a person reads it."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- The public list -------------------------------------------------------------------------


def test_public_list_shows_only_published_events_with_places_left(client):
    commission = CommissionFactory(title="Healthy ageing in Morecambe", state="understanding")
    full = EventFactory(title="Carnforth drop-in", capacity=2, starts_at=in_days(3))
    BookingFactory.create_batch(2, event=full)
    some_left = EventFactory(title="Healthy ageing workshop", capacity=12, commissions=[commission])
    BookingFactory(event=some_left)
    BookingFactory(event=some_left, status=Booking.Status.CANCELLED)
    EventFactory(title="Open survey", capacity=None, starts_at=in_days(20))
    EventFactory(title="Draft event nobody should see", is_published=False)

    page = text_of(client.get("/engagement/"))

    assert "Draft event nobody should see" not in page
    assert "Carnforth drop-in" in page and "Fully booked" in page
    assert "11 places left" in page  # the cancelled booking does not take a place
    assert "No limit on places" in page
    assert "Healthy ageing in Morecambe" in page


def test_public_list_puts_upcoming_events_first_then_past_events(client):
    EventFactory(title="Later workshop", starts_at=in_days(30))
    EventFactory(title="Sooner workshop", starts_at=in_days(2))
    PastEventFactory(title="Last month's workshop")

    page = text_of(client.get("/engagement/"))

    assert page.index("Upcoming events") < page.index("Sooner workshop")
    assert page.index("Sooner workshop") < page.index("Later workshop")
    assert page.index("Later workshop") < page.index("Past events")
    assert page.index("Past events") < page.index("Last month's workshop")


def test_event_times_are_shown_the_govuk_way_in_london_time(client):
    starts_at = timezone.make_aware(dt.datetime(2030, 7, 4, 14, 30))  # BST
    EventFactory(
        title="Summer workshop", starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2)
    )

    page = text_of(client.get("/engagement/"))

    assert "2:30pm to 4:30pm on 4 July 2030" in page


# --- One event -------------------------------------------------------------------------------


def test_event_page_tells_the_public_to_sign_in_to_book(client):
    event = EventFactory(
        title="Healthy ageing in Morecambe: provider workshop",
        accessibility="Step-free access and a hearing loop",
        online_url="https://meet.example.org/healthy-ageing",
    )

    page = text_of(client.get(event.get_absolute_url()))

    assert "Healthy ageing in Morecambe: provider workshop" in page
    assert "Sign in to book a place" in page
    assert "Step-free access and a hearing loop" in page
    assert "Morecambe Town Hall" in page
    assert "https://meet.example.org/healthy-ageing" not in page  # only for people booked


def test_event_page_offers_a_signed_in_person_a_place(client, provider_user):
    event = EventFactory()
    client.force_login(provider_user)

    html = client.get(event.get_absolute_url()).content.decode()

    assert f'href="/engagement/events/{event.pk}/book/"' in html
    assert "Book a place" in html


def test_event_page_shows_a_booked_person_their_booking_and_the_link(client, provider_user):
    event = EventFactory(online_url="https://meet.example.org/healthy-ageing")
    booking = BookingFactory(event=event, user=provider_user)
    client.force_login(provider_user)

    page = client.get(event.get_absolute_url()).content.decode()

    assert "You have booked a place" in page
    assert f"/engagement/bookings/{booking.pk}/cancel/" in page
    assert "https://meet.example.org/healthy-ageing" in page


def test_unpublished_event_is_not_found_by_providers_but_seen_by_officers(
    client, provider_user, officer
):
    event = EventFactory(is_published=False)

    client.force_login(provider_user)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(f"/engagement/events/{event.pk}/book/").status_code == 404

    client.force_login(officer)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "Not published" in response.content.decode()


def test_past_event_says_it_has_finished(client, provider_user):
    event = PastEventFactory()
    client.force_login(provider_user)

    page = text_of(client.get(event.get_absolute_url()))

    assert "This event has finished" in page
    assert "Book a place" not in page


# --- Officers: the list of all events --------------------------------------------------------


def test_staff_list_shows_every_event_with_places_booked(client, officer):
    event = EventFactory(title="Published workshop", capacity=20)
    BookingFactory.create_batch(3, event=event)
    EventFactory(title="Draft workshop", is_published=False, capacity=None)
    client.force_login(officer)

    page = text_of(client.get("/staff/engagement/events/"))

    assert "Published workshop" in page and "3 of 20" in page
    assert "Draft workshop" in page and "Not published" in page
    assert "Create an event" in page


def test_approvers_read_the_staff_list_but_cannot_change_events(client, approver):
    EventFactory(title="Published workshop")
    client.force_login(approver)

    page = text_of(client.get("/staff/engagement/events/"))

    assert "Published workshop" in page
    assert "Create an event" not in page
    assert "Change" not in page


@pytest.mark.parametrize("url", ["/engagement/", "/staff/engagement/events/"])
def test_event_lists_take_the_same_queries_for_5_and_50_events(client, officer, url):
    client.force_login(officer)
    commission = CommissionFactory(lead_officer=officer)

    def queries_with(rows: int) -> int:
        EngagementEvent.objects.all().delete()
        for n in range(rows):
            event = EventFactory(commissions=[commission], starts_at=in_days(n % 2 * 10 - 5))
            BookingFactory(event=event, attended=True)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


# --- Officers: creating and changing events --------------------------------------------------


def event_form_data(**overrides) -> dict:
    start = timezone.localdate() + dt.timedelta(days=21)
    data = {
        "title": "Healthy ageing in Morecambe: provider workshop",
        "kind": "workshop",
        "description": "Tell us what older people in Morecambe need.",
        "start_date_0": str(start.day),
        "start_date_1": str(start.month),
        "start_date_2": str(start.year),
        "start_time": "10am",
        "end_time": "12:30pm",
        "venue": "The Platform, Morecambe",
        "address": "Central Promenade, Morecambe, LA4 4DB",
        "audience": "providers",
        "capacity": "40",
        "is_published": "on",
        "bookings_open": "on",
    }
    data.update(overrides)
    return data


def test_officer_creates_an_event(client, officer):
    commission = CommissionFactory(title="Healthy ageing", state="understanding")
    priority = CorporatePriority.objects.get(slug="health-and-well-being")
    area = Area.objects.create(name="Morecambe", slug="morecambe", kind=Area.Kind.AREA)
    client.force_login(officer)

    response = client.post(
        "/staff/engagement/events/new/",
        event_form_data(commissions=[commission.pk], priorities=[priority.pk], areas=[area.pk]),
    )

    assert response.status_code == 302
    event = EngagementEvent.objects.get()
    assert event.title == "Healthy ageing in Morecambe: provider workshop"
    local_start = timezone.localtime(event.starts_at)
    assert (local_start.hour, local_start.minute) == (10, 0)
    assert timezone.localtime(event.ends_at).time() == dt.time(12, 30)
    assert event.capacity == 40 and event.is_published and event.created_by == officer
    assert list(event.commissions.all()) == [commission]
    assert list(event.priorities.all()) == [priority]
    assert list(event.areas.all()) == [area]


def test_event_form_keeps_what_was_typed_and_shows_govuk_errors(client, officer):
    client.force_login(officer)

    response = client.post(
        "/staff/engagement/events/new/",
        event_form_data(title="", start_time="10am", end_time="9am", capacity="lots"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Enter the event title") == 2  # in the summary and beside the field
    assert html.count("The end must be after the start") == 2
    assert html.count("The number of places must be a whole number, like 30") == 2
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    assert 'value="The Platform, Morecambe"' in html  # nothing typed is lost
    assert 'value="9am"' in html
    assert not EngagementEvent.objects.exists()


def test_event_form_asks_where_the_event_is(client, officer):
    client.force_login(officer)

    response = client.post(
        "/staff/engagement/events/new/", event_form_data(venue="", online_url="")
    )

    assert "Enter the venue, or an online link if the event is online" in (
        response.content.decode()
    )


def test_event_form_asks_for_a_real_date(client, officer):
    client.force_login(officer)

    response = client.post(
        "/staff/engagement/events/new/", event_form_data(start_date_0="31", start_date_1="2")
    )

    assert "The date the event starts must be a real date" in response.content.decode()


def test_officer_changes_an_event_but_not_below_the_places_booked(client, officer):
    event = EventFactory(capacity=10)
    BookingFactory.create_batch(4, event=event)
    client.force_login(officer)
    url = f"/staff/engagement/events/{event.pk}/edit/"

    page = client.get(url).content.decode()
    assert f'value="{event.title}"' in page
    assert 'value="10am"' in page and 'value="midday"' in page

    response = client.post(url, event_form_data(title=event.title, capacity="3"))
    assert "4 places are already booked: the number of places must be 4 or more" in (
        response.content.decode()
    )

    response = client.post(url, event_form_data(title="Renamed workshop", capacity="4"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Renamed workshop" and event.capacity == 4


def test_a_survey_open_for_a_month_has_an_end_date(client, officer):
    client.force_login(officer)
    start = timezone.localdate() + dt.timedelta(days=1)
    end = start + dt.timedelta(days=30)

    client.post(
        "/staff/engagement/events/new/",
        event_form_data(
            kind="survey",
            venue="",
            online_url="https://survey.example.org/arts",
            start_time="9am",
            end_time="5pm",
            end_date_0=str(end.day),
            end_date_1=str(end.month),
            end_date_2=str(end.year),
            capacity="",
        ),
    )

    event = EngagementEvent.objects.get()
    assert timezone.localtime(event.ends_at).date() == end
    assert event.capacity is None
