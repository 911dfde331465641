"""The monitoring schedule moves from procurement's MonitoringReturnDue rows to
MonitoringReturn: one return, not yet started, for each row. The roles get their model
permissions on the new records (administrators change them, officers and approvers read)."""

from django.db import migrations

from core.role_permissions import grant, model_permissions

MODELS = (
    "monitoringreturn",
    "returnactual",
    "returnattachment",
    "returnsubmission",
    "returnreview",
    "reviewcomment",
    "ragstatus",
    "instalmentpayment",
    "paymenthold",
)


def returns_copy(apps, schema_editor):
    MonitoringReturnDue = apps.get_model("procurement", "MonitoringReturnDue")
    MonitoringReturn = apps.get_model("monitoring", "MonitoringReturn")
    MonitoringReturn.objects.bulk_create(
        (
            MonitoringReturn(
                agreement_id=row.agreement_id,
                period_start=row.period_start,
                period_end=row.period_end,
                due_on=row.due_on,
                state="due",
            )
            for row in MonitoringReturnDue.objects.order_by("pk").iterator()
        ),
        ignore_conflicts=True,  # one return per agreement and period start
    )


def returns_copy_back(apps, schema_editor):
    MonitoringReturnDue = apps.get_model("procurement", "MonitoringReturnDue")
    MonitoringReturn = apps.get_model("monitoring", "MonitoringReturn")
    MonitoringReturnDue.objects.bulk_create(
        MonitoringReturnDue(
            agreement_id=row.agreement_id,
            period_start=row.period_start,
            period_end=row.period_end,
            due_on=row.due_on,
        )
        for row in MonitoringReturn.objects.order_by("pk").iterator()
    )


def permissions_grant(apps, schema_editor):
    grant(
        apps,
        {
            "Administrator": model_permissions("monitoring", *MODELS),
            "Commissioning officer": model_permissions("monitoring", *MODELS, actions=("view",)),
            "Approver": model_permissions("monitoring", *MODELS, actions=("view",)),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_returns"),
        ("procurement", "0005_bid_targets"),
        ("core", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(returns_copy, returns_copy_back),
        migrations.RunPython(permissions_grant, migrations.RunPython.noop),
    ]
