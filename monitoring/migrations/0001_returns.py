"""Monitoring returns, their actuals, evidence, versions and reviews; RAG statuses; payments made and held."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("procurement", "0005_bid_targets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MonitoringReturn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period_start", models.DateField()),
                ("period_end", models.DateField()),
                ("due_on", models.DateField()),
                (
                    "state",
                    django_fsm.FSMField(
                        choices=[
                            ("due", "Not started"),
                            ("draft", "In progress"),
                            ("submitted", "Submitted"),
                            ("changes_requested", "Changes requested"),
                            ("accepted", "Accepted"),
                        ],
                        default="due",
                        max_length=50,
                        protected=True,
                    ),
                ),
                (
                    "outcomes_narrative",
                    models.TextField(
                        blank=True, verbose_name="what the service achieved towards its outcomes"
                    ),
                ),
                ("case_study", models.TextField(blank=True)),
                (
                    "case_study_consent",
                    models.BooleanField(
                        default=False,
                        verbose_name="the people in the case study agree to it being published",
                    ),
                ),
                (
                    "spend_in_period",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        verbose_name="spending in the period",
                    ),
                ),
                (
                    "spend_explanation",
                    models.TextField(
                        blank=True, verbose_name="why spending to date is more than the award"
                    ),
                ),
                ("risks", models.TextField(blank=True, verbose_name="risks and issues")),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="monitoring_returns",
                        to="procurement.agreement",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["due_on", "pk"],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name="PaymentHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scheduled_on", models.DateField(verbose_name="the instalment's payment date")),
                ("held_at", models.DateTimeField()),
                ("released_at", models.DateTimeField(blank=True, null=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="payment_holds",
                        to="procurement.agreement",
                    ),
                ),
                (
                    "held_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "instalment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="holds",
                        to="procurement.paymentinstalment",
                    ),
                ),
                (
                    "monitoring_return",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="payment_holds",
                        to="monitoring.monitoringreturn",
                    ),
                ),
            ],
            options={
                "ordering": ["-held_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="RagStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rating",
                    models.CharField(
                        choices=[("red", "Red"), ("amber", "Amber"), ("green", "Green")],
                        max_length=5,
                    ),
                ),
                ("reason", models.TextField()),
                ("set_at", models.DateTimeField()),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rag_statuses",
                        to="procurement.agreement",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "RAG status",
                "verbose_name_plural": "RAG statuses",
                "ordering": ["-set_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ReturnActual",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.DecimalField(decimal_places=2, max_digits=12)),
                ("confirmed", models.BooleanField(default=False)),
                (
                    "monitoring_return",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actuals",
                        to="monitoring.monitoringreturn",
                    ),
                ),
                (
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actuals",
                        to="procurement.agreementtarget",
                    ),
                ),
            ],
            options={
                "ordering": ["target_id"],
            },
        ),
        migrations.CreateModel(
            name="ReturnAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file", models.FileField(upload_to="monitoring/")),
                ("original_name", models.CharField(max_length=255)),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveIntegerField()),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "monitoring_return",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="monitoring.monitoringreturn",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="ReturnSubmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField()),
                ("submitted_at", models.DateTimeField()),
                ("content", models.JSONField(help_text="A snapshot of the return as submitted")),
                (
                    "monitoring_return",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="submissions",
                        to="monitoring.monitoringreturn",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["number"],
            },
        ),
        migrations.CreateModel(
            name="ReturnReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("accepted", "Accepted"),
                            ("changes_requested", "Changes requested"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reviewed_at", models.DateTimeField()),
                (
                    "monitoring_return",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="monitoring.monitoringreturn",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="monitoring.returnsubmission",
                    ),
                ),
            ],
            options={
                "ordering": ["-reviewed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ReviewComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "section",
                    models.CharField(
                        choices=[
                            ("actuals", "Progress against targets"),
                            ("narrative", "Outcomes"),
                            ("case_study", "Case study"),
                            ("spend", "Spending"),
                            ("risks", "Risks and issues"),
                            ("evidence", "Evidence"),
                        ],
                        max_length=20,
                    ),
                ),
                ("text", models.TextField()),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="monitoring.returnreview",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="InstalmentPayment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scheduled_on", models.DateField(verbose_name="the instalment's payment date")),
                ("paid_on", models.DateField(verbose_name="date paid")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("recorded_at", models.DateTimeField()),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="payments_made",
                        to="procurement.agreement",
                    ),
                ),
                (
                    "instalment",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="payment_made",
                        to="procurement.paymentinstalment",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["scheduled_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="payment_made_positive"
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="monitoringreturn",
            constraint=models.UniqueConstraint(
                fields=("agreement", "period_start"), name="one_return_per_period"
            ),
        ),
        migrations.AddConstraint(
            model_name="monitoringreturn",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_end__gte", models.F("period_start"))),
                name="return_period_ends_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="monitoringreturn",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("spend_in_period__isnull", True), ("spend_in_period__gte", 0), _connector="OR"
                ),
                name="return_spend_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymenthold",
            constraint=models.UniqueConstraint(
                condition=models.Q(("released_at__isnull", True)),
                fields=("agreement", "scheduled_on"),
                name="one_live_hold_per_instalment",
            ),
        ),
        migrations.AddConstraint(
            model_name="returnactual",
            constraint=models.UniqueConstraint(
                fields=("monitoring_return", "target"), name="one_actual_per_target"
            ),
        ),
        migrations.AddConstraint(
            model_name="returnactual",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", 0)), name="actual_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="returnsubmission",
            constraint=models.UniqueConstraint(
                fields=("monitoring_return", "number"), name="one_return_submission_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewcomment",
            constraint=models.UniqueConstraint(
                fields=("review", "section"), name="one_comment_per_section"
            ),
        ),
    ]
