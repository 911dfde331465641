"""Reads for the site as a whole."""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# A health check must answer quickly even when Redis has gone silent (no refusal, no reply).
BROKER_CHECK_TIMEOUT_SECONDS = 0.5


def health_status() -> dict[str, str]:
    """The database's and the broker's state, in words safe to show anyone.

    ``database`` is "ok" or "unavailable"; ``broker`` is "ok", "degraded" (Redis does not
    answer: queued work waits, pages still work) or "in-process (no REDIS_URL)" where tasks
    run in the web process; ``status`` is "ok", "degraded" or "unavailable". What went wrong
    is logged here, never returned. Never raises: a health check must answer.
    """
    database = "ok"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database did not answer")
        database = "unavailable"

    if not settings.REDIS_URL:
        broker = "in-process (no REDIS_URL)"
    else:
        broker = "ok"
        try:
            with redis.Redis.from_url(
                settings.REDIS_URL,
                socket_connect_timeout=BROKER_CHECK_TIMEOUT_SECONDS,
                socket_timeout=BROKER_CHECK_TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            ) as client:
                client.ping()
        except Exception:
            logger.exception("Health check: the broker (Redis) did not answer")
            broker = "degraded"

    if database != "ok":
        status = "unavailable"
    elif broker == "degraded":
        status = "degraded"
    else:
        status = "ok"
    return {"database": database, "broker": broker, "status": status}


def count_of(rows: QuerySet, *, per: str) -> Coalesce:
    """How many of `rows` (filtered on an `OuterRef`) belong to each outer row, as an
    annotation: a subquery per row, so a page of a list counts only its own rows' children
    rather than grouping a join over every child in the table. `per` is the field that
    points at the outer row ("bid", "opportunity")."""
    counted = rows.order_by().values(per).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
