"""Do, part 2: agreements. Each approved award becomes a grant agreement or a contract
whose outcomes, success measures and targets come from the specification and the bid; the
provider accepts it online; variations are approved and every version is kept."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.transitions import condition
from procurement import rules as procurement_rules


class AgreementState(models.TextChoices):
    DRAFT = "draft", "Being prepared"
    ISSUED = "issued", "Sent to the provider"
    ACCEPTED = "accepted", "Accepted: in delivery"


class MonitoringFrequency(models.TextChoices):
    QUARTERLY = "quarterly", "Every quarter"
    SIX_MONTHLY = "six_monthly", "Every six months"
    ANNUAL = "annual", "Every year"


MONTHS_OF_FREQUENCY = {
    MonitoringFrequency.QUARTERLY: 3,
    MonitoringFrequency.SIX_MONTHLY: 6,
    MonitoringFrequency.ANNUAL: 12,
}


def _standstill_words(agreement) -> str:
    from core.templatetags.portal import govuk_date, govuk_datetime

    ends = agreement.decision.standstill_ends_on
    if ends is None:
        return (
            "Publish the contract award notice once every bidder has its assessment summary: "
            "the standstill period of 8 working days begins that day"
        )
    sendable = timezone.make_aware(dt.datetime.combine(ends + dt.timedelta(days=1), dt.time()))
    return (
        f"The standstill period ends at the end of {govuk_date(ends)}. You can send this "
        f"contract from {govuk_datetime(sendable)}"
    )


def _notices_url(agreement) -> str:
    return reverse(
        "procurement:procurement_notices", kwargs={"pk": agreement.decision.bid.opportunity_id}
    )


def _conflicts_assessment_url(agreement) -> str:
    return reverse(
        "procurement:conflicts_assessment", kwargs={"pk": agreement.decision.bid.opportunity_id}
    )


class Agreement(ConcurrentTransitionMixin, models.Model):
    """The grant agreement or contract made from an approved award."""

    decision = models.OneToOneField(
        "procurement.AwardDecision", on_delete=models.PROTECT, related_name="agreement"
    )
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(
        "type of agreement",
        max_length=10,
        choices=[("grant", "Grant agreement"), ("contract", "Contract")],
    )
    purpose = models.TextField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")
    monitoring_frequency = models.CharField(
        "how often monitoring returns are due",
        max_length=12,
        choices=MonitoringFrequency.choices,
        default=MonitoringFrequency.QUARTERLY,
    )
    communications = models.TextField(
        "communications arrangements",
        blank=True,
        help_text="Who the contacts are, how often you meet, how the council's support is "
        "acknowledged",
    )
    special_conditions = models.TextField(blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    state = FSMField(choices=AgreementState.choices, default=AgreementState.DRAFT, protected=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        indexes = [
            # The staff list, newest first: a page of it is read from the index, not
            # sorted from every agreement.
            models.Index(fields=["-created_at", "-id"], name="agreement_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="agreement_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="agreement_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:agreement_detail", kwargs={"pk": self.pk})

    @property
    def bid(self):
        return self.decision.bid

    @property
    def organisation(self):
        return self.decision.bid.organisation

    # --- Conditions: pure; `@condition` gives each the words the officer reads --------------

    @condition("The payment instalments add up to the amount of the agreement.")
    def payments_add_up(self) -> bool:
        total = sum((p.amount for p in self.payments.all()), start=0)
        return bool(self.payments.all()) and total == self.amount

    @condition("The monitoring schedule has at least one return due.")
    def has_monitoring_schedule(self) -> bool:
        return self.monitoring_returns.exists()

    @condition("The success measures and their targets are in the agreement.")
    def has_targets(self) -> bool:
        return self.targets.exists()

    @condition(
        "For a contract, the contract award notice is published and the standstill period "
        "after it has ended (bidders could challenge the award until then).",
        needed=_standstill_words,
        link=_notices_url,
    )
    def standstill_has_ended(self) -> bool:
        """Procurement Act 2023, s.51: a contract is not entered into until the standstill
        period, which the contract award notice starts, has ended. Grants have none."""
        ends = self.decision.standstill_ends_on
        if ends is None:
            return self.kind != "contract"
        return timezone.localdate() > ends

    @condition(
        "For a contract, the conflicts assessment is reviewed at the award: everyone involved "
        "has declared their interests again (Procurement Act 2023, s.83).",
        needed="Review the conflicts assessment at the award: everyone involved declares their "
        "interests again",
        link=_conflicts_assessment_url,
        link_permission="procurement.declare_officer_interests",
    )
    def conflicts_reviewed_at_award(self) -> bool:
        """Procurement Act 2023, s.83: the conflicts assessment is kept under review up to
        the contract; its review at the award stage is recorded. Grants are outside it."""
        if self.kind != "contract":
            return True
        return self.decision.bid.opportunity.conflicts_assessments.filter(stage="award").exists()

    # --- Transitions ---------------------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=AgreementState.DRAFT,
        target=AgreementState.ISSUED,
        permission=procurement_rules.can_manage_agreement,
        conditions=[
            payments_add_up,
            has_monitoring_schedule,
            has_targets,
            standstill_has_ended,
            conflicts_reviewed_at_award,
        ],
        custom={
            "label": "Send to the provider to accept",
            "explanation": "Send the agreement to the provider to read and accept.",
        },
    )
    def issue(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=AgreementState.ISSUED,
        target=AgreementState.DRAFT,
        permission=procurement_rules.can_manage_agreement,
        custom={
            "label": "Take back to change",
            "secondary": True,
            "reason_required": True,
            "explanation": "Take the agreement back from the provider to change it before they "
            "accept.",
        },
    )
    def withdraw(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=AgreementState.ISSUED,
        target=AgreementState.ACCEPTED,
        permission=procurement_rules.can_accept_agreement,
        conditions=[payments_add_up],
        custom={
            "label": "Accept the agreement",
            "internal": True,
            "explanation": "The provider accepts the agreement: delivery starts.",
        },
    )
    def accept(self, by=None, description=None):
        pass


class AgreementTarget(models.Model):
    """A success measure's target for one year, copied from the specification."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    outcome = models.TextField(blank=True)
    measure = models.CharField(max_length=200)
    unit = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    target = models.DecimalField(max_digits=12, decimal_places=2)
    specification_measure = models.ForeignKey(
        "commissioning.SpecificationMeasure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="agreement_target_ok"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}, year {self.year}: {self.target}"


class PaymentInstalment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField("payment date")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.amount}"


