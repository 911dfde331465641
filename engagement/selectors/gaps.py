"""Reads for a commission's gap analysis: need × provision by priority and area."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from commissioning.models import Area, Commission, CorporatePriority
from engagement.models import EvidenceItem, Gap, ServiceProvision

WHOLE_DISTRICT = "district"
SERVING_STATUSES = (ServiceProvision.Status.ACTIVE, ServiceProvision.Status.AT_RISK)


@dataclass(frozen=True)
class GridColumn:
    """An area of the district (a town or rural area), or the whole district."""

    key: int | str
    label: str
    area: Area | None = None


@dataclass
class GridCell:
    """What is known about one priority in one area."""

    evidence_count: int = 0
    service_count: int = 0
    at_risk_count: int = 0
    annual_value: Decimal = Decimal("0")
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class GridRow:
    priority: CorporatePriority
    cells: list[tuple[GridColumn, GridCell]]


@dataclass
class GapAnalysis:
    """Everything the gap analysis page shows for one commission."""

    commission: Commission
    columns: list[GridColumn]
    rows: list[GridRow]
    gaps: list[Gap]
    linked_evidence_count: int

    @property
    def has_needs_evidence(self) -> bool:
        """The same test as `Commission.has_needs_evidence`."""
        return self.linked_evidence_count > 0

    @property
    def has_gap_analysis(self) -> bool:
        """The same test as `Commission.has_gap_analysis`."""
        return bool(self.gaps)


def commission_for_gaps_get(*, pk: int) -> Commission:
    """A commission with its priorities and areas (with their parents); raises DoesNotExist."""
    return (
        Commission.objects.select_related("sector", "lead_officer")
        .prefetch_related(
            "priorities", Prefetch("areas", queryset=Area.objects.select_related("parent"))
        )
        .get(pk=pk)
    )


def _column_key(area_id: int | None, kind: str | None, parent_id: int | None) -> int | None:
    """The area column a tag counts in: a ward counts in its parent area."""
    if area_id is None:
        return None
    if kind == Area.Kind.WARD and parent_id is not None:
        return parent_id
    return area_id


def gap_analysis_columns(*, commission: Commission) -> list[GridColumn]:
    """The commission's areas, with wards grouped up to their areas, then the whole district."""
    areas: dict[int, Area] = {}
    for area in commission.areas.all():
        parent = area.parent if area.kind == Area.Kind.WARD and area.parent_id else area
        areas[parent.pk] = parent
    columns = [
        GridColumn(key=area.pk, label=area.name, area=area)
        for area in sorted(areas.values(), key=lambda area: area.name)
    ]
    columns.append(GridColumn(key=WHOLE_DISTRICT, label="Whole district"))
    return columns


def _tags_by_column(through_rows) -> dict[int, set]:
    """{item pk: {column keys}} from (item pk, area pk, kind, parent pk) rows; an item
    with no area tag is about the whole district."""
    columns: dict[int, set] = defaultdict(set)
    for item_id, area_id, kind, parent_id in through_rows:
        columns[item_id].add(_column_key(area_id, kind, parent_id))
    return columns


def gap_analysis_get(*, commission: Commission) -> GapAnalysis:
    """The priorities × areas grid for a commission, its gaps and its readiness for planning.

    Each cell counts the evidence tagged with the row's priority and the column's area
    (a ward tag counts in its area), the active and at-risk services serving it and their
    annual value, and the gaps recorded there. The "Whole district" column holds what is
    not tied to any area. Seven queries, however many priorities, areas, items or gaps:
    the counts are added up here from the tag tables.
    """
    priorities = list(commission.priorities.all())
    priority_ids = [priority.pk for priority in priorities]
    columns = gap_analysis_columns(commission=commission)
    column_keys = {column.key for column in columns}
    cells: dict[tuple[int, int | str], GridCell] = {
        (priority.pk, column.key): GridCell() for priority in priorities for column in columns
    }

    def cell_keys(area_keys: set) -> set:
        if not area_keys:
            return {WHOLE_DISTRICT}
        return {key for key in area_keys if key in column_keys}

    # Evidence: priority tags, then the area tags of those items.
    evidence_priorities = list(
        EvidenceItem.priorities.through.objects.filter(
            corporatepriority_id__in=priority_ids
        ).values_list("evidenceitem_id", "corporatepriority_id")
    )
    evidence_areas = _tags_by_column(
        EvidenceItem.areas.through.objects.filter(
            evidenceitem_id__in=EvidenceItem.priorities.through.objects.filter(
                corporatepriority_id__in=priority_ids
            ).values("evidenceitem_id")
        ).values_list("evidenceitem_id", "area_id", "area__kind", "area__parent_id")
    )
    for evidence_id, priority_id in evidence_priorities:
        for key in cell_keys(evidence_areas.get(evidence_id, set())):
            cells[priority_id, key].evidence_count += 1

    # Existing provision that is still running: one priority each, any number of areas.
    services = ServiceProvision.objects.filter(
        priority_id__in=priority_ids, status__in=SERVING_STATUSES
    )
    service_rows = list(services.values_list("pk", "priority_id", "status", "annual_value"))
    service_areas = _tags_by_column(
        ServiceProvision.areas.through.objects.filter(
            serviceprovision_id__in=services.values("pk")
        ).values_list("serviceprovision_id", "area_id", "area__kind", "area__parent_id")
    )
    for service_id, priority_id, status, annual_value in service_rows:
        for key in cell_keys(service_areas.get(service_id, set())):
            cell = cells[priority_id, key]
            cell.service_count += 1
            cell.at_risk_count += status == ServiceProvision.Status.AT_RISK
            cell.annual_value += annual_value or Decimal("0")

    gaps = list(gaps_for_commission(commission=commission))
    for gap in gaps:
        if gap.area_id is None:
            key = WHOLE_DISTRICT
        else:
            key = _column_key(gap.area_id, gap.area.kind, gap.area.parent_id)
        if (gap.priority_id, key) in cells:
            cells[gap.priority_id, key].gaps.append(gap)

    rows = [
        GridRow(
            priority=priority,
            cells=[(column, cells[priority.pk, column.key]) for column in columns],
        )
        for priority in priorities
    ]
    return GapAnalysis(
        commission=commission,
        columns=columns,
        rows=rows,
        gaps=gaps,
        linked_evidence_count=commission.evidence_items.count(),
    )


def gaps_for_commission(*, commission: Commission) -> QuerySet[Gap]:
    """A commission's recorded gaps, by priority and area, with the evidence each cites."""
    return (
        Gap.objects.filter(commission=commission)
        .select_related("priority", "area", "area__parent", "recorded_by")
        .prefetch_related(Prefetch("evidence", queryset=EvidenceItem.objects.order_by("title")))
    )


def gap_get(*, pk: int) -> Gap:
    """One gap with its commission's priorities and areas; raises DoesNotExist."""
    return Gap.objects.select_related("commission", "priority", "area").get(pk=pk)
