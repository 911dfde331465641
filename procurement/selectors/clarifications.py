"""Reads for clarification questions: the officers' list of questions to answer, and who is
told when an answer is published. Who asked is never shown to anyone but council staff."""

from django.db.models import QuerySet

from core.models import User
from procurement.models import BidState, Clarification, Opportunity
from providers.models import Organisation


def clarifications_staff_list(*, opportunity: Opportunity) -> dict[str, list[Clarification]]:
    """The opportunity's questions: those waiting for an answer (oldest first) and those
    answered and published. One query."""
    clarifications = list(
        Clarification.objects.filter(opportunity=opportunity)
        .select_related("asked_by", "organisation", "answered_by")
        .order_by("asked_at", "pk")
    )
    return {
        "waiting": [c for c in clarifications if c.published_at is None],
        "published": sorted(
            (c for c in clarifications if c.published_at is not None),
            key=lambda c: (c.published_at, c.pk),
            reverse=True,
        ),
    }


def clarification_staff_get(*, pk: int) -> Clarification:
    return Clarification.objects.select_related(
        "opportunity__specification__commission", "asked_by", "organisation", "answered_by"
    ).get(pk=pk)


def organisations_for_asking(*, user) -> list[Organisation]:
    """The organisations the person may ask a question for: their own."""
    return list(Organisation.objects.for_user(user).order_by("name"))


def clarification_bidders(*, clarification: Clarification) -> QuerySet[User]:
    """Everyone who should hear that a new clarification is published: members of each
    organisation that has started a bid for the opportunity (any state but withdrawn),
    except the person who asked, who is told separately."""
    # One filter() call, so the opportunity and the state are those of the same bid.
    bidders = User.objects.filter(
        is_active=True,
        memberships__organisation__bids__opportunity=clarification.opportunity_id,
        memberships__organisation__bids__state__in=[BidState.DRAFT, BidState.SUBMITTED],
    ).values("pk")
    return User.objects.filter(pk__in=bidders).exclude(pk=clarification.asked_by_id).order_by("pk")
