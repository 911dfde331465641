import pytest


@pytest.mark.django_db
def test_healthz_names_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert "broker" in body


@pytest.mark.django_db
def test_healthz_answers_when_redis_is_down(client, settings):
    # Nothing listens on port 1: the broker is down, the portal still answers.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"].startswith("unavailable")


@pytest.mark.django_db
def test_healthz_without_redis_says_tasks_run_in_process(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").json()["broker"] == "in-process (no REDIS_URL)"
