"""Reads for the dashboards: the officers' portfolio (investment against the plans' budgets
by sector and by priority, agreements by RAG status, returns and payments that need
someone), an agreement's performance against its targets, and a provider's own page.

Every figure is counted or summed in the database, in a fixed number of queries however
many agreements there are. The portfolio's filters (sector, priority, area or ward,
financial year) narrow the commissions, and through them the plans' specifications and the
agreements made under them; the same filters narrow the lists each figure links to. The
portfolio opens on this financial year, so what it sums grows with the year, not with the
portal's history; all years are one choice away.

Nothing here checks who is asking: the views check the rules first.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from commissioning.models import (
    Area,
    Commission,
    CommissioningPlan,
    CorporatePriority,
    PlanState,
    Sector,
    Specification,
)
from core.notifications import notifications_latest_get
from monitoring.models import (
    EDITABLE_STATES,
    InstalmentPayment,
    MonitoringReturn,
    PaymentHold,
    RagStatus,
    Rating,
    ReturnActual,
    ReturnState,
)
from monitoring.periods import measure_key, period_share
from procurement.models import (
    Agreement,
    AgreementState,
    Bid,
    BidState,
    OpportunityState,
    PaymentInstalment,
)
from procurement.selectors.bids import bids_for_user

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=14, decimal_places=2)

#: From an agreement to the commission it was made under.
AGREEMENT_COMMISSION = "decision__bid__opportunity__specification__commission"


def today() -> datetime.date:
    """Today in Europe/London."""
    return timezone.localdate()


# --- Financial years: April to March --------------------------------------------------------------


def financial_year_of(day: datetime.date) -> int:
    """The financial year a day falls in, named by the calendar year it starts in: 1 April
    2026 to 31 March 2027 is 2026."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def financial_year_label(year: int) -> str:
    """ "2026 to 2027", as GOV.UK writes a financial year."""
    return f"{year} to {year + 1}"


def financial_years_offered(*, around: datetime.date | None = None) -> list[int]:
    """The financial years the filter offers: four back and two ahead of this one."""
    this_year = financial_year_of(around or today())
    return list(range(this_year + 2, this_year - 5, -1))


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


# --- Filters --------------------------------------------------------------------------------------


#: The year filter's value for every financial year (none left out).
ALL_YEARS = "all"


@dataclass(frozen=True)
class PortfolioFilters:
    """What the portfolio, and the lists behind its figures, are narrowed to. `year` is a
    financial year (2026 is April 2026 to March 2027), None for all years: the query string
    says which (`year=2026` or `year=all`), so a list linked to shows what the figure
    counted whatever year that list opens on by itself."""

    sector: Sector | None = None
    priority: CorporatePriority | None = None
    area: Area | None = None
    year: int | None = None

    @classmethod
    def from_data(cls, data: dict) -> "PortfolioFilters":
        """From a filter form's cleaned data (a field left out or wrong is no filter; the
        year is a financial year, or ALL_YEARS)."""
        year = data.get("year")
        return cls(
            sector=data.get("sector"),
            priority=data.get("priority"),
            area=data.get("area"),
            year=int(year) if year and year != ALL_YEARS else None,
        )

    @property
    def is_filtered(self) -> bool:
        return any(
            value is not None for value in (self.sector, self.priority, self.area, self.year)
        )

    @property
    def year_bounds(self) -> tuple[datetime.date, datetime.date] | None:
        return financial_year_bounds(self.year) if self.year is not None else None

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year) if self.year is not None else ""

    @property
    def years_shown(self) -> str:
        """ "Financial year 2026 to 2027" or "All financial years": what the figures cover."""
        if self.year is None:
            return "All financial years"
        return f"Financial year {self.year_label}"

    def params(self, **extra) -> dict[str, str]:
        """The query-string parameters for these filters (and `extra`, where not empty):
        the year always, ALL_YEARS for all of them."""
        params = {
            "sector": self.sector.pk if self.sector else None,
            "priority": self.priority.pk if self.priority else None,
            "area": self.area.slug if self.area else None,
            "year": ALL_YEARS if self.year is None else self.year,
        }
        params.update(extra)
        return {name: str(value) for name, value in params.items() if value not in (None, "")}

    def query(self, **extra) -> str:
        """ "?sector=1&year=2026", "?year=all" when nothing is narrowed."""
        return f"?{urlencode(self.params(**extra))}"

    def with_(self, **changes) -> "PortfolioFilters":
        values = {
            "sector": self.sector,
            "priority": self.priority,
            "area": self.area,
            "year": self.year,
        }
        values.update(changes)
        return PortfolioFilters(**values)


