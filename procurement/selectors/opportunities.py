"""Reads for opportunities: the public list and page, the feed and the staff pages. What an
opportunity still needs before it is published is its state machine's checklist
(`core.transitions.transition_checklist`).

Each list is built in a fixed number of queries, however many opportunities there are.
Bids are sealed until the deadline: nothing here reads a bid's content, only how many
there are.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from commissioning.models import (
    Area,
    Commission,
    CommissionState,
    CorporatePriority,
    PlanState,
    Sector,
    Specification,
    SpecificationMeasure,
)
from commissioning.selectors.specifications import (
    MeasureRow,
    specification_measure_rows,
    specification_years,
)
from core.selectors import count_of
from core.templatetags.portal import govuk_datetime
from engagement.models import EngagementEvent
from procurement.models import (
    Bid,
    BidState,
    Clarification,
    Opportunity,
    OpportunityState,
    Question,
)

# A commission whose plan is approved, or which is already in procurement, can have
# opportunities made from its published specifications.
OPPORTUNITY_COMMISSION_STATES = (CommissionState.APPROVED, CommissionState.PROCUREMENT)


class Status:
    """Where an opportunity is, as officers and bidders see it."""

    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    LABELS = {DRAFT: "Draft", UPCOMING: "Upcoming", OPEN: "Open", CLOSED: "Closed"}


def opportunity_status(*, opportunity: Opportunity, now: dt.datetime | None = None) -> str:
    """Draft until published; then upcoming, open or closed by the clock (closed once it
    is closed to bids, whatever the clock says)."""
    now = now or timezone.now()
    if not opportunity.is_published:
        return Status.DRAFT
    if opportunity.state == OpportunityState.CLOSED:
        return Status.CLOSED
    if now < opportunity.opens_at:
        return Status.UPCOMING
    if now < opportunity.closes_at:
        return Status.OPEN
    return Status.CLOSED


def opportunity_deadline_words(*, opportunity: Opportunity, now: dt.datetime | None = None) -> str:
    """The deadline in plain words, in London time: "Closes 5pm on 15 January 2027 – 50
    days left", "Opens 5pm on 1 December 2026" or "Closed 5pm on 3 November 2026"."""
    now = now or timezone.now()
    if now < opportunity.opens_at:
        return f"Opens {govuk_datetime(opportunity.opens_at)}"
    if now < opportunity.closes_at:
        days = (timezone.localdate(opportunity.closes_at) - timezone.localdate(now)).days
        if days == 0:
            left = "closes today"
        elif days == 1:
            left = "1 day left"
        else:
            left = f"{days} days left"
        return f"Closes {govuk_datetime(opportunity.closes_at)} – {left}"
    return f"Closed {govuk_datetime(opportunity.closes_at)}"


@dataclass(frozen=True)
class OpportunityEntry:
    """An opportunity in a list, with where it is and its deadline in words."""

    opportunity: Opportunity
    status: str
    deadline: str

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]


def _entry(opportunity: Opportunity, now: dt.datetime) -> OpportunityEntry:
    return OpportunityEntry(
        opportunity=opportunity,
        status=opportunity_status(opportunity=opportunity, now=now),
        deadline=opportunity_deadline_words(opportunity=opportunity, now=now),
    )


# --- Everyone --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicOpportunities:
    """The public list: every open and upcoming opportunity, and one page of the closed
    ones (`closed_count` counts them all)."""

    open: list[OpportunityEntry]
    upcoming: list[OpportunityEntry]
    closed: list[OpportunityEntry]
    closed_count: int | None = None
    #: Every opportunity the list holds, when these are one page of them.
    total: int | None = None

    @property
    def count(self) -> int:
        if self.total is not None:
            return self.total
        closed = len(self.closed) if self.closed_count is None else self.closed_count
        return len(self.open) + len(self.upcoming) + closed


def _public_queryset(
    *, sector: Sector | None = None, priority: CorporatePriority | None = None
) -> QuerySet[Opportunity]:
    """Published opportunities with what a list shows, filtered by sector and Corporate
    Priority (a subquery, so no row is listed twice)."""
    queryset = Opportunity.objects.published().select_related(
        "specification__commission__sector", "lot"
    )
    if sector is not None:
        queryset = queryset.filter(specification__commission__sector=sector)
    if priority is not None:
        queryset = queryset.filter(
            specification__commission__in=Commission.objects.filter(priorities=priority).values(
                "pk"
            )
        )
    return queryset.prefetch_related(
        Prefetch(
            "specification__commission__priorities",
            queryset=CorporatePriority.objects.order_by("order", "name"),
        )
    )


