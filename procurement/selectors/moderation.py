"""Reads for moderation and ranking: every bid's scores side by side, weighted totals, the
ranked list within the budget, and whether a commission's award recommendation is whole.

Only scores a panel member has submitted are read here: never a draft, and never the
scores on an assignment that a declared conflict took away. Nothing here checks who is
asking; the views check `procurement.manage_assessment` or `procurement.view_recommendation`
first.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, FilteredRelation, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.lookups import Exact

from core.models import User
from core.selectors import count_of
from procurement.models import (
    Assignment,
    AwardDecision,
    Bid,
    BidState,
    ModeratedScore,
    Opportunity,
    Outcome,
    Question,
    Score,
)
from procurement.optimiser import Proposal, budget_optimise
from procurement.scoring import weighted_total
from procurement.selectors.assessment import (
    commission_bids_received,
    opportunity_questions,
    question_weights,
)

ONE_PLACE = Decimal("0.1")

# --- The commission's condition (commissioning.models.Commission calls this) ------------------


def commission_has_award_recommendation(*, commission) -> bool:
    """Every bid received has a moderated score for every question and a decision (counted
    in one query), and each opportunity's awards fit within its budget."""
    questions = Question.objects.filter(opportunity=OuterRef("opportunity"))
    moderated = ModeratedScore.objects.filter(bid=OuterRef("pk"))
    counts = (
        commission_bids_received(commission=commission)
        .annotate(
            questions=count_of(questions, per="opportunity"),
            moderated=count_of(moderated, per="bid"),
        )
        .aggregate(
            received=Count("pk"),
            short=Count("pk", filter=Q(moderated__lt=F("questions"))),
            undecided=Count("pk", filter=Q(decision__isnull=True)),
        )
    )
    if not counts["received"] or counts["short"] or counts["undecided"]:
        return False
    opportunities = Opportunity.objects.filter(specification__commission=commission).annotate(
        awarded=Sum(
            "bids__decision__amount",
            filter=Q(bids__decision__outcome=Outcome.SUCCESSFUL, bids__state=BidState.SUBMITTED),
        )
    )
    return all((opportunity.awarded or 0) <= opportunity.budget for opportunity in opportunities)


# --- The opportunity and its questions -----------------------------------------------------


def opportunity_for_assessment_get(*, pk: int) -> Opportunity:
    """The opportunity with its commission. Opportunity.DoesNotExist if there is none."""
    return Opportunity.objects.select_related("specification__commission").get(pk=pk)


def bid_for_moderation_get(*, pk: int) -> Bid:
    """A bid received (submitted), with its organisation, opportunity and commission.
    Bid.DoesNotExist for any other bid: a draft or a withdrawn bid was never received."""
    return Bid.objects.select_related("organisation", "opportunity__specification__commission").get(
        pk=pk, state=BidState.SUBMITTED
    )


def question_criterion_name(question: Question) -> str:
    if question.criterion_id:
        return question.criterion.name
    if question.service_criterion_id:
        return question.service_criterion.name
    return str(question)


# --- Moderation: the panel's scores side by side --------------------------------------------


@dataclass(frozen=True)
class PanelColumn:
    """One panel member who has submitted their scores for the bid."""

    assignment: Assignment

    @property
    def name(self) -> str:
        user = self.assignment.panel_member.user
        return user.full_name or user.email


@dataclass
class QuestionRow:
    number: int
    question: Question
    criterion: str
    # One per column, in column order: the submitted score (None if the member left it out).
    scores: list[Score | None]
    moderated: ModeratedScore | None
    threshold: int

    @property
    def given(self) -> list[int]:
        return [score.score for score in self.scores if score is not None]

    @property
    def spread(self) -> int | None:
        given = self.given
        return max(given) - min(given) if given else None

    @property
    def mean(self) -> Decimal | None:
        given = self.given
        return Decimal(sum(given)) / len(given) if given else None

    @property
    def mean_shown(self) -> Decimal | None:
        mean = self.mean
        return None if mean is None else mean.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)

    @property
    def is_divergent(self) -> bool:
        """Two or more panel members gave scores `threshold` or more points apart."""
        return len(self.given) > 1 and self.spread >= self.threshold


