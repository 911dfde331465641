"""Reads for opportunity alerts: which published opportunities an alert's filter matches,
and which each person has not yet been told of."""

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from commissioning.models import Area, Commission
from procurement.models import Opportunity, OpportunityAlert, OpportunityAlertSent


def opportunities_matching(
    *, sectors=(), priorities=(), areas=(), queryset: QuerySet[Opportunity] | None = None
) -> QuerySet[Opportunity]:
    """Published opportunities whose commission is in one of `sectors`, serves one of
    `priorities` and works in one of `areas` (an area takes in its wards); an empty choice
    matches every opportunity."""
    queryset = Opportunity.objects.published() if queryset is None else queryset
    if sectors:
        queryset = queryset.filter(specification__commission__sector__in=list(sectors))
    if priorities:
        commissions = Commission.objects.filter(priorities__in=list(priorities)).values("pk")
        queryset = queryset.filter(specification__commission__in=commissions)
    if areas:
        chosen = [area.pk for area in areas]
        places = Area.objects.filter(Q(pk__in=chosen) | Q(parent__in=chosen)).values("pk")
        commissions = Commission.objects.filter(areas__in=places).values("pk")
        queryset = queryset.filter(specification__commission__in=commissions)
    return queryset


def opportunity_alert_get(*, user) -> OpportunityAlert | None:
    if not user.is_authenticated:
        return None
    return (
        OpportunityAlert.objects.filter(user=user)
        .prefetch_related("sectors", "priorities", "areas")
        .first()
    )


def alert_opportunities(*, alert: OpportunityAlert) -> QuerySet[Opportunity]:
    """What the alert's filter matches, newest first (its Atom feed)."""
    return opportunities_matching(
        sectors=list(alert.sectors.all()),
        priorities=list(alert.priorities.all()),
        areas=list(alert.areas.all()),
    )


def alerts_due(*, now=None) -> Iterator[tuple[OpportunityAlert, Opportunity]]:
    """Every (alert, opportunity) whose person should be told of it and has not been: open
    opportunities (not past their deadline) published since the alert was set up that its
    filter matches. A fixed number of queries per alert."""
    now = now or timezone.now()
    alerts = (
        OpportunityAlert.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .prefetch_related("sectors", "priorities", "areas")
        .order_by("pk")
    )
    for alert in alerts:
        told = OpportunityAlertSent.objects.filter(user=alert.user, opportunity=OuterRef("pk"))
        found = (
            alert_opportunities(alert=alert)
            .filter(state="published", published_at__gte=alert.created_at, closes_at__gt=now)
            .exclude(Exists(told))
            .select_related("specification__commission__sector")
            .order_by("published_at", "pk")
        )
        for opportunity in found:
            yield alert, opportunity
