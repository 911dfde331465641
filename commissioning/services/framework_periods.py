"""Starting a new period of the Commissioning Framework.

The framework's period, priorities, themes, principles, criteria, cycle and glossary are
data. A new period (for example 2026 to 2029) starts as a copy of the framework in force,
for an administrator to change in the admin; it becomes the one in force, and commissions
opened from then on use its priorities, themes and criteria. The old period is left exactly
as it was: its priorities are still the ones its commissions, published plans and awards
name, so the published record does not change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from commissioning.models import (
    CommissioningPrinciple,
    CoreCriterion,
    CorporatePriority,
    CrossCuttingTheme,
    CycleStage,
    CycleStep,
    Framework,
    GlossaryTerm,
)

#: The framework's own text, copied to the new period as a starting point.
TEXT_FIELDS = [
    "title",
    "subtitle",
    "introduction",
    "corporate_plan_quote",
    "core_purpose",
    "priorities_introduction",
    "vulnerable_thread",
    "themes_introduction",
    "commissioning_model",
    "what_is_commissioning",
    "cycle_introduction",
    "commissioning_plan_description",
    "corporate_plan_title",
    "corporate_plan_url",
]
ITEM_MODELS = [CorporatePriority, CrossCuttingTheme, CommissioningPrinciple, CoreCriterion]


def _copy_items(model, *, source: Framework, target: Framework) -> None:
    fields = [
        f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != "framework"
    ]
    model.objects.bulk_create(
        model(framework=target, **{name: getattr(item, name) for name in fields})
        for item in model.objects.filter(framework=source).order_by("pk")
    )


def _copy_cycle(*, source: Framework, target: Framework) -> None:
    for stage in CycleStage.objects.filter(framework=source).prefetch_related("steps"):
        copy = CycleStage.objects.create(
            framework=target,
            name=stage.name,
            slug=stage.slug,
            order=stage.order,
            summary=stage.summary,
        )
        CycleStep.objects.bulk_create(
            CycleStep(
                stage=copy,
                name=step.name,
                slug=step.slug,
                order=step.order,
                description=step.description,
            )
            for step in stage.steps.all()
        )


def _unique_slug(title: str, start: int, end: int) -> str:
    base = slugify(f"{title} {start} {end}")[:45] or f"framework-{start}-{end}"
    slug, number = base, 2
    while Framework.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def framework_period_start(*, period_start: int, period_end: int, title: str = "") -> Framework:
    """Start a new framework period as a copy of the framework in force: its text,
    priorities, themes, principles, core criteria (with their weights), cycle and glossary.
    The new framework is in force from now; the old one is kept as it was, no longer in
    force. ValidationError (on `period_start` or `period_end`) when the period ends before
    it starts or does not start after the one in force."""
    with transaction.atomic():
        current = (
            Framework.objects.select_for_update()
            .filter(is_current=True)
            .order_by("-period_start")
            .first()
        )
        errors = {}
        if period_end < period_start:
            errors["period_end"] = "The last year must be the same as or after the first year"
        if current is not None and period_start <= current.period_start:
            errors["period_start"] = (
                f"The first year must be after {current.period_start}, when the framework in "
                f"force ({current.period}) starts"
            )
        if errors:
            raise ValidationError(errors)
        values = {name: getattr(current, name) for name in TEXT_FIELDS} if current else {}
        title = title.strip() or values.get("title") or "Commissioning Framework"
        values["title"] = title
        Framework.objects.filter(is_current=True).update(is_current=False)
        framework = Framework.objects.create(
            **values,
            slug=_unique_slug(title, period_start, period_end),
            period_start=period_start,
            period_end=period_end,
            is_current=True,
        )
        if current is not None:
            for model in ITEM_MODELS:
                _copy_items(model, source=current, target=framework)
            _copy_cycle(source=current, target=framework)
            _copy_items(GlossaryTerm, source=current, target=framework)
    return framework