class AgreementVersion(models.Model):
    """The agreement's terms as they stood at one version: kept for ever."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    terms = models.JSONField(help_text="Amount, dates, targets, payments and schedule")
    variation = models.OneToOneField(
        "procurement.Variation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="version_made",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} version {self.number}"


class VariationState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Variation(ConcurrentTransitionMixin, models.Model):
    """A proposed change to an accepted agreement's targets, amounts or dates."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField()
    reason = models.TextField("why the change is needed")
    changes = models.JSONField(
        help_text="The proposed terms: ends_on, payments [{due_on, amount, description}], "
        "targets {target id: value}"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_by_provider = models.BooleanField(default=False)
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = FSMField(
        choices=VariationState.choices, default=VariationState.PROPOSED, protected=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_variation_number")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} variation {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "procurement:variation_detail",
            kwargs={"pk": self.agreement_id, "number": self.number},
        )

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=VariationState.PROPOSED,
        target=VariationState.APPROVED,
        permission=procurement_rules.can_decide_variation,
        custom={
            "label": "Approve the variation",
            "explanation": "An approver who did not propose it approves the change: a new version "
            "is made.",
        },
    )
    def approve(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=VariationState.PROPOSED,
        target=VariationState.REJECTED,
        permission=procurement_rules.can_decide_variation,
        custom={
            "label": "Do not approve",
            "reason_required": True,
            "destructive": True,
            "explanation": "An approver turns the change down, with reasons.",
        },
    )
    def reject(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=VariationState.PROPOSED,
        target=VariationState.WITHDRAWN,
        permission=procurement_rules.can_withdraw_variation,
        custom={
            "label": "Withdraw the proposal",
            "secondary": True,
            "explanation": "Whoever proposed the change takes it back.",
        },
    )
    def withdraw(self, by=None, description=None):
        pass
