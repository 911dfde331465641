"""Reads for the framework's periods: every period, and the period a commission belongs to
(whose priorities, themes and criteria it uses)."""

from django.db.models import Count, QuerySet

from commissioning.models import Commission, CorporatePriority, Framework


def frameworks_list() -> QuerySet[Framework]:
    """Every framework period, latest first, with how many priorities and commissions each
    has."""
    return Framework.objects.order_by("-period_start", "-pk")


def frameworks_earlier(*, framework: Framework | None) -> list[Framework]:
    """The periods other than `framework`, latest first: their pages stay published."""
    if framework is None:
        return []
    return list(
        frameworks_list()
        .exclude(pk=framework.pk)
        .only("slug", "title", "period_start", "period_end")
    )


def framework_public_get(*, slug: str) -> Framework:
    """Any period of the framework by its address (Framework.DoesNotExist if none)."""
    return Framework.objects.get(slug=slug)


def framework_priority_counts() -> dict[int, int]:
    """How many commissions name each framework's priorities, by framework."""
    rows = (
        CorporatePriority.objects.values("framework_id")
        .annotate(commissions=Count("commissions", distinct=True))
        .order_by()
    )
    return {row["framework_id"]: row["commissions"] for row in rows}


def framework_of_commission(*, commission: Commission | None) -> Framework | None:
    """The framework period a commission was opened in: the one its priorities belong to.
    A new commission (or one with no priorities yet) belongs to the framework in force."""
    if commission is not None and commission.pk:
        framework_id = (
            CorporatePriority.objects.filter(commissions=commission)
            .values_list("framework_id", flat=True)
            .first()
        )
        if framework_id is not None:
            return Framework.objects.get(pk=framework_id)
    return Framework.objects.current()
