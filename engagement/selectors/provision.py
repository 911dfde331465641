"""Reads of the map of existing service provision."""

from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from commissioning.models import Area, CorporatePriority
from engagement.models import ServiceProvision
from engagement.selectors.evidence import area_filter


def provision_list(
    *,
    priority: CorporatePriority | None = None,
    area: Area | None = None,
    status: str = "",
) -> QuerySet[ServiceProvision]:
    """Existing services in name order, narrowed by the filters given.

    An area matches services tagged with it or with one of its wards. The area filter is a
    subquery, so each service appears once and `provision_total_value` adds it up once.
    """
    services = ServiceProvision.objects.all()
    if priority is not None:
        services = services.filter(priority=priority)
    if area is not None:
        services = services.filter(
            pk__in=ServiceProvision.areas.through.objects.filter(area_filter(area)).values(
                "serviceprovision_id"
            )
        )
    if status:
        services = services.filter(status=status)
    return services.select_related("organisation", "priority").prefetch_related(
        Prefetch("areas", queryset=Area.objects.select_related("parent"))
    )


def provision_total_value(services: QuerySet[ServiceProvision]) -> Decimal:
    """The annual value of the services given, added up in one query."""
    total = services.order_by().aggregate(total=Sum("annual_value"))["total"]
    return total or Decimal("0")
