"""The demo's monitoring: the community hubs a year into delivery, with returns in every
state (some overdue), one sent back with comments, a RAG mix with its history, payments
paid and one held, whatever day the demo is seeded on."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import User
from demo.monitoring import CARNFORTH, COMMISSION, FOOD_NETWORK, SKERTON
from demo.seed import demo_seed
from monitoring.models import (
    InstalmentPayment,
    MonitoringReturn,
    PaymentHold,
    RagStatus,
    ReturnState,
    ReviewOutcome,
)
from monitoring.periods import actual_lines
from procurement.models import Agreement
from procurement.services.agreements import months_add

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _hubs() -> dict[str, Agreement]:
    agreements = Agreement.objects.filter(
        decision__bid__opportunity__specification__commission__title=COMMISSION
    )
    return {agreement.organisation.name: agreement for agreement in agreements}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"monitoring", "procurement", "commissioning", "providers", "core"}
    }


def _assert_every_state(today: dt.date) -> None:
    hubs = _hubs()
    assert set(hubs) == {FOOD_NETWORK, SKERTON, CARNFORTH}
    assert {agreement.state for agreement in hubs.values()} == {"accepted"}
    returns = MonitoringReturn.objects.filter(agreement__in=hubs.values())
    assert set(returns.values_list("state", flat=True)) == set(ReturnState.values)
    # Overdue: past the due date and not sent, one never started and one started.
    overdue = returns.overdue(today=today)
    assert set(overdue.values_list("state", flat=True)) >= {ReturnState.DUE, ReturnState.DRAFT}
    assert all(r.due_on < today and r.submitted_at is None for r in overdue)
    assert overdue.filter(agreement=hubs[CARNFORTH]).count() == 2
    # Each agreement has a return falling due next that is not overdue yet.
    for agreement in hubs.values():
        upcoming = agreement.monitoring_returns.filter(due_on__gte=today)
        assert upcoming.filter(state=ReturnState.DUE).exists()
    # Nothing happened in the future.
    now = timezone.now()
    assert not returns.filter(submitted_at__gt=now).exists()
    assert not returns.filter(accepted_at__gt=now).exists()
    assert not RagStatus.objects.filter(set_at__gt=now).exists()
    assert not InstalmentPayment.objects.filter(paid_on__gt=today).exists()


def test_the_hubs_have_returns_in_every_state_some_overdue():
    demo_seed()
    today = timezone.localdate()
    _assert_every_state(today)
    hubs = _hubs()

    # Accepted returns show progress against every target, and one has a case study the
    # people in it agreed may be published.
    accepted = hubs[FOOD_NETWORK].monitoring_returns.filter(state=ReturnState.ACCEPTED)
    assert accepted.count() == 3
    latest = accepted.order_by("-period_start").first()
    for line in actual_lines(monitoring_return=latest):
        assert line.actual is not None and line.cumulative_actual > 0
    people = next(
        line
        for line in actual_lines(monitoring_return=latest)
        if line.target.measure == "People supported"
    )
    assert people.cumulative_actual >= people.cumulative_target * 9 / 10
    assert accepted.filter(case_study_consent=True).exclude(case_study="").exists()
    assert accepted.filter(attachments__isnull=False).exists()

    # One accepted only after the officer asked for changes: two versions, two reviews.
    resent = accepted.get(submissions__number=2)
    assert [r.outcome for r in resent.reviews.order_by("reviewed_at")] == [
        ReviewOutcome.CHANGES_REQUESTED,
        ReviewOutcome.ACCEPTED,
    ]

    # The one sent back now has the officer's comments on two parts, and the provider
    # reads them on the return's page.
    sent_back = MonitoringReturn.objects.get(
        agreement__in=hubs.values(), state=ReturnState.CHANGES_REQUESTED
    )
    review = sent_back.reviews.first()
    assert review.outcome == ReviewOutcome.CHANGES_REQUESTED
    comments = {comment.section: comment.text for comment in review.comments.all()}
    assert set(comments) == {"actuals", "spend"}
    provider = Client()
    provider.force_login(User.objects.get(email="provider@example.org"))
    page = provider.get(sent_back.get_absolute_url()).content.decode()
    assert comments["actuals"] in page.replace("&#x27;", "'")

    # Skerton's third return waits for the officer, who sees it in the list to review.
    waiting = hubs[SKERTON].monitoring_returns.get(state=ReturnState.SUBMITTED)
    officer = Client()
    officer.force_login(User.objects.get(email="officer@example.org"))
    listed = officer.get(reverse("monitoring:staff_returns")).content.decode()
    assert waiting.get_absolute_url() in listed


def test_the_hubs_are_rated_green_amber_and_red_with_a_history_and_one_payment_is_held(client):
    demo_seed()
    hubs = _hubs()
    latest = {name: agreement.rag_statuses.first() for name, agreement in hubs.items()}
    assert {name: status.rating for name, status in latest.items()} == {
        SKERTON: "green",
        FOOD_NETWORK: "amber",
        CARNFORTH: "red",
    }
    assert all(status.reason and status.set_by for status in latest.values())
    history = list(hubs[CARNFORTH].rag_statuses.order_by("set_at"))
    assert [status.rating for status in history] == ["green", "amber", "red"]
    assert history[0].set_at < history[1].set_at - dt.timedelta(days=30)
    assert [s.rating for s in hubs[FOOD_NETWORK].rag_statuses.order_by("set_at")] == [
        "green",
        "amber",
    ]

    # Payments: paid in advance each quarter, except one held until the overdue return is
    # accepted, which the agreement's page says.
    assert InstalmentPayment.objects.filter(agreement__in=hubs.values()).count() == 12
    hold = PaymentHold.objects.get(released_at__isnull=True)
    assert hold.agreement == hubs[CARNFORTH]
    assert hold.monitoring_return.state == ReturnState.DRAFT
    assert not InstalmentPayment.objects.filter(instalment=hold.instalment).exists()
    client.force_login(User.objects.get(email="officer@example.org"))
    page = client.get(hubs[CARNFORTH].get_absolute_url()).content.decode()
    label = hold.monitoring_return.period_label
    assert f"Held: the return for {label} is not yet accepted" in page

    # The portfolio opens on this financial year: the hubs, one of each rating. With every
    # year, the pilot that ran before them too (green, demo.evaluation).
    this_year = client.get(reverse("monitoring:portfolio")).content.decode()
    every_year = client.get(reverse("monitoring:portfolio"), {"year": "all"}).content.decode()
    for portfolio, green in ((this_year, "1"), (every_year, "2")):
        for rating, number in (("red", "1"), ("amber", "1"), ("green", green)):
            noun = "agreement" if number == "1" else "agreements"
            assert f'{number}<span class="govuk-visually-hidden"> {noun} rated {rating}<' in (
                portfolio
            )


def test_seeding_the_demo_twice_adds_no_rows():
    demo_seed()
    before = _row_counts()
    # Six ratings of the hubs (demo.monitoring), one of the pilot before them (demo.evaluation).
    assert before["monitoring.MonitoringReturn"] > 0 and before["monitoring.RagStatus"] == 7
    demo_seed()
    assert _row_counts() == before


def test_the_demo_seeded_on_the_first_of_a_month_still_has_every_state(clock):
    # The latest period ended yesterday (the last day of February): what the story dates
    # later than now is moved to just before it.
    first = months_add(timezone.localdate().replace(day=1), 4)
    assert (first.month, first.day) == (3, 1)
    clock.move_to(dt.datetime.combine(first, dt.time(8), tzinfo=LONDON))
    demo_seed()
    _assert_every_state(timezone.localdate())
