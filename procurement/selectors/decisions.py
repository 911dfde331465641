"""Reads for decisions: each bidder's feedback (the moderated score and reasons for every
question, and the weighted total), and the public register of awards with its filters.

The feedback never names panel members nor shows their individual scores: only the
moderated scores the officer settled on, which are what the bidder is told. Nothing here
checks who is asking; the views do.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from commissioning.models import Area, Commission, CorporatePriority, Sector
from core.search import PUBLIC_SOURCES, search_terms
from core.templatetags.portal import money
from procurement.models import (
    MAX_SCORE,
    AwardDecision,
    Bid,
    FundingType,
    ModeratedScore,
    Question,
    ScoreDescriptor,
)
from procurement.scoring import weighted_total

FEED_LENGTH = 50
FINANCIAL_YEAR_STARTS = 4  # April

COMMISSION = "bid__opportunity__specification__commission"


# --- One bidder's feedback -------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackRow:
    """One question of the bid with the moderated score and the reasons for it."""

    number: int
    question: Question
    criterion: str
    weight: Decimal
    score: int | None
    label: str
    reasons: str

    @property
    def score_words(self) -> str:
        """ "4 out of 5 – Good"."""
        if self.score is None:
            return "Not scored"
        words = f"{self.score} out of {MAX_SCORE}"
        return f"{words} – {self.label}" if self.label else words


@dataclass(frozen=True)
class Feedback:
    decision: AwardDecision
    rows: list[FeedbackRow]
    total: Decimal

    @property
    def bid(self) -> Bid:
        return self.decision.bid

    @property
    def is_contract(self) -> bool:
        return self.decision.bid.opportunity.funding_type == FundingType.CONTRACT


def decision_approved_for_bid(*, bid: Bid) -> AwardDecision | None:
    """The council's approved decision on the bid, or None while there is none (a
    recommendation not yet approved is not a decision)."""
    return (
        AwardDecision.objects.approved()
        .select_related("bid__opportunity", "bid__organisation")
        .filter(bid=bid)
        .first()
    )


def criterion_name(question: Question) -> str:
    """The core or service-specific criterion the question assesses."""
    if question.criterion_id:
        return question.criterion.name
    if question.service_criterion_id:
        return question.service_criterion.name
    return "Service specific criteria"


def score_total_words(total: Decimal) -> str:
    """ "72 out of 100", "72.5 out of 100"."""
    text = f"{total:.2f}".rstrip("0").rstrip(".")
    return f"{text} out of 100"


def decision_feedback(*, decision: AwardDecision) -> Feedback:
    """The feedback on the decision's bid: each question in order with its weight, the
    moderated score (with its descriptor) and the reasons, and the weighted total."""
    bid = decision.bid
    questions = list(
        bid.opportunity.questions.select_related("criterion", "service_criterion").order_by(
            "order", "pk"
        )
    )
    moderated = {row.question_id: row for row in ModeratedScore.objects.filter(bid=bid)}
    labels = dict(ScoreDescriptor.objects.values_list("score", "label"))
    rows = []
    for number, question in enumerate(questions, start=1):
        score = moderated.get(question.pk)
        rows.append(
            FeedbackRow(
                number=number,
                question=question,
                criterion=criterion_name(question),
                weight=question.weight,
                score=score.score if score else None,
                label=labels.get(score.score, "") if score else "",
                reasons=score.rationale if score else "",
            )
        )
    total = weighted_total(
        scores={question_id: row.score for question_id, row in moderated.items()},
        weights={question.pk: question.weight for question in questions},
    )
    return Feedback(decision=decision, rows=rows, total=total)


# --- The public register ---------------------------------------------------------------------


@dataclass(frozen=True)
class FinancialYear:
    """The council's financial year, 1 April to 31 March, named by the year it starts."""

    start_year: int

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, FINANCIAL_YEAR_STARTS, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, FINANCIAL_YEAR_STARTS, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"April {self.start_year} to March {self.start_year + 1}"

    @classmethod
    def of(cls, day: dt.date) -> "FinancialYear":
        year = day.year if day.month >= FINANCIAL_YEAR_STARTS else day.year - 1
        return cls(year)


def _register_queryset() -> QuerySet[AwardDecision]:
    """Approved successful awards with everything a row of the register shows, in a fixed
    number of queries whatever the number of rows."""
    return (
        AwardDecision.objects.published_awards()
        .select_related(
            "bid__organisation",
            "bid__opportunity",
            f"{COMMISSION}__sector",
            "agreement",
        )
        .prefetch_related(
            Prefetch(
                f"{COMMISSION}__priorities",
                queryset=CorporatePriority.objects.order_by("order", "name"),
            ),
            Prefetch(f"{COMMISSION}__areas", queryset=Area.objects.order_by("kind", "name")),
        )
    )


