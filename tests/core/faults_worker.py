"""A Celery worker for tests/core/test_faults_worker.py, and the task it is killed in.

Run as `python -m tests.core.faults_worker <celery worker arguments>`: the portal's own
Celery app and settings, with two waits shortened so that a test does not sit through
them:

- Redis hands a message that was delivered and never acknowledged (its worker died) to
  another worker after `visibility_timeout` (an hour by default): here 3 seconds, looked
  for every second.
- The outbox waits a minute before it tries an interrupted task again
  (core.outbox.FIRST_RETRY_AFTER; until then a task handed back by Celery finds nothing due
  and Celery beat's drain does it once it is): here it does not wait.
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

from celery import shared_task

TASK_NAME = "tests.core.faults_worker.welcome_email_send"


@shared_task(name=TASK_NAME, ignore_result=True)
def welcome_email_send(to: str, signal_dir: str) -> None:
    """The work a task does (queue an email), then, the first time only, wait to be killed.

    `signal_dir/hang` asks for the wait: it is removed when the wait begins (a file is not
    rolled back with the transaction), and `signal_dir/started` says which process to kill.
    """
    from core.emails import email_queue

    email_queue(to=to, subject="Welcome to the portal", body="You have an account.")
    hang = Path(signal_dir) / "hang"
    if hang.exists():
        hang.unlink()
        (Path(signal_dir) / "started").write_text(str(os.getpid()))
        time.sleep(120)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from config.celery_app import app
    from core import outbox

    outbox.FIRST_RETRY_AFTER = dt.timedelta(0)
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "visibility_timeout": 3,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(argv=["worker", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
