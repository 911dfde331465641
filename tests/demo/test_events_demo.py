"""The demo engagement events, bookings and feedback."""

import pytest
from django.utils import timezone

from demo.events import demo_engagement_events_seed
from engagement.models import Booking, EngagementEvent, Feedback
from tests.factories import CommissionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_demo_events_are_idempotent_and_booked_by_the_demo_provider(officer, make_user):
    provider = make_user(email="provider@example.org")
    OrganisationFactory(name="Morecambe Bay Community Food Network", members=[provider])
    commission = CommissionFactory(title="Tackling loneliness and isolation in later life")

    demo_engagement_events_seed(officer=officer, commissions={commission.title: commission})
    events = demo_engagement_events_seed(
        officer=officer, commissions={commission.title: commission}
    )

    assert EngagementEvent.objects.count() == len(events) >= 4
    assert Feedback.objects.count() >= 3
    workshop = events["Healthy ageing in Morecambe: provider workshop"]
    assert workshop.starts_at > timezone.now()
    assert list(workshop.commissions.all()) == [commission]
    assert workshop.bookings.get().user == provider
    past = [event for event in events.values() if event.ends_at < timezone.now()]
    assert past and all(event.notes for event in past if event.bookings.exists())
    assert Booking.objects.filter(attended=True, user=provider).exists()


def test_demo_events_link_no_commissions_when_none_are_given(officer):
    demo_engagement_events_seed(officer=officer, commissions={})

    assert EngagementEvent.objects.filter(commissions__isnull=False).count() == 0
    assert not Booking.objects.exists()  # no demo provider in this database
