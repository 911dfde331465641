"""A commission's gap analysis: the priorities × areas grid, and recording gaps."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import can_proceed

from demo.commissions import demo_areas_seed
from engagement.models import Gap, ServiceProvision
from engagement.selectors.gaps import WHOLE_DISTRICT, gap_analysis_get
from tests.engagement.factories_understand import (
    EvidenceItemFactory,
    GapFactory,
    ServiceProvisionFactory,
    priority,
)
from tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(db):
    return demo_areas_seed()


@pytest.fixture
def commission(district, officer):
    """Health and Well Being and Economic Growth in two Morecambe wards and in Heysham."""
    return CommissionFactory(
        lead_officer=officer,
        state="understanding",
        priorities=[priority(), priority("economic-growth")],
        areas=[district["Harbour"], district["Poulton"], district["Heysham"]],
    )


def gap_data(commission, **overrides) -> dict:
    data = {
        "priority": priority().pk,
        "area": "",
        "need": "Older people in Morecambe are lonely, especially after a bereavement.",
        "current_provision": "Two lunch clubs on weekdays; one is at risk.",
        "gap": "Nothing in the evenings or at weekends.",
        "opportunity": "Befriending with the community food network's volunteers.",
        "severity": "high",
    }
    data.update(overrides)
    return data


def cell(analysis, priority_slug: str, column_label: str):
    row = next(row for row in analysis.rows if row.priority.slug == priority_slug)
    return next(cell for column, cell in row.cells if column.label == column_label)


# --- The grid -----------------------------------------------------------------------------


def test_columns_are_the_commissions_areas_grouped_up_plus_the_whole_district(commission):
    analysis = gap_analysis_get(commission=commission)
    assert [column.label for column in analysis.columns] == [
        "Heysham",
        "Morecambe",
        "Whole district",
    ]
    assert analysis.columns[-1].key == WHOLE_DISTRICT
    assert [row.priority.name for row in analysis.rows] == [
        "Economic Growth",
        "Health and Well Being",
    ]


def test_the_grid_counts_evidence_by_priority_and_area(commission, district):
    health, growth = priority(), priority("economic-growth")
    # A ward tag counts in its area, even a ward the commission does not name.
    EvidenceItemFactory(priorities=[health], areas=[district["Harbour"]])
    EvidenceItemFactory(priorities=[health], areas=[district["Bare"]])
    # Tagged with an area and one of its wards: counted once.
    EvidenceItemFactory(priorities=[health], areas=[district["Morecambe"], district["Poulton"]])
    # Two priorities and two areas: one in each of the four cells.
    EvidenceItemFactory(
        priorities=[health, growth], areas=[district["Heysham South"], district["Westgate"]]
    )
    # No area: about the whole district.
    EvidenceItemFactory(priorities=[growth])
    # Not counted: outside the commission's areas, or not one of its priorities, or no priority.
    EvidenceItemFactory(priorities=[health], areas=[district["Carnforth"]])
    EvidenceItemFactory(priorities=[priority("community-leadership")], areas=[district["Bare"]])
    EvidenceItemFactory(areas=[district["Harbour"]])

    analysis = gap_analysis_get(commission=commission)
    assert cell(analysis, "health-and-well-being", "Morecambe").evidence_count == 4
    assert cell(analysis, "health-and-well-being", "Heysham").evidence_count == 1
    assert cell(analysis, "health-and-well-being", "Whole district").evidence_count == 0
    assert cell(analysis, "economic-growth", "Morecambe").evidence_count == 1
    assert cell(analysis, "economic-growth", "Heysham").evidence_count == 1
    assert cell(analysis, "economic-growth", "Whole district").evidence_count == 1


def test_the_grid_counts_running_services_and_their_value(commission, district):
    health = priority()
    ServiceProvisionFactory(
        priority=health, areas=[district["Harbour"]], annual_value=Decimal("12000")
    )
    ServiceProvisionFactory(
        priority=health,
        areas=[district["Torrisholme"], district["Heysham Central"]],
        annual_value=Decimal("3000.50"),
        status=ServiceProvision.Status.AT_RISK,
    )
    ServiceProvisionFactory(priority=health, areas=[district["Bare"]], annual_value=None)
    ServiceProvisionFactory(
        priority=health, areas=[district["Poulton"]], status=ServiceProvision.Status.CLOSED
    )
    ServiceProvisionFactory(priority=health, areas=[], annual_value=Decimal("50000"))

    analysis = gap_analysis_get(commission=commission)
    morecambe = cell(analysis, "health-and-well-being", "Morecambe")
    assert (morecambe.service_count, morecambe.at_risk_count) == (3, 1)
    assert morecambe.annual_value == Decimal("15000.50")
    heysham = cell(analysis, "health-and-well-being", "Heysham")
    assert (heysham.service_count, heysham.annual_value) == (1, Decimal("3000.50"))
    district_wide = cell(analysis, "health-and-well-being", "Whole district")
    assert (district_wide.service_count, district_wide.annual_value) == (1, Decimal("50000"))
    assert cell(analysis, "economic-growth", "Morecambe").service_count == 0


def test_the_grid_shows_gaps_in_their_cells(commission, district):
    harbour = GapFactory(commission=commission, area=district["Harbour"], severity="medium")
    heysham = GapFactory(commission=commission, area=district["Heysham"], severity="low")
    everywhere = GapFactory(commission=commission, area=None)
    GapFactory(area=district["Harbour"])  # another commission's

    analysis = gap_analysis_get(commission=commission)
    assert cell(analysis, "health-and-well-being", "Morecambe").gaps == [harbour]
    assert cell(analysis, "health-and-well-being", "Heysham").gaps == [heysham]
    assert cell(analysis, "health-and-well-being", "Whole district").gaps == [everywhere]
    assert cell(analysis, "economic-growth", "Morecambe").gaps == []


def test_the_gap_analysis_page(client, approver, commission, district):
    health = priority()
    EvidenceItemFactory(priorities=[health], areas=[district["Harbour"]])
    ServiceProvisionFactory(priority=health, areas=[district["Harbour"]])
    GapFactory(commission=commission, area=district["Harbour"], severity="high")
    client.force_login(approver)
    response = client.get(f"/staff/commissions/{commission.pk}/gaps/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Gap analysis",
        '<th scope="col" class="govuk-table__header">Morecambe</th>',
        '<th scope="col" class="govuk-table__header">Whole district</th>',
        '<th scope="row" class="govuk-table__header">Health and Well Being</th>',
        "1 piece of evidence",
        "1 service",
        "£10,000 a year",
        "High gap",
        "Nothing on weekday evenings or weekends.",
        "At least one piece of needs evidence",
        "At least one recorded gap",
    ):
        assert text in html, text
    # Approvers read the analysis; only officers and administrators change it.
    assert "Record a gap" not in html
    assert "/gaps/new/" not in html


# --- Recording a gap ----------------------------------------------------------------------


def test_recording_a_gap_lets_the_commission_move_to_planning(client, officer, commission):
    evidence = EvidenceItemFactory(commissions=[commission])
    client.force_login(officer)
    page = client.get(f"/staff/commissions/{commission.pk}/gaps/").content.decode()
    assert "Record a gap" in page
    assert f"/staff/engagement/evidence/new/?commission={commission.pk}" in page
    assert "Add evidence for this commission" in page
    assert not commission.has_gap_analysis()
    assert not can_proceed(commission.start_planning)

    response = client.post(
        f"/staff/commissions/{commission.pk}/gaps/new/",
        gap_data(commission, evidence=[evidence.pk]),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/commissions/{commission.pk}/gaps/"
    gap = Gap.objects.get()
    assert gap.commission == commission
    assert gap.area is None
    assert gap.recorded_by == officer
    assert list(gap.evidence.all()) == [evidence]
    assert commission.has_gap_analysis()
    assert can_proceed(commission.start_planning)

    page = client.get(f"/staff/commissions/{commission.pk}/gaps/").content.decode()
    assert "The commission has what it needs to move to planning." in page
    assert f"/staff/gaps/{gap.pk}/edit/" in page


def test_a_gap_alone_is_not_enough_to_plan(client, officer, commission):
    client.force_login(officer)
    client.post(f"/staff/commissions/{commission.pk}/gaps/new/", gap_data(commission))
    assert commission.has_gap_analysis()
    assert not commission.has_needs_evidence()
    assert not can_proceed(commission.start_planning)


def test_the_gap_form_offers_only_the_commissions_priorities_areas_and_evidence(
    client, officer, commission, district
):
    linked = EvidenceItemFactory(title="Linked survey", commissions=[commission])
    EvidenceItemFactory(title="Someone else's survey")
    client.force_login(officer)
    response = client.get(f"/staff/commissions/{commission.pk}/gaps/new/")
    form = response.context["form"]
    assert set(form.fields["priority"].queryset) == {priority(), priority("economic-growth")}
    assert set(form.fields["area"].queryset) == {
        district["Harbour"],
        district["Poulton"],
        district["Heysham"],
    }
    assert list(form.fields["evidence"].queryset) == [linked]
    html = response.content.decode()
    assert "Across the whole district" in html
    assert "Harbour ward, Morecambe" in html
    assert "Someone else" not in html

    response = client.post(
        f"/staff/commissions/{commission.pk}/gaps/new/",
        gap_data(
            commission,
            priority=priority("community-leadership").pk,
            area=district["Carnforth"].pk,
        ),
    )
    assert response.status_code == 200
    assert not Gap.objects.exists()
    assert response.context["form"].errors == {
        "priority": ["Select one of the commission's Corporate Priorities"],
        "area": ["Select one of the commission's areas, or the whole district"],
    }


def test_missing_answers_get_govuk_messages(client, officer, commission):
    client.force_login(officer)
    response = client.post(f"/staff/commissions/{commission.pk}/gaps/new/", {})
    html = response.content.decode()
    for message in (
        "Select a Corporate Priority",
        "Describe the need",
        "Describe the provision that exists now",
        "Describe the gap",
        "Describe the opportunity",
        "Select how severe the gap is",
    ):
        assert message in html, message
    assert "<title>Error: " in html


def test_changing_a_gap(client, officer, commission, district):
    gap = GapFactory(commission=commission, area=None, severity="high")
    client.force_login(officer)
    page = client.get(f"/staff/gaps/{gap.pk}/edit/").content.decode()
    # The whole district is the answer already given.
    assert re.search(r'name="area"[^>]*value=""\s+checked', page)
    response = client.post(
        f"/staff/gaps/{gap.pk}/edit/",
        gap_data(commission, area=district["Harbour"].pk, severity="low"),
    )
    assert response["Location"] == f"/staff/commissions/{commission.pk}/gaps/"
    gap.refresh_from_db()
    assert (gap.area, gap.severity) == (district["Harbour"], "low")


def test_gap_analysis_query_count_does_not_grow_with_rows(client, officer, district):
    client.force_login(officer)
    health, growth = priority(), priority("economic-growth")

    def count(rows: int) -> int:
        commission = CommissionFactory(
            priorities=[health, growth],
            areas=[district["Harbour"], district["Heysham"], district["Carnforth"]],
        )
        wards = [district["Harbour"], district["Heysham South"], district["Bare"]]
        for n in range(rows):
            EvidenceItemFactory(
                priorities=[health, growth], areas=[wards[n % 3]], commissions=[commission]
            )
            ServiceProvisionFactory(priority=health, areas=[wards[n % 3], district["Carnforth"]])
            GapFactory(commission=commission, area=district["Harbour"], evidence=[])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/staff/commissions/{commission.pk}/gaps/")
        assert len(response.context["analysis"].gaps) == rows
        return len(queries)

    few, many = count(5), count(50)
    print(f"queries: {few} with 5 rows, {many} with 50")
    assert few == many
