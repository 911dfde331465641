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

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Sum
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


@dataclass
class BidModeration:
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
            return f"Moderated {self.moderated_count} of {len(self.rows)} questions"
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


def bids_for_moderation(*, opportunity: Opportunity) -> QuerySet[Bid]:
    """The bids received, by reference: for a paginator (an opportunity may have hundreds)."""
    return (
        opportunity.bids.filter(state=BidState.SUBMITTED)
        .select_related("organisation")
        .order_by("reference", "pk")
    )


def bid_moderations(*, opportunity: Opportunity, bids: Iterable[Bid]) -> list[BidModeration]:
    """The bids (a page of them) with their panel's submitted scores side by side."""
    return _bid_moderations(opportunity=opportunity, bids=list(bids))


def opportunity_moderation(*, opportunity: Opportunity) -> list[BidModeration]:
    """Every bid received, by reference, with its panel's submitted scores side by side."""
    return bid_moderations(
        opportunity=opportunity, bids=bids_for_moderation(opportunity=opportunity)
    )


@dataclass(frozen=True)
class ModerationProgress:
    """Across every bid received: how many, how many are moderated, how many questions the
    panel's scores differ on by the opportunity's threshold or more."""

    received: int
    moderated: int
    divergent: int


def moderation_progress(*, opportunity: Opportunity) -> ModerationProgress:
    """Counted in the database (three queries), however many bids and scores there are:
    the same answers `BidModeration.is_moderated` and `divergent_count` give bid by bid."""
    bids = bids_for_moderation(opportunity=opportunity).order_by()
    questions = opportunity.questions.values("pk")
    question_count = questions.count()
    moderated_scores = ModeratedScore.objects.filter(bid=OuterRef("pk"), question__in=questions)
    fully_moderated = Exact(count_of(moderated_scores, per="bid"), question_count)
    counts = bids.aggregate(received=Count("pk"), moderated=Count("pk", filter=fully_moderated))
    divergent = (
        Score.objects.filter(
            assignment__bid__in=bids.values("pk"),
            assignment__submitted_at__isnull=False,
            assignment__conflict__isnull=True,
            question__in=questions,
        )
        .order_by()
        .values("assignment__bid", "question")
        .annotate(given=Count("pk"), spread=Max("score") - Min("score"))
        .filter(given__gt=1, spread__gte=opportunity.divergence_threshold)
        .count()
    )
    return ModerationProgress(
        received=counts["received"],
        moderated=counts["moderated"] if question_count else 0,
        divergent=divergent,
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
    def below_threshold(self) -> list[RankedBid]:
        return [row for row in self.ranked if not row.meets_threshold]

    def row_for(self, bid_id: int) -> RankedBid | None:
        return next((row for row in self.ranked if row.bid.pk == bid_id), None)


def opportunity_ranking(*, opportunity: Opportunity) -> Ranking:
    """The bids received ranked by moderated weighted total (highest first; equal totals
    share a rank, the smaller amount first), the amounts requested adding up against the
    budget, and the optimiser's proposal: the bids at or above the quality threshold whose
    totals add up to the most within the budget. Bids not fully moderated are left out of
    the ranking and listed apart."""
    questions = opportunity_questions(opportunity=opportunity)
    weights = question_weights(questions=questions)
    bids = list(
        opportunity.bids.filter(state=BidState.SUBMITTED)
        .select_related("organisation", "decision__recommended_by")
        .order_by("reference")
    )
    moderated: dict[int, dict[int, int]] = defaultdict(dict)
    for bid_id, question_id, score in ModeratedScore.objects.filter(
        bid__in=[bid.pk for bid in bids], question__in=list(weights)
    ).values_list("bid_id", "question_id", "score"):
        moderated[bid_id][question_id] = score

    totals: list[tuple[Bid, Decimal]] = []
    not_moderated = []
    for bid in bids:
        given = moderated[bid.pk]
        if questions and len(given) == len(questions):
            totals.append((bid, weighted_total(scores=given, weights=weights)))
        else:
            not_moderated.append(Unmoderated(bid, len(given), len(questions)))

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
        opportunity=opportunity, ranked=ranked, not_moderated=not_moderated, proposal=proposal
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
