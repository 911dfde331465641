"""Reads for monitoring: one return with what is shown beside its figures, the lists each
kind of person sees (each marked overdue from the date in Europe/London), an agreement's
RAG history and its payments made and held.

Nothing here checks who is asking: the views check the `monitoring.*` rules first.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from core.models import User
from core.transitions import Action, ChecklistItem, transition_actions_for, transition_checklist
from core.uploads import MEGABYTE
from monitoring.models import (
    EDITABLE_STATES,
    InstalmentPayment,
    MonitoringReturn,
    PaymentHold,
    RagStatus,
    ReturnAttachment,
    ReturnReview,
    ReturnState,
    ReturnSubmission,
    ReviewOutcome,
    Section,
)
from monitoring.periods import (
    ActualLine,
    actual_lines,
    payments_received,
    spend_before,
)
from procurement.selectors.bids import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_SIZE,
    MAX_ATTACHMENTS_TOTAL,
    describe_megabytes,
)

# Evidence is checked like a bid's attachments (core.uploads): by content, each file under
# 10MB and a return's files 25MB together.
__all__ = ["ATTACHMENT_TYPES", "MAX_ATTACHMENT_SIZE"]


def today() -> datetime.date:
    """Today in Europe/London: what "overdue" is judged by."""
    return timezone.localdate()


# --- Lists ----------------------------------------------------------------------------------------


def returns_with_overdue(queryset: QuerySet[MonitoringReturn]) -> QuerySet[MonitoringReturn]:
    """`is_overdue` on each return: past its due date and not yet sent to the council."""
    return queryset.annotate(
        is_overdue_now=Case(
            When(due_on__lt=today(), state__in=EDITABLE_STATES, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _for_lists(queryset: QuerySet[MonitoringReturn]) -> QuerySet[MonitoringReturn]:
    return returns_with_overdue(
        queryset.select_related(
            "agreement__decision__bid__organisation", "agreement__decision__bid__opportunity"
        )
    )


def returns_for_user(*, user: User, show: str = "") -> QuerySet[MonitoringReturn]:
    """The returns of the person's organisations' accepted agreements, the next due first.
    `show`: "to_do" (not yet sent, or sent back for changes), "sent" or everything."""
    returns = MonitoringReturn.objects.filter(
        agreement__state="accepted",
        agreement__decision__bid__organisation__memberships__user=user,
    )
    if show == "to_do":
        returns = returns.filter(state__in=EDITABLE_STATES)
    elif show == "sent":
        returns = returns.exclude(state__in=EDITABLE_STATES)
    return _for_lists(returns).order_by("due_on", "pk")


def returns_awaiting_review() -> QuerySet[MonitoringReturn]:
    """Returns submitted and waiting for an officer, the longest waiting first."""
    returns = MonitoringReturn.objects.filter(state=ReturnState.SUBMITTED)
    return _for_lists(returns).order_by("submitted_at", "pk")


def returns_overdue() -> QuerySet[MonitoringReturn]:
    """Returns of agreements in delivery past their due date and not yet sent, the longest
    overdue first."""
    returns = MonitoringReturn.objects.filter(agreement__state="accepted").overdue(today=today())
    return _for_lists(returns).order_by("due_on", "pk")


def agreement_returns(*, agreement) -> QuerySet[MonitoringReturn]:
    """An agreement's returns in date order, each marked overdue or not."""
    return returns_with_overdue(agreement.monitoring_returns.all()).order_by("due_on", "pk")


# --- One return -----------------------------------------------------------------------------------


def return_get(*, pk: int) -> MonitoringReturn:
    """The return with its agreement and who sent and accepted it. DoesNotExist if none."""
    return MonitoringReturn.objects.select_related(
        "agreement__decision__bid__organisation",
        "agreement__decision__bid__opportunity__specification__commission__lead_officer",
        "submitted_by",
        "accepted_by",
    ).get(pk=pk)


def return_is_overdue(*, monitoring_return: MonitoringReturn) -> bool:
    return monitoring_return.is_overdue(today=today())


def return_actual_lines(
    *, monitoring_return: MonitoringReturn, values: dict[int, Decimal | None] | None = None
) -> list[ActualLine]:
    return actual_lines(monitoring_return=monitoring_return, values=values)


@dataclass(frozen=True)
class SpendSummary:
    """Spending in the period and to date, beside the award and what has been paid."""

    spend_in_period: Decimal | None
    spend_before: Decimal
    payments_received: Decimal
    award: Decimal

    @property
    def spend_to_date(self) -> Decimal:
        return self.spend_before + (self.spend_in_period or Decimal(0))

    @property
    def over_award(self) -> bool:
        return self.spend_to_date > self.award


