"""Review: the monitoring returns a provider sends for each period of an accepted
agreement, the officer's review of them, the agreement's RAG status, and the payments the
council makes or holds.

The schedule of returns is made by procurement (procurement/services/agreements.py) from
the agreement's dates and frequency: one MonitoringReturn per period, the only record of
the schedule. Nothing here imports procurement at import time: agreements, their targets
and payment instalments are named by string.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.transitions import condition
from monitoring import rules as monitoring_rules


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "Apr–Jun 2027"; "Oct 2027–Mar 2028" across a year end; "Apr 2027" for one month."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%b %Y}"
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


class ReturnState(models.TextChoices):
    DUE = "due", "Not started"
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"


#: The states in which the provider may change the return.
EDITABLE_STATES = (ReturnState.DUE, ReturnState.DRAFT, ReturnState.CHANGES_REQUESTED)
#: The states in which the return has been sent to the council at least once and stands.
SENT_STATES = (ReturnState.SUBMITTED, ReturnState.CHANGES_REQUESTED, ReturnState.ACCEPTED)


class Section(models.TextChoices):
    """The parts of a return an officer comments on."""

    ACTUALS = "actuals", "Progress against targets"
    NARRATIVE = "narrative", "Outcomes"
    CASE_STUDY = "case_study", "Case study"
    SPEND = "spend", "Spending"
    RISKS = "risks", "Risks and issues"
    EVIDENCE = "evidence", "Evidence"


# --- Conditions' words ----------------------------------------------------------------------------


def _form_url(anchor: str):
    def url(monitoring_return) -> str:
        return f"{reverse('monitoring:return_edit', kwargs={'pk': monitoring_return.pk})}#{anchor}"

    return url


def _actuals_missing(monitoring_return) -> list[str]:
    missing = monitoring_return.targets_without_actual()
    return [f"Enter the actual for {target.measure} ({target.unit})" for target in missing]


class MonitoringReturnQuerySet(models.QuerySet):
    def overdue(self, *, today: datetime.date):
        """Returns past their due date that the provider has not sent."""
        return self.filter(due_on__lt=today, state__in=EDITABLE_STATES)


class MonitoringReturn(ConcurrentTransitionMixin, models.Model):
    """The return a provider owes for one period of an agreement: actuals against each
    target, the outcomes, a case study, spending, risks and evidence."""

    agreement = models.ForeignKey(
        "procurement.Agreement", on_delete=models.CASCADE, related_name="monitoring_returns"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    state = FSMField(choices=ReturnState.choices, default=ReturnState.DUE, protected=True)

    outcomes_narrative = models.TextField(
        "what the service achieved towards its outcomes", blank=True
    )
    case_study = models.TextField(blank=True)
    case_study_consent = models.BooleanField(
        "the people in the case study agree to it being published", default=False
    )
    spend_in_period = models.DecimalField(
        "spending in the period", max_digits=12, decimal_places=2, null=True, blank=True
    )
    spend_explanation = models.TextField("why spending to date is more than the award", blank=True)
    risks = models.TextField("risks and issues", blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MonitoringReturnQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The portfolio's counts: returns due in a month, and those still open or
            # waiting for review, read without every return ever made.
            models.Index(fields=["due_on"], name="return_due_on"),
            models.Index(fields=["state", "due_on"], name="return_state_due_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period_start"], name="one_return_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="return_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(spend_in_period__isnull=True) | Q(spend_in_period__gte=0),
                name="return_spend_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Return for {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:return_detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def is_overdue(self, *, today: datetime.date) -> bool:
        return self.is_editable and self.due_on < today

    def targets_for_period(self):
        """The agreement's targets for the agreement year(s) this period falls in."""
        from monitoring.periods import agreement_years_overlapping

        years = agreement_years_overlapping(
            agreement=self.agreement, start=self.period_start, end=self.period_end
        )
        return self.agreement.targets.filter(year__in=years).order_by("pk")

    def targets_without_actual(self):
        entered = self.actuals.values("target_id")
        return self.targets_for_period().exclude(pk__in=entered)

    # --- Conditions: pure; `@condition` gives each the words the provider reads -------------

    @condition(
        "An actual for every success measure",
        needed=_actuals_missing,
        link=_form_url("actuals"),
    )
    def has_actuals(self) -> bool:
        return not self.targets_without_actual().exists()

    @condition(
        "What the service achieved towards its outcomes",
        needed="Write what the service achieved towards its outcomes",
        link=_form_url("outcomes_narrative"),
    )
    def has_narrative(self) -> bool:
        return bool(self.outcomes_narrative.strip())

    @condition(
        "Spending in the period",
        needed="Enter how much was spent in the period",
        link=_form_url("spend_in_period"),
    )
    def has_spend(self) -> bool:
        return self.spend_in_period is not None

    @condition(
        "Every actual more than twice this period's share of the target is confirmed",
        needed="Confirm the actuals that are more than twice this period's share of the target",
        link=_form_url("actuals"),
    )
    def high_actuals_confirmed(self) -> bool:
        from monitoring.periods import actual_is_high

        return not any(
            actual_is_high(monitoring_return=self, actual=actual) and not actual.confirmed
            for actual in self.actuals.select_related("target")
        )

    @condition(
        "Spending to date above the award is explained",
        needed="Explain why spending to date is more than the award",
        link=_form_url("spend_explanation"),
    )
    def overspend_explained(self) -> bool:
        from monitoring.periods import spend_to_date

        if self.spend_in_period is None:
            return True
        over = spend_to_date(monitoring_return=self) > self.agreement.amount
        return not over or bool(self.spend_explanation.strip())

    # --- Transitions ---------------------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReturnState.DUE,
        target=ReturnState.DRAFT,
        permission=monitoring_rules.can_edit_return,
        custom={
            "label": "Start the return",
            "explanation": "Start the return: it is saved as a draft until you submit it.",
        },
    )
    def start(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[ReturnState.DRAFT, ReturnState.CHANGES_REQUESTED],
        target=ReturnState.SUBMITTED,
        permission=monitoring_rules.can_edit_return,
        conditions=[
            has_actuals,
            has_narrative,
            has_spend,
            high_actuals_confirmed,
            overspend_explained,
        ],
        custom={
            "label": "Submit the return",
            "explanation": "Send the return to the council. The officer will accept it or ask "
            "for changes.",
        },
    )
    def submit(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReturnState.SUBMITTED,
        target=ReturnState.ACCEPTED,
        permission=monitoring_rules.can_review_return,
        custom={
            "label": "Accept the return",
            "explanation": "Accept the return. It can no longer be changed, and any payment "
            "held until it is accepted is released.",
        },
    )
    def accept(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=ReturnState.SUBMITTED,
        target=ReturnState.CHANGES_REQUESTED,
        permission=monitoring_rules.can_review_return,
        custom={
            "label": "Ask for changes",
            "secondary": True,
            "explanation": "Send the return back to the provider with your comments on each "
            "part that needs changing. They change it and submit it again.",
        },
    )
    def request_changes(self, by=None, description=None):
        pass


