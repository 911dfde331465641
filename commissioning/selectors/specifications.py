"""Reads for service specifications and the success-measure library.

Each page's data comes in a fixed number of queries, however many outcomes, success
measures, targets, lots or criteria a specification has.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from commissioning.models import (
    Commission,
    CommissionState,
    Specification,
    SpecificationMeasure,
    SuccessMeasure,
)
from providers.models import Organisation

# A specification is designed while its commission is understood and planned; once the plan
# goes for approval the specification is fixed.
EDITABLE_STATES = (CommissionState.DRAFT, CommissionState.UNDERSTANDING, CommissionState.PLANNING)


def specification_is_editable(*, commission: Commission) -> bool:
    """Whether the commission is still at a stage where its specifications may change."""
    return commission.state in EDITABLE_STATES


def specification_years(*, specification: Specification) -> list[int]:
    """The years of the service, 1 to N, for which each success measure has a target."""
    return list(range(1, math.ceil(specification.duration_months / 12) + 1))


def _measures_queryset() -> QuerySet[SpecificationMeasure]:
    return SpecificationMeasure.objects.select_related("measure", "outcome").prefetch_related(
        "targets"
    )


def specification_get(*, pk: int) -> Specification:
    """A specification with everything its pages show, in a flat number of queries."""
    return (
        Specification.objects.select_related(
            "commission", "commission__sector", "commission__lead_officer", "created_by"
        )
        .prefetch_related(
            "partner_organisations",
            "outcomes",
            Prefetch("measures", queryset=_measures_queryset()),
            "lots",
            "service_criteria",
        )
        .get(pk=pk)
    )


def commission_for_specification_get(*, pk: int) -> Commission:
    return Commission.objects.select_related("sector", "lead_officer").get(pk=pk)


@dataclass(frozen=True)
class MeasureRow:
    """A chosen success measure with its target for each year (None where none is set)."""

    chosen: SpecificationMeasure
    targets: list[Decimal | None]

    @property
    def missing_targets(self) -> bool:
        return any(target is None for target in self.targets)


@dataclass(frozen=True)
class SpecificationSummary:
    specification: Specification
    years: list[int]
    measures: list[MeasureRow]
    missing: list[str]
    lots_total: Decimal
    lots_over_budget: bool
    criteria_total_weight: Decimal


def specification_measure_rows(*, specification: Specification) -> list[MeasureRow]:
    years = specification_years(specification=specification)
    rows = []
    for chosen in specification.measures.all():
        by_year = {target.year: target.target for target in chosen.targets.all()}
        rows.append(MeasureRow(chosen=chosen, targets=[by_year.get(year) for year in years]))
    return rows


def specification_summary_get(*, specification: Specification) -> SpecificationSummary:
    """What the specification page shows, from a specification fetched by `specification_get`."""
    lots_total = sum((lot.budget for lot in specification.lots.all()), Decimal(0))
    return SpecificationSummary(
        specification=specification,
        years=specification_years(specification=specification),
        measures=specification_measure_rows(specification=specification),
        missing=specification.missing_for_completion(),
        lots_total=lots_total,
        lots_over_budget=lots_total > specification.budget,
        criteria_total_weight=sum(
            (criterion.weight for criterion in specification.service_criteria.all()), Decimal(0)
        ),
    )


def commission_specifications_list(*, commission: Commission) -> QuerySet[Specification]:
    """A commission's specifications with what `is_complete` needs, in three queries."""
    return commission.specifications.prefetch_related("outcomes", "measures__targets")


def partner_organisations_for(
    *, commission: Commission, specification: Specification | None = None
) -> QuerySet[Organisation]:
    """The verified organisations of the commission's sector, who may be named as having
    helped design the service, and any the specification already names."""
    verified = Organisation.objects.verified().filter(sector=commission.sector_id)
    if specification is None:
        return verified.order_by("name")
    return Organisation.objects.filter(
        Q(pk__in=verified.values("pk")) | Q(pk__in=specification.partner_organisations.values("pk"))
    ).order_by("name")


def success_measures_list() -> QuerySet[SuccessMeasure]:
    """The library of success measures by name, with the Corporate Priority each serves."""
    return SuccessMeasure.objects.select_related("priority").order_by("name")


def success_measures_available_for(*, specification: Specification) -> QuerySet[SuccessMeasure]:
    """Library measures not yet chosen for the specification."""
    return (
        SuccessMeasure.objects.exclude(
            pk__in=SpecificationMeasure.objects.filter(specification=specification).values(
                "measure"
            )
        )
        .select_related("priority")
        .order_by("name")
    )