def _closed_q(now: dt.datetime) -> Q:
    return Q(state=OpportunityState.CLOSED) | Q(closes_at__lte=now)


def opportunities_public_current(
    *,
    sector: Sector | None = None,
    priority: CorporatePriority | None = None,
    now: dt.datetime | None = None,
) -> PublicOpportunities:
    """Open opportunities closing soonest first and upcoming ones opening soonest first
    (never many at once); no closed ones. Two queries."""
    now = now or timezone.now()
    queryset = (
        _public_queryset(sector=sector, priority=priority)
        .exclude(_closed_q(now))
        .order_by("closes_at", "pk")
    )
    entries = [_entry(opportunity, now) for opportunity in queryset]
    return PublicOpportunities(
        open=[e for e in entries if e.status == Status.OPEN],
        upcoming=sorted(
            (e for e in entries if e.status == Status.UPCOMING),
            key=lambda e: (e.opportunity.opens_at, e.opportunity.pk),
        ),
        closed=[],
        closed_count=0,
    )


def opportunities_public_closed(
    *,
    sector: Sector | None = None,
    priority: CorporatePriority | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Opportunity]:
    """Closed opportunities (closed to bids, or past their deadline), most recently closed
    first: the list that grows with history, for a paginator."""
    now = now or timezone.now()
    return (
        _public_queryset(sector=sector, priority=priority)
        .filter(_closed_q(now))
        .order_by("-closes_at", "-pk")
    )


def opportunities_public_paged(
    *,
    sector: Sector | None = None,
    priority: CorporatePriority | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Opportunity]:
    """The public list as one queryset for a Paginator: open opportunities closing soonest
    first, then upcoming ones opening soonest first, then closed ones, most recently closed
    first. Sorted in the database, so a page reads only its own rows, whatever the number
    ever published (the opportunities' own rows: a sort of hundreds, not a join)."""
    now = now or timezone.now()
    open_, upcoming, closed = 0, 1, 2
    section = Case(
        When(_closed_q(now), then=Value(closed)),
        When(opens_at__gt=now, then=Value(upcoming)),
        default=Value(open_),
        output_field=IntegerField(),
    )
    return (
        _public_queryset(sector=sector, priority=priority)
        .annotate(
            list_section=section,
            # Soonest first while open (closing) or upcoming (opening); none when closed.
            list_soonest=Case(
                When(list_section=open_, then=F("closes_at")),
                When(list_section=upcoming, then=F("opens_at")),
                output_field=DateTimeField(),
            ),
            # Most recently closed first.
            list_latest=Case(When(list_section=closed, then=F("closes_at"))),
            list_pk=Case(
                When(list_section=closed, then=-F("pk")),
                default=F("pk"),
                output_field=BigIntegerField(),
            ),
        )
        .order_by(
            "list_section",
            F("list_soonest").asc(nulls_last=True),
            F("list_latest").desc(nulls_last=True),
            "list_pk",
        )
    )


def opportunity_entries(*, opportunities, now: dt.datetime | None = None) -> list[OpportunityEntry]:
    """Each opportunity with where it is and its deadline in words."""
    now = now or timezone.now()
    return [_entry(opportunity, now) for opportunity in opportunities]


def opportunities_public_list(
    *,
    sector: Sector | None = None,
    priority: CorporatePriority | None = None,
    now: dt.datetime | None = None,
) -> PublicOpportunities:
    """Published opportunities: open ones closing soonest first, then upcoming ones opening
    soonest first, then closed ones, most recently closed first. Four queries."""
    now = now or timezone.now()
    current = opportunities_public_current(sector=sector, priority=priority, now=now)
    closed = opportunities_public_closed(sector=sector, priority=priority, now=now)
    return PublicOpportunities(
        open=current.open,
        upcoming=current.upcoming,
        closed=opportunity_entries(opportunities=closed, now=now),
    )


OPPORTUNITY_CSV_HEADER = (
    "Reference",
    "Title",
    "Status",
    "Sector",
    "Corporate Priorities",
    "Grant or contract",
    "Budget (£)",
    "Opens",
    "Closes",
    "Published",
    "Web page",
)


