"""Reads for Commissioning Plans: the public register of plans, one plan as a document
(HTML page and PDF), the staff list, completeness, actions and timeline."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum, prefetch_related_objects
from django_fsm_log.models import StateLog

from commissioning.models import (
    CommissioningPlan,
    PlanState,
    Sector,
    Specification,
    SpecificationMeasure,
)
from core.transitions import (
    Action,
    ChecklistItem,
    conditions_evaluated_once,
    transition_actions_for,
    transition_checklist,
)

# The narrative sections, in the framework's order and words.
SECTION_HEADINGS = {
    "purpose": "Purpose",
    "investment_levels": "Levels of investment",
    "expected_outcomes": "Expected outcomes",
    "procurement_arrangements": "Procurement arrangements",
    "contractual_arrangements": "Contractual arrangements",
    "performance_management": "Performance management arrangements",
}


# --- One plan as a document -------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    text: str


@dataclass(frozen=True)
class MeasureRow:
    """A success measure with its target in each year of the service."""

    name: str
    unit: str
    outcome: str
    targets: list[Decimal | None]


@dataclass(frozen=True)
class SpecificationSheet:
    """A specification as the plan presents it: its success measures as a table of
    targets by year (year 1, 2, …)."""

    specification: Specification
    years: list[int]
    measures: list[MeasureRow]
    missing: list[str]

    @property
    def anchor(self) -> str:
        return f"specification-{self.specification.pk}"


@dataclass(frozen=True)
class PlanDocument:
    plan: CommissioningPlan
    sections: list[Section]
    specifications: list[SpecificationSheet]
    total_budget: Decimal = field(default=Decimal("0"))


def _specification_parts() -> list:
    """What a specification's full sheet shows, to prefetch with it."""
    return [
        "commission__priorities",
        "outcomes",
        Prefetch(
            "measures",
            queryset=SpecificationMeasure.objects.select_related(
                "measure", "outcome"
            ).prefetch_related("targets"),
        ),
        "lots",
        "service_criteria",
    ]


def _specifications_prefetch() -> Prefetch:
    return Prefetch(
        "specifications",
        queryset=Specification.objects.select_related("commission")
        .prefetch_related(*_specification_parts())
        .order_by("commission__reference", "title", "pk"),
    )


def _sheet(spec: Specification) -> SpecificationSheet:
    measures = list(spec.measures.all())
    years = sorted({target.year for chosen in measures for target in chosen.targets.all()})
    rows = []
    for chosen in measures:
        by_year = {target.year: target.target for target in chosen.targets.all()}
        rows.append(
            MeasureRow(
                name=chosen.measure.name,
                unit=chosen.measure.unit,
                outcome=chosen.outcome.description if chosen.outcome else "",
                targets=[by_year.get(year) for year in years],
            )
        )
    return SpecificationSheet(
        specification=spec, years=years, measures=rows, missing=spec.missing_for_completion()
    )


def plan_document_sections(*, plan: CommissioningPlan) -> list[Section]:
    return [
        Section(id=name.replace("_", "-"), heading=heading, text=getattr(plan, name))
        for name, heading in SECTION_HEADINGS.items()
    ]


def plan_document(*, plan: CommissioningPlan) -> PlanDocument:
    """The plan's sections and specifications, ready for the page or the PDF. Expects a plan
    from `plan_public_get` or `plan_staff_get` (specifications prefetched)."""
    sheets = [_sheet(spec) for spec in plan.specifications.all()]
    return PlanDocument(
        plan=plan,
        sections=plan_document_sections(plan=plan),
        specifications=sheets,
        total_budget=sum((sheet.specification.budget for sheet in sheets), Decimal("0")),
    )


def plan_public_get(*, slug: str) -> CommissioningPlan:
    """A published or superseded plan by its address; DoesNotExist for any other state, so
    a draft is never shown to anyone at a public address."""
    return (
        CommissioningPlan.objects.public()
        .select_related("sector", "previous_version")
        .prefetch_related(_specifications_prefetch())
        .get(slug=slug)
    )


def plan_public_outline_get(*, slug: str) -> CommissioningPlan:
    """`plan_public_get` with each specification's own row (and its commission) only: for
    the page, which shows every specification in its summary of investment but only a
    page of them in full (`plan_document_page`)."""
    return (
        CommissioningPlan.objects.public()
        .select_related("sector", "previous_version")
        .prefetch_related(
            Prefetch(
                "specifications",
                queryset=Specification.objects.select_related("commission").order_by(
                    "commission__reference", "title", "pk"
                ),
            )
        )
        .get(slug=slug)
    )


def plan_document_outline(*, plan: CommissioningPlan) -> PlanDocument:
    """The plan's document whose specifications carry only themselves (no measures): its
    summary of investment. Expects a plan from `plan_public_outline_get` or
    `plan_staff_get`."""
    sheets = [
        SpecificationSheet(specification=spec, years=[], measures=[], missing=[])
        for spec in plan.specifications.all()
    ]
    return PlanDocument(
        plan=plan,
        sections=plan_document_sections(plan=plan),
        specifications=sheets,
        total_budget=sum((sheet.specification.budget for sheet in sheets), Decimal("0")),
    )