class ReturnActual(models.Model):
    """What the provider achieved in the period against one of the agreement's targets."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="actuals"
    )
    target = models.ForeignKey(
        "procurement.AgreementTarget", on_delete=models.CASCADE, related_name="actuals"
    )
    value = models.DecimalField(max_digits=12, decimal_places=2)
    #: The provider answered "Is this right?" yes for this value (more than twice the
    #: period's share of the target). Cleared when the value changes.
    confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "target"], name="one_actual_per_target"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="actual_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target.measure}: {self.value}"


class ReturnAttachment(models.Model):
    """Evidence attached to a return: served only through a permission-checked view."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="monitoring/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class ReturnSubmission(models.Model):
    """Every submitted version of a return, kept: what was sent, when and by whom."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content = models.JSONField(help_text="A snapshot of the return as submitted")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "number"], name="one_return_submission_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.monitoring_return} version {self.number}"


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ReturnReview(models.Model):
    """An officer's decision on one submitted version: accepted, or changes requested with
    comments on the parts that need them."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="reviews"
    )
    submission = models.ForeignKey(
        ReturnSubmission, on_delete=models.CASCADE, related_name="reviews"
    )
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_outcome_display()}"


class ReviewComment(models.Model):
    review = models.ForeignKey(ReturnReview, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=20, choices=Section.choices)
    text = models.TextField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "section"], name="one_comment_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.text[:40]}"


# --- The agreement's RAG status -------------------------------------------------------------------


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class RagStatus(models.Model):
    """The officer's rating of how an agreement is going, with why. Never changed: a new
    rating is a new row, so the history is kept; the latest is the agreement's status."""

    agreement = models.ForeignKey(
        "procurement.Agreement", on_delete=models.CASCADE, related_name="rag_statuses"
    )
    rating = models.CharField(max_length=5, choices=Rating.choices)
    reason = models.TextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [
            # An agreement's latest rating, read from the index alone.
            models.Index(
                fields=["agreement", "-set_at", "-id"],
                include=["rating"],
                name="rag_latest_per_agreement",
            ),
        ]
        verbose_name = "RAG status"
        verbose_name_plural = "RAG statuses"

    def __str__(self) -> str:
        return f"{self.get_rating_display()} from {self.set_at:%Y-%m-%d}"


# --- Payments made and held -----------------------------------------------------------------------


#: The council's payment terms: an invoice is paid within 30 days of being received
#: (the Procurement Act 2023, s.68, implies them into public contracts).
PAYMENT_TERMS_DAYS = 30


