"""Financial proxies for Social Return on Investment (SROI): what a unit of an outcome is
worth in pounds, where that figure comes from, and the usual assumptions about how much of
the outcome the service can claim.

Administrators keep them in the admin and link each to the success measures it values
(each success measure is valued by at most one proxy). The portal ships a small
illustrative set (`illustrative=True`), made up for the demonstration and not copied from a
paid source: a council replaces it with figures it can stand behind.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _percent_field(verbose_name: str, help_text: str, default: str):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=PERCENT,
        help_text=help_text,
    )


class FinancialProxy(models.Model):
    """The value in pounds of one unit of an outcome, for example "a person moved into
    work for a year", with its source and year, and the usual deadweight, attribution,
    displacement, duration and drop-off used when it values an outcome."""

    name = models.CharField(max_length=200, unique=True)
    unit = models.CharField(
        max_length=100, help_text="What one unit is, for example 'person for a year'"
    )
    value = models.DecimalField(
        "value in £",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    source = models.CharField(
        max_length=300, help_text="Where the value comes from, so a reader can check it"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The year the value is priced in, for example 2026",
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    notes = models.TextField(blank=True)
    illustrative = models.BooleanField(
        default=False,
        help_text="An example value for demonstration, not evidence: shown as illustrative "
        "wherever it is used",
    )
    success_measures = models.ManyToManyField(
        "commissioning.SuccessMeasure",
        through="commissioning.SuccessMeasureProxy",
        related_name="financial_proxies",
        blank=True,
    )

    deadweight = _percent_field(
        "usual deadweight (%)", "How much of the outcome would have happened anyway", "0"
    )
    attribution = _percent_field(
        "usual attribution (%)", "How much of the outcome others made happen", "0"
    )
    displacement = _percent_field(
        "usual displacement (%)", "How much of the outcome just moved from elsewhere", "0"
    )
    duration_years = models.PositiveSmallIntegerField(
        "usual duration in years",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many years the outcome lasts",
    )
    drop_off = _percent_field(
        "usual drop-off per year (%)",
        "How much less of the outcome lasts into each following year",
        "0",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "financial proxies"
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="proxy_value_not_negative"),
            models.CheckConstraint(
                condition=Q(deadweight__gte=0, deadweight__lte=100)
                & Q(attribution__gte=0, attribution__lte=100)
                & Q(displacement__gte=0, displacement__lte=100)
                & Q(drop_off__gte=0, drop_off__lte=100),
                name="proxy_assumptions_are_percentages",
            ),
            models.CheckConstraint(
                condition=Q(duration_years__gte=1, duration_years__lte=10),
                name="proxy_duration_1_to_10_years",
            ),
        ]

    def __str__(self) -> str:
        words = " (illustrative)" if self.illustrative else ""
        return f"{self.name}: £{self.value:,} per {self.unit}{words}"


class SuccessMeasureProxy(models.Model):
    """The proxy that values a success measure's outcome: one per success measure."""

    measure = models.OneToOneField(
        "commissioning.SuccessMeasure", on_delete=models.CASCADE, related_name="proxy_link"
    )
    proxy = models.ForeignKey(FinancialProxy, on_delete=models.CASCADE, related_name="links")

    class Meta:
        ordering = ["measure__name"]
        verbose_name = "success measure valued by this proxy"
        verbose_name_plural = "success measures valued by this proxy"

    def __str__(self) -> str:
        return f"{self.measure} valued by {self.proxy.name}"