def return_spend_summary(
    *, monitoring_return: MonitoringReturn, spend_in_period: Decimal | None = None
) -> SpendSummary:
    """`spend_in_period` when given is what is being typed; otherwise what is saved."""
    return SpendSummary(
        spend_in_period=monitoring_return.spend_in_period
        if spend_in_period is None
        else spend_in_period,
        spend_before=spend_before(monitoring_return=monitoring_return),
        payments_received=payments_received(monitoring_return=monitoring_return),
        award=monitoring_return.agreement.amount,
    )


def return_attachments(*, monitoring_return: MonitoringReturn) -> QuerySet[ReturnAttachment]:
    return monitoring_return.attachments.select_related("uploaded_by")


def return_attachments_total(*, monitoring_return: MonitoringReturn) -> int:
    return monitoring_return.attachments.aggregate(total=Sum("size"))["total"] or 0


def return_attachment_total_problem(*, monitoring_return: MonitoringReturn, adding: int) -> str:
    """The message when a file of `adding` bytes would take the return over its total."""
    total = return_attachments_total(monitoring_return=monitoring_return) + adding
    if total <= MAX_ATTACHMENTS_TOTAL:
        return ""
    return (
        f"Your evidence files must add up to {MAX_ATTACHMENTS_TOTAL // MEGABYTE}MB or less. "
        f"This file would take them to {describe_megabytes(total)}"
    )


def return_submissions(*, monitoring_return: MonitoringReturn) -> QuerySet[ReturnSubmission]:
    return monitoring_return.submissions.select_related("submitted_by").order_by("number")


def return_reviews(*, monitoring_return: MonitoringReturn) -> QuerySet[ReturnReview]:
    return monitoring_return.reviews.select_related("reviewed_by", "submission").prefetch_related(
        "comments"
    )


def return_comments_to_answer(*, monitoring_return: MonitoringReturn) -> dict[str, str]:
    """While changes are requested: the officer's comments, by section."""
    if monitoring_return.state != ReturnState.CHANGES_REQUESTED:
        return {}
    review = (
        monitoring_return.reviews.filter(outcome=ReviewOutcome.CHANGES_REQUESTED)
        .prefetch_related("comments")
        .first()
    )
    if review is None:
        return {}
    return {comment.section: comment.text for comment in review.comments.all()}


def return_checklist(*, monitoring_return: MonitoringReturn) -> list[ChecklistItem]:
    """What submitting still needs, and whether each is there."""
    return transition_checklist(instance=monitoring_return, name="submit")


def return_actions_for(*, monitoring_return: MonitoringReturn, user: User) -> list[Action]:
    return transition_actions_for(instance=monitoring_return, user=user)


def return_snapshot(*, monitoring_return: MonitoringReturn) -> dict:
    """Everything in the return as it stands, as JSON: kept with each submitted version."""

    def decimal(value) -> str | None:
        return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))

    spend = return_spend_summary(monitoring_return=monitoring_return)
    return {
        "period_start": monitoring_return.period_start.isoformat(),
        "period_end": monitoring_return.period_end.isoformat(),
        "period_label": monitoring_return.period_label,
        "actuals": [
            {
                "target_id": line.target.pk,
                "measure": line.target.measure,
                "unit": line.target.unit,
                "year": line.target.year,
                "year_target": decimal(line.year_target),
                "period_target": decimal(line.period_target),
                "actual": decimal(line.actual),
                "confirmed": line.confirmed,
                "cumulative_actual": decimal(line.cumulative_actual),
                "cumulative_target": decimal(line.cumulative_target),
            }
            for line in return_actual_lines(monitoring_return=monitoring_return)
        ],
        "outcomes_narrative": monitoring_return.outcomes_narrative,
        "case_study": monitoring_return.case_study,
        "case_study_consent": monitoring_return.case_study_consent,
        "spend_in_period": decimal(spend.spend_in_period),
        "spend_to_date": decimal(spend.spend_to_date),
        "payments_received": decimal(spend.payments_received),
        "award": decimal(spend.award),
        "spend_explanation": monitoring_return.spend_explanation,
        "risks": monitoring_return.risks,
        "attachments": [
            {"name": a.original_name, "size": a.size} for a in monitoring_return.attachments.all()
        ],
    }


SECTIONS = list(Section)


# --- RAG ------------------------------------------------------------------------------------------


def agreement_rag_history(*, agreement) -> QuerySet[RagStatus]:
    """Every rating given to the agreement, the latest (its status now) first."""
    return agreement.rag_statuses.select_related("set_by").order_by("-set_at", "-pk")


def agreement_rag_current(*, agreement) -> RagStatus | None:
    return agreement_rag_history(agreement=agreement).first()


# --- Payments -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRow:
    """A scheduled instalment with what was paid and what holds it."""

    instalment: object  # procurement.PaymentInstalment
    paid: InstalmentPayment | None
    hold: PaymentHold | None

    @property
    def held_message(self) -> str:
        if self.hold is None:
            return ""
        return (
            f"Held: the return for {self.hold.monitoring_return.period_label} is not yet accepted"
        )


