"""Reads for the panel: who is on it, what they must declare, what is assigned to them,
their scores, and whether a commission's assessment is complete.

A panel member's declaration about an organisation is the latest one they made about it
(declarations are never changed, only added to). A panel member is conflicted with a bid
when their latest declaration about its lead organisation or any consortium partner says
they have a conflict.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.models import User
from core.roles import Role
from core.selectors import count_of
from core.transitions import answered_once, page_loaded
from procurement.models import (
    Assignment,
    Bid,
    BidState,
    ConflictDeclaration,
    ConsortiumPartner,
    Opportunity,
    PanelMember,
    Question,
    Score,
    ScoreDescriptor,
)
from procurement.scoring import weighted_total
from procurement.selectors.bids import bid_questions
from providers.models import Organisation

# --- The commission's conditions (commissioning.models.Commission calls these) ----------------


def commission_bids_received(*, commission):
    """The bids received (submitted) for any of the commission's opportunities."""
    return Bid.objects.filter(
        opportunity__specification__commission=commission, state=BidState.SUBMITTED
    )


def commission_opportunities(*, commission) -> list[Opportunity]:
    """The commission's opportunities, by when they were made: those its page loaded with its
    specifications (`commission_detail_get`), or else read afresh."""
    specifications = page_loaded(commission, "specifications")
    if specifications is not None and all(
        "opportunities" in getattr(spec, "_prefetched_objects_cache", {}) for spec in specifications
    ):
        loaded = (
            opportunity for spec in specifications for opportunity in spec.opportunities.all()
        )
        return sorted(loaded, key=lambda opportunity: opportunity.pk)
    return list(Opportunity.objects.filter(specification__commission=commission).order_by("pk"))


def commission_bidding_has_closed(*, commission) -> bool:
    opportunities = commission_opportunities(commission=commission)
    return bool(opportunities) and all(
        opportunity.is_published and opportunity.has_closed() for opportunity in opportunities
    )


def commission_bidding_opportunity_url(*, commission) -> str:
    """Where bidding is moved on: the first of the commission's opportunities not yet
    published or not yet past its deadline, or where to make one when it has none."""
    opportunities = commission_opportunities(commission=commission)
    open_ones = (o for o in opportunities if not (o.is_published and o.has_closed()))
    opportunity = next(open_ones, None) or next(iter(opportunities), None)
    if opportunity is None:
        return reverse("procurement:opportunity_create") + f"?commission={commission.pk}"
    return reverse("procurement:staff_opportunity_detail", kwargs={"pk": opportunity.pk})


@answered_once
def _assessment_opportunity(commission) -> Opportunity | None:
    """The commission's first opportunity with bids received, or else its first one (asked
    once by a page whose checklist links to its panel and its moderation, from the
    opportunities it loaded with `has_bids` when it did)."""
    loaded = commission_opportunities(commission=commission)
    if loaded and all(hasattr(opportunity, "has_bids") for opportunity in loaded):
        return min(loaded, key=lambda opportunity: (not opportunity.has_bids, opportunity.pk))
    opportunities = Opportunity.objects.filter(specification__commission=commission)
    received = Bid.objects.filter(opportunity=OuterRef("pk"), state=BidState.SUBMITTED)
    return opportunities.annotate(has_bids=Exists(received)).order_by("-has_bids", "pk").first()


def commission_assessment_url(*, commission, page: str) -> str:
    """The assessment `page` ("panel" or "moderation") of the commission's first opportunity
    with bids received, or else its first opportunity; "" when it has none."""
    opportunity = _assessment_opportunity(commission)
    if opportunity is None:
        return ""
    return reverse(f"procurement:{page}", kwargs={"pk": opportunity.pk})


@answered_once
def _assessment_counts(commission) -> dict[str, int]:
    """The bids received, those not assigned to a panel member who declared no conflict,
    those with scores still to submit, and the bids (received or not) with a declared
    conflict still to deal with: counted in one query (asked once by a page)."""
    received = Q(state=BidState.SUBMITTED)
    active = Assignment.objects.filter(bid=OuterRef("pk"), conflict__isnull=True)
    unresolved = Assignment.objects.filter(
        bid=OuterRef("pk"), conflict__isnull=False, conflict_resolved_at__isnull=True
    )
    return Bid.objects.filter(opportunity__specification__commission=commission).aggregate(
        received=Count("pk", filter=received),
        unassigned=Count("pk", filter=received & ~Exists(active)),
        unscored=Count("pk", filter=received & Exists(active.filter(submitted_at__isnull=True))),
        conflicted=Count("pk", filter=Exists(unresolved)),
    )


