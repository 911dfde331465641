"""Review, part 2: evaluation at the end of an agreement and of a commission, the lessons
learned that feed the next cycle, and the record of a commission recommissioned or
redesigned into the next one.

Outcomes achieved and spending are never typed here: they are computed from the accepted
monitoring returns (monitoring.evaluation_selectors). What an evaluation keeps is what
only people know (what worked, the impact, the lessons, the recommendation) and, once it
is saved, the Social Return on Investment figures with the assumptions they used, so a
later change of a financial proxy does not rewrite a published figure.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Recommendation(models.TextChoices):
    RECOMMISSION = "recommission", "Recommission: run the service again for the next period"
    REDESIGN = "redesign", "Redesign: plan the service again from its specification"
    DECOMMISSION = "decommission", "Decommission: stop investing in the service"


class _Evaluation(models.Model):
    """What an officer's evaluation holds, for an agreement or a whole commission."""

    impact_summary = models.TextField("impact", blank=True)
    recommendation = models.CharField(max_length=12, choices=Recommendation.choices, blank=True)
    #: The SROI calculation's assumptions when the evaluation was last saved (from
    #: monitoring.sroi when it is there): kept, so the ratio below stays as published.
    sroi_assumptions = models.JSONField(default=dict, blank=True)
    sroi_ratio = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class AgreementEvaluation(_Evaluation):
    """The end of an agreement: the provider's end-of-grant report and the officer's
    evaluation."""

    agreement = models.OneToOneField(
        "procurement.Agreement", on_delete=models.CASCADE, related_name="evaluation"
    )
    what_worked = models.TextField("what worked", blank=True)
    what_did_not_work = models.TextField("what did not work", blank=True)
    what_would_change = models.TextField("what you would change", blank=True)
    report_sent_at = models.DateTimeField(null=True, blank=True)
    report_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement_id"]

    def __str__(self) -> str:
        return f"Evaluation of {self.agreement_id}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:agreement_evaluation", kwargs={"pk": self.agreement_id})

    @property
    def report_is_sent(self) -> bool:
        return self.report_sent_at is not None


class CommissionEvaluation(_Evaluation):
    """The end of a commission: its agreements together, with the totals computed."""

    commission = models.OneToOneField(
        "commissioning.Commission", on_delete=models.CASCADE, related_name="evaluation"
    )

    class Meta:
        ordering = ["commission_id"]

    def __str__(self) -> str:
        return f"Evaluation of commission {self.commission_id}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:commission_evaluation", kwargs={"pk": self.commission_id})


class LessonQuerySet(models.QuerySet):
    def for_library(self):
        """With everything a list of lessons shows, in one query."""
        return self.select_related(
            "commission",
            "priority",
            "area",
            "theme",
            "agreement_evaluation__agreement__decision__bid__organisation",
            "agreement_evaluation__agreement__decision__bid__opportunity__specification__commission",
            "commission_evaluation__commission",
        )


class Lesson(models.Model):
    """Something learned in an evaluation, tagged so the next needs assessment finds it."""

    agreement_evaluation = models.ForeignKey(
        AgreementEvaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lessons",
    )
    commission_evaluation = models.ForeignKey(
        CommissionEvaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lessons",
    )
    #: The commission the lesson was learned in (kept beside the evaluation for filters).
    commission = models.ForeignKey(
        "commissioning.Commission", on_delete=models.CASCADE, related_name="lessons_learned"
    )
    text = models.TextField("lesson")
    priority = models.ForeignKey(
        "commissioning.CorporatePriority", on_delete=models.PROTECT, related_name="lessons"
    )
    area = models.ForeignKey(
        "commissioning.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        help_text="Leave empty for the whole district",
    )
    theme = models.ForeignKey(
        "commissioning.CrossCuttingTheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name="cross-cutting theme",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(agreement_evaluation__isnull=False, commission_evaluation__isnull=True)
                    | Q(agreement_evaluation__isnull=True, commission_evaluation__isnull=False)
                ),
                name="lesson_from_one_evaluation",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def evaluation(self):
        return self.agreement_evaluation or self.commission_evaluation


class NextCycleKind(models.TextChoices):
    RECOMMISSION = "recommission", "Recommissioned"
    REDESIGN = "redesign", "Redesigned"


class CycleCarryForward(models.Model):
    """A commission opened for the next period from a closed (or closing) one: what was
    carried forward. The new commission's `previous_cycle` points back; its needs evidence
    is linked to it as well; the gaps of the old gap analysis are linked here to read."""

    previous = models.ForeignKey(
        "commissioning.Commission", on_delete=models.PROTECT, related_name="carried_into"
    )
    commission = models.OneToOneField(
        "commissioning.Commission", on_delete=models.CASCADE, related_name="carried_from"
    )
    kind = models.CharField(max_length=12, choices=NextCycleKind.choices)
    evaluation = models.ForeignKey(
        CommissionEvaluation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_into",
    )
    evidence = models.ManyToManyField(
        "engagement.EvidenceItem", blank=True, related_name="carried_forward"
    )
    gaps = models.ManyToManyField("engagement.Gap", blank=True, related_name="carried_forward")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.previous_id}"
