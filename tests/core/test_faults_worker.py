"""A worker killed part-way through a task: the next worker does the work, and it is done
once (issue 14, "Faults and recovery").

Tasks are acknowledged late (CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST in
config/settings/base.py), so a task whose worker dies is handed to another; and every task
is idempotent, because the outbox runs a row's work and marks it done in one transaction
(core.outbox.work_attempt): the killed attempt's work is rolled back with its connection.

A real worker (tests/core/faults_worker.py, which shortens Redis's and the outbox's waits)
on the test database and a real Redis: it is SIGKILLed while its task runs, a new one is
started, and the email the task queues is sent exactly once. Needs PostgreSQL and Redis,
like tests/core/test_worker_e2e.py; skipped without them.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings as django_settings

from core.models import Email, OutboxTask
from core.outbox import outbox_drain, outbox_enqueue
from tests.core.broker import broker_at
from tests.core.faults_worker import welcome_email_send
from tests.core.test_worker_e2e import _database_url, real_redis, sent_emails  # noqa: F401

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


def _wait_for(check, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def start_worker(real_redis, tmp_path):  # noqa: F811
    """Starts `celery worker` processes (`--pool=solo` unless told) on the test database and
    the real Redis, each writing the emails it sends under tmp_path/mail; stops them all at
    the end."""
    started = []

    def start(name: str, pool: str = "solo") -> subprocess.Popen:
        log = (tmp_path / f"worker_{name}.log").open("w")
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "tests.core.faults_worker"),
                *(f"--pool={pool}", "--concurrency=1", "--loglevel=INFO"),
                f"--hostname={name}-{uuid.uuid4().hex[:8]}@%h",
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=django_settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": real_redis,
                "CELERY_EAGER": "false",
                "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "TEST_EMAIL_FILE_PATH": str(tmp_path / "mail"),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        return process

    try:
        yield start
    finally:
        for process, log in started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            log.close()
        for path in sorted(tmp_path.glob("worker_*.log")):
            print(path.name, path.read_text()[-4000:])  # shown when the test fails


def test_a_worker_killed_mid_task_leaves_it_to_the_next_worker_which_does_it_once(
    start_worker,
    real_redis,  # noqa: F811
    tmp_path,
):
    signals = tmp_path / "signals"
    signals.mkdir()
    (signals / "hang").touch()
    mail = tmp_path / "mail"

    first = start_worker("first")
    with broker_at(real_redis):
        row = outbox_enqueue(task=welcome_email_send, args=["new.member@example.org", str(signals)])

        # The first worker takes the task, queues the email in its transaction, and is
        # killed before it finishes (SIGKILL: no clean-up, nothing acknowledged).
        _wait_for((signals / "started").exists, "the first worker to start the task")
        os.kill(int((signals / "started").read_text()), signal.SIGKILL)
        first.wait(timeout=20)
        assert first.returncode == -signal.SIGKILL
        row.refresh_from_db()
        assert (row.status, row.attempts) == (OutboxTask.Status.PENDING, 1)
        assert not Email.objects.exists()  # the killed attempt's work was rolled back
        assert sent_emails(mail) == []

        # A new worker is given the unacknowledged task and does it.
        start_worker("second")

        def done() -> bool:
            row.refresh_from_db()
            return row.status == OutboxTask.Status.DONE and len(sent_emails(mail)) >= 1

        _wait_for(done, "the second worker to do the task and send the email")
        time.sleep(2)  # anything done twice would show now

        assert row.attempts == 2
        assert sent_emails(mail) == [("new.member@example.org", "Welcome to the portal")]
        assert list(Email.objects.values_list("to", "status", "attempts")) == [
            ("new.member@example.org", Email.Status.SENT, 1)
        ]
        # Nothing is left for the drain to do.
        drained = outbox_drain(dispatch=True)
        assert (drained.tasks, drained.emails) == (0, 0)


def test_a_worker_process_killed_mid_task_is_replaced_and_the_task_done_once(
    start_worker,
    real_redis,  # noqa: F811
    tmp_path,
):
    """The usual pool (prefork): the process running the task dies (the kernel's out-of-memory
    killer, say). The worker hands the task back (CELERY_TASK_REJECT_ON_WORKER_LOST, with
    late acknowledgement), starts a new process, and that does the work, once. Acknowledged
    early, or not handed back, the task would be lost (until the outbox's drain)."""
    signals = tmp_path / "signals"
    signals.mkdir()
    (signals / "hang").touch()
    mail = tmp_path / "mail"

    worker = start_worker("prefork", pool="prefork")
    with broker_at(real_redis):
        row = outbox_enqueue(task=welcome_email_send, args=["new.member@example.org", str(signals)])
        _wait_for((signals / "started").exists, "the worker's process to start the task")
        child = int((signals / "started").read_text())
        assert child != worker.pid
        os.kill(child, signal.SIGKILL)

        def done() -> bool:
            row.refresh_from_db()
            return row.status == OutboxTask.Status.DONE and len(sent_emails(mail)) >= 1

        _wait_for(done, "the worker's new process to do the task and send the email")
        time.sleep(2)  # anything done twice would show now

        assert worker.poll() is None  # the worker itself carried on
        assert row.attempts == 2
        assert sent_emails(mail) == [("new.member@example.org", "Welcome to the portal")]
        assert list(Email.objects.values_list("to", "status", "attempts")) == [
            ("new.member@example.org", Email.Status.SENT, 1)
        ]
