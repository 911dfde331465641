"""Reads for the site as a whole."""

from django.db import connection


def health_status() -> dict:
    """The database's and the broker's state. Never raises: a health check must answer."""
    from django.conf import settings

    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the database is down
        status["database"] = f"unavailable: {exc.__class__.__name__}"

    if not settings.REDIS_URL:
        status["broker"] = "in-process (no REDIS_URL)"
    else:
        import redis

        try:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
            )
            client.ping()
        except Exception as exc:  # noqa: BLE001 - any failure means the broker is down
            status["broker"] = f"unavailable: {exc.__class__.__name__}"
    status["status"] = "ok" if status["database"] == "ok" else "degraded"
    return status
