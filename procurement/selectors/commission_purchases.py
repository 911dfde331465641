"""What a commission bought, for its page from the Do stage on: each award with its
agreement, the agreement's state, its monitoring returns and latest RAG rating, and the
next thing to do about it. A fixed number of queries however many awards there are."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission
from core.templatetags.portal import govuk_date
from monitoring.models import EDITABLE_STATES, MonitoringReturn, RagStatus, ReturnState
from procurement.models import Agreement, AgreementState, AwardDecision
from procurement.models.awards import Outcome


@dataclass(frozen=True)
class PurchaseRow:
    """One award of the commission and where it has got to."""

    decision: AwardDecision
    agreement: Agreement | None
    state: str
    rag: RagStatus | None
    next_action: str
    next_url: str = ""
    # The rule the page at next_url checks, and its object: the link is shown only to those
    # it lets in ({% has_perm %} on the commission page).
    next_permission: str = ""
    next_object: object = None


def _row(decision: AwardDecision) -> PurchaseRow:
    bid = decision.bid
    agreement = getattr(decision, "agreement", None)
    if decision.approved_at is None:
        return PurchaseRow(
            decision,
            None,
            "Recommended, waiting for approval",
            None,
            "Approve the awards",
            reverse("procurement:recommendation", kwargs={"pk": bid.opportunity_id}),
            "procurement.view_recommendation",
        )
    if decision.outcome != Outcome.SUCCESSFUL:
        return PurchaseRow(decision, None, "Not funded", None, "")
    if agreement is None:
        return PurchaseRow(
            decision,
            None,
            "Awarded",
            None,
            "Make the agreement",
            reverse("procurement:staff_agreements"),
            "procurement.view_agreement",
        )
    url = reverse("procurement:agreement_detail", kwargs={"pk": agreement.pk})
    rags = list(agreement.rag_statuses.all())
    rag = rags[0] if rags else None
    if agreement.state == AgreementState.DRAFT:
        return PurchaseRow(
            decision,
            agreement,
            agreement.get_state_display(),
            rag,
            "Send the agreement",
            url,
            "procurement.view_agreement",
            agreement,
        )
    if agreement.state == AgreementState.ISSUED:
        return PurchaseRow(
            decision,
            agreement,
            agreement.get_state_display(),
            rag,
            f"Waiting for {bid.organisation.name} to accept it",
            url,
            "procurement.view_agreement",
            agreement,
        )
    returns = list(agreement.monitoring_returns.all())
    submitted = next((r for r in returns if r.state == ReturnState.SUBMITTED), None)
    monitoring = reverse("monitoring:agreement_monitoring", kwargs={"pk": agreement.pk})
    permission, target = "monitoring.view_returns", None
    if submitted is not None:
        action = f"Review the return for {submitted.period_label}"
        url = reverse("monitoring:return_detail", kwargs={"pk": submitted.pk})
        permission, target = "monitoring.view_return", submitted
    elif rag is None:
        action, url = (
            "Give it a RAG rating",
            reverse("monitoring:rag_set", kwargs={"pk": agreement.pk}),
        )
        permission = "monitoring.set_rag"
    else:
        due = next((r for r in returns if r.state in EDITABLE_STATES), None)
        if due is None:
            action = "Every return is in"
        elif due.due_on < timezone.localdate():
            action = f"Chase the return that was due {govuk_date(due.due_on)}"
        else:
            action = f"Next return due {govuk_date(due.due_on)}"
        url = monitoring
    return PurchaseRow(
        decision,
        agreement,
        agreement.get_state_display(),
        rag,
        action,
        url,
        permission,
        target,
    )


def commission_purchases(*, commission: Commission) -> list[PurchaseRow]:
    """Every award decision for the commission's opportunities, by opportunity and bid."""
    decisions = (
        AwardDecision.objects.filter(bid__opportunity__specification__commission=commission)
        .select_related("bid__organisation", "bid__opportunity", "agreement")
        .prefetch_related(
            Prefetch("agreement__rag_statuses", queryset=RagStatus.objects.order_by("-set_at")),
            Prefetch(
                "agreement__monitoring_returns",
                queryset=MonitoringReturn.objects.order_by("due_on", "pk"),
            ),
        )
        .order_by("bid__opportunity__reference", "bid__reference")
    )
    return [_row(decision) for decision in decisions]