def commission_scores_are_complete(*, commission) -> bool:
    """Bids were received, each is assigned to a panel member who declared no conflict, and
    every such assignment's scores are submitted."""
    counts = _assessment_counts(commission)
    return bool(counts["received"]) and not counts["unassigned"] and not counts["unscored"]


def commission_conflicts_are_resolved(*, commission) -> bool:
    return not _assessment_counts(commission)["conflicted"]


# --- Bids and the organisations behind them -----------------------------------------------------


def opportunities_for_panel() -> QuerySet[Opportunity]:
    """Opportunities with their commission and `bids_received_count` (the bids
    `bids_for_assessment` lists), so a page of the panel's grid needs no count of its own."""
    received = Bid.objects.filter(opportunity=OuterRef("pk"), state=BidState.SUBMITTED)
    return Opportunity.objects.select_related("specification__commission").annotate(
        bids_received_count=count_of(received, per="opportunity")
    )


def bids_for_assessment(*, opportunity: Opportunity) -> QuerySet[Bid]:
    """The bids received for the opportunity, with their lead organisation and consortium
    partners, by reference. Only for people who may see that bids exist after the deadline."""
    return (
        opportunity.bids.filter(state=BidState.SUBMITTED)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("partners", queryset=ConsortiumPartner.objects.select_related("organisation"))
        )
        .order_by("reference")
    )


def bid_organisations(*, bid: Bid) -> list[Organisation]:
    """The bid's lead organisation, then its consortium partners."""
    return [bid.organisation, *(partner.organisation for partner in bid.partners.all())]


def bid_organisation_ids(*, bid: Bid) -> set[int]:
    return {bid.organisation_id, *(partner.organisation_id for partner in bid.partners.all())}


def declaration_organisations(*, opportunity: Opportunity) -> list[Organisation]:
    """Every organisation that bid for the opportunity — the leads and the consortium
    partners of the bids received — each once, by name."""
    organisations: dict[int, Organisation] = {}
    for bid in bids_for_assessment(opportunity=opportunity):
        for organisation in bid_organisations(bid=bid):
            organisations.setdefault(organisation.pk, organisation)
    return sorted(organisations.values(), key=lambda o: (o.name.lower(), o.pk))


# --- Declarations ---------------------------------------------------------------------------


def conflicted_organisations(
    *, panel_members: Iterable[PanelMember], organisation_ids: Iterable[int] | None = None
) -> dict[int, set[int]]:
    """Panel member id → the organisations they have a conflict with now: of
    `organisation_ids` only, when given (a page of bids), so that a page reads only the
    declarations about what it shows."""
    declarations = ConflictDeclaration.objects.filter(
        panel_member__in=[place.pk for place in panel_members]
    )
    if organisation_ids is not None:
        declarations = declarations.filter(organisation__in=list(organisation_ids))
    latest: dict[int, dict[int, bool]] = defaultdict(dict)
    for place_id, organisation_id, has_conflict in declarations.order_by(
        "declared_at", "pk"
    ).values_list("panel_member_id", "organisation_id", "has_conflict"):
        latest[place_id][organisation_id] = has_conflict
    return {
        place_id: {org_id for org_id, has_conflict in by_org.items() if has_conflict}
        for place_id, by_org in latest.items()
    }


def declarations_for(*, panel_member: PanelMember) -> QuerySet[ConflictDeclaration]:
    """Everything the panel member declared, oldest first, with who and about whom."""
    return panel_member.declarations.select_related("organisation", "declared_by").order_by(
        "declared_at", "pk"
    )


# --- The panel page ----------------------------------------------------------------------------


def panel_members(*, opportunity: Opportunity) -> QuerySet[PanelMember]:
    """The opportunity's panel, by name, each with `submitted_count` (assignments whose
    scores were sent)."""
    submitted = (
        Assignment.objects.filter(panel_member=OuterRef("pk"), submitted_at__isnull=False)
        .values("panel_member")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        opportunity.panel_members.select_related("user")
        .annotate(submitted_count=Coalesce(Subquery(submitted, output_field=IntegerField()), 0))
        .order_by("user__full_name", "user__email")
    )


