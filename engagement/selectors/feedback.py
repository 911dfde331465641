"""Reads of feedback from individuals, communities and providers."""

from django.db.models import Prefetch, QuerySet

from commissioning.models import Area, Commission, CorporatePriority
from commissioning.models.commission import CommissionState
from engagement.models import EngagementEvent, Feedback

# Providers give feedback online about commissions still being understood or planned.
STATES_OPEN_FOR_FEEDBACK = (CommissionState.UNDERSTANDING, CommissionState.PLANNING)


def commissions_open_for_feedback() -> QuerySet[Commission]:
    return Commission.objects.filter(state__in=STATES_OPEN_FOR_FEEDBACK).order_by("title")


def _feedback() -> QuerySet[Feedback]:
    return Feedback.objects.select_related(
        "commission", "event", "organisation", "submitted_by", "recorded_by"
    ).prefetch_related(
        Prefetch("priorities", queryset=CorporatePriority.objects.order_by("order", "name")),
        Prefetch("areas", queryset=Area.objects.order_by("name")),
    )


def feedback_staff_list(
    *,
    commission: Commission | None = None,
    source: str = "",
    priority: CorporatePriority | None = None,
) -> QuerySet[Feedback]:
    """All feedback, latest received first, optionally for one commission, source or priority.

    Three queries for a page of rows however many rows it has (the rows, priorities, areas).
    """
    feedback = _feedback()
    if commission is not None:
        feedback = feedback.filter(commission=commission)
    if source:
        feedback = feedback.filter(source=source)
    if priority is not None:
        feedback = feedback.filter(priorities=priority)
    return feedback.order_by("-received_on", "-created_at", "-pk")


def feedback_given_by_user(*, user) -> QuerySet[Feedback]:
    """The feedback a provider user has sent online, latest first."""
    return (
        Feedback.objects.filter(submitted_by=user)
        .select_related("commission", "organisation")
        .order_by("-received_on", "-created_at")
    )


def events_for_feedback() -> QuerySet[EngagementEvent]:
    """Events an officer can say the feedback came from, latest first."""
    return EngagementEvent.objects.only("pk", "title", "starts_at").order_by("-starts_at")
