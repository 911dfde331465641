"""The monitoring schedule now lives in monitoring.MonitoringReturn, to which
monitoring's migration 0002 copied every MonitoringReturnDue row: the old model goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0006_opportunity_state"),
        ("monitoring", "0002_returns_from_schedule"),
    ]

    operations = [migrations.DeleteModel(name="MonitoringReturnDue")]