def panel_candidates(*, opportunity: Opportunity) -> QuerySet[User]:
    """People in the Panel member role who are not on the opportunity's panel yet."""
    group = Group.objects.filter(name=Role.PANEL_MEMBER.value)
    return (
        User.objects.filter(groups__in=group, is_active=True)
        .exclude(panel_places__opportunity=opportunity)
        .distinct()
        .order_by("full_name", "email")
    )


@dataclass(frozen=True)
class GridCell:
    panel_member: PanelMember
    assignment: Assignment | None
    conflicted: bool
    field_value: str

    @property
    def checked(self) -> bool:
        return self.assignment is not None and self.assignment.is_active

    @property
    def locked(self) -> bool:
        """Scores were sent: the assignment cannot be taken away."""
        return self.assignment is not None and self.assignment.is_submitted


@dataclass(frozen=True)
class GridRow:
    bid: Bid
    cells: list[GridCell] = field(default_factory=list)


def assignment_value(*, bid_id: int, panel_member_id: int) -> str:
    """The value of one checkbox of the assignment grid."""
    return f"{bid_id}-{panel_member_id}"


def assignment_grid(
    *, opportunity: Opportunity, bids: list[Bid], members: list[PanelMember]
) -> list[GridRow]:
    """A row per bid received, a cell per panel member: assigned or not, or conflicted (the
    member's assignment was taken away by a declared conflict, or they have declared a
    conflict with the bid's lead organisation or a partner)."""
    assignments = {
        (a.bid_id, a.panel_member_id): a
        for a in Assignment.objects.filter(
            bid__opportunity=opportunity, bid__in=[bid.pk for bid in bids]
        )
    }
    conflicts = conflicted_organisations(
        panel_members=members,
        organisation_ids={org_id for bid in bids for org_id in bid_organisation_ids(bid=bid)},
    )
    rows = []
    for bid in bids:
        organisation_ids = bid_organisation_ids(bid=bid)
        cells = []
        for place in members:
            assignment = assignments.get((bid.pk, place.pk))
            conflicted = (assignment is not None and assignment.is_conflicted) or bool(
                conflicts.get(place.pk, set()) & organisation_ids
            )
            cells.append(
                GridCell(
                    place,
                    assignment,
                    conflicted,
                    assignment_value(bid_id=bid.pk, panel_member_id=place.pk),
                )
            )
        rows.append(GridRow(bid, cells))
    return rows


def conflicts_unresolved(*, opportunity: Opportunity) -> QuerySet[Assignment]:
    """Assignments a declared conflict took away that the officer has not dealt with yet."""
    return (
        Assignment.objects.filter(
            bid__opportunity=opportunity,
            conflict__isnull=False,
            conflict_resolved_at__isnull=True,
        )
        .select_related("bid", "panel_member__user", "conflict__organisation")
        .order_by("conflict__declared_at", "pk")
    )


def assignment_unresolved_get(*, pk: int) -> Assignment:
    """A conflicted assignment the officer has not resolved yet; Assignment.DoesNotExist
    otherwise."""
    return Assignment.objects.select_related(
        "bid__opportunity",
        "bid__organisation",
        "panel_member__user",
        "conflict__organisation",
        "conflict__declared_by",
    ).get(pk=pk, conflict__isnull=False, conflict_resolved_at__isnull=True)


def reassign_candidates(*, assignment: Assignment) -> list[PanelMember]:
    """Panel members who could take the bid on: on the same panel, not already assigned to
    it, and not conflicted with its lead organisation or any partner."""
    bid = assignment.bid
    organisation_ids = bid_organisation_ids(bid=bid)
    members = list(
        bid.opportunity.panel_members.select_related("user")
        .exclude(assignments__bid=bid)
        .order_by("user__full_name", "user__email")
    )
    conflicts = conflicted_organisations(panel_members=members, organisation_ids=organisation_ids)
    return [place for place in members if not conflicts.get(place.pk, set()) & organisation_ids]


def bid_has_other_active_assignment(*, assignment: Assignment) -> bool:
    return (
        Assignment.objects.filter(bid=assignment.bid_id, conflict__isnull=True)
        .exclude(pk=assignment.pk)
        .exists()
    )


# --- A panel member's assessments ----------------------------------------------------------------


