"""Reads of the Commissioning Framework and its reference data."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from commissioning.models import (
    CommissioningPrinciple,
    CoreCriterion,
    CorporatePriority,
    CrossCuttingTheme,
    CycleStage,
    CycleStep,
    Framework,
    GlossaryTerm,
    Sector,
)


@dataclass(frozen=True)
class FrameworkOverview:
    """Everything the framework page shows, each list already fetched."""

    framework: Framework
    sectors: list[Sector]
    priorities: list[CorporatePriority]
    themes: list[CrossCuttingTheme]
    principles: list[CommissioningPrinciple]
    criteria: list[CoreCriterion]
    stages: list[CycleStage]

    @property
    def total_default_weight(self) -> Decimal:
        return sum((criterion.default_weight for criterion in self.criteria), Decimal("0"))


def framework_current_get() -> Framework | None:
    """The framework in force, or None before one has been loaded."""
    return Framework.objects.current()


def cycle_stages_list(*, framework: Framework) -> QuerySet[CycleStage]:
    """Understand, Plan, Do, Review in order, each with its steps: two queries."""
    return CycleStage.objects.filter(framework=framework).prefetch_related(
        Prefetch("steps", queryset=CycleStep.objects.order_by("order"))
    )


def framework_overview_get(*, framework: Framework) -> FrameworkOverview:
    """The framework's priorities, themes, principles, criteria, cycle and sectors.

    Seven queries however many rows each list has.
    """
    return FrameworkOverview(
        framework=framework,
        sectors=list(Sector.objects.all()),
        priorities=list(CorporatePriority.objects.filter(framework=framework)),
        themes=list(CrossCuttingTheme.objects.filter(framework=framework)),
        principles=list(CommissioningPrinciple.objects.filter(framework=framework)),
        criteria=list(CoreCriterion.objects.filter(framework=framework)),
        stages=list(cycle_stages_list(framework=framework)),
    )


def glossary_terms_list(*, framework: Framework) -> QuerySet[GlossaryTerm]:
    """The framework's glossary in alphabetical order."""
    return GlossaryTerm.objects.filter(framework=framework).order_by("term")
