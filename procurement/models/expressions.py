"""Do, in two stages: where an opportunity asks for it, organisations send a short
expression of interest first; after its deadline an officer, having declared any conflicts
of interest, shortlists them with reasons; only the shortlisted are invited to the full
bid, which starts from what they wrote.

An expression of interest is sealed until the expressions' deadline, like a bid: nobody
at the council, administrators included, reads anything of it (nor which organisations
sent one) before then; only how many were received.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.transitions import condition
from procurement import rules as procurement_rules
from procurement.models.assessment import ConflictKind

#: The longest summary of the proposal, in words.
SUMMARY_WORD_LIMIT = 250


class ExpressionStage(models.Model):
    """The first stage of a two-stage opportunity: expressions of interest are sent from
    the opportunity's opening until `closes_at`, which comes before the full bid
    deadline."""

    opportunity = models.OneToOneField(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="expression_stage"
    )
    closes_at = models.DateTimeField("expressions of interest close")
    decisions_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the shortlisting decisions were sent"
    )
    decisions_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "expression of interest stage"

    def __str__(self) -> str:
        return f"Expressions of interest for {self.opportunity}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:shortlist", kwargs={"pk": self.opportunity_id})

    def is_open(self, *, at=None) -> bool:
        """The opportunity is published and open, and the expressions' deadline is ahead."""
        at = at or timezone.now()
        opportunity = self.opportunity
        return opportunity.state == "published" and opportunity.opens_at <= at < self.closes_at

    def has_closed(self, *, at=None) -> bool:
        """The expressions' deadline has passed: those received are unsealed for officers."""
        return (at or timezone.now()) >= self.closes_at

    @property
    def decisions_sent(self) -> bool:
        return self.decisions_sent_at is not None


class ExpressionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    WITHDRAWN = "withdrawn", "Withdrawn"


DECIDED_STATES = (ExpressionState.SHORTLISTED, ExpressionState.NOT_SHORTLISTED)
RECEIVED_STATES = (ExpressionState.SUBMITTED, *DECIDED_STATES)


def _deadline_words(expression) -> str:
    from core.templatetags.portal import govuk_datetime

    stage = expression.opportunity.expression_stage
    if stage.has_closed():
        return f"The deadline for expressions of interest was {govuk_datetime(stage.closes_at)}"
    opportunity = expression.opportunity
    if opportunity.state == "published" and timezone.now() < opportunity.opens_at:
        return (
            "You can send your expression of interest from "
            f"{govuk_datetime(opportunity.opens_at)} until {govuk_datetime(stage.closes_at)}"
        )
    return "This opportunity is not open for expressions of interest yet"


def _unsealed_words(expression) -> str:
    """When the wait ends: expressions of interest are read, and decided, from the deadline."""
    from core.templatetags.portal import govuk_datetime

    closes_at = expression.opportunity.expression_stage.closes_at
    return (
        f"Expressions of interest close at {govuk_datetime(closes_at)}. "
        f"You can shortlist from {govuk_datetime(closes_at)}"
    )


