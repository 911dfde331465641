"""The reminder sweep run by a real Celery worker against the real Redis, as beat has it
run every morning: one email per reminder, and none more when it runs again.

Uses the worker of tests/core/test_worker_e2e.py (PostgreSQL and Redis; skipped without
them). Deselect with `-m "not worker"`.
"""

import time
from collections import Counter

import pytest
from django.utils import timezone

from core.models import Email
from monitoring import tasks
from monitoring.models import Reminder, ReminderKind
from tests.core import test_worker_e2e as e2e
from tests.core.broker import broker_at
from tests.monitoring.test_reminders import DAY, members, one_return

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The real Redis and the worker subprocess of the outbox's end-to-end test.
real_redis = e2e.real_redis
worker = e2e.worker


def _wait_for(mail_dir, count: int) -> None:
    deadline = time.monotonic() + e2e.WAIT_SECONDS
    while time.monotonic() < deadline:
        waiting = Email.objects.exclude(status=Email.Status.SENT).exists()
        if not waiting and len(e2e.sent_emails(mail_dir)) >= count:
            break
        time.sleep(0.5)
    time.sleep(1)  # anything sent twice would show now


def test_the_worker_runs_the_sweep_and_sends_one_email_per_reminder(real_redis, worker):
    made, monitoring_return = one_return(due_on=timezone.localdate() - 10 * DAY)
    lead = made.assessed.commission.lead_officer
    people = members(made)
    # The worker is a process of its own, on the machine's clock: it is told the suite's day.
    today = timezone.localdate().isoformat()

    with broker_at(real_redis):
        tasks.reminders_send.delay(today)
        _wait_for(worker, len(people) + 1)
        sent = e2e.sent_emails(worker)
        assert Counter(to for to, _ in sent) == {
            **{person.email: 1 for person in people},  # overdue
            lead.email: 1,  # escalated
        }
        assert set(Reminder.objects.values_list("kind", flat=True)) == {
            ReminderKind.RETURN_OVERDUE,
            ReminderKind.RETURN_ESCALATED,
        }

        # Beat's next run (or a second worker's) sends nothing more.
        tasks.reminders_send.delay(today)
        time.sleep(3)
        assert len(e2e.sent_emails(worker)) == len(sent)
        assert Reminder.objects.count() == 2
        assert set(Email.objects.values_list("status", "attempts")) == {("sent", 1)}
