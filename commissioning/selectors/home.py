"""Reads for the public home page: what is open now, what the council has decided and what
it plans, each with its latest few items. A fixed number of queries, however many there
are of each."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Sum
from django.utils import timezone

from commissioning.models import CommissioningPlan, PlanState
from procurement.models import AwardDecision, Opportunity
from procurement.selectors.decisions import (
    REGISTER_ORDER,
    RegisterEntry,
    decisions_latest,
    register_entry,
)
from procurement.selectors.opportunities import OpportunityEntry, opportunity_entries

LATEST = 3


@dataclass(frozen=True)
class HomePage:
    open_opportunities: list[OpportunityEntry]
    open_count: int
    decisions: list[RegisterEntry]
    decision_count: int
    plans: list[CommissioningPlan]


def home_page(*, now: dt.datetime | None = None, latest: int = LATEST) -> HomePage:
    """The opportunities open now, closing soonest first; the latest awards, newest first;
    the plans in force, most recently published first. Five queries."""
    now = now or timezone.now()
    open_now = (
        Opportunity.objects.published()
        .filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("specification__commission__sector")
        .order_by("closes_at", "pk")
    )
    plans = (
        CommissioningPlan.objects.filter(state=PlanState.PUBLISHED)
        .select_related("sector")
        .annotate(
            specification_count=Count("specifications", distinct=True),
            total_budget=Sum("specifications__budget"),
        )
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
    )
    return HomePage(
        open_opportunities=opportunity_entries(opportunities=open_now[:latest], now=now),
        open_count=open_now.count(),
        decisions=[
            register_entry(decision=decision)
            for decision in decisions_latest(order=REGISTER_ORDER, count=latest)
        ],
        decision_count=AwardDecision.objects.published_awards().count(),
        plans=list(plans[:latest]),
    )