class ExpressionOfInterest(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """An organisation's short expression of interest in a two-stage opportunity."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.PROTECT, related_name="expressions"
    )
    organisation = models.ForeignKey(
        "providers.Organisation", on_delete=models.PROTECT, related_name="expressions_of_interest"
    )
    reference = models.CharField(max_length=30, unique=True)
    summary = models.TextField("summary of the proposal", blank=True)
    amount_estimate = models.DecimalField(
        "estimate of the amount sought", max_digits=12, decimal_places=2, null=True, blank=True
    )
    partners = models.TextField("who you work with", blank=True)
    state = FSMField(choices=ExpressionState.choices, default=ExpressionState.DRAFT, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        "reasons for the decision", blank=True, help_text="Sent to the organisation as feedback"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = "expression of interest"
        verbose_name_plural = "expressions of interest"
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"],
                condition=~Q(state="withdrawn"),
                name="one_live_expression_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(amount_estimate__isnull=True) | Q(amount_estimate__gte=0),
                name="expression_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("procurement:expression_detail", kwargs={"pk": self.pk})

    @property
    def stage(self) -> ExpressionStage:
        return self.opportunity.expression_stage

    # --- Conditions ---------------------------------------------------------------------------

    @condition("The opportunity is open for expressions of interest.", needed=_deadline_words)
    def is_before_deadline(self) -> bool:
        return self.stage.is_open()

    @condition("The summary of the proposal is given.", needed="Enter a summary of your proposal")
    def has_summary(self) -> bool:
        return bool(self.summary.strip())

    @condition(
        "The estimate of the amount sought is given.",
        needed="Enter an estimate of the amount you will ask for",
    )
    def has_amount_estimate(self) -> bool:
        return self.amount_estimate is not None

    @condition("The deadline for expressions of interest has passed.", needed=_unsealed_words)
    def deadline_has_passed(self) -> bool:
        return self.stage.has_closed()

    @condition(
        "The shortlisting decisions have not been sent yet.",
        needed="The shortlisting decisions have been sent: they cannot be changed",
    )
    def decisions_not_sent(self) -> bool:
        return not self.stage.decisions_sent

    # --- Transitions --------------------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ExpressionState.DRAFT,
        target=ExpressionState.SUBMITTED,
        permission=procurement_rules.can_act_for_expression,
        conditions=[is_before_deadline, has_summary, has_amount_estimate],
        custom={
            "label": "Send the expression of interest",
            "explanation": "Send your expression of interest to the council before the "
            "deadline. The council shortlists after the deadline; only shortlisted "
            "organisations are invited to send a full bid.",
        },
    )
    def submit(self, by=None, description=None):
        self.submitted_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ExpressionState.SUBMITTED,
        target=ExpressionState.DRAFT,
        permission=procurement_rules.can_act_for_expression,
        conditions=[is_before_deadline],
        custom={
            "label": "Reopen to change it",
            "secondary": True,
            "explanation": "Take the expression of interest back to change it; it must be "
            "sent again before the deadline.",
        },
    )
    def reopen(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[ExpressionState.DRAFT, ExpressionState.SUBMITTED],
        target=ExpressionState.WITHDRAWN,
        permission=procurement_rules.can_act_for_expression,
        conditions=[is_before_deadline],
        custom={
            "label": "Withdraw the expression of interest",
            "destructive": True,
            "explanation": "Withdraw your expression of interest: you will not be "
            "shortlisted for the full bid.",
        },
    )
    def withdraw(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ExpressionState.SUBMITTED,
        target=ExpressionState.SHORTLISTED,
        permission=procurement_rules.can_shortlist,
        conditions=[deadline_has_passed, decisions_not_sent],
        custom={
            "label": "Shortlist the organisation",
            "reason_required": True,
            "explanation": "Shortlist the organisation: when the decisions are sent it is "
            "invited to send a full bid, with your reasons.",
        },
    )
    def shortlist(self, by=None, description=None):
        self.decided_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ExpressionState.SUBMITTED,
        target=ExpressionState.NOT_SHORTLISTED,
        permission=procurement_rules.can_shortlist,
        conditions=[deadline_has_passed, decisions_not_sent],
        custom={
            "label": "Do not shortlist the organisation",
            "secondary": True,
            "reason_required": True,
            "explanation": "Do not shortlist the organisation: when the decisions are sent it "
            "is told, with your reasons as feedback, and cannot send a full bid.",
        },
    )
    def decline(self, by=None, description=None):
        self.decided_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=list(DECIDED_STATES),
        target=ExpressionState.SUBMITTED,
        permission=procurement_rules.can_shortlist,
        conditions=[decisions_not_sent],
        custom={
            "label": "Reconsider",
            "secondary": True,
            "explanation": "Take back the decision before the decisions are sent, to make "
            "it again.",
        },
    )
    def reconsider(self, by=None, description=None):
        self.decided_at = None
        self.reason = ""


class ShortlistDeclaration(models.Model):
    """An officer's declaration about one organisation that expressed interest, made before
    they read any expression of interest. Never changed; a conflicted officer neither reads
    that organisation's expression nor decides on it."""

    stage = models.ForeignKey(
        ExpressionStage, on_delete=models.CASCADE, related_name="declarations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shortlist_declarations"
    )
    organisation = models.ForeignKey(
        "providers.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField()
    kind = models.CharField(max_length=20, choices=ConflictKind.choices, blank=True)
    description = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "user", "organisation"], name="shortlist_declaration_once"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(kind="") & ~Q(description=""),
                name="shortlist_conflict_has_kind_and_description",
            ),
        ]

    def __str__(self) -> str:
        verdict = f"{self.get_kind_display()} conflict" if self.has_conflict else "no conflict"
        return f"{self.user}: {verdict} with {self.organisation}"