def _areas_covering(area: Area) -> list[int]:
    """The area itself, the wards within it, and the area it lies in: a commission for a
    whole area serves each of its wards, and a ward's commission serves its area."""
    ids = {area.pk}
    ids.update(area.wards.values_list("pk", flat=True))
    if area.parent_id:
        ids.add(area.parent_id)
    return sorted(ids)


REGISTER_ORDER = ("-decided_on", "-approved_at", "-pk")

# An organisation identifier as typed ("GB-CHC-1100999", or its start): searched as the
# start of the identifier rather than as words.
ORG_ID = re.compile(r"^[A-Za-z]{2}-[A-Za-z]{2,4}-[\w-]*$")


def _search_narrow(queryset: QuerySet[AwardDecision], search: str) -> QuerySet[AwardDecision]:
    """The awards the words match: an organisation identifier (or the start of one) by its
    identifier; otherwise every word in the recipient's name, the purpose or the programme,
    through the site search's awards source (full text on PostgreSQL, each word looked up in
    the indexes of the columns it may be in: core/search.py), rather than a contains across
    every joined column."""
    if ORG_ID.match(search):
        return queryset.filter(bid__organisation__org_id__istartswith=search)
    [awards] = [source for source in PUBLIC_SOURCES if source.key == "decisions"]
    return awards.narrow(queryset, search_terms(search))


def decisions_public_matching(
    *,
    search: str = "",
    sector: Sector | None = None,
    priority: CorporatePriority | None = None,
    area: Area | None = None,
    funding_type: str = "",
    financial_year: FinancialYear | None = None,
) -> QuerySet[AwardDecision]:
    """The register of awards: approved, successful decisions only, newest first, with
    none of their related rows: for counting, totalling and choosing a page's ids in the
    database before `decisions_with_details` fetches that page's columns.

    `search` matches the recipient's name or org-id, the purpose (the agreement's, or the
    bid's project title) and the programme (the commission's title)."""
    queryset = AwardDecision.objects.published_awards()
    search = " ".join(search.split())
    if search:
        queryset = _search_narrow(queryset, search)
    if sector is not None:
        queryset = queryset.filter(**{f"{COMMISSION}__sector": sector})
    commissions = Commission.objects.all()
    if priority is not None:
        commissions = commissions.filter(priorities=priority)
    if area is not None:
        commissions = commissions.filter(areas__in=_areas_covering(area))
    if priority is not None or area is not None:
        queryset = queryset.filter(**{f"{COMMISSION}__in": commissions.values("pk")})
    if funding_type:
        queryset = queryset.filter(bid__opportunity__funding_type=funding_type)
    if financial_year is not None:
        queryset = queryset.filter(
            decided_on__gte=financial_year.starts_on, decided_on__lte=financial_year.ends_on
        )
    return queryset.order_by(*REGISTER_ORDER)


def decisions_with_details(*, ids: Sequence[int]) -> list[AwardDecision]:
    """The awards with these ids, in that order, with everything a row of the register
    shows: a page of the register in a fixed number of queries."""
    rows = _register_queryset().order_by().in_bulk(list(ids))
    return [rows[pk] for pk in ids if pk in rows]


def decisions_public_list(**filters) -> QuerySet[AwardDecision]:
    """Every award the search and filters select, newest first, with everything a row
    shows (the CSV file: all of them, not a page)."""
    matching = decisions_public_matching(**filters).order_by().values("pk")
    return _register_queryset().filter(pk__in=matching).order_by(*REGISTER_ORDER)


@dataclass(frozen=True)
class RegisterSummary:
    """How many awards the search and filters select, and the total they awarded."""

    count: int
    total: Decimal


def decisions_summary(*, decisions: QuerySet[AwardDecision]) -> RegisterSummary:
    """The number of the decisions and the total they awarded (their amounts), counted and
    summed in one query, so the search and filters are planned and run once for both."""
    result = decisions.order_by().aggregate(count=Count("pk"), total=Sum("amount"))
    return RegisterSummary(count=result["count"], total=result["total"] or Decimal(0))


def decision_financial_years() -> list[FinancialYear]:
    """The financial years in which awards were decided, newest first. Read as the months
    with awards (a few dozen rows), not a date per award."""
    months = (
        AwardDecision.objects.published_awards()
        .filter(decided_on__isnull=False)
        .order_by()
        .values_list(ExtractYear("decided_on"), ExtractMonth("decided_on"))
        .distinct()
    )
    years = {FinancialYear.of(dt.date(year, month, 1)).start_year for year, month in months}
    return [FinancialYear(year) for year in sorted(years, reverse=True)]


def decision_public_get(*, pk: int) -> AwardDecision:
    """One award on the register. AwardDecision.DoesNotExist unless approved and
    successful."""
    return _register_queryset().get(pk=pk)


