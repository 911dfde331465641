"""The framework document's texts that 0001 had no place for, then the framework itself.

The schema operations come first, so the data load below sees the new fields.
"""

from django.db import migrations, models

from commissioning import reference_data
from core.role_permissions import grant, model_permissions

REFERENCE_MODELS = (
    "framework",
    "sector",
    "corporatepriority",
    "crosscuttingtheme",
    "commissioningprinciple",
    "corecriterion",
    "cyclestage",
    "cyclestep",
    "glossaryterm",
    "area",
)


def load_framework(apps, schema_editor):
    reference_data.load(apps)


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        {
            "Administrator": model_permissions("commissioning", *REFERENCE_MODELS),
            "Commissioning officer": model_permissions(
                "commissioning", *REFERENCE_MODELS, actions=("view",)
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0001_initial"),
        ("core", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="commissioningprinciple",
            name="bullet_points",
            field=models.TextField(
                blank=True, help_text="A list that follows the text, one point per line"
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="commissioning_plan_description",
            field=models.TextField(
                blank=True, help_text="What a Commissioning Plan holds and where it is published"
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="corporate_plan_quote",
            field=models.TextField(
                blank=True,
                help_text="What the council has said about the sectors, quoted in the introduction",
                verbose_name="statement from the Corporate Plan",
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="cycle_introduction",
            field=models.TextField(blank=True, verbose_name="commissioning cycle introduction"),
        ),
        migrations.AddField(
            model_name="framework",
            name="priorities_introduction",
            field=models.TextField(
                blank=True, help_text="What the Corporate Priorities mean for commissioned services"
            ),
        ),
        migrations.AddField(
            model_name="framework",
            name="themes_introduction",
            field=models.TextField(
                blank=True,
                help_text="How the cross-cutting themes shape the way the council commissions",
                verbose_name="cross-cutting themes introduction",
            ),
        ),
        migrations.AlterField(
            model_name="commissioningprinciple",
            name="text",
            field=models.TextField(help_text="Paragraphs separated by a blank line"),
        ),
        migrations.AlterField(
            model_name="framework",
            name="introduction",
            field=models.TextField(blank=True, help_text="Paragraphs separated by a blank line"),
        ),
        migrations.AlterField(
            model_name="framework",
            name="what_is_commissioning",
            field=models.TextField(
                help_text="The definition of commissioning", verbose_name="what commissioning is"
            ),
        ),
        migrations.RunPython(load_framework, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
