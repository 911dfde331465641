"""Pointing the suite's Celery app at a broker for a while: a Redis that is not there (a
closed port), or a real one. The suite otherwise runs tasks in-process (eager)."""

import os
import runpy
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import kombu.pools
from django.conf import settings

from config.celery_app import app as celery_app
from core.outbox import broker_down_forget

# Nothing listens on port 1: connecting is refused at once, as when Redis is stopped.
CLOSED_PORT_REDIS_URL = "redis://127.0.0.1:1/0"


def _pools_reset() -> None:
    """Forget the connections made to the previous broker."""
    # A closed pool stays registered in kombu's global pools, and the next `app.pool` would
    # hand it back ("Acquire on closed pool"): close and forget every registered pool.
    kombu.pools.reset()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Celery hands tasks to the broker at `url` (not eager) until the block ends."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager = False
    conf.broker_url = url
    _pools_reset()
    broker_down_forget()
    try:
        yield celery_app
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _pools_reset()
        broker_down_forget()


def base_settings_with_redis_at(url: str) -> dict:
    """config/settings/base.py's settings as it builds them when REDIS_URL is `url`."""
    with mock.patch.dict(os.environ, {"REDIS_URL": url}):
        return runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings" / "base.py"))