def _london(moment: dt.datetime | None) -> str:
    """ "2027-01-15 17:00" in Europe/London."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def opportunities_csv_rows(*, public: PublicOpportunities, base_url: str) -> list[list]:
    """One row per opportunity of the list (open, upcoming, then closed), as the list shows
    them; times in Europe/London, budgets as plain pounds. `base_url` ("https://host")
    makes each web page an absolute address."""
    rows = []
    for entry in [*public.open, *public.upcoming, *public.closed]:
        opportunity = entry.opportunity
        commission = opportunity.specification.commission
        rows.append(
            [
                opportunity.reference,
                opportunity.title,
                entry.status_label,
                commission.sector.name,
                "; ".join(priority.name for priority in commission.priorities.all()),
                opportunity.get_funding_type_display(),
                f"{opportunity.budget:.2f}",
                _london(opportunity.opens_at),
                _london(opportunity.closes_at),
                _london(opportunity.published_at),
                f"{base_url}{opportunity.get_absolute_url()}",
            ]
        )
    return rows


def opportunities_feed_list(
    *, limit: int = 50, queryset: QuerySet[Opportunity] | None = None
) -> QuerySet[Opportunity]:
    """Published opportunities (of `queryset`, when given) for the Atom feed, newest
    first."""
    return (
        (Opportunity.objects.published() if queryset is None else queryset)
        .select_related("specification__commission__sector")
        .order_by("-published_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class OpportunityPage:
    """Everything a bidder needs about one opportunity."""

    opportunity: Opportunity
    commission: Commission
    specification: Specification
    status: str
    deadline: str
    years: list[int]
    measures: list[MeasureRow]
    questions: list[Question]
    workshops: list[EngagementEvent]
    clarifications: list[Clarification]
    total_weight: Decimal

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def takes_questions(self) -> bool:
        """Bidders may ask clarification questions until the deadline."""
        return self.status in (Status.UPCOMING, Status.OPEN)

    @property
    def last_updated(self) -> dt.datetime | None:
        """When the page last changed: the opportunity itself, a document added or an
        answer published to a clarification question, whichever was latest."""
        opportunity = self.opportunity
        moments = [opportunity.published_at, opportunity.updated_at]
        moments += [document.uploaded_at for document in opportunity.documents.all()]
        moments += [clarification.published_at for clarification in self.clarifications]
        return max((moment for moment in moments if moment), default=None)


def _questions_queryset() -> QuerySet[Question]:
    return Question.objects.select_related("criterion", "service_criterion").order_by("order", "pk")


def opportunity_public_get(*, slug: str, include_unpublished: bool = False) -> Opportunity:
    """An opportunity by its address, with everything its page shows, in a flat number of
    queries. Published only (DoesNotExist otherwise) unless `include_unpublished`, for the
    council's preview."""
    queryset = Opportunity.objects.all() if include_unpublished else Opportunity.objects.published()
    return (
        queryset.select_related(
            "specification__commission__sector", "specification__commission__lead_officer", "lot"
        )
        .prefetch_related(
            Prefetch(
                "specification__commission__priorities",
                queryset=CorporatePriority.objects.order_by("order", "name"),
            ),
            Prefetch("specification__commission__areas", queryset=Area.objects.order_by("name")),
            "specification__outcomes",
            Prefetch(
                "specification__measures",
                queryset=SpecificationMeasure.objects.select_related(
                    "measure", "outcome"
                ).prefetch_related("targets"),
            ),
            Prefetch("questions", queryset=_questions_queryset()),
            "documents",
            Prefetch(
                "workshops",
                queryset=EngagementEvent.objects.filter(is_published=True).order_by("starts_at"),
            ),
            Prefetch(
                "clarifications",
                queryset=Clarification.objects.filter(published_at__isnull=False).order_by(
                    "published_at", "pk"
                ),
                to_attr="published_clarifications",
            ),
        )
        .get(slug=slug)
    )


def opportunity_page(
    *, opportunity: Opportunity, now: dt.datetime | None = None
) -> OpportunityPage:
    """The public page of an opportunity fetched by `opportunity_public_get`."""
    now = now or timezone.now()
    specification = opportunity.specification
    questions = list(opportunity.questions.all())
    return OpportunityPage(
        opportunity=opportunity,
        commission=specification.commission,
        specification=specification,
        status=opportunity_status(opportunity=opportunity, now=now),
        deadline=opportunity_deadline_words(opportunity=opportunity, now=now),
        years=specification_years(specification=specification),
        measures=specification_measure_rows(specification=specification),
        questions=questions,
        workshops=list(opportunity.workshops.all()),
        clarifications=opportunity.published_clarifications,
        total_weight=sum((question.weight for question in questions), Decimal(0)),
    )