class ModerationStatus:
    """A bid's moderation status in words and as a tag colour, from its `assigned`,
    `waiting_for`, `is_moderated`, `moderated_count` and `question_count`."""

    @property
    def status(self) -> str:
        if not self.assigned:
            return "Not assigned to the panel"
        if self.waiting_for:
            count = len(self.waiting_for)
            members = "panel member’s" if count == 1 else "panel members’"
            return f"Waiting for {count} {members} scores"
        if self.is_moderated:
            return "Moderated"
        if self.moderated_count:
            return f"Moderated {self.moderated_count} of {self.question_count} questions"
        return "Ready to moderate"

    @property
    def status_colour(self) -> str:
        if self.is_moderated:
            return "green"
        if not self.assigned:
            return "red"
        if self.waiting_for:
            return "grey"
        return "blue"


@dataclass
class BidModeration(ModerationStatus):
    bid: Bid
    columns: list[PanelColumn]
    rows: list[QuestionRow]
    waiting_for: list[str] = field(default_factory=list)
    conflicts_unresolved: int = 0
    weights: dict[int, Decimal] = field(default_factory=dict)

    @property
    def assigned(self) -> bool:
        return bool(self.columns or self.waiting_for)

    @property
    def divergent_count(self) -> int:
        return sum(1 for row in self.rows if row.is_divergent)

    @property
    def widest_divergence(self) -> QuestionRow | None:
        """The divergent question the panel's scores are furthest apart on, if any."""
        divergent = [row for row in self.rows if row.is_divergent]
        return max(divergent, key=lambda row: row.spread) if divergent else None

    @property
    def moderated_count(self) -> int:
        return sum(1 for row in self.rows if row.moderated is not None)

    @property
    def question_count(self) -> int:
        return len(self.rows)

    @property
    def is_moderated(self) -> bool:
        return bool(self.rows) and self.moderated_count == len(self.rows)

    @property
    def panel_total(self) -> Decimal | None:
        """The weighted total of the panel's mean scores, out of 100."""
        if not self.columns:
            return None
        means = {row.question.pk: row.mean for row in self.rows if row.mean is not None}
        return weighted_total(scores=means, weights=self.weights)

    @property
    def moderated_total(self) -> Decimal | None:
        if not self.is_moderated:
            return None
        scores = {row.question.pk: row.moderated.score for row in self.rows}
        return weighted_total(scores=scores, weights=self.weights)


def _bid_moderations(*, opportunity: Opportunity, bids: list[Bid]) -> list[BidModeration]:
    """A fixed number of queries however many bids, questions and panel members."""
    questions = opportunity_questions(opportunity=opportunity)
    weights = question_weights(questions=questions)
    threshold = opportunity.divergence_threshold
    bid_ids = [bid.pk for bid in bids]
    assignments = list(
        Assignment.objects.filter(bid__in=bid_ids)
        .select_related("panel_member__user")
        .order_by("panel_member__user__full_name", "panel_member__user__email", "pk")
    )
    submitted_ids = [a.pk for a in assignments if a.is_active and a.is_submitted]
    scores: dict[tuple[int, int], Score] = {
        (score.assignment_id, score.question_id): score
        for score in Score.objects.filter(
            assignment__in=submitted_ids,
            assignment__submitted_at__isnull=False,
            assignment__conflict__isnull=True,
        )
    }
    moderated: dict[tuple[int, int], ModeratedScore] = {
        (m.bid_id, m.question_id): m
        for m in ModeratedScore.objects.filter(bid__in=bid_ids).select_related("moderated_by")
    }
    by_bid: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_bid[assignment.bid_id].append(assignment)

    result = []
    for bid in bids:
        columns = [PanelColumn(a) for a in by_bid[bid.pk] if a.is_active and a.is_submitted]
        rows = [
            QuestionRow(
                number=number,
                question=question,
                criterion=question_criterion_name(question),
                scores=[scores.get((column.assignment.pk, question.pk)) for column in columns],
                moderated=moderated.get((bid.pk, question.pk)),
                threshold=threshold,
            )
            for number, question in enumerate(questions, start=1)
        ]
        result.append(
            BidModeration(
                bid=bid,
                columns=columns,
                rows=rows,
                waiting_for=[
                    PanelColumn(a).name
                    for a in by_bid[bid.pk]
                    if a.is_active and not a.is_submitted
                ],
                conflicts_unresolved=sum(
                    1 for a in by_bid[bid.pk] if a.is_conflicted and a.conflict_resolved_at is None
                ),
                weights=weights,
            )
        )
    return result


# What the moderation list shows of a bid and its organisation: only these are read.
BID_SUMMARY_FIELDS = (
    "reference",
    "state",
    "amount_requested",
    "opportunity_id",
    "organisation_id",
    "organisation__name",
)


