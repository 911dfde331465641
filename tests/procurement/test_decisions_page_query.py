"""The register of awards fetches only the page it shows: the database sorts the matching
awards and hands back one page of ids, and only those rows are then read with everything a
row shows (recipient, opportunity, commission, agreement). Its free-text search is one id
subquery through the site search's awards source, not a contains across every joined
column; an organisation identifier is looked up by its start."""

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
    assert '"procurement_awarddecision"."id" IN (SELECT' in sql
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
