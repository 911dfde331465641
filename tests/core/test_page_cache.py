"""The public pages kept for anonymous visitors (core/page_cache.py): served again without
the work of making them, never out of date by more than a minute, never anybody else's."""

import datetime as dt
import os
import re
import subprocess  # nosec B404: the test runs Python itself
import sys

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import Sector
from procurement.models import Opportunity
from tests.procurement.factories_opportunities import OpportunityFactory, published_specification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The cache on (the suite turns it off: its transactions never commit), empty."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _script_nonce(response) -> str:
    return re.search(rb'<script nonce="([^"]+)"', response.content).group(1).decode()


def _policy_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_an_anonymous_visitor_is_served_the_kept_page_without_a_query(client):
    OpportunityFactory(title="Welfare rights advice")
    first = client.get("/opportunities/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/opportunities/")

    assert again.status_code == 200
    assert "Welfare rights advice" in again.content.decode()
    assert len(queries) == 0
    # The page's script runs: its nonce is the new response's, named in its policy.
    assert _script_nonce(again) == _policy_nonce(again)
    assert _script_nonce(again) != _script_nonce(first)
    assert again["Content-Type"] == first["Content-Type"]


def test_a_change_shows_on_the_next_request(client, django_capture_on_commit_callbacks):
    client.get("/opportunities/")

    with django_capture_on_commit_callbacks(execute=True):
        OpportunityFactory(title="Youth music bursaries")

    assert "Youth music bursaries" in client.get("/opportunities/").content.decode()


def test_a_change_made_without_a_save_shows_within_a_minute(client, clock):
    opportunity = OpportunityFactory(title="Befriending older people")
    client.get("/opportunities/")
    # A bulk update sends no signal: the kept page stands until the minute is out.
    Opportunity.objects.filter(pk=opportunity.pk).update(title="Befriending and visiting")

    assert "Befriending older people" in client.get("/opportunities/").content.decode()
    clock.shift(dt.timedelta(minutes=1))
    assert "Befriending and visiting" in client.get("/opportunities/").content.decode()


def test_each_address_is_kept_apart(client):
    arts = Sector.objects.get(short_name="Arts")
    OpportunityFactory(title="Debt advice")  # VCFS
    OpportunityFactory(
        title="Arts in the park",
        specification=published_specification(state="procurement", sector=arts),
    )
    client.get("/opportunities/")

    by_sector = client.get("/opportunities/", {"sector": arts.slug}).content.decode()

    assert "Arts in the park" in by_sector
    assert "Debt advice" not in by_sector


def test_someone_signed_in_gets_their_own_page_not_the_kept_one(client, provider_user):
    client.get("/opportunities/")
    client.force_login(provider_user)

    page = client.get("/opportunities/").content.decode()

    assert "Sign out" in page
    client.logout()
    assert "Sign out" not in client.get("/opportunities/").content.decode()


def test_a_page_is_kept_only_for_the_views_named(client, settings):
    settings.PUBLIC_PAGE_CACHE_VIEWS = frozenset({"procurement:decision_list"})
    client.get("/opportunities/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/opportunities/")

    assert len(queries) > 0


def test_the_page_is_made_as_usual_when_the_cache_is_away(client, monkeypatch):
    OpportunityFactory(title="Community transport")

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)

    response = client.get("/opportunities/")

    assert response.status_code == 200
    assert "Community transport" in response.content.decode()


def test_a_page_is_kept_compressed(client, monkeypatch):
    """What the cache holds is a fraction of the pages it keeps (module docstring)."""
    for number in range(25):
        OpportunityFactory(title=f"Neighbourhood grants round {number}")
    kept = []
    keep = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, value, **kw: kept.append(value) or keep(key, value, **kw)
    )

    page = client.get("/opportunities/")

    assert len(kept) == 1
    assert len(kept[0]["content"]) * 3 < len(page.content)
    assert "Neighbourhood grants round 24" in client.get("/opportunities/").content.decode()


def test_every_process_that_saves_ends_the_kept_pages():
    """A Celery worker loads no middleware: the page cache's signals are connected when the
    apps are ready, so its saves (an opportunity closed at its deadline) count too."""
    script = (
        "import django; django.setup()\n"
        "from django.db.models.signals import post_save\n"
        "print(any(key[0] == 'public_page_cache_save' for key, *_ in post_save.receivers))\n"
    )
    done = subprocess.run(  # noqa: S603 - a fixed command
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )

    assert done.stdout.strip().splitlines()[-1] == "True"
