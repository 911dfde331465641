from django.db import migrations

from core.role_permissions import grant, model_permissions

OPPORTUNITY_MODELS = ("opportunity", "opportunitydocument", "question", "clarification")
BID_MODELS = (
    "bid",
    "bidanswer",
    "budgetline",
    "consortiumpartner",
    "bidattachment",
    "bidsubmission",
)


def grant_permissions(apps, schema_editor):
    grant(
        apps,
        {
            "Administrator": model_permissions("procurement", *OPPORTUNITY_MODELS, *BID_MODELS),
            "Commissioning officer": model_permissions("procurement", *OPPORTUNITY_MODELS)
            + model_permissions("procurement", *BID_MODELS, actions=("view",)),
            "Approver": model_permissions(
                "procurement", *OPPORTUNITY_MODELS, *BID_MODELS, actions=("view",)
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