class InstalmentPayment(models.Model):
    """The council paid a scheduled instalment: when, and how much.

    Kept against the agreement and the instalment's date as well as the instalment: a
    variation makes the payment schedule again, and what was paid stays paid (it is linked
    again to the new instalment on the same date)."""

    agreement = models.ForeignKey(
        "procurement.Agreement", on_delete=models.CASCADE, related_name="payments_made"
    )
    instalment = models.OneToOneField(
        "procurement.PaymentInstalment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payment_made",
    )
    scheduled_on = models.DateField("the instalment's payment date")
    invoice_received_on = models.DateField(
        "date the invoice was received",
        null=True,
        blank=True,
        help_text="The council pays an invoice within 30 days of receiving it",
    )
    paid_on = models.DateField("date paid")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["scheduled_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_made_positive"),
        ]
        indexes = [
            # The payments made, the latest first, for all years or one: a page of them is
            # read along this index rather than every payment ever made sorted.
            models.Index(fields=["paid_on", "id"], name="payment_made_paid_on"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} paid on {self.paid_on}"

    @property
    def pay_by(self) -> datetime.date | None:
        """The last day of the payment terms: 30 days after the invoice was received."""
        if self.invoice_received_on is None:
            return None
        return self.invoice_received_on + datetime.timedelta(days=PAYMENT_TERMS_DAYS)

    @property
    def days_late(self) -> int:
        """How many days after the end of the payment terms it was paid (0: on time)."""
        pay_by = self.pay_by
        return max((self.paid_on - pay_by).days, 0) if pay_by else 0


class PaymentHold(models.Model):
    """A scheduled instalment held until a return is accepted. Released (when the return is
    accepted) holds are kept, with when."""

    agreement = models.ForeignKey(
        "procurement.Agreement", on_delete=models.CASCADE, related_name="payment_holds"
    )
    instalment = models.ForeignKey(
        "procurement.PaymentInstalment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holds",
    )
    scheduled_on = models.DateField("the instalment's payment date")
    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="payment_holds"
    )
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_at", "-pk"]
        indexes = [
            # The instalments held now (the portfolio's held and due payments), read
            # without the holds released long ago.
            models.Index(
                fields=["instalment"],
                condition=Q(released_at__isnull=True),
                name="payment_hold_live_instalment",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "scheduled_on"],
                condition=Q(released_at__isnull=True),
                name="one_live_hold_per_instalment",
            ),
        ]

    def __str__(self) -> str:
        return f"Held until {self.monitoring_return} is accepted"

    @property
    def is_live(self) -> bool:
        return self.released_at is None


# --- Reminders sent -------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    RETURN_DUE_SOON = "return_due_soon", "Return due soon"
    RETURN_DUE_TODAY = "return_due_today", "Return due today"
    RETURN_OVERDUE = "return_overdue", "Return overdue"
    RETURN_ESCALATED = "return_escalated", "Overdue return, to the lead officer"
    COMPLIANCE_EXPIRING = "compliance_expiring", "Compliance document expiring"
    AGREEMENT_NOT_ACCEPTED = "agreement_not_accepted", "Agreement not yet accepted"


#: The kinds of reminder about each subject.
RETURN_REMINDERS = (
    ReminderKind.RETURN_DUE_SOON,
    ReminderKind.RETURN_DUE_TODAY,
    ReminderKind.RETURN_OVERDUE,
    ReminderKind.RETURN_ESCALATED,
)


class Reminder(models.Model):
    """A reminder the daily sweep (monitoring.reminders) has sent: one row per subject (a
    return, a compliance document or an agreement) and kind, written in the transaction that
    queues its emails. The unique constraints make it once: a second sweep, or one running
    at the same moment, cannot write the row again, and only the sweep that wrote it sends."""

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    compliance_document = models.ForeignKey(
        "providers.ComplianceDocument",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    agreement = models.ForeignKey(
        "procurement.Agreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    recipients = models.PositiveSmallIntegerField("emails sent", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        monitoring_return__isnull=False,
                        compliance_document__isnull=True,
                        agreement__isnull=True,
                    )
                    | Q(
                        monitoring_return__isnull=True,
                        compliance_document__isnull=False,
                        agreement__isnull=True,
                    )
                    | Q(
                        monitoring_return__isnull=True,
                        compliance_document__isnull=True,
                        agreement__isnull=False,
                    )
                ),
                name="reminder_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["monitoring_return", "kind"],
                condition=Q(monitoring_return__isnull=False),
                name="one_reminder_per_return_and_kind",
            ),
            models.UniqueConstraint(
                fields=["compliance_document", "kind"],
                condition=Q(compliance_document__isnull=False),
                name="one_reminder_per_document_and_kind",
            ),
            models.UniqueConstraint(
                fields=["agreement", "kind"],
                condition=Q(agreement__isnull=False),
                name="one_reminder_per_agreement_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} sent {self.created_at:%Y-%m-%d}"


# --- Evaluation, lessons learned and the next cycle (monitoring/models_evaluation.py) -----------

from monitoring.models_evaluation import (  # noqa: E402, F401
    AgreementEvaluation,
    CommissionEvaluation,
    CycleCarryForward,
    Lesson,
    NextCycleKind,
    Recommendation,
)