def bids_for_moderation(*, opportunity: Opportunity) -> QuerySet[Bid]:
    """The bids received, by reference, with what the list shows of them: for a paginator
    (an opportunity may have hundreds)."""
    return (
        opportunity.bids.filter(state=BidState.SUBMITTED)
        .select_related("organisation")
        .only(*BID_SUMMARY_FIELDS)
        .order_by("reference", "pk")
    )


@dataclass(frozen=True)
class Divergence:
    """How far apart the panel's scores are on a question (`divergence_tag.html`)."""

    spread: int


@dataclass
class BidSummary(ModerationStatus):
    """One bid's row on the moderation list: the same status, totals and divergence a
    `BidModeration` gives, read from counts, sums and spreads the database works out, not
    from every score and comment."""

    bid: Bid
    question_count: int
    submitted_count: int = 0
    waiting_for: list[str] = field(default_factory=list)
    conflicts_unresolved: int = 0
    moderated_count: int = 0
    panel_total: Decimal | None = None
    moderated_total: Decimal | None = None
    divergent_count: int = 0
    widest_divergence: Divergence | None = None

    @property
    def assigned(self) -> bool:
        return bool(self.submitted_count or self.waiting_for)

    @property
    def is_moderated(self) -> bool:
        return bool(self.question_count) and self.moderated_count == self.question_count


def bid_summaries(
    *, opportunity: Opportunity, bids: Iterable[Bid], questions: list[Question] | None = None
) -> list[BidSummary]:
    """The bids (a page of them) each summed up for the moderation list, in three queries
    (and one for the `questions` when not given) however many bids, panel members and
    questions: only the submitted scores on assignments no conflict took away count, as on
    each bid's own page."""
    bids = list(bids)
    bid_ids = [bid.pk for bid in bids]
    if questions is None:
        questions = opportunity_questions(opportunity=opportunity)
    weights = question_weights(questions=questions)
    threshold = opportunity.divergence_threshold
    summaries = {bid.pk: BidSummary(bid=bid, question_count=len(questions)) for bid in bids}

    assignments = (
        Assignment.objects.filter(bid__in=bid_ids)
        .order_by("panel_member__user__full_name", "panel_member__user__email", "pk")
        .values_list(
            "bid_id",
            "conflict_id",
            "conflict_resolved_at",
            "submitted_at",
            "panel_member__user__full_name",
            "panel_member__user__email",
        )
    )
    for bid_id, conflict_id, resolved_at, submitted_at, full_name, email in assignments:
        summary = summaries[bid_id]
        if conflict_id is not None:
            summary.conflicts_unresolved += resolved_at is None
        elif submitted_at is not None:
            summary.submitted_count += 1
        else:
            summary.waiting_for.append(full_name or email)

    # Per bid and question: how many scores, their sum, and how far apart they are.
    given = (
        Score.objects.filter(
            assignment__bid__in=bid_ids,
            assignment__submitted_at__isnull=False,
            assignment__conflict__isnull=True,
        )
        .order_by()
        .values("assignment__bid", "question")
        .annotate(n=Count("pk"), total=Sum("score"), spread=Max("score") - Min("score"))
        .values_list("assignment__bid", "question", "n", "total", "spread")
    )
    means: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for bid_id, question_id, count, total, spread in given:
        means[bid_id][question_id] = Decimal(total) / count
        summary = summaries[bid_id]
        if count > 1 and spread >= threshold:
            summary.divergent_count += 1
            widest = summary.widest_divergence
            if widest is None or spread > widest.spread:
                summary.widest_divergence = Divergence(spread)

    moderated: dict[int, dict[int, int]] = defaultdict(dict)
    for bid_id, question_id, score in (
        ModeratedScore.objects.filter(bid__in=bid_ids, question__in=list(weights))
        .order_by()
        .values_list("bid_id", "question_id", "score")
    ):
        moderated[bid_id][question_id] = score

    for bid_id, summary in summaries.items():
        if summary.submitted_count:
            summary.panel_total = weighted_total(scores=means[bid_id], weights=weights)
        summary.moderated_count = len(moderated[bid_id])
        if summary.is_moderated:
            summary.moderated_total = weighted_total(scores=moderated[bid_id], weights=weights)
    return list(summaries.values())


@dataclass(frozen=True)
class ModerationProgress:
    """Across every bid received: how many, how many are moderated, how many questions the
    panel's scores differ on by the opportunity's threshold or more."""

    received: int
    moderated: int
    divergent: int


