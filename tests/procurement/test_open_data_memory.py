"""Open data in a worker's memory: once made, a request for one file reads that file alone
from the cache (not every file's megabytes) and does not make them again; the JSON is
written indented without gathering the whole text in pieces first."""

import json

import pytest
from django.core.cache import cache

from procurement.open_data import formats, publish
from tests.factories import CommissionFactory, OrganisationFactory
from tests.procurement.factories_decisions import award_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_files():
    cache.clear()
    yield
    cache.clear()


def test_once_made_each_file_is_read_alone_from_the_cache(client, monkeypatch):
    for number in range(3):
        award_make(
            commission=CommissionFactory(state="delivery"),
            organisation=OrganisationFactory(name=f"Harbour Foodbank {number}"),
        )
    first = client.get("/open-data/360giving.json").content
    monkeypatch.setattr(publish, "open_data_make", lambda: pytest.fail("made again"))
    asked = []
    real_get = cache.get

    def get(key, *args, **kwargs):
        asked.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)

    assert client.get("/open-data/360giving.json").content == first
    assert client.get("/open-data/360giving.csv").status_code == 200
    page = client.get("/open-data/")
    assert page.status_code == 200
    assert page.context["awards"] == 3

    files = [key.rsplit(":", 1)[1] for key in asked if key.startswith("open-data:file:")]
    assert files == ["360giving.json", "360giving.csv"]
    names = [grant["recipientOrganization"][0]["name"] for grant in json.loads(first)["grants"]]
    assert sorted(names) == ["Harbour Foodbank 0", "Harbour Foodbank 1", "Harbour Foodbank 2"]


def test_the_json_is_the_indented_package_byte_for_byte():
    package = {"grants": [{"id": "360G-x-1", "title": "Café “Lune”", "amount": 12500.5}]}
    expected = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    assert formats.threesixty_json_bytes(package) == expected
