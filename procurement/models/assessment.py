"""Do, part 2: the panel. Panel members declare conflicts of interest before they see a
bid, score the bids assigned to them against the opportunity's weighted questions, and the
officer moderates the scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

MAX_SCORE = 5


class ScoreDescriptor(models.Model):
    """What each score from 0 to 5 means: reference data shown beside every score."""

    score = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)]
    )
    label = models.CharField(max_length=60)
    description = models.TextField()

    class Meta:
        ordering = ["score"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=MAX_SCORE), name="descriptor_score_0_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} – {self.label}"


class PanelMember(models.Model):
    """A member of the panel that assesses an opportunity's bids."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="panel_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_places"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    declarations_completed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When they finished declaring interests for every bidding organisation",
    )

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "user"], name="panel_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.opportunity}"

    @property
    def has_declared(self) -> bool:
        return self.declarations_completed_at is not None


class ConflictKind(models.TextChoices):
    PERSONAL = "personal", "Personal"
    PROFESSIONAL = "professional", "Professional"
    FINANCIAL = "financial", "Financial"


class ConflictDeclaration(models.Model):
    """A panel member's declaration about one bidding organisation (lead or consortium
    partner). Declarations are never changed: a later one for the same organisation is
    added beside it and the latest counts."""

    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="declarations"
    )
    organisation = models.ForeignKey(
        "providers.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField()
    kind = models.CharField(max_length=20, choices=ConflictKind.choices, blank=True)
    description = models.TextField(blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(kind="") & ~Q(description=""),
                name="conflict_has_kind_and_description",
            )
        ]

    def __str__(self) -> str:
        verdict = f"{self.get_kind_display()} conflict" if self.has_conflict else "no conflict"
        return f"{self.panel_member.user}: {verdict} with {self.organisation}"


class Assignment(models.Model):
    """A bid assigned to a panel member to score. A declared conflict takes it away from
    them until the officer reassigns the bid or records why no one else is needed."""

    bid = models.ForeignKey("procurement.Bid", on_delete=models.CASCADE, related_name="assignments")
    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    conflict = models.ForeignKey(
        ConflictDeclaration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        help_text="The declaration that took this bid away from the panel member",
    )
    conflict_resolved_at = models.DateTimeField(null=True, blank=True)
    conflict_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    conflict_resolution = models.TextField(blank=True)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When every score was given and sent to the officer"
    )

    class Meta:
        ordering = ["bid__reference", "panel_member__user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "panel_member"], name="assigned_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bid.reference} to {self.panel_member.user}"

    @property
    def is_conflicted(self) -> bool:
        return self.conflict_id is not None

    @property
    def is_active(self) -> bool:
        return self.conflict_id is None

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """A panel member's score (0 to 5) for one question of a bid, with their comment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    question = models.ForeignKey(
        "procurement.Question", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)]
    )
    comment = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "question"], name="one_score_each"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=MAX_SCORE), name="score_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.score}"


class ModeratedScore(models.Model):
    """The score the officer settles on for one question of a bid after moderation, with
    the reasons — which are the feedback the bidder reads."""

    bid = models.ForeignKey(
        "procurement.Bid", on_delete=models.CASCADE, related_name="moderated_scores"
    )
    question = models.ForeignKey(
        "procurement.Question", on_delete=models.PROTECT, related_name="moderated_scores"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)]
    )
    rationale = models.TextField(help_text="The reasons for the score: the bidder reads these")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moderated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "question"], name="one_moderated_score_each"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=MAX_SCORE), name="moderated_score_0_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bid.reference}: {self.question} {self.score}"
