"""Demo engagement events, bookings and feedback: how the council listens in the district.

`demo_engagement_events_seed` is idempotent, keyed on each event's title and each piece
of feedback's summary; dates are set relative to today so upcoming events stay upcoming.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from commissioning.models import Area, Commission, CorporatePriority
from core.models import User
from engagement.models import Booking, EngagementEvent, Feedback
from providers.models import Organisation

PROVIDER_EMAIL = "provider@example.org"


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: str
    audience: str
    days_from_today: int
    start: dt.time
    end: dt.time
    description: str
    venue: str = ""
    address: str = ""
    online_url: str = ""
    capacity: int | None = None
    accessibility: str = ""
    bookings_open: bool = True
    ends_days_later: int = 0
    priorities: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    about: tuple[str, ...] = ()  # words that pick the commissions it is about, by title
    provider_books: bool = False
    provider_access_needs: str = ""
    provider_attended: bool | None = None
    notes: str = ""


K, A = EngagementEvent.Kind, EngagementEvent.Audience

EVENTS = [
    DemoEvent(
        "Healthy ageing in Morecambe: provider workshop",
        K.WORKSHOP,
        A.PROVIDERS,
        days_from_today=18,
        start=dt.time(10, 0),
        end=dt.time(12, 30),
        description=(
            "Older people in Morecambe and Heysham tell us that loneliness, getting about "
            "and staying well at home matter most to them.\n\n"
            "Join council officers and other organisations to look at what the needs "
            "assessment shows, what services exist today and where the gaps are, before "
            "the council decides what to commission."
        ),
        venue="Morecambe Town Hall",
        address="Marine Road East\nMorecambe\nLA4 5AF",
        capacity=30,
        accessibility=(
            "Step-free access from Marine Road East, an accessible toilet and a hearing "
            "loop in the Council Chamber. Tea and coffee provided."
        ),
        priorities=("health-and-well-being", "community-leadership"),
        areas=("Morecambe", "Heysham"),
        about=("later life", "loneliness"),
        provider_books=True,
        provider_access_needs="I use a wheelchair and will need a space near the door.",
    ),
    DemoEvent(
        "Getting about in the Lune Valley: Carnforth drop-in",
        K.DROP_IN,
        A.EVERYONE,
        days_from_today=9,
        start=dt.time(14, 0),
        end=dt.time(17, 0),
        description=(
            "Drop in any time in the afternoon to tell council officers how you get to "
            "appointments, shops and activities, and what makes it hard. There is no need "
            "to book."
        ),
        venue="Carnforth Library",
        address="Lancaster Road\nCarnforth\nLA5 9LD",
        bookings_open=False,
        accessibility="Ground-floor room with level access.",
        priorities=("health-and-well-being", "clean-green-and-safe-places"),
        areas=("Carnforth", "Rural Lancaster"),
        about=("isolation",),
    ),
    DemoEvent(
        "What matters in your neighbourhood: district survey",
        K.SURVEY,
        A.PUBLIC,
        days_from_today=-5,
        ends_days_later=40,
        start=dt.time(9, 0),
        end=dt.time(17, 0),
        description=(
            "A short online survey for residents of the district about the services that "
            "matter most where you live. It takes about 10 minutes. Paper copies are "
            "available from Lancaster and Morecambe town halls."
        ),
        online_url="https://www.lancaster.example.org/surveys/what-matters",
        bookings_open=False,
        priorities=("health-and-well-being", "community-leadership", "economic-growth"),
    ),
    DemoEvent(
        "Applying for funding: applicant workshop",
        K.APPLICANT_WORKSHOP,
        A.PROVIDERS,
        days_from_today=25,
        start=dt.time(13, 30),
        end=dt.time(15, 30),
        description=(
            "How the council's commissioning works, what the core criteria mean and what "
            "a good bid looks like, with time for questions. Everything said will also be "
            "published as clarification answers so nobody is at a disadvantage."
        ),
        venue="Lancaster Town Hall",
        address="Dalton Square\nLancaster\nLA1 1PJ",
        online_url="https://meet.lancaster.example.org/applicant-workshop",
        capacity=40,
        accessibility="Step-free access from Dalton Square. You can also join online.",
        about=("later life", "creative"),
        provider_books=True,
    ),
    DemoEvent(
        "Arts and culture in Lancaster: sector conversation",
        K.MEETING,
        A.PROVIDERS,
        days_from_today=-42,
        start=dt.time(18, 0),
        end=dt.time(20, 0),
        description=(
            "An evening conversation with arts organisations and artists about audiences, "
            "venues and what the council's investment in the arts should achieve."
        ),
        venue="The Dukes",
        address="Moor Lane\nLancaster\nLA1 1QE",
        capacity=50,
        accessibility="Step-free access to the foyer and studio.",
        priorities=("economic-growth", "community-leadership"),
        areas=("Lancaster",),
        about=("creative", "festivals"),
        provider_books=True,
        provider_attended=True,
        notes=(
            "22 people came from 17 organisations. Rising venue costs and the loss of "
            "rehearsal space came up again and again; several groups offered to share "
            "space. People asked for multi-year funding and simpler monitoring."
        ),
    ),
    DemoEvent(
        "Food and wellbeing in the West End: listening session",
        K.WORKSHOP,
        A.COMMUNITIES,
        days_from_today=-20,
        start=dt.time(10, 0),
        end=dt.time(12, 0),
        description=(
            "A listening session with community groups in Morecambe's West End about food "
            "poverty, cooking skills and places to eat together."
        ),
        venue="West End Community Centre",
        address="Clarence Street\nMorecambe\nLA4 4AB",
        capacity=25,
        accessibility="Level access and an accessible toilet.",
        priorities=("health-and-well-being",),
        areas=("Harbour", "Westgate"),
        about=("food",),
        provider_books=True,
        provider_attended=True,
        notes=(
            "Community pantries are busier every month; families with young children and "
            "older people living alone are the groups most often mentioned. People want "
            "a shared kitchen they can book."
        ),
    ),
]


@dataclass(frozen=True)
class DemoFeedback:
    summary: str
    text: str
    source: str
    received_days_ago: int
    given_by: str = ""
    event: str = ""
    about: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    from_provider: bool = False


FEEDBACK = [
    DemoFeedback(
        "Rehearsal space is disappearing in the city centre",
        "Two of the rooms we used have closed this year. Small companies cannot afford "
        "commercial rates, so we are rehearsing in living rooms.",
        Feedback.Source.COMMUNITY,
        received_days_ago=42,
        given_by="Lancaster Independent Theatre Network",
        event="Arts and culture in Lancaster: sector conversation",
        about=("creative", "festivals"),
        priorities=("economic-growth",),
        areas=("Lancaster",),
    ),
    DemoFeedback(
        "Multi-year funding would let us plan and keep staff",
        "One-year grants mean we spend every spring on applications instead of on "
        "participants. Three-year agreements with lighter monitoring would help.",
        Feedback.Source.PROVIDER,
        received_days_ago=41,
        event="Arts and culture in Lancaster: sector conversation",
        about=("creative", "festivals"),
        priorities=("economic-growth", "community-leadership"),
        from_provider=True,
    ),
    DemoFeedback(
        "Older people living alone are skipping meals",
        "Our volunteers see more older people on their own who do not cook for one. A "
        "lunch club twice a week would reach them; the church hall is free on Tuesdays.",
        Feedback.Source.PROVIDER,
        received_days_ago=19,
        event="Food and wellbeing in the West End: listening session",
        about=("later life", "food"),
        priorities=("health-and-well-being",),
        areas=("Harbour", "Westgate"),
        from_provider=True,
    ),
    DemoFeedback(
        "The last bus home from Lancaster leaves too early",
        "I volunteer in Lancaster two evenings a week but the last bus to Caton goes at "
        "six, so I have to leave early or pay for a taxi.",
        Feedback.Source.INDIVIDUAL,
        received_days_ago=7,
        given_by="A resident of the Lune Valley",
        about=("isolation",),
        priorities=("health-and-well-being", "clean-green-and-safe-places"),
        areas=("Rural Lancaster",),
    ),
]


def _about(commissions: dict[str, Commission], words: tuple[str, ...]) -> list[Commission]:
    """The commissions whose titles mention any of the words (none if none were passed)."""
    return [
        commission
        for title, commission in commissions.items()
        if any(word in title.lower() for word in words)
    ]


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after it if it falls at a weekend."""
    if day.weekday() >= 5:  # Saturday or Sunday
        return day + dt.timedelta(days=7 - day.weekday())
    return day


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def demo_engagement_events_seed(
    *, officer: User, commissions: dict[str, Commission]
) -> dict[str, EngagementEvent]:
    """Engagement events across the district, with bookings, notes and feedback.

    Upcoming events are booked by the demo provider (provider@example.org) for their
    organisation; past events have attendance, notes and the feedback given there.
    Returns the events by title. Idempotent.
    """
    today = timezone.localdate()
    provider = User.objects.filter(email=PROVIDER_EMAIL).first()
    organisation = Organisation.objects.for_user(provider).first() if provider else None
    priorities = {p.slug: p for p in CorporatePriority.objects.filter(framework__is_current=True)}
    areas = {area.name: area for area in Area.objects.all()}

    events: dict[str, EngagementEvent] = {}
    for demo in EVENTS:
        starts_on = _weekday(today + dt.timedelta(days=demo.days_from_today))
        event, _ = EngagementEvent.objects.update_or_create(
            title=demo.title,
            defaults={
                "kind": demo.kind,
                "audience": demo.audience,
                "description": demo.description,
                "starts_at": _at(starts_on, demo.start),
                "ends_at": _at(starts_on + dt.timedelta(days=demo.ends_days_later), demo.end),
                "venue": demo.venue,
                "address": demo.address,
                "online_url": demo.online_url,
                "capacity": demo.capacity,
                "accessibility": demo.accessibility,
                "bookings_open": demo.bookings_open,
                "is_published": True,
                "notes": demo.notes,
                "created_by": officer,
            },
        )
        event.priorities.set([priorities[slug] for slug in demo.priorities if slug in priorities])
        event.areas.set([areas[name] for name in demo.areas if name in areas])
        event.commissions.set(_about(commissions, demo.about))
        if provider is not None and demo.provider_books:
            Booking.objects.update_or_create(
                event=event,
                user=provider,
                status=Booking.Status.BOOKED,
                defaults={
                    "organisation": organisation,
                    "access_needs": demo.provider_access_needs,
                    "attended": demo.provider_attended,
                },
            )
        events[demo.title] = event

    for demo in FEEDBACK:
        from_provider = demo.from_provider and provider is not None
        feedback, _ = Feedback.objects.update_or_create(
            summary=demo.summary,
            defaults={
                "text": demo.text,
                "source": demo.source,
                "given_by": provider.get_full_name() if from_provider else demo.given_by,
                "organisation": organisation if from_provider else None,
                "submitted_by": provider if from_provider else None,
                "recorded_by": None if from_provider else officer,
                "event": events.get(demo.event),
                "commission": next(iter(_about(commissions, demo.about)), None),
                "received_on": today - dt.timedelta(days=demo.received_days_ago),
            },
        )
        feedback.priorities.set(
            [priorities[slug] for slug in demo.priorities if slug in priorities]
        )
        feedback.areas.set([areas[name] for name in demo.areas if name in areas])
    return events
