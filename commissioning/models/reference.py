"""The Commissioning Framework as data: what the council's framework document states.

Loaded by a data migration from `commissioning/reference_data.py`, editable in the admin,
so another council can run the portal with its own priorities, themes and criteria.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class FrameworkQuerySet(models.QuerySet):
    def current(self) -> "Framework | None":
        return self.filter(is_current=True).order_by("-period_start").first()


class Framework(models.Model):
    """The key background document: purpose, principles, core criteria and the cycle."""

    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(unique=True)
    period_start = models.PositiveSmallIntegerField(help_text="First year, for example 2012")
    period_end = models.PositiveSmallIntegerField(help_text="Last year, for example 2015")
    introduction = models.TextField(blank=True, help_text="Paragraphs separated by a blank line")
    corporate_plan_quote = models.TextField(
        "statement from the Corporate Plan",
        blank=True,
        help_text="What the council has said about the sectors, quoted in the introduction",
    )
    core_purpose = models.TextField()
    priorities_introduction = models.TextField(
        blank=True, help_text="What the Corporate Priorities mean for commissioned services"
    )
    vulnerable_thread = models.TextField(
        "protecting the most vulnerable",
        blank=True,
        help_text="The thread that runs through all of the priorities",
    )
    themes_introduction = models.TextField(
        "cross-cutting themes introduction",
        blank=True,
        help_text="How the cross-cutting themes shape the way the council commissions",
    )
    commissioning_model = models.TextField("commissioning model", blank=True)
    what_is_commissioning = models.TextField(
        "what commissioning is", help_text="The definition of commissioning"
    )
    cycle_introduction = models.TextField("commissioning cycle introduction", blank=True)
    commissioning_plan_description = models.TextField(
        blank=True, help_text="What a Commissioning Plan holds and where it is published"
    )
    corporate_plan_title = models.CharField(max_length=200, blank=True)
    corporate_plan_url = models.URLField(blank=True)
    is_current = models.BooleanField(default=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="framework_period_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period}"

    @property
    def period(self) -> str:
        return f"{self.period_start} to {self.period_end}"


class Sector(models.Model):
    """A sector the council invests in: the VCFS or the Arts."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=20, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.short_name


class _FrameworkItem(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CorporatePriority(_FrameworkItem):
    """A Corporate Plan priority that commissioned services align with."""

    description = models.TextField(blank=True)

    class Meta(_FrameworkItem.Meta):
        verbose_name_plural = "corporate priorities"
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="unique_priority_slug")
        ]


class CrossCuttingTheme(_FrameworkItem):
    """A cross-cutting theme: a principle for the way the council commissions."""

    description = models.TextField(blank=True)

    class Meta(_FrameworkItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="unique_theme_slug")
        ]


class CommissioningPrinciple(_FrameworkItem):
    text = models.TextField(help_text="Paragraphs separated by a blank line")
    bullet_points = models.TextField(
        blank=True, help_text="A list that follows the text, one point per line"
    )

    class Meta(_FrameworkItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="unique_principle_slug")
        ]


class CoreCriterion(_FrameworkItem):
    """A core criterion for commissioned services: drives appraisal, bid questions, scoring."""

    description = models.TextField()
    default_weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Percentage weight used unless an opportunity sets its own",
    )

    class Meta(_FrameworkItem.Meta):
        verbose_name_plural = "core criteria"
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="unique_criterion_slug"),
            models.CheckConstraint(
                condition=models.Q(default_weight__gte=0, default_weight__lte=100),
                name="criterion_weight_is_a_percentage",
            ),
        ]


class CycleStage(_FrameworkItem):
    """Understand, Plan, Do or Review."""

    summary = models.TextField(blank=True)

    class Meta(_FrameworkItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="unique_stage_slug")
        ]


class CycleStep(models.Model):
    """A step within a stage, for example gap analysis within Understand."""

    stage = models.ForeignKey(CycleStage, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()

    class Meta:
        ordering = ["stage__order", "order"]
        constraints = [models.UniqueConstraint(fields=["stage", "slug"], name="unique_step_slug")]

    def __str__(self) -> str:
        return self.name


class GlossaryTerm(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=200)
    slug = models.SlugField()
    definition = models.TextField()

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="unique_glossary_slug")
        ]

    def __str__(self) -> str:
        return self.term


class Area(models.Model):
    """A place in the district: an area (town or rural area) or a ward within one."""

    class Kind(models.TextChoices):
        AREA = "area", "Area"
        WARD = "ward", "Ward"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WARD)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
        limit_choices_to={"kind": "area"},
    )
    gss_code = models.CharField("GSS code", max_length=9, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name