def moderation_progress(
    *, opportunity: Opportunity, questions: list[Question] | None = None
) -> ModerationProgress:
    """Counted in the database (two queries, and one for the `questions` when not given),
    however many bids and scores there are: the same answers `BidModeration.is_moderated`
    and `divergent_count` give bid by bid."""
    if questions is None:
        questions = opportunity_questions(opportunity=opportunity)
    bids = bids_for_moderation(opportunity=opportunity).order_by()
    if questions:
        moderated_scores = ModeratedScore.objects.filter(
            bid=OuterRef("pk"), question__in=[question.pk for question in questions]
        )
        fully_moderated = Exact(count_of(moderated_scores, per="bid"), len(questions))
        counts = bids.aggregate(received=Count("pk"), moderated=Count("pk", filter=fully_moderated))
    else:
        counts = {"received": bids.count(), "moderated": 0}
    # From the received bids' assignments to their scores (a score is only ever given for a
    # question of its bid's opportunity: services.assessment): read through the index on
    # the assignment, never every score of each question.
    divergent = (
        Score.objects.filter(
            assignment__bid__opportunity=opportunity,
            assignment__bid__state=BidState.SUBMITTED,
            assignment__submitted_at__isnull=False,
            assignment__conflict__isnull=True,
        )
        .order_by()
        .values("assignment__bid", "question")
        .annotate(given=Count("pk"), spread=Max("score") - Min("score"))
        .filter(given__gt=1, spread__gte=opportunity.divergence_threshold)
        .count()
    )
    return ModerationProgress(
        received=counts["received"], moderated=counts["moderated"], divergent=divergent
    )


def bid_moderation_page(*, bid: Bid, per_page: int) -> int:
    """The page of the moderation list (`per_page` bids to a page) the bid is on."""
    before = bids_for_moderation(opportunity=bid.opportunity).filter(
        Q(reference__lt=bid.reference) | Q(reference=bid.reference, pk__lt=bid.pk)
    )
    return before.count() // per_page + 1


def bid_moderation(*, bid: Bid) -> BidModeration:
    return _bid_moderations(opportunity=bid.opportunity, bids=[bid])[0]


# --- Ranking within the budget ----------------------------------------------------------------


@dataclass
class RankedBid:
    rank: int
    bid: Bid
    total: Decimal
    cumulative: Decimal
    meets_threshold: bool
    proposed: bool = False

    @property
    def amount(self) -> Decimal:
        return self.bid.amount_requested or Decimal(0)

    @property
    def decision(self) -> AwardDecision | None:
        return getattr(self.bid, "decision", None)


@dataclass
class Unmoderated:
    bid: Bid
    moderated_count: int
    question_count: int


@dataclass
class Ranking:
    opportunity: Opportunity
    ranked: list[RankedBid]
    not_moderated: list[Unmoderated]
    proposal: Proposal
    # Every bid not yet moderated, whether or not `not_moderated` lists them all.
    not_moderated_count: int = 0

    @property
    def budget(self) -> Decimal:
        return self.opportunity.budget

    @property
    def threshold(self) -> Decimal:
        return self.opportunity.quality_threshold

    @property
    def proposed(self) -> list[RankedBid]:
        return [row for row in self.ranked if row.proposed]

    @property
    def not_moderated_more(self) -> int:
        """How many bids not yet moderated `not_moderated` leaves out."""
        return self.not_moderated_count - len(self.not_moderated)

    @property
    def below_threshold(self) -> list[RankedBid]:
        return [row for row in self.ranked if not row.meets_threshold]

    def row_for(self, bid_id: int) -> RankedBid | None:
        return next((row for row in self.ranked if row.bid.pk == bid_id), None)


