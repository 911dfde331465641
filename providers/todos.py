"""A provider's to-dos, for their home page: bids to finish, partners to confirm, questions
answered, agreements to accept, returns due and documents expiring, each with its next
action. A fixed number of queries, however many there are."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from core.templatetags.portal import govuk_date, govuk_datetime
from monitoring.dashboards import ProviderHome
from procurement.models import (
    BidState,
    Clarification,
    ConsortiumPartner,
)
from providers.models import ComplianceDocument
from providers.selectors import EXPIRES_SOON_DAYS

# How long an answer to the organisation's question stays on its to-do list.
ANSWERED_DAYS = 14


@dataclass(frozen=True)
class ToDo:
    kind: str  # "bid", "partner", "answer", "agreement", "return", "document"
    title: str
    detail: str
    action: str
    url: str
    urgent: bool = False


def _bids_to_finish(bids, now) -> list[ToDo]:
    return [
        ToDo(
            kind="bid",
            title=f"Finish and submit your bid for {bid.opportunity.title}",
            detail=f"{bid.organisation.name}. Closes {govuk_datetime(bid.opportunity.closes_at)}.",
            action="Continue your bid",
            url=bid.get_absolute_url(),
            urgent=bid.opportunity.closes_at - now <= dt.timedelta(days=7),
        )
        for bid in bids
    ]


def _partners_to_confirm(user, now, limit) -> list[ToDo]:
    partners = (
        ConsortiumPartner.objects.filter(
            organisation__memberships__user=user,
            confirmed_at__isnull=True,
            bid__state=BidState.DRAFT,
            bid__opportunity__closes_at__gt=now,
        )
        .select_related("bid__organisation", "bid__opportunity", "organisation")
        .only(
            "bid_id",
            "organisation_id",
            "bid__state",
            "bid__organisation_id",
            "bid__opportunity_id",
            "bid__organisation__name",
            "bid__opportunity__title",
            "organisation__name",
        )
        .order_by("bid__opportunity__closes_at", "pk")
    )
    return [
        ToDo(
            kind="partner",
            title=f"Confirm {partner.organisation.name} is a partner in "
            f"{partner.bid.organisation.name}’s bid",
            detail=f"For {partner.bid.opportunity.title}. The bid cannot be submitted until "
            "you confirm.",
            action="Confirm the partnership",
            url=reverse("procurement:partnership_confirm", kwargs={"pk": partner.pk}),
            urgent=True,
        )
        for partner in partners[:limit]
    ]


def _questions_answered(user, now, limit) -> list[ToDo]:
    answered = (
        Clarification.objects.filter(
            Q(organisation__memberships__user=user) | Q(asked_by=user),
            published_at__gte=now - dt.timedelta(days=ANSWERED_DAYS),
        )
        .exclude(answer="")
        .select_related("opportunity")
        .only("opportunity_id", "published_at", "opportunity__title", "opportunity__slug")
        .distinct()
        .order_by("-published_at", "pk")
    )
    return [
        ToDo(
            kind="answer",
            title=f"Your question about {clarification.opportunity.title} has been answered",
            detail=f"Answered {govuk_date(clarification.published_at)}.",
            action="Read the answer",
            url=f"{clarification.opportunity.get_absolute_url()}#clarifications",
        )
        for clarification in answered[:limit]
    ]


def _agreements_to_accept(agreements) -> list[ToDo]:
    return [
        ToDo(
            kind="agreement",
            title=f"Accept agreement {agreement.reference}",
            detail=f"{agreement.organisation.name}. Sent {govuk_date(agreement.issued_at)}.",
            action="Read and accept the agreement",
            url=agreement.get_absolute_url(),
            urgent=True,
        )
        for agreement in agreements
    ]


def _returns_due(rows) -> list[ToDo]:
    return [
        ToDo(
            kind="return",
            title=f"Monitoring return for agreement {row.monitoring_return.agreement.reference}",
            detail=("Overdue: it was due " if row.overdue else "Due ")
            + govuk_date(row.monitoring_return.due_on)
            + ".",
            action=row.action,
            url=row.url,
            urgent=row.overdue,
        )
        for row in rows
    ]


def _documents_expiring(user, today, limit) -> list[ToDo]:
    replaced_by = ComplianceDocument.objects.filter(
        organisation=OuterRef("organisation"), kind=OuterRef("kind")
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    documents = (
        ComplianceDocument.objects.filter(
            organisation__memberships__user=user,
            expires_on__lte=today + dt.timedelta(days=EXPIRES_SOON_DAYS),
        )
        .exclude(Exists(replaced_by))
        .select_related("organisation")
        .only("organisation_id", "kind", "expires_on", "organisation__name")
        .order_by("expires_on", "pk")
    )
    return [
        ToDo(
            kind="document",
            title=f"Upload a new {document.get_kind_display().lower()} for "
            f"{document.organisation.name}",
            detail=("Expired " if document.expires_on < today else "Expires ")
            + govuk_date(document.expires_on)
            + ".",
            action="Upload a new document",
            url=reverse("organisation_compliance", kwargs={"pk": document.organisation_id}),
            urgent=document.expires_on < today,
        )
        for document in documents[:limit]
    ]


def provider_todos_get(*, user, home: ProviderHome, limit: int = 10) -> list[ToDo]:
    """Everything the person's organisations have to do next: at most `limit` of each kind,
    the urgent first (in each kind's own order). The bids to finish, agreements to accept
    and returns due come from the page's `home` (`provider_home_get` with
    `to_do_limit=limit`), which found them with its own lists."""
    if not user.is_authenticated:
        return []
    now = timezone.now()
    today = timezone.localdate()
    todos = (
        _bids_to_finish(home.bids_to_finish, now)
        + _partners_to_confirm(user, now, limit)
        + _agreements_to_accept(home.agreements_to_accept)
        + _returns_due(home.returns_due)
        + _documents_expiring(user, today, limit)
        + _questions_answered(user, now, limit)
    )
    return sorted(todos, key=lambda todo: not todo.urgent)