def decisions_latest(*, order: Sequence[str] = REGISTER_ORDER, count: int) -> list[AwardDecision]:
    """The first `count` awards in that order, with everything a row shows: their ids taken
    from the awards alone (an index's first rows: procurement's
    `award_published_register`/`award_published_approved`), then only those rows' details,
    rather than joining every award to its details to sort them all."""
    ids = AwardDecision.objects.published_awards().order_by(*order).values_list("pk", flat=True)
    return decisions_with_details(ids=list(ids[:count]))


def decisions_feed_list() -> list[AwardDecision]:
    """The latest awards for the Atom feed, newest approval first."""
    return decisions_latest(order=("-approved_at", "-pk"), count=FEED_LENGTH)


# --- What a row of the register shows --------------------------------------------------------


def _agreement(decision: AwardDecision):
    """The decision's agreement, or None. Uses the cache `select_related` filled."""
    try:
        return decision.agreement
    except AwardDecision.agreement.RelatedObjectDoesNotExist:
        return None


def decision_purpose(*, decision: AwardDecision) -> str:
    """What the money is for: the agreement's purpose, or else the bid's project title."""
    agreement = _agreement(decision)
    if agreement is not None and agreement.purpose.strip():
        return agreement.purpose.strip()
    return decision.bid.title or decision.bid.opportunity.title


def decision_period(*, decision: AwardDecision) -> tuple[dt.date, dt.date]:
    """The start and end dates: the agreement's, or else the commission's period."""
    agreement = _agreement(decision)
    if agreement is not None:
        return agreement.starts_on, agreement.ends_on
    commission = decision.bid.opportunity.specification.commission
    return commission.period_start, commission.period_end


@dataclass(frozen=True)
class RegisterEntry:
    """An award as the register shows it."""

    decision: AwardDecision
    purpose: str
    starts_on: dt.date
    ends_on: dt.date

    @property
    def organisation(self):
        return self.decision.bid.organisation

    @property
    def commission(self) -> Commission:
        return self.decision.bid.opportunity.specification.commission

    @property
    def funding_type(self) -> str:
        return self.decision.bid.opportunity.get_funding_type_display()

    @property
    def purpose_in_brief(self) -> str:
        """The purpose's first line, without its full stop."""
        first = self.purpose.strip().splitlines()[0] if self.purpose.strip() else ""
        return first.strip().rstrip(".")

    @property
    def title(self) -> str:
        """ "Lancaster Foodbank awarded £30,000 for money advice in Morecambe"."""
        amount = money(self.decision.amount)
        return f"{self.organisation.name} awarded {amount} for {self.purpose_in_brief}"


def register_entry(*, decision: AwardDecision) -> RegisterEntry:
    starts_on, ends_on = decision_period(decision=decision)
    return RegisterEntry(
        decision=decision,
        purpose=decision_purpose(decision=decision),
        starts_on=starts_on,
        ends_on=ends_on,
    )


# --- The register as a spreadsheet -----------------------------------------------------------

CSV_HEADER = (
    "Recipient",
    "Organisation identifier",
    "Amount awarded (£)",
    "Purpose",
    "Programme",
    "Programme reference",
    "Grant or contract",
    "Sector",
    "Corporate Priorities",
    "Wards and areas",
    "Date of the decision",
    "Start date",
    "End date",
    "Web page",
)


def decisions_csv_rows(*, decisions: QuerySet[AwardDecision], base_url: str) -> list[list]:
    """One row per award of `decisions` (the register's filtered list, all its pages), in
    the register's order: dates as YYYY-MM-DD and amounts as plain pounds, so a spreadsheet
    reads them as dates and numbers. `base_url` ("https://host") makes each award's web
    page an absolute address."""
    rows = []
    for decision in decisions:
        entry = register_entry(decision=decision)
        commission = entry.commission
        rows.append(
            [
                entry.organisation.name,
                entry.organisation.org_id,
                f"{decision.amount:.2f}",
                entry.purpose,
                commission.title,
                commission.reference,
                entry.funding_type,
                commission.sector.name,
                "; ".join(priority.name for priority in commission.priorities.all()),
                "; ".join(area.name for area in commission.areas.all()) or "The whole district",
                decision.decided_on.isoformat() if decision.decided_on else "",
                entry.starts_on.isoformat() if entry.starts_on else "",
                entry.ends_on.isoformat() if entry.ends_on else "",
                f"{base_url}{decision.get_absolute_url()}",
            ]
        )
    return rows


def decision_last_updated(*, decision: AwardDecision) -> dt.datetime | None:
    """When what the register shows of the award last changed: its approval, or later its
    agreement (whose purpose and dates the register shows)."""
    agreement = _agreement(decision)
    moments = [decision.approved_at]
    if agreement is not None:
        moments.append(agreement.updated_at)
    return max((moment for moment in moments if moment), default=None)