def agreement_payment_rows(*, agreement) -> list[PaymentRow]:
    """Each scheduled payment of the agreement, paid or held or neither."""
    live_holds = PaymentHold.objects.filter(released_at__isnull=True).select_related(
        "monitoring_return"
    )
    instalments = agreement.payments.select_related("payment_made").prefetch_related(
        Prefetch("holds", queryset=live_holds, to_attr="live_holds")
    )
    rows = []
    for instalment in instalments:
        paid = getattr(instalment, "payment_made", None)
        hold = instalment.live_holds[0] if instalment.live_holds else None
        rows.append(PaymentRow(instalment=instalment, paid=paid, hold=hold))
    return rows


def agreement_held_messages(*, agreement) -> list[str]:
    """ "Held: the return for Apr–Jun 2027 is not yet accepted", for each payment held."""
    holds = agreement.payment_holds.filter(released_at__isnull=True).select_related(
        "monitoring_return"
    )
    return [
        f"Held: the return for {hold.monitoring_return.period_label} is not yet accepted"
        for hold in holds.order_by("scheduled_on", "pk")
    ]


def agreement_payments_received(*, agreement) -> Decimal:
    total = agreement.payments_made.aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def returns_not_accepted(*, agreement) -> QuerySet[MonitoringReturn]:
    """The returns a payment can be held for: not yet accepted."""
    return agreement.monitoring_returns.exclude(state=ReturnState.ACCEPTED).order_by("due_on")


def agreements_with_live_hold(queryset):
    holds = PaymentHold.objects.filter(agreement=OuterRef("pk"), released_at__isnull=True)
    return queryset.annotate(has_live_hold=Exists(holds))


# --- Social Return on Investment (monitoring.sroi) ------------------------------------------------


@dataclass(frozen=True)
class MeasureQuantity:
    """A success measure of the agreements' targets, the quantity their ACCEPTED returns
    report for it (added up across periods, years and agreements), and the financial proxy
    that values it (None when it has none)."""

    measure_id: int | None  # the SuccessMeasure; None for a target not made from one
    measure: str
    unit: str
    outcome: str
    quantity: Decimal
    proxy: object  # commissioning.FinancialProxy | None


def sroi_agreements_of_commission(*, commission) -> QuerySet:
    """The commission's agreements in delivery (accepted by the provider)."""
    from procurement.models import Agreement

    return Agreement.objects.filter(
        decision__bid__opportunity__specification__commission=commission, state="accepted"
    )


def sroi_investment(*, agreements) -> Decimal:
    """What the council invested: the agreements' awards added up."""
    return agreements.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def sroi_quantities(*, agreements) -> list[MeasureQuantity]:
    """For each success measure of the agreements' targets, in the order first agreed: the
    quantity from their accepted returns only (submitted figures do not count until an
    officer accepts them). Three queries, however many agreements, targets and returns."""
    from commissioning.models import SuccessMeasure
    from monitoring.models import ReturnActual
    from procurement.models import AgreementTarget

    measure_of = "specification_measure__measure_id"
    targets = (
        AgreementTarget.objects.filter(agreement__in=agreements)
        .order_by("pk")
        .values_list(measure_of, "measure", "unit", "outcome")
    )
    totals = {
        (measure_id, name): total
        for measure_id, name, total in ReturnActual.objects.filter(
            target__agreement__in=agreements, monitoring_return__state=ReturnState.ACCEPTED
        )
        .values_list(f"target__{measure_of}", "target__measure")
        .annotate(total=Sum("value"))
        .values_list(f"target__{measure_of}", "target__measure", "total")
        .order_by()
    }
    lines: dict = {}
    for measure_id, name, unit, outcome in targets:
        key = measure_id if measure_id is not None else name
        if key not in lines:
            lines[key] = {"measure_id": measure_id, "name": name, "unit": unit, "outcome": outcome}
        elif not lines[key]["outcome"]:
            lines[key]["outcome"] = outcome
    measures = SuccessMeasure.objects.select_related("proxy_link__proxy").in_bulk(
        [key for key in lines if isinstance(key, int)]
    )
    quantity_of: dict = {}
    for (measure_id, name), total in totals.items():
        key = measure_id if measure_id is not None else name
        quantity_of[key] = quantity_of.get(key, Decimal(0)) + total

    result = []
    for key, line in lines.items():
        measure = measures.get(key) if isinstance(key, int) else None
        link = getattr(measure, "proxy_link", None) if measure is not None else None
        result.append(
            MeasureQuantity(
                measure_id=line["measure_id"],
                measure=measure.name if measure is not None else line["name"],
                unit=measure.unit if measure is not None else line["unit"],
                outcome=line["outcome"],
                quantity=quantity_of.get(key, Decimal(0)),
                proxy=link.proxy if link is not None else None,
            )
        )
    return result
