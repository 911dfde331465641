"""One search on PostgreSQL: full-text search with English stemming, title matches ranked
first, snippets from ts_headline, at a cost that follows the page asked for rather than the
number of matches. Skipped on other databases (CI runs the suite on PostgreSQL)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.search import PUBLIC_SOURCES, search, uses_full_text
from tests.factories import PlanFactory, SpecificationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
    ),
]

URL = "/search/"


def _titles(response) -> list[str]:
    html = response.content.decode()
    titles = re.findall(r'<h3 class="govuk-heading-s[^"]*">\s*<a [^>]*>(.*?)</a>', html, re.S)
    return [re.sub(r"</?mark>", "", title).strip() for title in titles]


@pytest.fixture
def advocacy():
    """'Advocacy' in one specification's title; in the other's description, twice, so only
    the weighting can put the title match first."""
    in_body = SpecificationFactory(
        title="Money and benefits help",
        summary="Advocacy at benefit appeal hearings, and advocacy with landlords.",
    )
    in_title = SpecificationFactory(
        title="Independent advocacy", summary="Help for people who find it hard to be heard."
    )
    PlanFactory(state="published", specifications=[in_body, in_title])
    return in_title, in_body


def test_the_search_is_full_text():
    assert uses_full_text()


def test_a_title_match_ranks_above_a_body_match(client, advocacy):
    response = client.get(URL, {"q": "advocacy", "type": "specifications"})

    assert _titles(response) == ["Independent advocacy", "Money and benefits help"]


def test_stemming_finds_advocacy_for_advocate(client, advocacy):
    for query in ("advocate", "advocates", "advocating", "Advocacy"):
        assert _titles(client.get(URL, {"q": query})) == [
            "Independent advocacy",
            "Money and benefits help",
        ], query


def test_english_stemming_finds_other_forms(client):
    specification = SpecificationFactory(
        title="Lunch clubs", summary="Volunteers running weekly lunch clubs in villages."
    )
    PlanFactory(state="published", specifications=[specification])

    for query in ("volunteer", "volunteering", "run", "village"):
        response = client.get(URL, {"q": query, "type": "specifications"})
        assert _titles(response) == ["Lunch clubs"], query


def test_the_snippet_is_ts_headline_with_the_match_marked(client, advocacy):
    html = client.get(URL, {"q": "appeal"}).content.decode()

    assert "<mark>appeal</mark>" in html
    assert "Advocacy at benefit <mark>appeal</mark> hearings" in html


def test_the_ranked_query_puts_a_title_match_in_a_higher_tier(advocacy):
    specifications = next(source for source in PUBLIC_SOURCES if source.key == "specifications")
    ranked = list(specifications.ranked(["advoc"]))

    assert [row.title for row in ranked] == ["Independent advocacy", "Money and benefits help"]
    assert ranked[0].search_rank > ranked[1].search_rank


# Every to_tsvector a search may run: one column's, as its GIN index is built
# (core/migrations/0008_search_indexes.py), so PostgreSQL can answer it from the index.
_INDEXED_COLUMN = re.compile(
    r"""to_tsvector\('english'::regconfig, COALESCE\((\w+|"\w+")\."\w+", ''\)\)"""
)


def _sqls(client, params) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "heron watch"},
        {"q": "heron", "type": "decisions", "page": "2"},
        {"q": "heron", "type": "opportunities", "page": "2"},
    ],
)
def test_no_query_builds_a_rows_document_and_only_the_rows_shown_are_headlined(
    client, monkeypatch, params
):
    """What grows with the number of matches is reading ids from the indexes: no query
    builds a row's document (every to_tsvector is one indexed column's, none ranks text
    with ts_rank), and ts_headline runs in a query without OFFSET, on the rows shown."""
    from tests.factories import OrganisationFactory
    from tests.procurement.factories_decisions import award_make
    from tests.procurement.factories_opportunities import OpportunityFactory

    monkeypatch.setattr("core.search.PER_PAGE", 2)
    for number in range(5):
        SpecificationFactory(title=f"Heron watch {number}")
        OpportunityFactory(title=f"Heron walks {number}", summary="Watch herons")
        award_make(organisation=OrganisationFactory(name=f"Heron Trust {number}"))

    sqls = _sqls(client, params)

    for sql in sqls:
        assert "ts_rank" not in sql
        assert "setweight" not in sql
        calls = sql.count("to_tsvector(")
        assert len(_INDEXED_COLUMN.findall(sql)) == calls, sql
    headlined = [sql for sql in sqls if "ts_headline" in sql]
    assert headlined
    assert not [sql for sql in headlined if "OFFSET" in sql]


def test_a_query_of_stop_words_and_symbols_finds_nothing_and_breaks_nothing(client, advocacy):
    results = search(user=None, query="the of & | ! :* ( ) '", kind="")
    assert results.total == 0
    assert client.get(URL, {"q": "\x00 & advocacy | !"}).status_code == 200


def test_awards_match_every_word_in_any_field_and_a_postgres_stop_word_is_ignored(client):
    """Awards are matched word by word through the indexes: each word may be in a different
    field, every word must be somewhere, and a word PostgreSQL ignores ("about") is ignored
    as it is in the whole-document search."""
    from tests.factories import OrganisationFactory
    from tests.procurement.factories_decisions import award_make

    award_make(organisation=OrganisationFactory(name="Morecambe Bay Foodbank"), title="Parcels")
    award_make(organisation=OrganisationFactory(name="Heysham Foodbank"), title="Lunch clubs")

    def names(query: str) -> set[str]:
        results = search(user=None, query=query, kind="decisions")
        return {
            re.sub(r"</?mark>", "", str(hit.title)).split(" awarded")[0]
            for group in results.shown
            for hit in group.hits
        }

    assert names("foodbank parcels") == {"Morecambe Bay Foodbank"}
    assert names("about foodbanks") == {"Morecambe Bay Foodbank", "Heysham Foodbank"}
    assert names("heysham parcels") == set()
