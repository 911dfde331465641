"""Factories for engagement events, bookings and feedback."""

import datetime as dt

import factory
from django.utils import timezone

from core.roles import Role
from engagement.models import Booking, EngagementEvent, Feedback
from tests.factories import UserFactory


def in_days(days: float, hour: int = 10) -> dt.datetime:
    """A time `days` from now at `hour` o'clock, Europe/London."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class EventFactory(factory.django.DjangoModelFactory):
    """A published workshop a fortnight away, 10am to midday, with 30 places."""

    class Meta:
        model = EngagementEvent
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Provider workshop {n}")
    kind = EngagementEvent.Kind.WORKSHOP
    description = "A workshop to hear from local organisations about what people need."
    starts_at = factory.LazyFunction(lambda: in_days(14, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    venue = "Morecambe Town Hall"
    address = "Marine Road East\nMorecambe\nLA4 5AF"
    audience = EngagementEvent.Audience.PROVIDERS
    capacity = 30
    is_published = True
    bookings_open = True

    @factory.post_generation
    def commissions(self, create, extracted, **kwargs):
        if create and extracted:
            self.commissions.set(extracted)


class PastEventFactory(EventFactory):
    starts_at = factory.LazyFunction(lambda: in_days(-14, 10))


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory, roles=[Role.PROVIDER])
    status = Booking.Status.BOOKED


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback
        skip_postgeneration_save = True

    source = Feedback.Source.INDIVIDUAL
    given_by = "A resident of Poulton"
    summary = factory.Sequence(lambda n: f"Feedback about services {n}")
    text = "There is nowhere for older people to meet in the afternoons."
    received_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def priorities(self, create, extracted, **kwargs):
        if create and extracted:
            self.priorities.set(extracted)