def commissions_filtered(*, filters: PortfolioFilters) -> QuerySet[Commission]:
    """The commissions in the filters' sector, for their priority, and serving their area:
    a whole area covers its wards, and a ward is covered by a commission for its area."""
    commissions = Commission.objects.all()
    if filters.sector is not None:
        commissions = commissions.filter(sector=filters.sector)
    if filters.priority is not None:
        commissions = commissions.filter(priorities=filters.priority)
    if filters.area is not None:
        area = filters.area
        places = Q(areas=area) | Q(areas__parent=area)
        if area.parent_id is not None:
            places |= Q(areas=area.parent_id)
        commissions = commissions.filter(places)
    return commissions


def _narrowed_by_commission(filters: PortfolioFilters) -> bool:
    return any(value is not None for value in (filters.sector, filters.priority, filters.area))


def agreements_filtered(
    *, filters: PortfolioFilters, queryset: QuerySet[Agreement] | None = None
) -> QuerySet[Agreement]:
    """Agreements made under the filtered commissions and, for a financial year, running
    at some time in it."""
    agreements = Agreement.objects.all() if queryset is None else queryset
    return agreements.filter(_agreement_condition(filters))


def _agreement_condition(filters: PortfolioFilters, *, through: str = "") -> Q:
    """The condition agreements_filtered puts on an agreement, on the agreement reached
    through the relation `through` (as "agreement__"): a row joined to its agreement is
    filtered on that join, not on a second read of the agreements."""
    condition = Q()
    if _narrowed_by_commission(filters):
        commission_ids = commissions_filtered(filters=filters).values("pk")
        condition &= Q(**{f"{through}{AGREEMENT_COMMISSION}__in": commission_ids})
    if filters.year_bounds is not None:
        start, end = filters.year_bounds
        condition &= Q(**{f"{through}starts_on__lte": end, f"{through}ends_on__gte": start})
    return condition


def specifications_budgeted(*, filters: PortfolioFilters) -> QuerySet[Specification]:
    """The specifications of the current published plans (for a financial year, the plans
    covering some of it) under the filtered commissions: what the plans budgeted for."""
    plans = CommissioningPlan.objects.filter(
        specifications=OuterRef("pk"), state=PlanState.PUBLISHED
    )
    if filters.year_bounds is not None:
        start, end = filters.year_bounds
        plans = plans.filter(period_start__lte=end, period_end__gte=start)
    specifications = Specification.objects.filter(Exists(plans))
    if _narrowed_by_commission(filters):
        specifications = specifications.filter(
            commission__in=commissions_filtered(filters=filters).values("pk")
        )
    return specifications


def _latest_rating():
    return Subquery(
        RagStatus.objects.filter(agreement=OuterRef("pk"))
        .order_by("-set_at", "-pk")
        .values("rating")[:1]
    )


