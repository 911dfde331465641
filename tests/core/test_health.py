import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection

# What a failure looked like in the body before: the exception's class and its message.
LEAKS = ("Error", "Exception", "refused", "127.0.0.1", "db.internal")


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers, like a Redis that has hung."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


@pytest.mark.django_db
def test_healthz_names_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert "broker" in body


@pytest.mark.django_db
def test_healthz_answers_503_without_naming_the_error_when_the_database_is_down(
    client, settings, caplog
):
    settings.REDIS_URL = ""
    refused = OperationalError(
        'connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused'
    )
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "database": "unavailable",
        "broker": "in-process (no REDIS_URL)",
        "status": "unavailable",
    }
    assert not [leak for leak in LEAKS if leak in response.content.decode()]
    # The cause is for the operators: it is in the server's log.
    assert "db.internal" in caplog.text


@pytest.mark.django_db
def test_healthz_answers_200_with_the_broker_degraded_when_redis_is_down(client, settings, caplog):
    # Nothing listens on port 1: the broker is down, the portal still answers.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "degraded", "status": "degraded"}
    assert not [leak for leak in LEAKS if leak in response.content.decode()]
    assert "Connection refused" in caplog.text


@pytest.mark.django_db
def test_healthz_answers_quickly_when_redis_hangs(client, settings, silent_redis):
    settings.REDIS_URL = silent_redis
    started = time.monotonic()
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "degraded"
    assert time.monotonic() - started < 2


@pytest.mark.django_db
def test_healthz_without_redis_says_tasks_run_in_process(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").json()["broker"] == "in-process (no REDIS_URL)"
