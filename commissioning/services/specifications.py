"""Writes for service specifications and the success-measure library.

A specification may change only while its commission is in draft, understanding needs or
planning: every write here checks that afresh (the commission could have been sent for
plan approval since the page was loaded) and raises `SpecificationLocked` otherwise.
Who may make the change (the commission's lead officer) is checked by the views.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import (
    Commission,
    CommissionState,
    CorporatePriority,
    Lot,
    MeasureTarget,
    ServiceCriterion,
    Specification,
    SpecificationMeasure,
    SpecificationOutcome,
    SuccessMeasure,
)
from commissioning.selectors.specifications import EDITABLE_STATES, specification_years
from core.models import User
from providers.models import Organisation


class SpecificationLocked(Exception):
    """The commission has moved past planning: its specifications no longer change."""

    def __init__(self, state: str):
        self.state = state
        super().__init__(
            "This specification cannot be changed now the commission is at "
            f"“{CommissionState(state).label}”. Nothing has been changed."
        )


def _ensure_editable(commission_id: int) -> None:
    """Read the commission's state afresh, locking the row until the write commits."""
    state = (
        Commission.objects.select_for_update().values_list("state", flat=True).get(pk=commission_id)
    )
    if state not in EDITABLE_STATES:
        raise SpecificationLocked(state)


# --- The specification's main details -----------------------------------------------------------


@transaction.atomic
def specification_create(
    *,
    commission: Commission,
    created_by: User,
    title: str,
    summary: str,
    budget: Decimal,
    duration_months: int,
    eligibility: str,
    sector_partners: str = "",
    partner_organisations: Iterable[Organisation] = (),
) -> Specification:
    """A new specification for the commission, without outcomes or measures yet."""
    _ensure_editable(commission.pk)
    specification = Specification(
        commission=commission,
        created_by=created_by,
        title=title,
        summary=summary,
        budget=budget,
        duration_months=duration_months,
        eligibility=eligibility,
        sector_partners=sector_partners,
    )
    specification.full_clean()
    specification.save()
    specification.partner_organisations.set(partner_organisations)
    return specification


@transaction.atomic
def specification_update(
    *,
    specification: Specification,
    partner_organisations: Iterable[Organisation] = (),
    **fields,
) -> Specification:
    """Change the main details. When the service gets shorter, targets for years it no
    longer runs are removed."""
    _ensure_editable(specification.commission_id)
    for name, value in fields.items():
        setattr(specification, name, value)
    # created_by is empty once that person's account is gone (SET_NULL): that is no error.
    specification.full_clean(exclude=["created_by"])
    specification.save()
    specification.partner_organisations.set(partner_organisations)
    last_year = specification_years(specification=specification)[-1]
    MeasureTarget.objects.filter(
        specification_measure__specification=specification, year__gt=last_year
    ).delete()
    return specification


# --- Lists edited as a whole: outcomes, lots, service-specific criteria ------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome as typed: `id` is the existing outcome's, None for a new one."""

    id: int | None
    description: str


@dataclass(frozen=True)
class LotRow:
    id: int | None
    name: str
    budget: Decimal
    description: str = ""


@dataclass(frozen=True)
class CriterionRow:
    id: int | None
    name: str
    weight: Decimal
    description: str = ""


def _set_rows(model, existing: Mapping[int, object], rows: Sequence, values) -> list:
    """Update the rows that exist, create the new ones and delete the rest, so records
    other things point at (an outcome a measure serves) keep their identity."""
    kept = []
    for index, row in enumerate(rows):
        instance = existing.get(row.id) if row.id is not None else None
        fields = values(index, row)
        if instance is None:
            instance = model(**fields)
        else:
            for name, value in fields.items():
                setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        kept.append(instance)
    kept_ids = {instance.pk for instance in kept}
    model.objects.filter(pk__in=[pk for pk in existing if pk not in kept_ids]).delete()
    return kept


@transaction.atomic
def specification_outcomes_set(
    *, specification: Specification, outcomes: Sequence[OutcomeRow]
) -> list[SpecificationOutcome]:
    """Make the specification's outcomes exactly these, in this order. An outcome left out
    is deleted, and the success measures that served it no longer name an outcome."""
    _ensure_editable(specification.commission_id)
    rows = [row for row in outcomes if row.description.strip()]
    existing = {o.pk: o for o in SpecificationOutcome.objects.filter(specification=specification)}
    return _set_rows(
        SpecificationOutcome,
        existing,
        rows,
        lambda index, row: {
            "specification": specification,
            "description": row.description.strip(),
            "order": index + 1,
        },
    )


