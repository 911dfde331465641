"""The outbox: work that leaves the request is written down in the same transaction as the
action that asks for it, and done once that transaction has committed, exactly once,
whether Celery's broker (Redis) is up or not.

- `outbox_enqueue(task=…, args=…)` writes an OutboxTask row in the caller's transaction
  and, once that commits, hands it to Celery. If the broker cannot be reached the row
  stays pending and the caller's page answers as usual. In eager mode (no REDIS_URL, and
  the tests) it runs in this process right after the commit; a failure there is recorded
  on the row and never reaches the person who acted.
- `outbox_task_run(outbox_id=…)` runs a row: it locks it, runs the task's body and marks it
  done in one transaction, so no task is ever done twice. A failure is recorded and the
  row is tried again after 1, 2, 4, 8… minutes (at most an hour apart), MAX_ATTEMPTS
  times in all, then marked failed for an administrator to see (admin: Outbox tasks).
- `outbox_drain()` does whatever is pending and due. Celery beat runs it every minute
  (`core.tasks.outbox_drain`, which hands the rows to the workers); `manage.py
  outbox_drain` runs them in its own process, for when no worker is running.

Emails (core.emails) are rows of their own, attempted, retried and drained the same way.

Why not a library: django-celery-outbox (young, 0.x) relays rows to the broker from a
daemon of its own and promises at-least-once, so every task would still need to be made
idempotent, and it needs PostgreSQL's SKIP LOCKED; `make run` has SQLite and no broker.
django-reliable-outbox replaces Celery and needs PostgreSQL (and is AGPL). What is needed
here is small: this module.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial

from celery import current_app
from celery.app.task import Task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.models import Attempted, Email, OutboxTask

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY_AFTER = dt.timedelta(minutes=1)
LONGEST_RETRY_AFTER = dt.timedelta(hours=1)
# How many rows of each kind one drain takes on; the next drain takes the rest.
DRAIN_BATCH = 500
# After the broker refused a task, this process stops trying to reach it for so long: the
# rows wait for the drain, and an outage costs one request a timeout, not every request.
BROKER_RETRY_AFTER_SECONDS = 30.0

_broker_down_until = 0.0
# False while `outbox_drain` runs rows in its own process: what they queue (emails) is
# drained by the same pass instead of being handed to Celery one by one.
_publish_on_commit: ContextVar[bool] = ContextVar("outbox_publish_on_commit", default=True)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th attempt: 1, 2, 4, 8… minutes, at most an
    hour."""
    return min(FIRST_RETRY_AFTER * 2 ** max(attempts - 1, 0), LONGEST_RETRY_AFTER)


# --- Enqueueing -------------------------------------------------------------------------------


def outbox_enqueue(*, task: Task, args: Sequence = (), kwargs: Mapping | None = None) -> OutboxTask:
    """Undertake to run the Celery `task` (the task object, imported from its module, never
    looked up by name) with `args` and `kwargs` (ids and words: they are stored as JSON).

    The row is written in the caller's transaction, so it commits or rolls back with the
    action; it is handed to Celery once the transaction commits (at once outside one).
    """
    if not isinstance(task, Task):
        raise TypeError("outbox_enqueue takes the task itself, imported from its module")
    row = OutboxTask.objects.create(task=task.name, args=list(args), kwargs=dict(kwargs or {}))
    outbox_publish_on_commit(row=row)
    return row


def outbox_publish_on_commit(*, row: Attempted) -> None:
    """Once the current transaction commits, hand `row` (an OutboxTask or an Email) to
    Celery; if that fails the row waits for the next drain."""
    if _publish_on_commit.get():
        transaction.on_commit(partial(_publish, type(row), row.pk), robust=True)


def _publish(model: type[Attempted], pk: int, *, force: bool = False) -> bool:
    """Give the row to a Celery worker (or, in eager mode, run it here). False, with the
    reason logged, when that could not be done: the row is left for the next drain."""
    global _broker_down_until
    from core import tasks

    runner = tasks.outbox_task_run if model is OutboxTask else tasks.email_deliver
    eager = current_app.conf.task_always_eager
    if not (force or eager) and time.monotonic() < _broker_down_until:
        return False
    try:
        runner.delay(pk)
    except OperationalError as error:
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        logger.warning(
            "Celery's broker could not be reached (%s): %s %s waits for the next drain",
            error,
            model._meta.verbose_name,
            pk,
        )
        return False
    except Exception:
        logger.exception(
            "%s %s could not be started: it waits for the next drain",
            model._meta.verbose_name,
            pk,
        )
        return False
    return True


def broker_down_forget() -> None:
    """Try the broker again at the next publish, however recently it failed."""
    global _broker_down_until
    _broker_down_until = 0.0


# --- Running ----------------------------------------------------------------------------------


