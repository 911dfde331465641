"""The conflicts assessment (Procurement Act 2023, s.83): before an opportunity is
published, everyone acting for the council in it — the commission's lead officer, the
approvers of its commission and plan, whoever else has acted on it — declares any conflict
of interest, not only the panel; the officer records the assessment (the conflicts found
and the steps taken), and reviews it at each later stage (the assessment of bids, the
award). Publishing is refused until the first assessment exists.

Declarations are never changed: a later one by the same person at the same stage is added
beside it and the latest counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ConflictsStage(models.TextChoices):
    PUBLICATION = "publication", "Before publication"
    ASSESSMENT = "assessment", "Assessment of bids"
    AWARD = "award", "Award"


class OfficerDeclaration(models.Model):
    """An officer's or approver's declaration of interests in one opportunity, at one
    stage."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="officer_declarations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="officer_declarations"
    )
    stage = models.CharField(max_length=20, choices=ConflictsStage.choices)
    has_conflict = models.BooleanField()
    description = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(description=""),
                name="officer_conflict_is_described",
            )
        ]

    def __str__(self) -> str:
        verdict = "a conflict" if self.has_conflict else "no conflict"
        return f"{self.user} declared {verdict} ({self.get_stage_display()})"


class ConflictsAssessment(models.Model):
    """The assessment of conflicts of interest for one opportunity at one stage, made once
    everyone involved has declared: the conflicts found and the steps taken about them."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="conflicts_assessments"
    )
    stage = models.CharField(max_length=20, choices=ConflictsStage.choices)
    steps_taken = models.TextField(
        "conflicts found and the steps taken",
        help_text="What was declared, and what was done to stop it affecting the procurement",
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", help_text="Who was involved and declared"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "stage"], name="one_conflicts_assessment_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"Conflicts assessment for {self.opportunity} ({self.get_stage_display()})"
