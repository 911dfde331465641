"""Reads for moderation and ranking: every bid's scores side by side, weighted totals, the
ranked list within the budget, and whether a commission's award recommendation is whole."""

from django.db.models import Count, F, Q, Sum

from procurement.models import BidState, Opportunity, Outcome
from procurement.selectors.assessment import commission_bids_received


def commission_has_award_recommendation(*, commission) -> bool:
    bids = commission_bids_received(commission=commission).annotate(
        questions=Count("opportunity__questions", distinct=True),
        moderated=Count("moderated_scores", distinct=True),
    )
    if not bids.exists():
        return False
    if bids.filter(moderated__lt=F("questions")).exists():
        return False
    if bids.filter(decision__isnull=True).exists():
        return False
    opportunities = Opportunity.objects.filter(specification__commission=commission).annotate(
        awarded=Sum(
            "bids__decision__amount",
            filter=Q(bids__decision__outcome=Outcome.SUCCESSFUL, bids__state=BidState.SUBMITTED),
        )
    )
    return all((opportunity.awarded or 0) <= opportunity.budget for opportunity in opportunities)
