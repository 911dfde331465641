"""Open data made by a worker, not by the web request: after something is published the
pages serve the last files made and ask a worker, once, to make them again; once it has,
they serve the new files. A web request makes the files itself only when the cache holds
none at all, and a broker that is down never shows anyone an error."""

import json

import pytest
from django.conf import settings
from django.core.cache import cache

from procurement import tasks
from procurement.open_data import publish
from tests.factories import CommissionFactory, OrganisationFactory
from tests.procurement.factories_decisions import award_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_files():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def worker(monkeypatch):
    """A worker that is running but has not yet taken the task: what was asked of it."""
    asked = []
    monkeypatch.setattr(tasks.open_data_publish, "delay", lambda: asked.append(True))
    return asked


def _recipients(client) -> list[str]:
    package = json.loads(client.get("/open-data/360giving.json").content)
    return sorted(grant["recipientOrganization"][0]["name"] for grant in package["grants"])


def _award(name: str) -> None:
    award_make(
        commission=CommissionFactory(state="delivery"), organisation=OrganisationFactory(name=name)
    )


def test_after_a_change_the_last_files_are_served_and_a_worker_is_asked_once(
    client, worker, monkeypatch, django_capture_on_commit_callbacks
):
    _award("Harbour Foodbank")
    tasks.open_data_publish()  # the worker, after the first award
    with django_capture_on_commit_callbacks(execute=True):
        _award("Skerton Youth Club")
    monkeypatch.setattr(publish, "open_data_make", lambda: pytest.fail("made in the request"))

    assert _recipients(client) == ["Harbour Foodbank"]
    page = client.get("/open-data/")
    assert page.status_code == 200
    assert page.context["awards"] == 1
    assert client.get("/open-data/360giving.csv").status_code == 200
    assert worker == [True]  # asked once, however many requests came meanwhile


def test_once_the_worker_has_made_them_the_new_files_are_served(
    client, worker, django_capture_on_commit_callbacks
):
    _award("Harbour Foodbank")
    tasks.open_data_publish()
    with django_capture_on_commit_callbacks(execute=True):
        _award("Skerton Youth Club")
    assert _recipients(client) == ["Harbour Foodbank"]

    tasks.open_data_publish()

    assert _recipients(client) == ["Harbour Foodbank", "Skerton Youth Club"]
    assert client.get("/open-data/").context["awards"] == 2


def test_with_no_files_in_the_cache_at_all_the_request_makes_them(client, worker):
    _award("Harbour Foodbank")

    assert _recipients(client) == ["Harbour Foodbank"]
    assert client.get("/open-data/").context["awards"] == 1


def test_a_broker_that_is_down_shows_no_error(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    def down():
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.open_data_publish, "delay", down)
    _award("Harbour Foodbank")
    tasks.open_data_publish()
    with django_capture_on_commit_callbacks(execute=True):
        _award("Skerton Youth Club")

    page = client.get("/open-data/")

    assert page.status_code == 200
    assert page.context["awards"] == 1
    assert _recipients(client) == ["Harbour Foodbank"]


def test_beat_makes_them_every_half_hour_within_the_hour_they_are_kept():
    entry = settings.CELERY_BEAT_SCHEDULE["open-data-publish"]
    assert entry["task"] == "procurement.tasks.open_data_publish"
    assert entry["schedule"] * 2 <= publish.CACHE_SECONDS