def opportunity_ranking(
    *, opportunity: Opportunity, not_moderated_limit: int | None = None
) -> Ranking:
    """The bids received ranked by moderated weighted total (highest first; equal totals
    share a rank, the smaller amount first), the amounts requested adding up against the
    budget, and the optimiser's proposal: the bids at or above the quality threshold whose
    totals add up to the most within the budget. Bids not fully moderated are left out of
    the ranking and listed apart, by reference: the first `not_moderated_limit` of them
    when given (all are counted), so that a page shows what is left without reading every
    bid that is.

    Three queries: the questions, every bid's moderated scores (a row per bid with none),
    and the bids shown with their organisations and decisions."""
    questions = opportunity_questions(opportunity=opportunity)
    weights = question_weights(questions=questions)
    received = opportunity.bids.filter(state=BidState.SUBMITTED)
    by_reference = received.order_by("reference", "pk")
    if weights:
        given = FilteredRelation(
            "moderated_scores", condition=Q(moderated_scores__question__in=list(weights))
        )
        scores = by_reference.annotate(given=given).values_list(
            "pk", "given__question_id", "given__score"
        )
    else:
        scores = ((pk, None, None) for pk in by_reference.values_list("pk", flat=True))
    moderated: dict[int, dict[int, int]] = {}
    for bid_id, question_id, score in scores:
        moderated.setdefault(bid_id, {})
        if question_id is not None:
            moderated[bid_id][question_id] = score

    ranked_ids, unmoderated_ids = [], []
    for bid_id, given in moderated.items():
        fully = questions and len(given) == len(questions)
        (ranked_ids if fully else unmoderated_ids).append(bid_id)
    shown_ids = unmoderated_ids[:not_moderated_limit]
    bids = received.select_related("organisation", "decision__recommended_by").in_bulk(
        ranked_ids + shown_ids
    )
    totals = [
        (bids[bid_id], weighted_total(scores=moderated[bid_id], weights=weights))
        for bid_id in ranked_ids
    ]
    not_moderated = [
        Unmoderated(bids[bid_id], len(moderated[bid_id]), len(questions)) for bid_id in shown_ids
    ]

    totals.sort(key=lambda pair: (-pair[1], pair[0].amount_requested or 0, pair[0].reference))
    ranked = []
    cumulative = Decimal(0)
    rank = 0
    for position, (bid, total) in enumerate(totals, start=1):
        if not ranked or total != ranked[-1].total:
            rank = position
        cumulative += bid.amount_requested or 0
        ranked.append(
            RankedBid(
                rank=rank,
                bid=bid,
                total=total,
                cumulative=cumulative,
                meets_threshold=total >= opportunity.quality_threshold,
            )
        )
    proposal = budget_optimise(
        items=[
            (row.bid.pk, row.amount, row.total)
            for row in ranked
            if row.meets_threshold and row.bid.amount_requested is not None
        ],
        budget=opportunity.budget,
    )
    for row in ranked:
        row.proposed = row.bid.pk in proposal
    return Ranking(
        opportunity=opportunity,
        ranked=ranked,
        not_moderated=not_moderated,
        proposal=proposal,
        not_moderated_count=len(unmoderated_ids),
    )


# --- The recommendation ------------------------------------------------------------------------


@dataclass
class Recommendation:
    opportunity: Opportunity
    awards: list[RankedBid]
    unsuccessful: list[RankedBid]
    undecided: list[RankedBid]
    not_moderated: list[Unmoderated]
    recommenders: list[User]
    recommended_at: object

    @property
    def budget(self) -> Decimal:
        return self.opportunity.budget

    @property
    def total(self) -> Decimal:
        return sum((row.decision.amount for row in self.awards), start=Decimal(0))

    @property
    def unspent(self) -> Decimal:
        return self.budget - self.total

    @property
    def over_budget(self) -> bool:
        return self.total > self.budget

    @property
    def over_by(self) -> Decimal:
        return max(self.total - self.budget, Decimal(0))

    @property
    def is_complete(self) -> bool:
        """Every bid received is moderated and has a recommendation, within the budget."""
        return (
            not self.undecided
            and not self.not_moderated
            and bool(self.awards or self.unsuccessful)
            and not self.over_budget
        )


def opportunity_recommendation(
    *, opportunity: Opportunity, ranking: Ranking | None = None
) -> Recommendation:
    """The officer's recommendation for the opportunity: the awards (highest moderated total
    first) and the bids not recommended, with who recommended them and when; moderated bids
    with no recommendation yet, and bids not yet moderated, listed apart."""
    ranking = ranking or opportunity_ranking(opportunity=opportunity)
    awards, unsuccessful, undecided = [], [], []
    for row in ranking.ranked:
        if row.decision is None:
            undecided.append(row)
        elif row.decision.is_successful:
            awards.append(row)
        else:
            unsuccessful.append(row)
    decisions = [row.decision for row in awards + unsuccessful]
    recommenders: dict[int, User] = {}
    for decision in sorted(decisions, key=lambda d: d.recommended_at):
        if decision.recommended_by is not None:
            recommenders[decision.recommended_by.pk] = decision.recommended_by
    return Recommendation(
        opportunity=opportunity,
        awards=awards,
        unsuccessful=unsuccessful,
        undecided=undecided,
        not_moderated=ranking.not_moderated,
        recommenders=list(recommenders.values()),
        recommended_at=max((d.recommended_at for d in decisions), default=None),
    )


def commission_recommenders(*, commission) -> set[int]:
    """The ids of the people who recommended any of the commission's award decisions."""
    return set(
        AwardDecision.objects.filter(
            bid__in=commission_bids_received(commission=commission),
            recommended_by__isnull=False,
        ).values_list("recommended_by", flat=True)
    )