def work_attempt(*, model: type[Attempted], pk: int, work: Callable[[Attempted], None]) -> bool:
    """Attempt the waiting row `pk` of `model` if it is due (or never tried), doing
    `work(row)` and marking the row done in one transaction, so that it is done once even
    when two workers or drains reach it together. Returns whether it was done now.

    The attempt is counted, and the next one scheduled, before the work starts: an attempt
    cut short (a time limit, a lost worker) still counts, so a row that always kills its
    worker ends as failed rather than being tried for ever. A failure is recorded on the
    row (`last_error`); after MAX_ATTEMPTS the row is marked failed.
    """
    # 1. Claim: count the attempt and put the next one back, in a short transaction.
    now = timezone.now()
    with transaction.atomic():
        row = (
            _locked(model, pk)
            .filter(status=model.WAITING)
            .filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
            .first()
        )
        if row is None:  # done, failed, not due, or someone else has it right now
            return False
        if row.attempts >= MAX_ATTEMPTS:
            row.status = model.FAILED
            row.last_error = row.last_error or "The last attempt did not finish"
            row.save(update_fields=["status", "last_error"])
            return False
        row.attempts += 1
        row.next_attempt_at = now + retry_delay(row.attempts)
        row.save(update_fields=["attempts", "next_attempt_at"])
        claimed = row.attempts

    # 2. Do the work and record it, holding the row's lock throughout. The claim is ours
    # (`attempts`), so wait for a lock held a moment by another drain's claim that found
    # the row taken, rather than skip the row and leave it to the retry.
    with transaction.atomic():
        row = _locked(model, pk, wait=True).filter(status=model.WAITING, attempts=claimed).first()
        if row is None:
            return False
        try:
            with transaction.atomic():
                work(row)
        except Exception as error:
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            fields = ["last_error"]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = model.FAILED
                fields.append("status")
            row.save(update_fields=fields)
            logger.warning(
                "%s %s failed (attempt %d of %d)",
                model._meta.verbose_name,
                pk,
                row.attempts,
                MAX_ATTEMPTS,
                exc_info=True,
            )
            return False
        row.save(update_fields=row.finish())
    return True


def _locked(model: type[Attempted], pk: int, *, wait: bool = False):
    # SKIP LOCKED when claiming: a row another worker is busy with is left to it. Waiting
    # when the claim is already ours: PostgreSQL keeps a row locked until the end of the
    # transaction of a claim that locked it and then found it no longer due. (SQLite has no
    # row locks, and one writer at a time.)
    return model.objects.select_for_update(skip_locked=not wait).filter(pk=pk)


def outbox_task_run(*, outbox_id: int) -> bool:
    """Run the outbox task `outbox_id` once, if it is pending and due (see `work_attempt`).
    Returns whether it ran to completion now."""
    return work_attempt(model=OutboxTask, pk=outbox_id, work=_task_body_run)


def _task_body_run(row: OutboxTask) -> None:
    registry = current_app.tasks
    if row.task not in registry:
        current_app.loader.import_default_modules()  # autodiscovers the apps' tasks
    registry[row.task](*row.args, **row.kwargs)


# --- Draining ---------------------------------------------------------------------------------


@dataclass
class Drained:
    """How many outbox tasks and emails a drain did (or handed to the workers)."""

    tasks: int = 0
    emails: int = 0


def outbox_drain(*, dispatch: bool = False, batch: int = DRAIN_BATCH) -> Drained:
    """Everything pending and due: the outbox tasks first (they may queue emails), then the
    emails.

    With `dispatch`, each is handed to the Celery workers (Celery beat's drain, run in a
    worker), stopping at the first the broker refuses. Otherwise each is run here, one
    after another (`manage.py outbox_drain`, for when no worker is running).
    """
    from core.emails import email_deliver

    drained = Drained()
    if dispatch:
        for pk in _due(OutboxTask, batch):
            if not _publish(OutboxTask, pk, force=True):
                return drained
            drained.tasks += 1
        for pk in _due(Email, batch):
            if not _publish(Email, pk, force=True):
                return drained
            drained.emails += 1
        return drained

    token = _publish_on_commit.set(False)
    try:
        for pk in _due(OutboxTask, batch):
            drained.tasks += outbox_task_run(outbox_id=pk)
        for pk in _due(Email, batch):
            drained.emails += email_deliver(email_id=pk)
    finally:
        _publish_on_commit.reset(token)
    return drained


def _due(model: type[Attempted], batch: int) -> list[int]:
    return list(
        model.objects.filter(status=model.WAITING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )


# --- Administrators ---------------------------------------------------------------------------


def work_retry(*, rows) -> int:
    """Try the given failed or waiting rows (a queryset of OutboxTask or Email) again now,
    with a fresh set of attempts; rows already done are left alone. Returns how many."""
    model = rows.model
    with transaction.atomic():
        ids = list(
            rows.filter(status__in=[model.WAITING, model.FAILED]).values_list("pk", flat=True)
        )
        count = model.objects.filter(pk__in=ids).update(
            status=model.WAITING, attempts=0, next_attempt_at=timezone.now()
        )
        for pk in ids:
            transaction.on_commit(partial(_publish, model, pk, force=True), robust=True)
    return count
