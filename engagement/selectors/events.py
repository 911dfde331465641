"""Reads of engagement events and bookings.

Every list is fetched with its counts annotated and its commissions prefetched, so a
page's query count does not grow with the number of events or bookings on it.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from commissioning.models import Area, Commission, CorporatePriority
from engagement.models import Booking, EngagementEvent

LIVE = Q(bookings__status=Booking.Status.BOOKED)

# Why someone cannot book a place, in the words the page and the service both use.
FULLY_BOOKED = "This event is fully booked"
ALREADY_BOOKED = "You have already booked a place at this event"
BOOKINGS_CLOSED = "Bookings for this event are closed"
EVENT_STARTED = "This event has already started, so you cannot book a place"
NOT_PUBLISHED = "This event is not open for bookings"


def _events() -> QuerySet[EngagementEvent]:
    """Events with `places_booked`, `places_left` (None: no limit) and `attended_count`,
    their commissions prefetched."""
    return (
        EngagementEvent.objects.annotate(
            places_booked=Count("bookings", filter=LIVE, distinct=True),
            attended_count=Count(
                "bookings", filter=LIVE & Q(bookings__attended=True), distinct=True
            ),
        )
        .annotate(places_left=Greatest(F("capacity") - F("places_booked"), 0))
        .prefetch_related(Prefetch("commissions", queryset=Commission.objects.order_by("title")))
    )


def places_left(*, event: EngagementEvent, places_booked: int | None = None) -> int | None:
    """Places still free, or None when the event has no limit on places."""
    if event.capacity is None:
        return None
    if places_booked is None:
        places_booked = getattr(event, "places_booked", None)
    if places_booked is None:
        places_booked = event.bookings.filter(status=Booking.Status.BOOKED).count()
    return max(event.capacity - places_booked, 0)


@dataclass(frozen=True)
class PublicEvents:
    upcoming: list[EngagementEvent]
    past: list[EngagementEvent]


def events_public_list() -> PublicEvents:
    """Published events: those still to come (or under way) soonest first, then past ones.

    Four queries however many events there are.
    """
    now = timezone.now()
    published = _events().filter(is_published=True)
    return PublicEvents(
        upcoming=list(published.filter(ends_at__gte=now).order_by("starts_at", "pk")),
        past=list(published.filter(ends_at__lt=now).order_by("-starts_at", "-pk")),
    )


def events_staff_list() -> QuerySet[EngagementEvent]:
    """Every event, published or not, latest first, with places booked and attended."""
    return _events().order_by(F("starts_at").desc(), "-pk")


def event_get(*, pk: int) -> EngagementEvent:
    """One event with its counts, commissions, priorities and areas. Raises DoesNotExist."""
    return (
        _events()
        .prefetch_related(
            Prefetch("priorities", queryset=CorporatePriority.objects.order_by("order", "name")),
            Prefetch("areas", queryset=Area.objects.order_by("name")),
        )
        .get(pk=pk)
    )


def booking_live_get(*, event: EngagementEvent, user) -> Booking | None:
    """The person's live booking at the event, if they have one."""
    if not user.is_authenticated:
        return None
    return (
        Booking.objects.select_related("organisation")
        .filter(event=event, user=user, status=Booking.Status.BOOKED)
        .first()
    )


def event_booking_problem(
    *, event: EngagementEvent, user, places_booked: int | None = None
) -> str | None:
    """Why the person cannot book a place at the event now, or None if they can.

    The page uses this to decide what to show; `event_book` asks again with the event
    locked, so two people cannot both take the last place.
    """
    if not event.is_published:
        return NOT_PUBLISHED
    if event.starts_at <= timezone.now():
        return EVENT_STARTED
    if user is not None and user.is_authenticated:
        already = Booking.objects.filter(
            event=event, user=user, status=Booking.Status.BOOKED
        ).exists()
        if already:
            return ALREADY_BOOKED
    if not event.bookings_open:
        return BOOKINGS_CLOSED
    if places_left(event=event, places_booked=places_booked) == 0:
        return FULLY_BOOKED
    return None


def bookings_for_user(*, user) -> QuerySet[Booking]:
    """The person's bookings, soonest event first, with the event and organisation."""
    return (
        Booking.objects.filter(user=user)
        .select_related("event", "organisation")
        .order_by("event__starts_at", "booked_at")
    )


def event_bookings_list(*, event: EngagementEvent) -> QuerySet[Booking]:
    """The live bookings at an event, by name, with each person and organisation."""
    return (
        Booking.objects.filter(event=event, status=Booking.Status.BOOKED)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


def booking_get(*, pk: int) -> Booking:
    return Booking.objects.select_related("event", "user", "organisation").get(pk=pk)
