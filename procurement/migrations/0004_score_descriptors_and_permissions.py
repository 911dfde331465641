"""What each score means, and the roles' permissions on the panel's, decisions' and
agreements' records."""

from django.db import migrations

from core.role_permissions import grant, model_permissions
from procurement import score_descriptors

ASSESSMENT_MODELS = (
    "panelmember",
    "conflictdeclaration",
    "assignment",
    "score",
    "moderatedscore",
    "scoredescriptor",
)
AWARD_MODELS = ("awarddecision",)
AGREEMENT_MODELS = (
    "agreement",
    "agreementtarget",
    "paymentinstalment",
    "monitoringreturndue",
    "agreementversion",
    "variation",
)


def load_and_grant(apps, schema_editor):
    score_descriptors.load(apps)
    everything = (*ASSESSMENT_MODELS, *AWARD_MODELS, *AGREEMENT_MODELS)
    grant(
        apps,
        {
            "Administrator": model_permissions("procurement", *everything),
            "Commissioning officer": model_permissions(
                "procurement", *everything, actions=("view",)
            ),
            "Approver": model_permissions("procurement", *everything, actions=("view",)),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0003_assessment_awards_agreements")]

    operations = [migrations.RunPython(load_and_grant, migrations.RunPython.noop)]
