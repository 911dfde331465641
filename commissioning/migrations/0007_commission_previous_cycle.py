import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0006_financial_proxies"),
    ]

    operations = [
        migrations.AddField(
            model_name="commission",
            name="previous_cycle",
            field=models.ForeignKey(
                blank=True,
                help_text="The commission this one recommissions or redesigns, from the cycle before",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="next_cycles",
                to="commissioning.commission",
            ),
        ),
    ]
