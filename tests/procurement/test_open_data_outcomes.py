"""Outcomes achieved, as open data (/open-data/outcomes.csv): for each award in delivery and
each of its success measures, the target for the whole agreement and what the accepted
monitoring returns add up to. A return not accepted counts for nothing; accepting one
refreshes the file."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import ReturnState
from tests.monitoring.factories import agreement_in_delivery, return_filled, return_put
from tests.procurement.test_open_data import package_of, table_of

pytestmark = pytest.mark.django_db

PATH = "/open-data/outcomes.csv"


@pytest.fixture(autouse=True)
def _no_cached_files():
    cache.clear()
    yield
    cache.clear()


def _reported(made, states: list[str]):
    """The agreement's first returns filled (20 of each measure) and put in `states`."""
    returns = list(made.agreement.monitoring_returns.order_by("period_start"))
    for monitoring_return, state in zip(returns, states, strict=False):
        return_put(return_filled(monitoring_return, actual=Decimal("20")), state)
    return returns


def test_each_measure_has_its_target_and_what_accepted_returns_add_up_to(client):
    made = agreement_in_delivery(months=36)
    returns = _reported(made, [ReturnState.ACCEPTED, ReturnState.ACCEPTED, ReturnState.SUBMITTED])

    rows = table_of(client, PATH)

    grant_ids = {grant["id"] for grant in package_of(client)["grants"]}
    assert rows, "no outcomes published"
    measures = {(row["Success measure"], row["Unit"]) for row in rows}
    assert len(rows) == len(measures)  # one row per measure, the years added up
    for row in rows:
        assert row["Grant identifier"] in grant_ids
        assert row["Recipient"] == made.organisation.name
        assert row["Monitoring returns accepted"] == "2"
        assert row["Reported up to"] == returns[1].period_end.isoformat()
    people = next(row for row in rows if row["Unit"] == "people")
    # Targets of 100, 200 and 300 for years 1 to 3; 20 in each of the two accepted returns
    # (the third, sent but not accepted, counts for nothing).
    assert (people["Target for the whole agreement"], people["Achieved so far"]) == ("600", "40")


def test_an_agreement_not_yet_reporting_shows_its_targets_with_nothing_achieved(client):
    made = agreement_in_delivery(months=36)
    _reported(made, [ReturnState.SUBMITTED])
    rows = table_of(client, PATH)
    assert rows and {row["Achieved so far"] for row in rows} == {"0"}
    assert {row["Monitoring returns accepted"] for row in rows} == {"0"}
    assert {row["Reported up to"] for row in rows} == {""}


def test_accepting_a_return_refreshes_the_file(client, django_capture_on_commit_callbacks):
    made = agreement_in_delivery(months=36)
    returns = _reported(made, [ReturnState.ACCEPTED, ReturnState.SUBMITTED])
    before = {row["Unit"]: row["Achieved so far"] for row in table_of(client, PATH)}
    with django_capture_on_commit_callbacks(execute=True):
        return_put(returns[1], ReturnState.ACCEPTED)
    after = {row["Unit"]: row["Achieved so far"] for row in table_of(client, PATH)}
    assert (before["people"], after["people"]) == ("20", "40")


def test_the_open_data_page_links_the_outcomes_file(client):
    agreement_in_delivery(months=36)
    page = client.get("/open-data/").content.decode()
    assert 'href="/open-data/outcomes.csv"' in page
    assert "Outcomes achieved" in page


def test_queries_stay_flat_however_many_agreements_report(client):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PATH).status_code == 200
        return len(captured)

    for _ in range(2):
        _reported(agreement_in_delivery(months=36), [ReturnState.ACCEPTED])
    client.get("/open-data/")  # warm the session
    with_2 = queries()
    for _ in range(4):
        _reported(agreement_in_delivery(months=36), [ReturnState.ACCEPTED])
    assert queries() == with_2
    assert len({row["Grant identifier"] for row in table_of(client, PATH)}) == 6
