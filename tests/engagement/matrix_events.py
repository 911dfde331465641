"""Permission matrix rows for engagement events, bookings and feedback."""

from tests.engagement.factories_events import BookingFactory, EventFactory
from tests.matrix import Row, everyone, only, signed_in

MANAGERS = ("officer", "admin")
READERS = ("officer", "approver", "admin")


def published_event(user) -> str:
    return f"/engagement/events/{EventFactory().pk}/"


def unpublished_event(user) -> str:
    return f"/engagement/events/{EventFactory(is_published=False).pk}/"


def book_published_event(user) -> str:
    return f"/engagement/events/{EventFactory().pk}/book/"


def cancel_own_booking(user) -> str:
    """The person's own booking; the public are asked about someone else's."""
    booking = BookingFactory(user=user) if user is not None else BookingFactory()
    return f"/engagement/bookings/{booking.pk}/cancel/"


def cancel_someone_elses_booking(user) -> str:
    return f"/engagement/bookings/{BookingFactory().pk}/cancel/"


def edit_event(user) -> str:
    return f"/staff/engagement/events/{EventFactory().pk}/edit/"


def event_attendance(user) -> str:
    return f"/staff/engagement/events/{EventFactory().pk}/attendance/"


ROWS = [
    Row("engagement:event_list", "/engagement/", everyone(200)),
    Row("engagement:event_detail", published_event, everyone(200)),
    Row(
        "engagement:event_detail_unpublished",
        unpublished_event,
        {**everyone(404), **dict.fromkeys(READERS, 200)},
    ),
    Row("engagement:event_book", book_published_event, signed_in(200)),
    Row("engagement:my_bookings", "/engagement/bookings/", signed_in(200)),
    Row("engagement:booking_cancel_own", cancel_own_booking, signed_in(200)),
    Row("engagement:booking_cancel_other", cancel_someone_elses_booking, only(*MANAGERS)),
    Row("engagement:feedback_give", "/engagement/feedback/", only("provider")),
    Row("engagement:staff_events", "/staff/engagement/events/", only(*READERS)),
    Row("engagement:event_create", "/staff/engagement/events/new/", only(*MANAGERS)),
    Row("engagement:event_update", edit_event, only(*MANAGERS)),
    Row("engagement:event_attendance", event_attendance, only(*MANAGERS)),
    Row("engagement:staff_feedback", "/staff/engagement/feedback/", only(*READERS)),
    Row("engagement:feedback_record", "/staff/engagement/feedback/new/", only(*MANAGERS)),
]
