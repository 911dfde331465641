"""Writes for award decisions: approving a commission's awards, and telling every bidder.

An approver approves the awards by moving the commission from award_approval to delivery
(`commissioning.services.commissions.commission_transition(name="approve_awards")`), which
checks that they did not recommend them and calls `awards_approve` in the same
transaction.
"""

from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, organisation_members_email
from core.models import User
from core.outbox import outbox_enqueue
from procurement import tasks
from procurement.models import AwardDecision
from procurement.selectors import decisions as selectors
from procurement.selectors.assessment import commission_bids_received


def awards_approve(*, commission, approved_by: User) -> list[AwardDecision]:
    """Make the recommended decisions on the commission's bids received the council's
    decisions, as approved by `approved_by` today (Europe/London).

    For a contract, the standstill period starts only when the contract award notice is
    published, once every bidder has its assessment summary (the emails sent here): see
    `procurement.services.notices`. Each successful award becomes an
    agreement (a draft for the officer to complete and send), and once the transaction
    commits every bidder, successful or not, is emailed the decision with their feedback.

    Call it only from the commission's `approve_awards` transition, which checks who may
    approve; decisions already approved are left as they are. Returns the decisions
    approved now.
    """
    from procurement.services.agreements import agreement_create

    now = timezone.now()
    today = timezone.localdate(now)
    decisions = list(
        AwardDecision.objects.filter(
            bid__in=commission_bids_received(commission=commission), approved_at__isnull=True
        )
        .select_related("bid__opportunity", "bid__organisation")
        .order_by("bid__reference")
    )
    for decision in decisions:
        decision.approved_by = approved_by
        decision.approved_at = now
        decision.decided_on = today
        decision.save(update_fields=["approved_by", "approved_at", "decided_on"])
        if decision.is_successful:
            agreement_create(decision=decision, created_by=approved_by)
        outbox_enqueue(task=tasks.decision_email_send, args=[decision.pk])
    return decisions


def decision_email_send(*, decision: AwardDecision) -> int:
    """Email the decision to every member of the bid's lead organisation: the outcome, the
    amount and conditions or the reasons, each question's moderated score and reasons, the
    weighted total, the end of the standstill period for a contract, and a link to the
    feedback page. Records when they were told. Returns how many emails were sent."""
    feedback = selectors.decision_feedback(decision=decision)
    bid = decision.bid
    sent = organisation_members_email(
        organisation=bid.organisation,
        template="procurement/email/decision",
        context={
            "decision": decision,
            "bid": bid,
            "opportunity": bid.opportunity,
            "feedback": feedback,
            "total_words": selectors.score_total_words(feedback.total),
            "feedback_url": absolute_url(
                reverse("procurement:bid_feedback", kwargs={"pk": bid.pk})
            ),
        },
    )
    AwardDecision.objects.filter(pk=decision.pk).update(notified_at=timezone.now())
    decision.refresh_from_db(fields=["notified_at"])
    return sent
