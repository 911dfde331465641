"""The outbox: work written down with an action is done once the action commits, exactly
once; a failure is kept with its error and tried again after 1, 2, 4… minutes, until it
works or runs out of attempts; two drains at once never do the same work twice."""

import datetime as dt
import threading

import pytest
from celery import shared_task
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.utils import timezone

from core.models import Email, OutboxTask
from core.outbox import MAX_ATTEMPTS, outbox_drain, outbox_enqueue

pytestmark = pytest.mark.django_db


# --- Running a task: once, retried with back-off, given up in the end ---------------------------

calls: list[str] = []


@shared_task(name="tests.core.flaky")
def flaky(word: str) -> None:
    """Fails the first time it is run, then works."""
    calls.append(word)
    if len(calls) == 1:
        raise ConnectionError("The service did not answer")


@shared_task(name="tests.core.broken")
def broken() -> None:
    raise ValueError("This never works")


@pytest.fixture
def fresh_calls():
    calls.clear()
    yield calls
    calls.clear()


def test_a_task_that_fails_in_process_is_kept_with_its_error_and_run_once_after_the_back_off(
    fresh_calls, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = outbox_enqueue(task=flaky, args=["hello"])

    # The failure stayed in the outbox: nothing was raised to whoever acted.
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "ConnectionError: The service did not answer"
    assert row.next_attempt_at == row.created_at + dt.timedelta(minutes=1)

    assert outbox_drain().tasks == 0  # not due yet
    clock.shift(dt.timedelta(minutes=1))
    assert outbox_drain().tasks == 1
    assert outbox_drain().tasks == 0
    clock.shift(dt.timedelta(hours=2))
    assert outbox_drain().tasks == 0

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 2)
    assert fresh_calls == ["hello", "hello"]


def test_a_task_that_never_works_is_given_up_after_the_last_attempt(clock):
    row = outbox_enqueue(task=broken)
    waits = []
    for _ in range(MAX_ATTEMPTS + 2):
        outbox_drain()
        row.refresh_from_db()
        waits.append(row.next_attempt_at - timezone.now() if row.status == "pending" else None)
        clock.shift(dt.timedelta(hours=1))

    assert row.status == "failed"
    assert row.attempts == MAX_ATTEMPTS
    assert row.last_error == "ValueError: This never works"
    minutes = [wait.total_seconds() / 60 for wait in waits if wait is not None]
    assert minutes[:7] == [1, 2, 4, 8, 16, 32, 60]


def test_work_rolled_back_with_its_action_never_happens(
    fresh_calls, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox_enqueue(task=flaky, args=["never"])
        raise RuntimeError("The action failed")

    assert not OutboxTask.objects.exists()
    assert fresh_calls == []


def test_tasks_are_passed_in_not_named():
    with pytest.raises(TypeError):
        outbox_enqueue(task="procurement.tasks.bid_receipt_email_send", args=[1])


# --- Two drains at once ---------------------------------------------------------------------------


class SlowEmailBackend(EmailBackend):
    """The in-memory backend, slow enough that two drains overlap."""

    def send_messages(self, messages):
        threading.Event().wait(0.05)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_send_each_email_once_on_postgresql(settings, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("Row locking is PostgreSQL's: CI runs this against PostgreSQL")
    settings.EMAIL_BACKEND = "tests.core.test_outbox.SlowEmailBackend"
    addresses = [f"person{n}@example.org" for n in range(12)]
    Email.objects.bulk_create(
        Email(to=address, subject="Hello", body="Hello", template="test") for address in addresses
    )
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def drain_now():
        try:
            barrier.wait(timeout=10)
            sent.append(outbox_drain().emails)
        finally:
            connection.close()

    threads = [threading.Thread(target=drain_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(addresses)
    assert sum(sent) == len(addresses)
    assert set(Email.objects.values_list("status", "attempts")) == {("sent", 1)}