@transaction.atomic
def specification_lots_set(*, specification: Specification, lots: Sequence[LotRow]) -> list[Lot]:
    """Make the specification's lots exactly these. Lots may add up to more than the
    specification's budget: the specification page warns when they do."""
    _ensure_editable(specification.commission_id)
    existing = {lot.pk: lot for lot in Lot.objects.filter(specification=specification)}
    return _set_rows(
        Lot,
        existing,
        lots,
        lambda index, row: {
            "specification": specification,
            "name": row.name.strip(),
            "description": row.description.strip(),
            "budget": row.budget,
        },
    )


@transaction.atomic
def specification_criteria_set(
    *, specification: Specification, criteria: Sequence[CriterionRow]
) -> list[ServiceCriterion]:
    """Make the specification's service-specific criteria exactly these, each weighted
    0 to 100."""
    _ensure_editable(specification.commission_id)
    existing = {c.pk: c for c in ServiceCriterion.objects.filter(specification=specification)}
    return _set_rows(
        ServiceCriterion,
        existing,
        criteria,
        lambda index, row: {
            "specification": specification,
            "name": row.name.strip(),
            "description": row.description.strip(),
            "weight": row.weight,
        },
    )


# --- Success measures and their targets --------------------------------------------------------


def _check_outcome(specification: Specification, outcome: SpecificationOutcome | None) -> None:
    if outcome is not None and outcome.specification_id != specification.pk:
        raise ValidationError({"outcome": "Select one of this specification’s outcomes"})


@transaction.atomic
def specification_targets_set(
    *, specification_measure: SpecificationMeasure, targets: Mapping[int, Decimal]
) -> list[MeasureTarget]:
    """Set the measure's target for every year of the service (year 1 to N), replacing
    any it had. Raises ValidationError, naming the `target_<year>` field, when a year has
    no target or a negative one."""
    specification = specification_measure.specification
    _ensure_editable(specification.commission_id)
    years = specification_years(specification=specification)
    errors = {}
    for year in years:
        target = targets.get(year)
        if target is None:
            errors[f"target_{year}"] = f"Enter a target for year {year}"
        elif target < 0:
            errors[f"target_{year}"] = "Target must be 0 or more"
    if errors:
        raise ValidationError(errors)
    specification_measure.targets.all().delete()
    return MeasureTarget.objects.bulk_create(
        MeasureTarget(specification_measure=specification_measure, year=year, target=targets[year])
        for year in years
    )


@transaction.atomic
def specification_measure_add(
    *,
    specification: Specification,
    measure: SuccessMeasure,
    outcome: SpecificationOutcome | None = None,
    targets: Mapping[int, Decimal],
) -> SpecificationMeasure:
    """Choose a success measure from the library for the specification, towards one of
    its outcomes, with a target for each year of the service."""
    _ensure_editable(specification.commission_id)
    _check_outcome(specification, outcome)
    if SpecificationMeasure.objects.filter(specification=specification, measure=measure).exists():
        raise ValidationError({"measure": "This success measure is already in the specification"})
    chosen = SpecificationMeasure.objects.create(
        specification=specification, measure=measure, outcome=outcome
    )
    specification_targets_set(specification_measure=chosen, targets=targets)
    return chosen


@transaction.atomic
def specification_measure_update(
    *,
    specification_measure: SpecificationMeasure,
    outcome: SpecificationOutcome | None,
    targets: Mapping[int, Decimal],
) -> SpecificationMeasure:
    """Change which outcome a chosen measure serves and its targets."""
    specification = specification_measure.specification
    _ensure_editable(specification.commission_id)
    _check_outcome(specification, outcome)
    specification_measure.outcome = outcome
    specification_measure.save(update_fields=["outcome"])
    specification_targets_set(specification_measure=specification_measure, targets=targets)
    return specification_measure


@transaction.atomic
def specification_measure_remove(*, specification_measure: SpecificationMeasure) -> None:
    """Take a success measure, and its targets, out of the specification."""
    _ensure_editable(specification_measure.specification.commission_id)
    specification_measure.delete()


@transaction.atomic
def success_measure_create(
    *,
    name: str,
    unit: str,
    description: str = "",
    priority: CorporatePriority | None = None,
) -> SuccessMeasure:
    """Add a measure to the library for every specification to use. Names are unique,
    whatever their capitals."""
    name = name.strip()
    if SuccessMeasure.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A success measure with this name already exists"})
    measure = SuccessMeasure(
        name=name, unit=unit.strip(), description=description.strip(), priority=priority
    )
    measure.full_clean()
    measure.save()
    return measure
