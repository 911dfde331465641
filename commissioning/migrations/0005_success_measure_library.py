"""The reusable library of success measures, starting with the glossary's own examples,
and the roles' permissions on the Plan stage's records."""

from django.db import migrations

from core.role_permissions import grant, model_permissions

# (name, unit, description, priority slug)
MEASURES = [
    (
        "Training sessions provided",
        "sessions",
        "The glossary's example: 40 training sessions provided",
        "economic-growth",
    ),
    (
        "Premises refurbished",
        "premises",
        "The glossary's example: 25 premises refurbished",
        "economic-growth",
    ),
    (
        "Hectares of public open land improved",
        "hectares",
        "The glossary's example: 2 hectares of public open land improved",
        "clean-green-and-safe-places",
    ),
    ("People supported", "people", "Individuals who received a service", "health-and-well-being"),
    (
        "Volunteers recruited",
        "volunteers",
        "New volunteers recruited and active",
        "community-leadership",
    ),
    ("Volunteer hours given", "hours", "Hours given by volunteers", "community-leadership"),
    (
        "Older people reporting they feel less lonely",
        "people",
        "Measured with a validated loneliness scale at start and after six months",
        "health-and-well-being",
    ),
    ("Meals provided", "meals", "Nutritious meals served or delivered", "health-and-well-being"),
    ("Community events held", "events", "Events open to the public", "community-leadership"),
    (
        "Audience attendances",
        "attendances",
        "Attendances at performances, exhibitions and events",
        "economic-growth",
    ),
    (
        "Young people taking part in creative activity",
        "young people",
        "Aged 11 to 19, counted once each",
        "health-and-well-being",
    ),
    (
        "Visitors to the district",
        "visitors",
        "Visitors attracted from outside the district",
        "economic-growth",
    ),
    (
        "People helped into work, training or volunteering",
        "people",
        "Moved into employment, training or regular volunteering",
        "economic-growth",
    ),
    ("Match funding secured", "pounds", "Money levered in from other funders", "economic-growth"),
    (
        "Tonnes of food redistributed",
        "tonnes",
        "Surplus food kept out of waste and eaten",
        "clean-green-and-safe-places",
    ),
]

PLAN_MODELS = (
    "option",
    "optionscore",
    "specification",
    "specificationoutcome",
    "specificationmeasure",
    "measuretarget",
    "lot",
    "servicecriterion",
    "commissioningplan",
)


def load(apps, schema_editor):
    SuccessMeasure = apps.get_model("commissioning", "SuccessMeasure")
    CorporatePriority = apps.get_model("commissioning", "CorporatePriority")
    priorities = {p.slug: p for p in CorporatePriority.objects.all()}
    for name, unit, description, priority in MEASURES:
        SuccessMeasure.objects.update_or_create(
            name=name,
            defaults={
                "unit": unit,
                "description": description,
                "priority": priorities.get(priority),
            },
        )
    grant(
        apps,
        {
            "Administrator": model_permissions("commissioning", "successmeasure", *PLAN_MODELS),
            "Commissioning officer": model_permissions(
                "commissioning", "successmeasure", *PLAN_MODELS
            ),
            "Approver": model_permissions("commissioning", *PLAN_MODELS, actions=("view",)),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0004_plan_stage"), ("core", "0002_roles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
