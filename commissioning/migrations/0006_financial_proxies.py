"""Financial proxies for Social Return on Investment, each linked to the success measures
it values (one proxy per success measure), with a small illustrative set and the roles'
permissions on them.

The illustrative values are made up for the portal's demonstration. They are not taken
from any published or paid-for source of proxies, and every one is marked illustrative.
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from core.role_permissions import grant, model_permissions

ILLUSTRATIVE_SOURCE = (
    "Illustrative figure made up for the portal's demonstration; not taken from any "
    "published or paid-for source"
)
ILLUSTRATIVE_NOTES = (
    "Replace this with a value your council can evidence, with its source and year, before "
    "using it in a published evaluation."
)

# (name, unit, value, deadweight %, attribution %, displacement %, years, drop-off %,
#  the success measures it values)
ILLUSTRATIVE_PROXIES = [
    (
        "Person supported by a community service",
        "person supported",
        "250.00",
        "20",
        "10",
        "0",
        1,
        "0",
        ["People supported"],
    ),
    (
        "Older person feeling less lonely",
        "person for a year",
        "1200.00",
        "25",
        "20",
        "0",
        2,
        "50",
        ["Older people reporting they feel less lonely"],
    ),
    (
        "Person moved into work, training or volunteering",
        "person",
        "3000.00",
        "30",
        "20",
        "10",
        3,
        "30",
        ["People helped into work, training or volunteering"],
    ),
    (
        "Hour given by a volunteer",
        "hour",
        "12.00",
        "10",
        "0",
        "0",
        1,
        "0",
        ["Volunteer hours given"],
    ),
    (
        "Young person taking part in creative activity",
        "young person",
        "300.00",
        "20",
        "15",
        "0",
        2,
        "40",
        ["Young people taking part in creative activity"],
    ),
    ("Nutritious meal provided", "meal", "3.50", "10", "10", "0", 1, "0", ["Meals provided"]),
    (
        "Community event held",
        "event",
        "400.00",
        "20",
        "30",
        "10",
        1,
        "0",
        ["Community events held"],
    ),
    (
        "Volunteer recruited and active",
        "volunteer for a year",
        "1500.00",
        "25",
        "20",
        "0",
        2,
        "40",
        ["Volunteers recruited"],
    ),
    (
        "Attendance at an arts event",
        "attendance",
        "15.00",
        "30",
        "10",
        "20",
        1,
        "0",
        ["Audience attendances"],
    ),
    (
        "Visitor to the district",
        "visitor",
        "45.00",
        "40",
        "25",
        "30",
        1,
        "0",
        ["Visitors to the district"],
    ),
    (
        "Tonne of surplus food eaten, not wasted",
        "tonne",
        "800.00",
        "15",
        "10",
        "5",
        1,
        "0",
        ["Tonnes of food redistributed"],
    ),
]


def load(apps, schema_editor):
    FinancialProxy = apps.get_model("commissioning", "FinancialProxy")
    SuccessMeasure = apps.get_model("commissioning", "SuccessMeasure")
    SuccessMeasureProxy = apps.get_model("commissioning", "SuccessMeasureProxy")
    for (
        name,
        unit,
        value,
        deadweight,
        attribution,
        displacement,
        years,
        drop_off,
        measures,
    ) in ILLUSTRATIVE_PROXIES:
        proxy, _ = FinancialProxy.objects.update_or_create(
            name=name,
            defaults={
                "unit": unit,
                "value": Decimal(value),
                "source": ILLUSTRATIVE_SOURCE,
                "year": 2026,
                "notes": ILLUSTRATIVE_NOTES,
                "illustrative": True,
                "deadweight": Decimal(deadweight),
                "attribution": Decimal(attribution),
                "displacement": Decimal(displacement),
                "duration_years": years,
                "drop_off": Decimal(drop_off),
            },
        )
        for measure in SuccessMeasure.objects.filter(name__in=measures):
            SuccessMeasureProxy.objects.get_or_create(measure=measure, defaults={"proxy": proxy})
    grant(
        apps,
        {
            "Administrator": model_permissions(
                "commissioning", "financialproxy", "successmeasureproxy"
            ),
            "Commissioning officer": model_permissions(
                "commissioning", "financialproxy", "successmeasureproxy", actions=("view",)
            ),
            "Approver": model_permissions(
                "commissioning", "financialproxy", "successmeasureproxy", actions=("view",)
            ),
        },
    )


PERCENT = [
    django.core.validators.MinValueValidator(Decimal("0")),
    django.core.validators.MaxValueValidator(Decimal("100")),
]


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0005_success_measure_library"), ("core", "0002_roles")]

    operations = [
        migrations.CreateModel(
            name="FinancialProxy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                (
                    "unit",
                    models.CharField(
                        help_text="What one unit is, for example 'person for a year'",
                        max_length=100,
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="value in £",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="Where the value comes from, so a reader can check it",
                        max_length=300,
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        help_text="The year the value is priced in, for example 2026",
                        validators=[
                            django.core.validators.MinValueValidator(1990),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                (
                    "illustrative",
                    models.BooleanField(
                        default=False,
                        help_text="An example value for demonstration, not evidence: shown as "
                        "illustrative wherever it is used",
                    ),
                ),
                (
                    "deadweight",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        help_text="How much of the outcome would have happened anyway",
                        max_digits=5,
                        validators=PERCENT,
                        verbose_name="usual deadweight (%)",
                    ),
                ),
                (
                    "attribution",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        help_text="How much of the outcome others made happen",
                        max_digits=5,
                        validators=PERCENT,
                        verbose_name="usual attribution (%)",
                    ),
                ),
                (
                    "displacement",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        help_text="How much of the outcome just moved from elsewhere",
                        max_digits=5,
                        validators=PERCENT,
                        verbose_name="usual displacement (%)",
                    ),
                ),
                (
                    "duration_years",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="How many years the outcome lasts",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(10),
                        ],
                        verbose_name="usual duration in years",
                    ),
                ),
                (
                    "drop_off",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        help_text="How much less of the outcome lasts into each following year",
                        max_digits=5,
                        validators=PERCENT,
                        verbose_name="usual drop-off per year (%)",
                    ),
                ),
            ],
            options={"verbose_name_plural": "financial proxies", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="SuccessMeasureProxy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "measure",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="proxy_link",
                        to="commissioning.successmeasure",
                    ),
                ),
                (
                    "proxy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links",
                        to="commissioning.financialproxy",
                    ),
                ),
            ],
            options={
                "verbose_name": "success measure valued by this proxy",
                "verbose_name_plural": "success measures valued by this proxy",
                "ordering": ["measure__name"],
            },
        ),
        migrations.AddField(
            model_name="financialproxy",
            name="success_measures",
            field=models.ManyToManyField(
                blank=True,
                related_name="financial_proxies",
                through="commissioning.SuccessMeasureProxy",
                to="commissioning.successmeasure",
            ),
        ),
        migrations.AddConstraint(
            model_name="financialproxy",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", 0)), name="proxy_value_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="financialproxy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("deadweight__gte", 0),
                    ("deadweight__lte", 100),
                    ("attribution__gte", 0),
                    ("attribution__lte", 100),
                    ("displacement__gte", 0),
                    ("displacement__lte", 100),
                    ("drop_off__gte", 0),
                    ("drop_off__lte", 100),
                ),
                name="proxy_assumptions_are_percentages",
            ),
        ),
        migrations.AddConstraint(
            model_name="financialproxy",
            constraint=models.CheckConstraint(
                condition=models.Q(("duration_years__gte", 1), ("duration_years__lte", 10)),
                name="proxy_duration_1_to_10_years",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
