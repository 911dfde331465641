"""Reads for the panel: who is on it, what they must declare, what is assigned to them,
their scores, and whether a commission's assessment is complete."""

from django.db.models import Exists, OuterRef

from procurement.models import Assignment, Bid, BidState, Opportunity


def commission_bids_received(*, commission):
    """The bids received (submitted) for any of the commission's opportunities."""
    return Bid.objects.filter(
        opportunity__specification__commission=commission, state=BidState.SUBMITTED
    )


def commission_bidding_has_closed(*, commission) -> bool:
    opportunities = list(Opportunity.objects.filter(specification__commission=commission))
    return bool(opportunities) and all(
        opportunity.is_published and opportunity.has_closed() for opportunity in opportunities
    )


def commission_scores_are_complete(*, commission) -> bool:
    bids = commission_bids_received(commission=commission)
    if not bids.exists():
        return False
    active = Assignment.objects.filter(bid=OuterRef("pk"), conflict__isnull=True)
    if bids.exclude(Exists(active)).exists():
        return False
    return not Assignment.objects.filter(
        bid__in=bids, conflict__isnull=True, submitted_at__isnull=True
    ).exists()


def commission_conflicts_are_resolved(*, commission) -> bool:
    return not Assignment.objects.filter(
        bid__opportunity__specification__commission=commission,
        conflict__isnull=False,
        conflict_resolved_at__isnull=True,
    ).exists()
