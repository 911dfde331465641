"""Writes for engagement events: creating them, booking places, recording attendance."""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from core.emails import absolute_url, emails_send
from core.outbox import outbox_enqueue
from engagement.models import Booking, EngagementEvent
from engagement.selectors import events as selectors
from providers.models import Organisation

EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "online_url",
    "audience",
    "capacity",
    "accessibility",
    "is_published",
    "bookings_open",
)
EVENT_LINKS = ("commissions", "priorities", "areas")


class BookingRefused(ValidationError):
    """A place could not be booked; the message says why, in words for the person."""


def _event_save(
    *, event: EngagementEvent, fields: Mapping, links: Mapping[str, Iterable[Model]]
) -> EngagementEvent:
    for name in EVENT_FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
    event.full_clean(exclude=["created_by"])
    event.save()
    for name in EVENT_LINKS:
        if name in links:
            getattr(event, name).set(links[name])
    return event


@transaction.atomic
def event_create(
    *,
    created_by,
    title: str,
    description: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = EngagementEvent.Kind.WORKSHOP,
    audience: str = EngagementEvent.Audience.EVERYONE,
    venue: str = "",
    address: str = "",
    online_url: str = "",
    capacity: int | None = None,
    accessibility: str = "",
    is_published: bool = False,
    bookings_open: bool = True,
    commissions: Iterable[Model] = (),
    priorities: Iterable[Model] = (),
    areas: Iterable[Model] = (),
) -> EngagementEvent:
    """Create an engagement event; it is not shown to the public until it is published."""
    fields = {
        "title": title,
        "kind": kind,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": venue,
        "address": address,
        "online_url": online_url,
        "audience": audience,
        "capacity": capacity,
        "accessibility": accessibility,
        "is_published": is_published,
        "bookings_open": bookings_open,
    }
    return _event_save(
        event=EngagementEvent(created_by=created_by),
        fields=fields,
        links={"commissions": commissions, "priorities": priorities, "areas": areas},
    )


@transaction.atomic
def event_update(*, event: EngagementEvent, **changes) -> EngagementEvent:
    """Change an event's details; `changes` are field names and M2M names with new values.

    Refuses a number of places below the places already booked.
    """
    unknown = set(changes) - set(EVENT_FIELDS) - set(EVENT_LINKS)
    if unknown:
        raise TypeError(f"event_update() got unexpected fields: {sorted(unknown)}")
    # Lock the event as `event_book` does, so no booking slips in while places are cut.
    EngagementEvent.objects.select_for_update().filter(pk=event.pk).first()
    capacity = changes.get("capacity", event.capacity)
    if capacity is not None:
        booked = event.bookings.filter(status=Booking.Status.BOOKED).count()
        if capacity < booked:
            already = "1 place is" if booked == 1 else f"{booked} places are"
            raise ValidationError(
                {
                    "capacity": f"{already} already booked: the number of places must be "
                    f"{booked} or more"
                }
            )
    return _event_save(
        event=event,
        fields={k: v for k, v in changes.items() if k in EVENT_FIELDS},
        links={k: v for k, v in changes.items() if k in EVENT_LINKS},
    )


def event_book(
    *,
    event: EngagementEvent,
    user,
    organisation: Organisation | None = None,
    access_needs: str = "",
) -> Booking:
    """Book the person a place at the event and email them a confirmation.

    The event row is locked while the live bookings are counted against the number of
    places, so two people can never both take the last place. Raises `BookingRefused`
    when the event is full, closed, started or already booked by this person.
    """
    if organisation is not None and not (
        Organisation.objects.for_user(user).filter(pk=organisation.pk).exists()
    ):
        raise BookingRefused("Select one of your organisations")
    with transaction.atomic():
        locked = EngagementEvent.objects.select_for_update().get(pk=event.pk)
        booked = locked.bookings.filter(status=Booking.Status.BOOKED).count()
        problem = selectors.event_booking_problem(event=locked, user=user, places_booked=booked)
        if problem:
            raise BookingRefused(problem)
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    event=locked,
                    user=user,
                    organisation=organisation,
                    access_needs=access_needs.strip(),
                )
        except IntegrityError as error:  # a second live booking by the same person
            raise BookingRefused(selectors.ALREADY_BOOKED) from error
        _booking_email_enqueue(booking.pk, "confirmed")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking) -> Booking:
    """Cancel a live booking, freeing the place, and tell the person by email.

    A booking can be cancelled until the event starts.
    """
    booking = Booking.objects.select_for_update().select_related("event").get(pk=booking.pk)
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError("This booking has already been cancelled")
    if booking.event.starts_at <= timezone.now():
        raise ValidationError("This event has already started, so the booking cannot be cancelled")
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    _booking_email_enqueue(booking.pk, "cancelled")
    return booking


@transaction.atomic
def attendance_record(
    *,
    event: EngagementEvent,
    attended: Mapping[int, bool | None],
    notes: str,
) -> EngagementEvent:
    """Record who came to the event (booking id → yes, no or not known) and the notes.

    Only live bookings at this event are changed; attendance can be recorded once the
    event has started.
    """
    if event.starts_at > timezone.now():
        raise ValidationError("You can record attendance once the event has started")
    bookings = {
        booking.pk: booking
        for booking in Booking.objects.select_for_update().filter(
            event=event, status=Booking.Status.BOOKED, pk__in=list(attended)
        )
    }
    changed = []
    for pk, value in attended.items():
        booking = bookings.get(pk)
        if booking is not None and booking.attended != value:
            booking.attended = value
            changed.append(booking)
    Booking.objects.bulk_update(changed, ["attended"])
    event.notes = notes.strip()
    event.save(update_fields=["notes", "updated_at"])
    return event


# --- Emails -----------------------------------------------------------------------------------


def _booking_email_enqueue(booking_id: int, kind: str) -> None:
    from engagement import tasks

    outbox_enqueue(task=tasks.booking_email_send, args=[booking_id, kind])


def booking_email_send(*, booking: Booking, kind: str) -> int:
    """Email the person that their place is confirmed (`kind="confirmed"`) or cancelled."""
    from django.urls import reverse

    return emails_send(
        people=[booking.user],
        template=f"engagement/email/booking_{kind}",
        context={
            "booking": booking,
            "event": booking.event,
            "event_url": absolute_url(booking.event.get_absolute_url()),
            "bookings_url": absolute_url(reverse("engagement:my_bookings")),
        },
    )
