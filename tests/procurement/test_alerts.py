"""Alerts of new opportunities: a person chooses sectors, priorities and areas, is emailed
once about each matching opportunity published (however many sweeps run, even at the same
moment), and can follow the same filter as an Atom feed."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from commissioning.models import Area, CorporatePriority, Sector
from core.models import Email
from core.roles import Role
from procurement import tasks
from procurement.models import OpportunityAlert, OpportunityAlertSent
from procurement.selectors import alerts as selectors
from procurement.services.alerts import opportunity_alert_set, opportunity_alerts_send_due
from tests.factories import CommissionFactory, SpecificationFactory, UserFactory
from tests.procurement.factories_bids import OpportunityFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def lancaster():
    area = Area.objects.create(name="Lancaster", slug="lancaster", kind=Area.Kind.AREA)
    Area.objects.create(name="Bulk", slug="bulk", kind=Area.Kind.WARD, parent=area)
    return area


@pytest.fixture
def morecambe():
    return Area.objects.create(name="Morecambe", slug="morecambe", kind=Area.Kind.AREA)


def opportunity_in(*areas, sector="VCFS", published_days_ago=1, **kwargs):
    commission = CommissionFactory(
        state="procurement",
        sector=Sector.objects.get(short_name=sector),
        areas=list(areas),
    )
    kwargs.setdefault("published_at", at(-published_days_ago, 9))
    return OpportunityFactory(
        specification=SpecificationFactory(commission=commission),
        opens_at=at(-published_days_ago, 9),
        **kwargs,
    )


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep as beat would (its task), emails delivered once each commits."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.opportunity_alerts_send()

    return run


@pytest.fixture
def subscriber(clock, lancaster):
    """Subscribed a week ago to VCFS opportunities in Lancaster (and its wards)."""
    user = UserFactory(roles=[Role.PROVIDER], email="sam@example.org")
    alert = opportunity_alert_set(
        user=user,
        sectors=Sector.objects.filter(short_name="VCFS"),
        priorities=[],
        areas=[lancaster],
    )
    OpportunityAlert.objects.filter(pk=alert.pk).update(created_at=at(-7, 9))
    return user


def test_a_matching_opportunity_is_emailed_once(sweep, subscriber, lancaster, morecambe):
    ward = Area.objects.get(slug="bulk")
    matching = opportunity_in(ward, title="Warm spaces in Bulk")
    opportunity_in(morecambe)  # another area
    opportunity_in(lancaster, sector="Arts")  # another sector
    opportunity_in(lancaster, published_days_ago=10)  # published before the alert
    opportunity_in(lancaster, published_at=None)  # not published

    assert sweep() == 1
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "New funding opportunity: Warm spaces in Bulk"
    assert matching.get_absolute_url() in message.body
    assert "/alerts/" in message.body

    # The next sweep sends nothing more.
    assert sweep() == 0
    assert len(mail.outbox) == 1


def test_each_person_hears_once_of_each_opportunity(sweep, subscriber, lancaster):
    other = UserFactory(roles=[Role.PROVIDER], email="kim@example.org")
    opportunity_alert_set(user=other, sectors=[], priorities=[], areas=[])
    OpportunityAlert.objects.filter(user=other).update(created_at=at(-7, 9))
    first = opportunity_in(lancaster)
    second = opportunity_in(lancaster)

    assert sweep() == 4
    assert sweep() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@example.org"] * 2 + ["sam@example.org"] * 2
    sent = set(OpportunityAlertSent.objects.values_list("user__email", "opportunity_id"))
    assert sent == {
        ("sam@example.org", first.pk),
        ("sam@example.org", second.pk),
        ("kim@example.org", first.pk),
        ("kim@example.org", second.pk),
    }


def test_a_priority_filters_the_alert(subscriber, lancaster):
    priority = CorporatePriority.objects.filter(framework__is_current=True).exclude(
        slug="health-and-well-being"
    )[0]
    opportunity_alert_set(user=subscriber, sectors=[], priorities=[priority], areas=[])
    opportunity_in(lancaster)  # the factory's commissions serve health and well-being only

    assert opportunity_alerts_send_due() == 0


def test_the_sent_record_refuses_a_second_row_for_the_same_person_and_opportunity(
    subscriber, lancaster
):
    opportunity = opportunity_in(lancaster)
    OpportunityAlertSent.objects.create(opportunity=opportunity, user=subscriber)

    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityAlertSent.objects.create(opportunity=opportunity, user=subscriber)
    # Recorded as sent already: the sweep sends nothing.
    assert opportunity_alerts_send_due() == 0
    assert mail.outbox == []


def test_a_sweep_that_finds_an_alert_already_sent_by_another_sends_nothing(
    sweep, subscriber, lancaster, monkeypatch
):
    """Two sweeps in a row that both found the opportunity unsent before either recorded
    it: only the first sends."""
    opportunity_in(lancaster)
    found = list(selectors.alerts_due())
    monkeypatch.setattr("procurement.services.alerts.alerts_due", lambda: iter(found))

    assert sweep() == 1
    assert sweep() == 0
    assert len(mail.outbox) == 1
    assert Email.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_alert_once_on_postgresql(monkeypatch, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent inserts under a unique constraint: CI runs this on PostgreSQL")
    lancaster = Area.objects.create(name="Lancaster", slug="lancaster", kind=Area.Kind.AREA)
    user = UserFactory(roles=[Role.PROVIDER], email="sam@example.org")
    opportunity_alert_set(user=user, sectors=[], priorities=[], areas=[lancaster])
    OpportunityAlert.objects.filter(user=user).update(created_at=at(-7, 9))
    opportunity_in(lancaster)
    opportunity_in(lancaster)

    looked = threading.Barrier(2)
    find_due = selectors.alerts_due

    def both_look_first():
        found = list(find_due())
        looked.wait(timeout=20)
        return iter(found)

    monkeypatch.setattr("procurement.services.alerts.alerts_due", both_look_first)
    results: list = []

    def sweep_now():
        try:
            results.append(opportunity_alerts_send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == 2
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    assert sum(results) == 2
    assert OpportunityAlertSent.objects.count() == 2
    assert len(mail.outbox) == 2
    assert Email.objects.count() == 2


def test_the_beat_runs_the_sweep(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["opportunity-alerts-send"]
    assert schedule["task"] == "procurement.tasks.opportunity_alerts_send"
    assert schedule["schedule"] <= dt.timedelta(minutes=15).total_seconds()


# --- The alert page and the feed ---------------------------------------------------------------


def test_a_provider_sets_up_changes_and_stops_an_alert(client, provider_user, lancaster):
    client.force_login(provider_user)
    vcfs = Sector.objects.get(short_name="VCFS")

    response = client.post("/alerts/", {"sectors": [vcfs.pk], "areas": [lancaster.pk]}, follow=True)

    alert = OpportunityAlert.objects.get(user=provider_user)
    assert list(alert.sectors.all()) == [vcfs]
    assert list(alert.areas.all()) == [lancaster]
    page = response.content.decode()
    assert "Your alert is saved" in page
    assert f"/opportunities/feed/?sector={vcfs.slug}&amp;area=lancaster" in page

    client.post("/alerts/", {"stop": "1"})
    assert not OpportunityAlert.objects.filter(user=provider_user).exists()


def test_a_choice_not_offered_is_an_error_beside_the_field(client, provider_user):
    client.force_login(provider_user)

    response = client.post("/alerts/", {"areas": ["999999"]})

    assert response.status_code == 200
    assert "Select areas from the list" in response.content.decode()
    assert not OpportunityAlert.objects.exists()


def test_the_feed_shows_what_the_filter_matches(client, lancaster, morecambe):
    opportunity_in(lancaster, title="Warm spaces in Lancaster")
    opportunity_in(morecambe, title="Bay lunch clubs")

    everything = client.get("/opportunities/feed/").content.decode()
    filtered = client.get("/opportunities/feed/?area=lancaster").content.decode()

    assert "Warm spaces in Lancaster" in everything and "Bay lunch clubs" in everything
    assert "Warm spaces in Lancaster" in filtered
    assert "Bay lunch clubs" not in filtered
    assert client.get("/opportunities/feed/?area=nowhere").status_code == 400


def test_the_filtered_feed_takes_the_same_queries_however_many_it_lists(
    client, lancaster, django_assert_max_num_queries
):
    opportunity_in(lancaster)
    url = "/opportunities/feed/?sector=vcfs&area=lancaster"
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(5):
        opportunity_in(lancaster)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<entry>") == 6
