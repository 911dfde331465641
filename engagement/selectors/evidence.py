"""Reads of the local needs assessment: the evidence behind a commission."""

from django.db.models import Prefetch, Q, QuerySet

from commissioning.models import Area, Commission, CorporatePriority
from engagement.models import EvidenceItem, Gap


def area_filter(area: Area) -> Q:
    """Tagged with the area itself or, for a town or rural area, with one of its wards."""
    return Q(area=area) | Q(area__parent=area)


def evidence_list(
    *,
    category: str = "",
    priority: CorporatePriority | None = None,
    area: Area | None = None,
    commission: Commission | None = None,
) -> QuerySet[EvidenceItem]:
    """Evidence items, newest first, narrowed by the filters given.

    Each filter is a subquery so an item tagged twice is listed once; tags are prefetched,
    so the list costs the same number of queries however long it is.
    """
    items = EvidenceItem.objects.all()
    if category:
        items = items.filter(category=category)
    if priority is not None:
        items = items.filter(
            pk__in=EvidenceItem.priorities.through.objects.filter(
                corporatepriority=priority
            ).values("evidenceitem_id")
        )
    if area is not None:
        items = items.filter(
            pk__in=EvidenceItem.areas.through.objects.filter(area_filter(area)).values(
                "evidenceitem_id"
            )
        )
    if commission is not None:
        items = items.filter(
            pk__in=EvidenceItem.commissions.through.objects.filter(commission=commission).values(
                "evidenceitem_id"
            )
        )
    return items.prefetch_related(
        "priorities",
        Prefetch("areas", queryset=Area.objects.select_related("parent")),
        Prefetch("commissions", queryset=Commission.objects.order_by("reference")),
    )


def evidence_get(*, pk: int) -> EvidenceItem:
    """One evidence item with its tags and the gaps that cite it; raises DoesNotExist."""
    return (
        EvidenceItem.objects.select_related("recorded_by")
        .prefetch_related(
            "priorities",
            Prefetch("areas", queryset=Area.objects.select_related("parent")),
            Prefetch("commissions", queryset=Commission.objects.order_by("reference")),
            Prefetch(
                "gaps",
                queryset=Gap.objects.select_related("commission", "priority", "area"),
            ),
        )
        .get(pk=pk)
    )