def panel_place_get(*, opportunity_pk: int, user: User) -> PanelMember:
    """The person's place on the opportunity's panel; PanelMember.DoesNotExist if none."""
    return PanelMember.objects.select_related("opportunity", "user").get(
        opportunity_id=opportunity_pk, user=user
    )


def assessments_for_user(*, user: User) -> list[PanelMember]:
    """The panels the person is on, latest deadline first, each with `assignments_list`: the
    bids assigned to them with `scored_count` and `question_count`, and conflict and
    submission details."""
    questions = (
        Question.objects.filter(opportunity=OuterRef("bid__opportunity"))
        .values("opportunity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    scored = (
        Score.objects.filter(assignment=OuterRef("pk"))
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assignments = (
        Assignment.objects.select_related("bid__organisation", "conflict__organisation")
        .annotate(
            question_count=Coalesce(Subquery(questions, output_field=IntegerField()), 0),
            scored_count=Coalesce(Subquery(scored, output_field=IntegerField()), 0),
        )
        .order_by("bid__reference")
    )
    return list(
        PanelMember.objects.filter(user=user)
        .select_related("opportunity")
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="assignments_list"))
        .order_by("-opportunity__closes_at", "pk")
    )


def assignment_get(*, pk: int) -> Assignment:
    """The assignment with its bid, opportunity, panel member and conflict.
    Assignment.DoesNotExist if there is none."""
    return Assignment.objects.select_related(
        "bid__opportunity",
        "bid__organisation",
        "panel_member__user",
        "panel_member__opportunity",
        "conflict__organisation",
    ).get(pk=pk)


# --- Scores --------------------------------------------------------------------------------------


def score_descriptors() -> list[ScoreDescriptor]:
    return list(ScoreDescriptor.objects.order_by("score"))


def opportunity_questions(*, opportunity: Opportunity) -> list[Question]:
    """The opportunity's questions in order (for one bid's, bids.bid_questions)."""
    return list(opportunity.questions.select_related("criterion", "service_criterion"))


def question_weights(*, questions: Iterable[Question]) -> dict[int, Decimal]:
    return {question.pk: question.weight for question in questions}


def assignment_scores(*, assignment: Assignment) -> dict[int, Score]:
    """Question id → the panel member's score for it."""
    return {score.question_id: score for score in assignment.scores.all()}


def assignment_weighted_total(
    *, scores: dict[int, Score], questions: Iterable[Question]
) -> Decimal:
    """The weighted total out of 100 of the scores given (a question not scored counts 0)."""
    return weighted_total(
        scores={question_id: score.score for question_id, score in scores.items()},
        weights=question_weights(questions=questions),
    )


def assignment_missing(
    *, assignment: Assignment, questions: list[Question] | None = None
) -> list[str]:
    """What stops the scores being sent, in the words the panel member sees; empty when
    every question has a score and a comment."""
    questions = bid_questions(bid=assignment.bid) if questions is None else questions
    scores = assignment_scores(assignment=assignment)
    missing = []
    for number, question in enumerate(questions, start=1):
        score = scores.get(question.pk)
        if score is None:
            missing.append(f"Question {number} has no score")
        elif not score.comment.strip():
            missing.append(f"Question {number} has no comment")
    if not questions:
        missing.append("This opportunity has no questions to score")
    return missing


@dataclass(frozen=True)
class OtherScores:
    """Another panel member's submitted scores for the same bid."""

    panel_member: PanelMember
    scores: dict[int, Score]
    total: Decimal
    submitted_at: object


def other_submitted_scores(
    *, assignment: Assignment, questions: list[Question]
) -> list[OtherScores]:
    """The other panel members' sent scores for the bid — only once this panel member has
    sent their own, never drafts, never scores on an assignment a conflict took away."""
    if not assignment.is_submitted or assignment.is_conflicted:
        return []
    others = (
        Assignment.objects.filter(
            bid=assignment.bid_id, conflict__isnull=True, submitted_at__isnull=False
        )
        .exclude(pk=assignment.pk)
        .select_related("panel_member__user")
        .prefetch_related("scores")
        .order_by("panel_member__user__full_name", "pk")
    )
    result = []
    for other in others:
        scores = {score.question_id: score for score in other.scores.all()}
        result.append(
            OtherScores(
                panel_member=other.panel_member,
                scores=scores,
                total=assignment_weighted_total(scores=scores, questions=questions),
                submitted_at=other.submitted_at,
            )
        )
    return result
