"""Do, part 2: award decisions. The officer recommends, for every bid received, an award
(amount and conditions) or not (with reasons); an approver who did not recommend approves
the commission's awards; every bidder is told, and the awards are published."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", "Successful"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"


class AwardDecisionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved_at__isnull=False)

    def published_awards(self):
        """Approved awards, for the public register."""
        return self.approved().filter(outcome=Outcome.SUCCESSFUL)


class AwardDecision(models.Model):
    """The recommendation for one bid and, once approved, the council's decision on it."""

    bid = models.OneToOneField("procurement.Bid", on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    amount = models.DecimalField(
        "amount awarded", max_digits=12, decimal_places=2, null=True, blank=True
    )
    conditions = models.TextField("conditions of the award", blank=True)
    reasons = models.TextField(
        blank=True, help_text="Why the bid was not successful: the bidder reads these"
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recommended_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(
        "date of the decision", null=True, blank=True, help_text="The day it was approved"
    )
    standstill_ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="Contracts only: the last day of the standstill period (8 working days)",
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = AwardDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["bid__reference"]
        # The register's newest awards first (the home page, the register's first page) and
        # the feed's newest approvals: the first rows of an index, not a sort of every award.
        indexes = [
            models.Index(
                F("decided_on").desc(),
                F("approved_at").desc(),
                F("id").desc(),
                condition=Q(approved_at__isnull=False, outcome=Outcome.SUCCESSFUL),
                name="award_published_register",
            ),
            models.Index(
                F("approved_at").desc(),
                F("id").desc(),
                condition=Q(approved_at__isnull=False, outcome=Outcome.SUCCESSFUL),
                name="award_published_approved",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=Outcome.UNSUCCESSFUL) | Q(amount__gt=0),
                name="award_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.SUCCESSFUL) | ~Q(reasons=""),
                name="refusal_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid.reference}: {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:decision_detail", kwargs={"pk": self.pk})

    @property
    def is_successful(self) -> bool:
        return self.outcome == Outcome.SUCCESSFUL

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
