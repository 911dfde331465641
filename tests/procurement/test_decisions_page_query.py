"""The register of awards fetches only the page it shows: the database sorts the matching
awards and hands back one page of ids, and only those rows are then read with everything a
row shows (recipient, opportunity, commission, agreement); the count and the total are
read together. Its free-text search goes through the site search's awards source, not a
contains across every joined column (on PostgreSQL each word is one lookup of the ids the
indexes find, joined to the awards); an organisation identifier is looked up by its
start."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procurement.models import AwardDecision
from procurement.selectors.decisions import decisions_public_matching
from procurement.views.decisions import DecisionListView
from tests.factories import OrganisationFactory
from tests.procurement.factories_decisions import award_make

pytestmark = pytest.mark.django_db

NAMES = ["Alder", "Birch", "Cedar", "Damson", "Elder"]


@pytest.fixture
def five_awards():
    return [
        award_make(
            organisation=OrganisationFactory(name=f"Recipient {name}"),
            decided_on=dt.date(2026, 6, day),
        )
        for day, name in enumerate(NAMES, start=1)
    ]


def test_only_the_page_shown_is_read_with_its_columns(client, five_awards, monkeypatch):
    monkeypatch.setattr(DecisionListView, "paginate_by", 2)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/decisions/", {"page": 2})

    names = [entry.decision.bid.organisation.name for entry in response.context["entries"]]
    assert names == ["Recipient Cedar", "Recipient Birch"]  # newest first; Elder, Damson on 1
    organisation_name = '"providers_organisation"."name"'
    detailed = [q["sql"] for q in queries if organisation_name in q["sql"].split(" FROM ")[0]]
    assert len(detailed) == 1, detailed
    [details] = detailed
    assert '"procurement_awarddecision"."id" IN (' in details
    assert "LIMIT" not in details and "ORDER BY" not in details
    [paging] = [q["sql"] for q in queries if "LIMIT 2 OFFSET 2" in q["sql"]]
    assert re.match(r'SELECT "procurement_awarddecision"\."id"( AS "pk")? FROM ', paging)
    assert "ORDER BY" in paging


def test_page_two_shows_the_next_awards_and_a_page_past_the_end_is_not_found(
    client, five_awards, monkeypatch
):
    monkeypatch.setattr(DecisionListView, "paginate_by", 2)
    pages = [client.get("/decisions/", {"page": number}) for number in (1, 2, 3)]
    shown = [e.decision.pk for page in pages for e in page.context["entries"]]
    newest_first = [d.pk for d in sorted(five_awards, key=lambda d: d.decided_on, reverse=True)]
    assert shown == newest_first
    for garbage in ("4", "x", "0"):
        assert client.get("/decisions/", {"page": garbage}).status_code == 404


def test_search_is_one_id_subquery_not_a_contains_on_every_column():
    sql = str(decisions_public_matching(search="lunch clubs").query)
    where = sql.split(" WHERE ", 1)[1]
    assert where.count("LIKE") <= 4 * 2  # each word in four fields of the awards source
    assert re.search(r'"procurement_awarddecision"\."id" IN \(\(?SELECT', sql)
    org_id = str(decisions_public_matching(search="GB-CHC-11").query)
    assert "LIKE" in org_id and "GB-CHC-11%" in org_id.replace("\\", "")


def test_search_finds_the_same_awards_as_a_person_expects(five_awards):
    award_make(organisation=OrganisationFactory(name="Bare Trust", org_id="GB-CHC-7000001"))
    found = lambda text: {  # noqa: E731
        d.bid.organisation.name
        for d in decisions_public_matching(search=text).select_related("bid__organisation")
    }
    assert found("cedar recipients") == {"Recipient Cedar"}
    assert found("GB-CHC-7000") == {"Bare Trust"}
    assert found("lunch clubs") == {d.bid.organisation.name for d in AwardDecision.objects.all()}
    assert found("!!!") == set()


def test_the_count_and_the_total_are_read_in_one_query(client, five_awards):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/decisions/", {"q": "recipient"})

    status = re.search(r'role="status">\s*(.*?)\s*</p>', response.content.decode(), re.S)
    assert " ".join(status.group(1).split()) == (
        "5 awards matching your search and filters, £62,500 in total."
    )
    summing = [q["sql"] for q in queries if "SUM(" in q["sql"]]
    assert len(summing) == 1 and "COUNT(" in summing[0], summing
    assert not [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]


def _plan(queryset) -> str:
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search on PostgreSQL")
def test_on_postgresql_each_word_is_joined_to_the_ids_its_indexes_find(five_awards):
    """Each word is one `id IN (… UNION …)` of index lookups, which PostgreSQL joins to the
    awards, not an OR of subqueries, which it runs as subplans, planned as if half their
    rows were read (and so building every agreement's document instead of using the
    index)."""
    queryset = decisions_public_matching(search="cedar recipients")
    where = str(queryset.query).split(" WHERE ", 1)[1]

    assert where.count(" UNION ") == 2 * 5  # six lookups of each word's matching ids
    assert " OR " not in where
    assert "SubPlan" not in _plan(queryset)
    assert {d.bid.organisation.name for d in queryset.select_related("bid__organisation")} == {
        "Recipient Cedar"
    }
