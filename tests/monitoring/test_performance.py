"""An agreement's performance page: for each success measure, the target and the actual for
each period and added up, as a server-drawn SVG chart named by its data table's caption
(the accessible source).

The agreement runs two years from 1 November 2025 (a year before the fixed clock), with
quarterly returns and targets of 100 people supported in year 1 (25 a quarter) and 200 in
year 2 (50 a quarter). Its first two returns are accepted (20 and 30 people), the third is
submitted (40, not yet accepted) and the fourth is being written (99 typed so far: it does
not count)."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from monitoring.charts import Period, cumulative_chart, nice_step, number
from monitoring.dashboards import agreement_performance
from monitoring.models import ReturnActual, ReturnState
from tests.monitoring.factories import agreement_in_delivery, provider_member, return_put
from tests.procurement.factories_agreements import org_member

pytestmark = pytest.mark.django_db


def people_target(agreement):
    return agreement.targets.get(measure="People supported", year=1)


def actual(monitoring_return, value: str) -> None:
    for target in monitoring_return.targets_for_period():
        if target.measure == "People supported":
            ReturnActual.objects.create(
                monitoring_return=monitoring_return, target=target, value=Decimal(value)
            )


@pytest.fixture
def made():
    made = agreement_in_delivery(months=24)
    returns = list(made.agreement.monitoring_returns.order_by("period_start"))
    for monitoring_return, value, state in (
        (returns[0], "20", ReturnState.ACCEPTED),
        (returns[1], "30", ReturnState.ACCEPTED),
        (returns[2], "40", ReturnState.SUBMITTED),
        (returns[3], "99", ReturnState.DRAFT),
    ):
        actual(monitoring_return, value)
        return_put(monitoring_return, state)
    return made


def people(made):
    [measure] = [
        m
        for m in agreement_performance(agreement=made.agreement)
        if m.measure == "People supported"
    ]
    return measure


def test_each_period_has_its_share_of_the_target_and_the_actual_from_sent_returns(made):
    measure = people(made)

    rows = [
        (p.target, p.actual, p.cumulative_target, p.cumulative_actual, p.provisional)
        for p in measure.points
    ]
    assert rows[:5] == [
        (Decimal("25.00"), Decimal("20"), Decimal("25.00"), Decimal("20"), False),
        (Decimal("25.00"), Decimal("30"), Decimal("50.00"), Decimal("50"), False),
        (Decimal("25.00"), Decimal("40"), Decimal("75.00"), Decimal("90"), True),
        (Decimal("25.00"), None, Decimal("100.00"), None, False),  # a draft does not count
        (Decimal("50.00"), None, Decimal("150.00"), None, False),  # year 2: 50 a quarter
    ]
    assert len(rows) == 8
    assert measure.total_target == Decimal("300.00")
    assert (
        measure.latest.label
        == made.agreement.monitoring_returns.order_by("period_start")[2].period_label
    )


def test_the_chart_draws_the_points_of_the_table():
    periods = [
        Period("Jan 2026", "Nov 2025–Jan 2026", Decimal(25), Decimal(20)),
        Period("Apr 2026", "Feb–Apr 2026", Decimal(50), Decimal(50)),
        Period("Jul 2026", "May–Jul 2026", Decimal(75), Decimal(90), provisional=True),
        Period("Oct 2026", "Aug–Oct 2026", Decimal(100), None),
    ]
    chart = cumulative_chart(title="People", description="d", unit="people", periods=periods)

    # Four periods across 368 units from x=72; 0 to 100 people over 200 units up from y=264.
    assert chart.target_points == "72.0,264.0 164.0,214.0 256.0,164.0 348.0,114.0 440.0,64.0"
    assert [(m.x, m.y, m.provisional) for m in chart.markers] == [
        (164.0, 224.0, False),
        (256.0, 164.0, False),
        (348.0, 84.0, True),
    ]
    assert [s.provisional for s in chart.segments] == [False, False, True]
    assert [t.label for t in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    assert [t.label for t in chart.x_ticks] == ["Jan 2026", "Apr 2026", "Jul 2026", "Oct 2026"]
    assert chart.markers[2].label == "May–Jul 2026: actual to date 90 people (not yet accepted)"
    assert chart.has_provisional


def test_round_steps_and_numbers():
    assert nice_step(300) == 100
    assert nice_step(90) == 20
    assert nice_step(12) == 2.5
    assert nice_step(0) == 1
    assert number(Decimal("1250.00")) == "1,250"
    assert number(Decimal("12.50")) == "12.5"


def test_the_page_has_a_chart_named_by_its_table_and_the_table_has_the_numbers(made, client):
    agreement = made.agreement
    client.force_login(made.officer)

    response = client.get(f"/staff/agreements/{agreement.pk}/performance/")

    assert response.status_code == 200
    html = response.content.decode()
    caption = re.search(r'<caption[^>]*id="(measure-\d+-caption)"[^>]*>\s*People supported', html)
    assert caption, "the table of people supported has a caption with an id"
    svg = re.search(rf'<svg[^>]*aria-labelledby="{caption.group(1)}"[^>]*>(.*?)</svg>', html, re.S)
    assert svg and 'role="img"' in svg.group(0)
    drawing = svg.group(1)
    assert "<title>People supported: actual against target, added up</title>" in drawing
    assert "90 people against a target to date of 75 (not yet accepted)" in drawing
    # Eight quarters over 368 units; 0 to 300 people (steps of 100) over 200 units.
    assert 'cx="118.0" cy="250.7"' in drawing  # 20 people by January 2026
    assert 'cx="210.0" cy="204.0"' in drawing  # 90 by July 2026, open: not yet accepted
    for label in ("0", "100", "200", "300"):
        assert f">{label}</text>" in drawing
    table = html[
        html.index(caption.group(0)) : html.index("</table>", html.index(caption.group(0)))
    ]
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    ]
    assert cells[:4] == ["25", "20", "25", "20"]
    assert cells[8:12] == ["25", "40 not yet accepted", "75", "90"]
    assert cells[12:16] == ["25", "In progress", "100", ""]
    assert cells[17] == "Not due yet"
    # The draft's figure is not reported yet (in any cell: a return's id in a link may hold 99).
    assert not any("99" in cell for cell in cells)


def test_the_provider_reads_their_own_agreements_performance(made, client):
    client.force_login(provider_member(made))

    response = client.get(f"/agreements/{made.agreement.pk}/performance/")

    assert response.status_code == 200
    assert "Your agreements" in response.content.decode()  # their breadcrumbs
    # The staff address is not theirs.
    assert client.get(f"/staff/agreements/{made.agreement.pk}/performance/").status_code == 404


def test_a_provider_of_another_organisation_gets_404_at_both_addresses(made, client):
    other = agreement_in_delivery()
    client.force_login(org_member(other.organisation))

    for path in (
        f"/agreements/{made.agreement.pk}/performance/",
        f"/staff/agreements/{made.agreement.pk}/performance/",
    ):
        assert client.get(path).status_code == 404


def test_a_panel_member_gets_403(made, client, make_user):
    client.force_login(make_user(Role.PANEL_MEMBER))

    assert client.get(f"/staff/agreements/{made.agreement.pk}/performance/").status_code == 403


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_queries_stay_flat_however_many_periods(client, officer):
    client.force_login(officer)
    short = agreement_in_delivery(months=12).agreement  # 4 quarters
    long = agreement_in_delivery(months=60).agreement  # 20 quarters
    for agreement in (short, long):
        for monitoring_return in agreement.monitoring_returns.order_by("period_start")[:3]:
            actual(monitoring_return, "10")
            return_put(monitoring_return, ReturnState.ACCEPTED)
    client.get(f"/staff/agreements/{short.pk}/performance/")

    assert _queries(client, f"/staff/agreements/{short.pk}/performance/") == _queries(
        client, f"/staff/agreements/{long.pk}/performance/"
    )