def opportunity_document_get(*, opportunity: Opportunity, pk: int):
    return opportunity.documents.get(pk=pk)


# --- Council staff ---------------------------------------------------------------------------


def specifications_for_opportunities(*, commission: Commission | None = None):
    """Specifications an opportunity can be made from: in a published Commissioning Plan,
    of a commission whose plan is approved or which is in procurement."""
    queryset = Specification.objects.filter(
        plans__state=PlanState.PUBLISHED,
        commission__state__in=OPPORTUNITY_COMMISSION_STATES,
    )
    if commission is not None:
        queryset = queryset.filter(commission=commission)
    return (
        Specification.objects.filter(pk__in=queryset.values("pk"))
        .select_related("commission", "commission__sector")
        .prefetch_related("lots")
        .annotate(opportunity_count=Count("opportunities", distinct=True))
        .order_by("commission__reference", "title", "pk")
    )


def specification_for_opportunity_get(*, pk: int) -> Specification:
    """A specification with its commission, lots, service-specific criteria and plans."""
    return (
        Specification.objects.select_related("commission", "commission__sector")
        .prefetch_related("lots", "service_criteria")
        .get(pk=pk)
    )


def specification_in_published_plan(*, specification: Specification) -> bool:
    return specification.plans.filter(state=PlanState.PUBLISHED).exists()


def opportunity_creation_problem(*, specification: Specification) -> str:
    """Why an opportunity cannot be made from the specification now, or ""."""
    if not specification_in_published_plan(specification=specification):
        return (
            f"“{specification.title}” is not in a published Commissioning Plan. An opportunity "
            "can be made only from a specification in a published plan."
        )
    commission = specification.commission
    if commission.state not in OPPORTUNITY_COMMISSION_STATES:
        return (
            f"The commission is at “{commission.get_state_display()}”. An opportunity can be "
            "made only while it is at “Plan approved” or “Procurement”."
        )
    return ""


def _with_counts(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """Clarification questions waiting for an answer, and bids received (a count only).
    Each a subquery of its own, so a page of opportunities counts only its own rows' bids
    and questions rather than grouping a join of every bid ever made."""
    waiting = Clarification.objects.filter(opportunity=OuterRef("pk"), published_at__isnull=True)
    received = Bid.objects.filter(opportunity=OuterRef("pk"), state=BidState.SUBMITTED)
    return queryset.annotate(
        clarifications_waiting=count_of(waiting, per="opportunity"),
        bids_received=count_of(received, per="opportunity"),
    )


def opportunities_staff_list() -> QuerySet[Opportunity]:
    """Every opportunity, newest first, with its counts: for a paginator (the list grows
    with history). `opportunity_entries` gives a page's rows their state and deadline."""
    return _with_counts(
        Opportunity.objects.select_related("specification__commission", "lot")
    ).order_by("-created_at", "-pk")


def opportunity_staff_get(*, pk: int) -> Opportunity:
    return (
        _with_counts(
            Opportunity.objects.select_related(
                "specification__commission__sector",
                "specification__commission__lead_officer",
                "lot",
                "created_by",
            )
        )
        .prefetch_related(
            Prefetch("questions", queryset=_questions_queryset()),
            "documents",
            Prefetch("workshops", queryset=EngagementEvent.objects.order_by("starts_at")),
        )
        .get(pk=pk)
    )


def workshop_choices(*, opportunity: Opportunity | None = None) -> QuerySet[EngagementEvent]:
    """Published engagement events an officer may link as applicant workshops, latest first,
    and any the opportunity already links."""
    condition = Q(is_published=True)
    if opportunity is not None:
        condition |= Q(pk__in=opportunity.workshops.values("pk"))
    return EngagementEvent.objects.filter(condition).order_by("-starts_at", "title")


def questions_total_weight(*, opportunity: Opportunity) -> Decimal:
    return opportunity.questions.aggregate(total=Sum("weight"))["total"] or Decimal(0)


def plain_number(value: Decimal) -> str:
    """85 rather than 85.00; 12.5 rather than 12.50."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.normalize())


def weights_problem(*, total: Decimal) -> str:
    """The message when the questions' weights do not add up to 100, or ""."""
    if total == 100:
        return ""
    return f"The weights must add up to 100. They add up to {plain_number(total)}"