def plan_document_page(*, sheets: list[SpecificationSheet]) -> list[SpecificationSheet]:
    """The full sheets (measures and targets by year, outcomes, lots, criteria) of one page
    of an outline's specifications, in the same order: a fixed number of queries for a
    page, however many specifications the plan holds (their parts, for the specifications
    the outline already read with their commissions)."""
    specifications = [sheet.specification for sheet in sheets]
    prefetch_related_objects(specifications, *_specification_parts())
    return [_sheet(specification) for specification in specifications]


def plan_pdf_get(*, slug: str) -> CommissioningPlan:
    """A published or superseded plan's stored PDF, without its specifications."""
    return CommissioningPlan.objects.public().only("pk", "slug", "state", "pdf").get(slug=slug)


def plan_current_version_get(*, plan: CommissioningPlan) -> CommissioningPlan | None:
    """The version published now, when `plan` has been superseded; None otherwise."""
    if plan.state != PlanState.SUPERSEDED:
        return None
    return (
        CommissioningPlan.objects.filter(series=plan.series, state=PlanState.PUBLISHED)
        .only("pk", "slug", "title", "version", "series", "state", "published_at")
        .first()
    )


# --- The public register ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicPlanEntry:
    plan: CommissioningPlan
    current: CommissioningPlan | None  # the version that replaced it, when superseded


@dataclass(frozen=True)
class PeriodGroup:
    period_start: datetime.date
    period_end: datetime.date
    entries: list[PublicPlanEntry]


@dataclass(frozen=True)
class SectorGroup:
    sector: Sector
    periods: list[PeriodGroup]


def plans_public_grouped() -> list[SectorGroup]:
    """Published and superseded plans by sector, then period (latest first); in each period
    the current versions first, then the versions they superseded. One query."""
    plans = list(
        CommissioningPlan.objects.public()
        .select_related("sector")
        .annotate(
            specification_count=Count("specifications", distinct=True),
            total_budget=Sum("specifications__budget"),
        )
        .order_by("sector__order", "sector__name", "-period_start", "-period_end", "title")
    )
    current = {plan.series: plan for plan in plans if plan.state == PlanState.PUBLISHED}
    groups: list[SectorGroup] = []
    for plan in plans:
        if not groups or groups[-1].sector.pk != plan.sector_id:
            groups.append(SectorGroup(sector=plan.sector, periods=[]))
        periods = groups[-1].periods
        if not periods or (periods[-1].period_start, periods[-1].period_end) != (
            plan.period_start,
            plan.period_end,
        ):
            periods.append(
                PeriodGroup(period_start=plan.period_start, period_end=plan.period_end, entries=[])
            )
        superseded = plan.state == PlanState.SUPERSEDED
        periods[-1].entries.append(
            PublicPlanEntry(plan=plan, current=current.get(plan.series) if superseded else None)
        )
    for group in groups:
        for period in group.periods:
            period.entries.sort(
                key=lambda e: (e.plan.state != PlanState.PUBLISHED, e.plan.title, -e.plan.version)
            )
    return groups


# --- Staff ------------------------------------------------------------------------------------


def plans_staff_list() -> QuerySet[CommissioningPlan]:
    """Every plan in every state, with its number of specifications and their budgets."""
    return (
        CommissioningPlan.objects.select_related("sector", "author")
        .annotate(
            specification_count=Count("specifications", distinct=True),
            total_budget=Sum("specifications__budget"),
        )
        .order_by("sector__order", "sector__name", "-period_start", "title", "-version")
    )


def plan_staff_get(*, pk: int) -> CommissioningPlan:
    """The plan with each specification's own row, its commission and its parts counted
    (what its completeness asks): its page shows every specification in its summary of
    investment and a page of them in full (`plan_document_page`)."""
    return (
        CommissioningPlan.objects.select_related(
            "sector", "author", "submitted_by", "approved_by", "previous_version", "next_version"
        )
        .prefetch_related(
            Prefetch(
                "specifications",
                queryset=Specification.objects.select_related("commission")
                .with_parts_counted()
                .order_by("commission__reference", "title", "pk"),
            )
        )
        .get(pk=pk)
    )


def plan_specification_choices(*, sector: Sector | None) -> QuerySet[Specification]:
    """The specifications a plan for `sector` may include: those of its commissions."""
    queryset = Specification.objects.select_related("commission", "commission__sector")
    if sector is not None:
        queryset = queryset.filter(commission__sector=sector)
    return queryset.order_by("commission__reference", "title", "pk")


def plan_actions_for(*, plan: CommissioningPlan, user) -> list[Action]:
    """The lifecycle actions this person may take now: the page's buttons come from here."""
    return transition_actions_for(instance=plan, user=user)


def plan_checks_and_actions(
    *, plan: CommissioningPlan, user
) -> tuple[list[ChecklistItem], list[Action]]:
    """What submitting the plan needs, and this person's buttons: both ask the same
    conditions, each answered from the specifications loaded with the plan."""
    with conditions_evaluated_once():
        return (
            transition_checklist(instance=plan, name="submit"),
            plan_actions_for(plan=plan, user=user),
        )


def plan_timeline(*, plan: CommissioningPlan) -> QuerySet[StateLog]:
    """Every transition: who, when, from, to and why, oldest first."""
    return (
        StateLog.objects.for_(plan).select_related("by", "content_type").order_by("timestamp", "pk")
    )