def agreements_with_rating(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """`current_rating` on each agreement: its latest RAG rating, or None."""
    return queryset.annotate(current_rating=_latest_rating())


#: The RAG filter's "not yet rated".
NOT_RATED = "none"


def agreements_by_rating(queryset: QuerySet[Agreement], *, rating: str) -> QuerySet[Agreement]:
    """Agreements in delivery whose latest rating is `rating` (NOT_RATED: none yet)."""
    annotated = agreements_with_rating(queryset.filter(state=AgreementState.ACCEPTED))
    if rating == NOT_RATED:
        return annotated.filter(current_rating__isnull=True)
    return annotated.filter(current_rating=rating)


# --- The lists behind the figures -----------------------------------------------------------------

#: The staff returns list's "show" for each figure (monitoring.views.StaffReturnListView).
RETURNS_SHOW = {"due": "due_month", "overdue": "overdue", "review": "review"}


def returns_due_in_month(*, day: datetime.date | None = None) -> QuerySet[MonitoringReturn]:
    """Returns of agreements in delivery due in the month of `day` (by default this
    month), whatever their state."""
    start, end = month_bounds(day or today())
    return MonitoringReturn.objects.filter(
        agreement__state=AgreementState.ACCEPTED, due_on__gte=start, due_on__lte=end
    )


def returns_filtered(
    queryset: QuerySet[MonitoringReturn], *, filters: PortfolioFilters
) -> QuerySet[MonitoringReturn]:
    """Returns of the filtered agreements."""
    return queryset.filter(_agreement_condition(filters, through="agreement__"))


#: The payments list's choices, in the order the portfolio shows them.
PAYMENT_SHOW = {
    "due": "Due by the end of this month",
    "held": "Held until a return is accepted",
    "paid": "Paid",
}


def _held() -> Q:
    """Held: the instalment has a live hold. Read as one list of held instalments (a hashed
    lookup in PostgreSQL), not a subquery asked again for every instalment."""
    return Q(
        pk__in=PaymentHold.objects.filter(
            released_at__isnull=True, instalment__isnull=False
        ).values("instalment_id")
    )


def _unpaid() -> Q:
    """No payment recorded against the instalment: NOT EXISTS, which PostgreSQL reads as
    one anti-join, leaving the paid instalments out before anything is summed (a LEFT JOIN
    tested for a missing payment keeps every instalment ever paid until the end)."""
    return Q(~Exists(InstalmentPayment.objects.filter(instalment=OuterRef("pk"))))


def _not_held_due_by_month_end() -> Q:
    """Not held, and due on or before the last day of this month."""
    return Q(due_on__lte=month_bounds(today())[1]) & ~_held()


def _due_by_month_end() -> Q:
    """Unpaid, not held, and due on or before the last day of this month."""
    return _unpaid() & _not_held_due_by_month_end()


def _instalments_in_delivery(filters: PortfolioFilters) -> QuerySet[PaymentInstalment]:
    """The scheduled payments of the filtered agreements in delivery: filtered on the
    agreement each is joined to, not on a second read of the agreements."""
    return PaymentInstalment.objects.filter(
        Q(agreement__state=AgreementState.ACCEPTED)
        & _agreement_condition(filters, through="agreement__")
    )


def payments_list(*, show: str, filters: PortfolioFilters) -> QuerySet[PaymentInstalment]:
    """The scheduled payments of agreements in delivery that are due (unpaid and not held,
    by the end of this month), held, or paid (for a financial year, paid in it), with what
    was paid and what holds them: due and held the earliest first, paid the latest paid
    first (along the index on the date paid, so a page reads its fifty payments, not every
    payment ever made sorted)."""
    live_holds = PaymentHold.objects.filter(released_at__isnull=True).select_related(
        "monitoring_return"
    )
    instalments = (
        _instalments_in_delivery(filters)
        .select_related("agreement__decision__bid__organisation", "payment_made")
        .prefetch_related(Prefetch("holds", queryset=live_holds, to_attr="live_holds"))
    )
    if show == "paid":
        instalments = instalments.filter(payment_made__isnull=False)
        if filters.year_bounds is not None:
            start, end = filters.year_bounds
            instalments = instalments.filter(
                payment_made__paid_on__gte=start, payment_made__paid_on__lte=end
            )
        return instalments.order_by("-payment_made__paid_on", "-payment_made__pk")
    if show == "held":
        instalments = instalments.filter(_held())
    else:
        instalments = instalments.filter(_due_by_month_end())
    return instalments.order_by("due_on", "pk")


# --- The portfolio --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number on the portfolio and the list it comes from."""

    value: Decimal | int
    url: str


@dataclass(frozen=True)
class InvestmentRow:
    """One sector or priority: the plans' budget, what is awarded in agreements (how many),
    and what has been paid, each linking to the list behind it."""

    name: str
    budget: Figure
    awarded: Figure
    agreements: int
    paid: Figure

    @property
    def share_awarded(self) -> int | None:
        """How much of the budget is awarded, in whole per cent (None without a budget)."""
        if not self.budget.value:
            return None
        return int((Decimal(self.awarded.value) * 100 / Decimal(self.budget.value)).quantize(1))


@dataclass(frozen=True)
class RagRow:
    rating: str  # "red", "amber", "green" or NOT_RATED
    label: str
    count: Figure


@dataclass(frozen=True)
class Portfolio:
    filters: PortfolioFilters
    by_sector: list[InvestmentRow]
    by_priority: list[InvestmentRow]
    total: InvestmentRow
    rag: list[RagRow]
    returns_due: Figure
    returns_overdue: Figure
    returns_awaiting_review: Figure
    payments_due: Figure
    payments_due_count: int
    payments_held: Figure
    payments_held_count: int
    month_label: str


def _commission_groups() -> dict[int, tuple[int, list[int]]]:
    """{commission pk: (its sector's pk, the pks of the priorities it serves)}, in one
    query."""
    groups: dict[int, tuple[int, list[int]]] = {}
    for pk, sector_id, priority_id in Commission.objects.order_by().values_list(
        "pk", "sector_id", "priorities"
    ):
        served = groups.setdefault(pk, (sector_id, []))[1]
        if priority_id is not None:
            served.append(priority_id)
    return groups


def _sums(
    rows,
    *,
    zero: tuple,
    commissions: dict[int, tuple[int, list[int]]],
    sectors: list[Sector],
    priorities: list[CorporatePriority],
) -> dict:
    """{("sector", pk) or ("priority", pk) or "all": [figures…]}: `rows` are each
    commission's figures (commission pk first, then one for each of `zero`, which says
    what each is when nothing is counted), added up for each sector, each priority and the
    whole. A commission serving two priorities counts under each, as the portfolio has
    always shown it."""
    keys = ["all"] + [("sector", sector.pk) for sector in sectors]
    keys += [("priority", priority.pk) for priority in priorities]
    groups = {key: list(zero) for key in keys}
    for commission_id, *figures in rows:
        sector_id, served = commissions[commission_id]
        keys = ["all", ("sector", sector_id)] + [("priority", pk) for pk in served]
        for key in keys:
            group = groups.get(key)
            if group is not None:
                for position, figure in enumerate(figures):
                    group[position] += figure or 0
    return groups


def _investment(
    *,
    filters: PortfolioFilters,
    sectors: list[Sector],
    priorities: list[CorporatePriority],
) -> tuple[list[InvestmentRow], list[InvestmentRow], InvestmentRow, int]:
    """The rows by sector, the rows by priority and the total: budget, awarded and paid,
    summed in the database for each commission (the plans' budgets in one query, what was
    awarded and paid in one pass over the agreements) and added up here; and how many of
    the agreements are in delivery, counted in the same pass."""
    groups = {
        "commissions": _commission_groups(),
        "sectors": sectors,
        "priorities": priorities,
    }
    budgets = _sums(
        specifications_budgeted(filters=filters)
        .order_by()
        .values_list("commission")
        .annotate(total=Sum("budget")),
        zero=(ZERO,),
        **groups,
    )
    paid = InstalmentPayment.objects.filter(agreement=OuterRef("pk"))
    if filters.year_bounds is not None:
        start, end = filters.year_bounds
        paid = paid.filter(paid_on__gte=start, paid_on__lte=end)
    paid = paid.order_by().values("agreement").annotate(total=Sum("amount")).values("total")
    awarded = _sums(
        agreements_filtered(filters=filters)
        .order_by()
        .annotate(paid_each=Subquery(paid, output_field=MONEY))
        .values_list(AGREEMENT_COMMISSION)
        .annotate(
            total=Sum("amount"),
            number=Count("pk"),
            paid=Sum("paid_each"),
            in_delivery=Count("pk", filter=Q(state=AgreementState.ACCEPTED)),
        ),
        zero=(ZERO, 0, ZERO, 0),
        **groups,
    )

    def row(key, name: str, narrowed: PortfolioFilters) -> InvestmentRow:
        awarded_total, agreement_count, paid_total, _in_delivery = awarded[key]
        return InvestmentRow(
            name=name,
            budget=Figure(budgets[key][0], _commissions_url(narrowed)),
            awarded=Figure(awarded_total, _agreements_url(narrowed)),
            agreements=agreement_count,
            paid=Figure(paid_total, _payments_url(narrowed, "paid")),
        )

    by_sector = [
        row(("sector", sector.pk), str(sector), filters.with_(sector=sector)) for sector in sectors
    ]
    by_priority = [
        row(("priority", priority.pk), str(priority), filters.with_(priority=priority))
        for priority in priorities
    ]
    return by_sector, by_priority, row("all", "All", filters), awarded["all"][3]


def _commissions_url(filters: PortfolioFilters) -> str:
    """The staff dashboard's list of commissions (it filters by sector and priority)."""
    params = {
        name: value for name, value in filters.params().items() if name in ("sector", "priority")
    }
    return reverse("staff_home") + (f"?{urlencode(params)}" if params else "")


def _agreements_url(filters: PortfolioFilters, **extra) -> str:
    return reverse("procurement:staff_agreements") + filters.query(**extra)


def _returns_url(filters: PortfolioFilters, show: str) -> str:
    return reverse("monitoring:staff_returns") + filters.query(show=show)


def _payments_url(filters: PortfolioFilters, show: str) -> str:
    return reverse("monitoring:portfolio_payments") + filters.query(show=show)


RAG_ORDER = [
    (Rating.RED, Rating.RED.label),
    (Rating.AMBER, Rating.AMBER.label),
    (Rating.GREEN, Rating.GREEN.label),
    (NOT_RATED, "Not yet rated"),
]


def _rag_rows(filters: PortfolioFilters, *, in_delivery_count: int) -> list[RagRow]:
    """The agreements in delivery by their latest rating: each one's latest rating found by
    there being none newer (an anti-join in PostgreSQL, not a subquery for each
    agreement), counted by rating; those not yet rated are the rest of `in_delivery_count`
    (counted with what was awarded)."""
    newer = RagStatus.objects.filter(agreement=OuterRef("agreement")).filter(
        Q(set_at__gt=OuterRef("set_at")) | Q(set_at=OuterRef("set_at"), pk__gt=OuterRef("pk"))
    )
    counts = dict(
        RagStatus.objects.filter(
            Q(agreement__state=AgreementState.ACCEPTED)
            & _agreement_condition(filters, through="agreement__")
        )
        .filter(~Exists(newer))
        .order_by()
        .values_list("rating")
        .annotate(number=Count("pk"))
    )
    counts[NOT_RATED] = in_delivery_count - sum(counts.values())
    return [
        RagRow(
            rating=rating,
            label=label,
            count=Figure(
                counts.get(rating, 0),
                _agreements_url(filters, state=AgreementState.ACCEPTED.value, rag=rating),
            ),
        )
        for rating, label in RAG_ORDER
    ]


def _return_counts(filters: PortfolioFilters) -> dict[str, int]:
    start, end = month_bounds(today())
    returns = returns_filtered(
        MonitoringReturn.objects.filter(agreement__state=AgreementState.ACCEPTED),
        filters=filters,
    )
    due = Q(due_on__gte=start, due_on__lte=end)
    overdue = Q(due_on__lt=today(), state__in=EDITABLE_STATES)
    review = Q(state=ReturnState.SUBMITTED)
    # Only the returns one of the figures counts are read (through the indexes on the due
    # date and on the state with it), not every return the portal has ever had.
    return (
        returns.filter(due | overdue | review)
        .order_by()
        .aggregate(
            due=Count("pk", filter=due),
            overdue=Count("pk", filter=overdue),
            review=Count("pk", filter=review),
        )
    )


def _payment_sums(filters: PortfolioFilters) -> dict:
    """The payments due by the end of this month and those held, counted and summed over
    the unpaid instalments of the filtered agreements in delivery: the paid ones, most of
    the history, are left out first (neither figure counts them: a paid instalment cannot
    be held, nor a held one paid, monitoring.services)."""
    instalments = _instalments_in_delivery(filters).filter(_unpaid())
    held = _held()
    due = _not_held_due_by_month_end()
    return instalments.order_by().aggregate(
        due_total=Coalesce(Sum("amount", filter=due), Value(ZERO), output_field=MONEY),
        due_count=Count("pk", filter=due),
        held_total=Coalesce(Sum("amount", filter=held), Value(ZERO), output_field=MONEY),
        held_count=Count("pk", filter=held),
    )


def portfolio_get(
    *,
    filters: PortfolioFilters,
    sectors: list[Sector] | None = None,
    priorities: list[CorporatePriority] | None = None,
) -> Portfolio:
    """Everything on the officers' portfolio for these filters, in a fixed number of
    queries. `sectors` and `priorities` (each marked `in_use` when a commission serves it)
    when the page has read them already for its filters."""
    if filters.sector:
        sectors = [filters.sector]
    elif sectors is None:
        sectors = list(Sector.objects.order_by("order"))
    if filters.priority:
        priorities = [filters.priority]
    elif priorities is None:
        priorities = list(CorporatePriority.objects.filter(commissions__isnull=False).distinct())
    else:
        priorities = [priority for priority in priorities if priority.in_use]
    by_sector, by_priority, total, in_delivery_count = _investment(
        filters=filters, sectors=sectors, priorities=priorities
    )
    # What needs attention is the work outstanding now, whatever financial year its
    # agreement ran in: the final return of an agreement that ended last March is overdue
    # today. It reads only that work (the indexes on due dates and states), not the history.
    outstanding = filters.with_(year=None)
    returns = _return_counts(outstanding)
    payments = _payment_sums(outstanding)
    return Portfolio(
        filters=filters,
        by_sector=by_sector,
        by_priority=by_priority,
        total=total,
        rag=_rag_rows(filters, in_delivery_count=in_delivery_count),
        returns_due=Figure(returns["due"], _returns_url(outstanding, RETURNS_SHOW["due"])),
        returns_overdue=Figure(
            returns["overdue"], _returns_url(outstanding, RETURNS_SHOW["overdue"])
        ),
        returns_awaiting_review=Figure(
            returns["review"], _returns_url(outstanding, RETURNS_SHOW["review"])
        ),
        payments_due=Figure(payments["due_total"], _payments_url(outstanding, "due")),
        payments_due_count=payments["due_count"],
        payments_held=Figure(payments["held_total"], _payments_url(outstanding, "held")),
        payments_held_count=payments["held_count"],
        month_label=f"{today():%B %Y}",
    )


def portfolio_csv_rows(*, portfolio: Portfolio) -> list[list[str]]:
    """The portfolio's tables as CSV rows: a heading column says which table each row is
    from. Money in pounds and pence, with no £ or commas, for a spreadsheet."""

    def pounds(value) -> str:
        return str(Decimal(value).quantize(Decimal("0.01")))

    rows = [["Table", "Name", "Budget", "Awarded", "Agreements", "Paid"]]
    for table, investment in (
        ("By sector", portfolio.by_sector),
        ("By priority", portfolio.by_priority),
        ("Total", [portfolio.total]),
    ):
        for row in investment:
            rows.append(
                [
                    table,
                    row.name,
                    pounds(row.budget.value),
                    pounds(row.awarded.value),
                    str(row.agreements),
                    pounds(row.paid.value),
                ]
            )
    rows.append([])
    rows.append(["Table", "Name", "Number", "Amount"])
    for rag in portfolio.rag:
        rows.append(["Agreements by RAG status", rag.label, str(rag.count.value), ""])
    rows.append(["Returns", "Due this month", str(portfolio.returns_due.value), ""])
    rows.append(["Returns", "Overdue", str(portfolio.returns_overdue.value), ""])
    rows.append(["Returns", "Waiting for review", str(portfolio.returns_awaiting_review.value), ""])
    rows.append(
        [
            "Payments",
            "Due by the end of this month",
            str(portfolio.payments_due_count),
            pounds(portfolio.payments_due.value),
        ]
    )
    rows.append(
        [
            "Payments",
            "Held until a return is accepted",
            str(portfolio.payments_held_count),
            pounds(portfolio.payments_held.value),
        ]
    )
    return rows


def csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting = + - @ (or a tab or
    carriage return) is prefixed with an apostrophe."""
    if value and value[0] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value


# --- An agreement's performance -------------------------------------------------------------------


@dataclass(frozen=True)
class PerformancePoint:
    """One period of one success measure: its share of the target and the actual reported
    (None until a return is sent), and both added up from the start of the agreement."""

    monitoring_return: MonitoringReturn
    target: Decimal
    actual: Decimal | None
    cumulative_target: Decimal
    cumulative_actual: Decimal | None
    accepted: bool
    #: Where the period's return is, when it has no actual to show: "Overdue", "Not due
    #: yet", "In progress", "Changes requested".
    status: str = ""

    @property
    def label(self) -> str:
        return self.monitoring_return.period_label

    @property
    def provisional(self) -> bool:
        """Submitted and not yet accepted: the officer may still ask for changes."""
        return self.actual is not None and not self.accepted


@dataclass
class MeasurePerformance:
    """One success measure across the agreement's periods."""

    outcome: str
    measure: str
    unit: str
    points: list[PerformancePoint] = field(default_factory=list)

    @property
    def total_target(self) -> Decimal:
        return self.points[-1].cumulative_target if self.points else ZERO

    @property
    def latest(self) -> PerformancePoint | None:
        """The last period with an actual reported."""
        reported = [point for point in self.points if point.actual is not None]
        return reported[-1] if reported else None

    @property
    def has_provisional(self) -> bool:
        return any(point.provisional for point in self.points)


def _status(monitoring_return: MonitoringReturn, *, day: datetime.date) -> str:
    if monitoring_return.due_on < day and monitoring_return.state in EDITABLE_STATES:
        return "Overdue"
    if monitoring_return.state == ReturnState.DUE:
        return "Not due yet"
    return monitoring_return.get_state_display()


#: A period's actual counts once its return is sent and not sent back.
REPORTED_STATES = (ReturnState.ACCEPTED, ReturnState.SUBMITTED)


def agreement_performance(*, agreement: Agreement) -> list[MeasurePerformance]:
    """For each success measure of the agreement, in the order they were agreed: each
    period's share of the yearly targets and the actual from its return (accepted, or
    submitted and not yet accepted; nothing while it is being written or changed), and
    both added up to the end of each period. Three queries, whatever the length."""
    targets = list(agreement.targets.order_by("pk"))
    returns = list(agreement.monitoring_returns.order_by("period_start", "pk"))
    actuals = ReturnActual.objects.filter(
        monitoring_return__agreement=agreement, monitoring_return__state__in=REPORTED_STATES
    ).values_list("monitoring_return_id", "target_id", "value")
    value_of: dict[tuple[int, int], Decimal] = {(r, t): v for r, t, v in actuals}

    by_measure: dict[tuple, list] = defaultdict(list)
    for target in targets:
        by_measure[measure_key(target)].append(target)

    day = today()
    performance = []
    for (outcome, measure, unit), measure_targets in by_measure.items():
        line = MeasurePerformance(outcome=outcome, measure=measure, unit=unit)
        cumulative_target = ZERO
        cumulative_actual = ZERO
        for monitoring_return in returns:
            share = sum(
                (
                    period_share(
                        agreement=agreement,
                        target=target,
                        start=monitoring_return.period_start,
                        end=monitoring_return.period_end,
                    )
                    for target in measure_targets
                ),
                start=ZERO,
            )
            cumulative_target += share
            reported = monitoring_return.state in REPORTED_STATES
            values = [
                value_of[(monitoring_return.pk, target.pk)]
                for target in measure_targets
                if (monitoring_return.pk, target.pk) in value_of
            ]
            actual = sum(values, start=ZERO) if reported and values else None
            if actual is not None:
                cumulative_actual += actual
            line.points.append(
                PerformancePoint(
                    monitoring_return=monitoring_return,
                    target=share,
                    actual=actual,
                    cumulative_target=cumulative_target,
                    cumulative_actual=cumulative_actual if actual is not None else None,
                    accepted=monitoring_return.state == ReturnState.ACCEPTED,
                    status=_status(monitoring_return, day=day),
                )
            )
        performance.append(line)
    return performance


# --- A provider's own page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnToDo:
    """A return the organisation owes, and what to do next."""

    monitoring_return: MonitoringReturn
    action: str
    url: str
    overdue: bool


def _next_action(monitoring_return: MonitoringReturn) -> tuple[str, str]:
    edit = reverse("monitoring:return_edit", kwargs={"pk": monitoring_return.pk})
    if monitoring_return.state == ReturnState.DUE:
        return "Start the return", edit
    if monitoring_return.state == ReturnState.CHANGES_REQUESTED:
        return "See the changes asked for", monitoring_return.get_absolute_url()
    return "Continue the return", edit


#: What a provider's home reads of a return it lists, and of its agreement and organisation.
_RETURN_TO_DO_FIELDS = (
    "agreement_id",
    "period_start",
    "period_end",
    "due_on",
    "state",
    "agreement__reference",
    "agreement__state",
    "agreement__decision_id",
    "agreement__decision__bid_id",
    "agreement__decision__bid__organisation_id",
    "agreement__decision__bid__organisation__name",
)

#: What a provider's home reads of an agreement it lists (and ranks them by), and of its
#: opportunity and organisation.
_AGREEMENT_LISTED_FIELDS = (
    "decision_id",
    "reference",
    "kind",
    "amount",
    "state",
    "issued_at",
    "decision__bid_id",
    "decision__bid__opportunity_id",
    "decision__bid__opportunity__title",
    "decision__bid__organisation_id",
    "decision__bid__organisation__name",
)

#: What a provider's home reads of a bid it lists, with its opportunity, organisation and
#: decision.
_BID_LISTED_FIELDS = (
    "reference",
    "state",
    "opportunity_id",
    "organisation_id",
    "opportunity__title",
    "opportunity__closes_at",
    "organisation__name",
    "decision__bid_id",
    "decision__outcome",
    "decision__amount",
    "decision__approved_at",
)


def provider_returns_to_do(*, user, limit: int = 5) -> tuple[list[ReturnToDo], int]:
    """The returns the person's organisations owe on agreements in delivery for periods
    that have started (not yet sent, or sent back for changes), the earliest due first,
    with the next action; and how many there are in all. Returns for periods still to come
    are not shown: there is nothing to report yet."""
    day = today()
    returns = MonitoringReturn.objects.filter(
        agreement__state=AgreementState.ACCEPTED,
        agreement__decision__bid__organisation__memberships__user=user,
        state__in=EDITABLE_STATES,
        period_start__lte=day,
    )
    chosen = list(
        returns.select_related("agreement__decision__bid__organisation")
        .only(*_RETURN_TO_DO_FIELDS)
        .annotate(in_all=Window(Count("pk")))
        .order_by("due_on", "pk")[:limit]
    )
    total = chosen[0].in_all if chosen else 0
    rows = []
    for monitoring_return in chosen:
        action, url = _next_action(monitoring_return)
        rows.append(
            ReturnToDo(
                monitoring_return=monitoring_return,
                action=action,
                url=url,
                overdue=monitoring_return.due_on < day,
            )
        )
    return rows, total


def provider_agreements(*, user) -> QuerySet[Agreement]:
    """The person's organisations' agreements once sent to them (drafts are the council's),
    the newest first, each with its organisation and opportunity."""
    return (
        Agreement.objects.exclude(state=AgreementState.DRAFT)
        .filter(decision__bid__organisation__memberships__user=user)
        .select_related("decision__bid__organisation", "decision__bid__opportunity")
        .order_by("-issued_at", "-pk")
    )


def provider_agreements_latest(
    *, user, limit: int, to_accept_limit: int
) -> tuple[list[Agreement], int, list[Agreement]]:
    """The person's organisations' `limit` newest agreements once sent to them, how many
    there are in all, and the `to_accept_limit` oldest of them still waiting for the
    organisation to accept (issued): one query, each row ranked in both lists."""
    waiting = ExpressionWrapper(Q(state=AgreementState.ISSUED), output_field=BooleanField())
    rows = list(
        provider_agreements(user=user)
        .order_by()
        .only(*_AGREEMENT_LISTED_FIELDS)
        .annotate(
            in_all=Window(Count("pk")),
            newest_rank=Window(RowNumber(), order_by=[F("issued_at").desc(), F("pk").desc()]),
            waiting_rank=Window(
                RowNumber(), partition_by=[waiting], order_by=[F("issued_at").asc(), F("pk").asc()]
            ),
        )
        .filter(
            Q(newest_rank__lte=limit)
            | Q(state=AgreementState.ISSUED, waiting_rank__lte=to_accept_limit)
        )
    )
    latest = sorted((row for row in rows if row.newest_rank <= limit), key=lambda r: r.newest_rank)
    to_accept = sorted(
        (
            row
            for row in rows
            if row.state == AgreementState.ISSUED and row.waiting_rank <= to_accept_limit
        ),
        key=lambda row: row.waiting_rank,
    )
    return latest, rows[0].in_all if rows else 0, to_accept


def provider_bids_latest(
    *, user, feedback_limit: int, to_finish_limit: int
) -> tuple[list[Bid], list[Bid]]:
    """Of the bids of the person's organisations (as lead or consortium partner): the
    `feedback_limit` the council has decided on, the latest decision first, each with its
    feedback to read; and the `to_finish_limit` drafts they lead for opportunities open
    now, the first to close first. One query, from their own bids outwards."""
    now = timezone.now()
    decided = ExpressionWrapper(Q(decision__approved_at__isnull=False), output_field=BooleanField())
    to_finish = ExpressionWrapper(
        Q(
            is_lead=True,
            state=BidState.DRAFT,
            opportunity__state=OpportunityState.PUBLISHED,
            opportunity__opens_at__lte=now,
            opportunity__closes_at__gt=now,
        ),
        output_field=BooleanField(),
    )
    rows = list(
        bids_for_user(user=user)
        .order_by()
        .only(*_BID_LISTED_FIELDS)
        .annotate(decided=decided, to_finish=to_finish)
        .annotate(
            feedback_rank=Window(
                RowNumber(),
                partition_by=[F("decided")],
                order_by=[F("decision__approved_at").desc(), F("pk").desc()],
            ),
            finish_rank=Window(
                RowNumber(),
                partition_by=[F("to_finish")],
                order_by=[F("opportunity__closes_at").asc(), F("pk").asc()],
            ),
        )
        .filter(
            Q(decided=True, feedback_rank__lte=feedback_limit)
            | Q(to_finish=True, finish_rank__lte=to_finish_limit)
        )
    )
    feedback = sorted(
        (row for row in rows if row.decided and row.feedback_rank <= feedback_limit),
        key=lambda row: row.feedback_rank,
    )
    drafts = sorted(
        (row for row in rows if row.to_finish and row.finish_rank <= to_finish_limit),
        key=lambda row: row.finish_rank,
    )
    return feedback, drafts


@dataclass(frozen=True)
class ProviderHome:
    """What a provider's own page shows beside their organisations."""

    agreements: list[Agreement]
    agreements_total: int
    returns_to_do: list[ReturnToDo]
    returns_total: int
    feedback: list[Bid]
    notifications: list
    notifications_unread: int
    #: For the to-do list, which lists more of each than this page's panels: the returns
    #: owed next, the agreements waiting to be accepted and the draft bids to finish.
    returns_due: list[ReturnToDo]
    agreements_to_accept: list[Agreement]
    bids_to_finish: list[Bid]


def provider_home_get(*, user, limit: int = 5, to_do_limit: int = 10) -> ProviderHome:
    """The person's organisations' latest agreements, the returns they owe next with what to
    do, the feedback on their decided bids and their latest notifications, and for the
    to-do list (`to_do_limit` of each) the returns due, agreements to accept and bids to
    finish: a fixed number of queries (each list brings its own total, and the lists of one
    kind of thing come in one query)."""
    agreements, agreements_total, to_accept = provider_agreements_latest(
        user=user, limit=limit, to_accept_limit=to_do_limit
    )
    returns, returns_total = provider_returns_to_do(user=user, limit=max(limit, to_do_limit))
    feedback, to_finish = provider_bids_latest(
        user=user, feedback_limit=limit, to_finish_limit=to_do_limit
    )
    notifications, unread = notifications_latest_get(user=user, limit=3)
    return ProviderHome(
        agreements=agreements,
        agreements_total=agreements_total,
        returns_to_do=returns[:limit],
        returns_total=returns_total,
        feedback=feedback,
        notifications=notifications,
        notifications_unread=unread,
        returns_due=returns[:to_do_limit],
        agreements_to_accept=to_accept,
        bids_to_finish=to_finish,
    )


def returns_due_this_month() -> QuerySet[MonitoringReturn]:
    """The staff list of returns due this month: whatever their state, the earliest due
    first, each with its agreement's organisation and opportunity."""
    return (
        returns_due_in_month()
        .select_related(
            "agreement__decision__bid__organisation", "agreement__decision__bid__opportunity"
        )
        .order_by("due_on", "pk")
    )
