"""Reads for bids: the task list, answers against their word limits, the budget's total,
what stops a bid being submitted, and the lists each kind of person sees.

Bids are sealed: nothing here checks who is asking, so the views check
`procurement.view_bid_content` before they call anything that returns a bid's content.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.urls import reverse
from django.utils import timezone

from commissioning.models import SpecificationMeasure
from core.models import User
from core.rules import is_panel_member
from core.selectors import count_of
from core.templatetags.portal import govuk_datetime, money
from core.transitions import (
    Action,
    ChecklistItem,
    checklist_problems,
    transition_actions_for,
    transition_checklist,
    transition_from_state,
    transition_spec_get,
)
from procurement import rules as procurement_rules
from procurement.models import (
    Assignment,
    Bid,
    BidAttachment,
    BidState,
    BidSubmission,
    ConsortiumPartner,
    Opportunity,
    Question,
)
from providers.models import Membership, Organisation

MEGABYTE = 1024 * 1024
MAX_ATTACHMENT_SIZE = 10 * MEGABYTE
MAX_ATTACHMENTS_TOTAL = 25 * MEGABYTE
# What a bid may attach, judged by content (core.uploads): no CSV, unlike evidence.
ATTACHMENT_TYPES: tuple[str, ...] = ("pdf", "docx", "xlsx", "odt", "png", "jpeg")


class TaskStatus:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Task:
    name: str
    href: str
    status: str
    hint: str = ""
    #: When it cannot start yet: what is still needed, each with where it is done.
    missing: tuple[ChecklistItem, ...] = ()

    @property
    def is_completed(self) -> bool:
        return self.status == TaskStatus.COMPLETED

    @property
    def can_start(self) -> bool:
        return self.status != TaskStatus.CANNOT_START


@dataclass(frozen=True)
class AnswerRow:
    number: int
    question: Question
    text: str
    words: int

    @property
    def field_name(self) -> str:
        return answer_field_name(self.question)

    @property
    def over_limit(self) -> bool:
        return self.words > self.question.word_limit


@dataclass(frozen=True)
class BudgetSummary:
    total: Decimal
    amount_requested: Decimal | None
    has_lines: bool

    @property
    def matches(self) -> bool:
        return self.amount_requested is not None and self.total == self.amount_requested

    @property
    def difference(self) -> Decimal:
        return (self.amount_requested or Decimal(0)) - self.total


@dataclass(frozen=True)
class TargetYear:
    """One year of a success measure: the council's target for the whole service and what
    the bid proposes (None until the bidder enters it)."""

    specification_measure_id: int
    year: int
    council: Decimal
    proposed: Decimal | None

    @property
    def field_name(self) -> str:
        return target_field_name(self.specification_measure_id, self.year)


@dataclass(frozen=True)
class MeasureTargets:
    """A success measure of the specification with its years."""

    chosen: SpecificationMeasure
    years: list[TargetYear]

    @property
    def name(self) -> str:
        return self.chosen.measure.name

    @property
    def unit(self) -> str:
        return self.chosen.measure.unit

    @property
    def outcome(self) -> str:
        return self.chosen.outcome.description if self.chosen.outcome else ""

    @property
    def is_complete(self) -> bool:
        return all(year.proposed is not None for year in self.years)

    @property
    def proposed_count(self) -> int:
        return sum(1 for year in self.years if year.proposed is not None)


def target_field_name(specification_measure_id: int, year: int) -> str:
    return f"target_{specification_measure_id}_{year}"


def word_count(text: str) -> int:
    """Words as the GOV.UK character count counts them: runs of non-space characters."""
    return len(text.split())


def words_message(*, number: int, limit: int, words: int) -> str:
    return (
        f"Your answer to question {number} must be {limit:,} words or fewer. It has {words:,} words"
    )


def answer_field_name(question: Question) -> str:
    return f"answer_{question.pk}"


def describe_megabytes(size: int) -> str:
    """ "27.3MB"."""
    return f"{size / MEGABYTE:.1f}MB"


# --- One bid ------------------------------------------------------------------------------------


def bid_get(*, pk: int) -> Bid:
    """The bid with its opportunity and lead organisation. Bid.DoesNotExist if there is none."""
    return Bid.objects.select_related("opportunity", "organisation").get(pk=pk)


def bid_live_for(*, opportunity: Opportunity, organisation: Organisation) -> Bid | None:
    """The organisation's bid for the opportunity that has not been withdrawn, if any."""
    return (
        Bid.objects.filter(opportunity=opportunity, organisation=organisation)
        .exclude(state=BidState.WITHDRAWN)
        .first()
    )


def bid_questions(*, bid: Bid) -> list[Question]:
    return list(bid.opportunity.questions.select_related("criterion", "service_criterion"))


def bid_answer_rows(*, bid: Bid, questions: list[Question] | None = None) -> list[AnswerRow]:
    """Every question of the opportunity, numbered from 1, with this bid's answer."""
    questions = bid_questions(bid=bid) if questions is None else questions
    texts = dict(bid.answers.values_list("question_id", "text"))
    rows = []
    for number, question in enumerate(questions, start=1):
        text = texts.get(question.pk, "")
        rows.append(AnswerRow(number, question, text, word_count(text)))
    return rows


def bid_budget_summary(*, bid: Bid) -> BudgetSummary:
    aggregate = bid.budget_lines.aggregate(total=Sum("amount"), lines=Count("pk"))
    return BudgetSummary(
        total=aggregate["total"] or Decimal(0),
        amount_requested=bid.amount_requested,
        has_lines=bool(aggregate["lines"]),
    )


def bid_target_measures(*, bid: Bid) -> list[MeasureTargets]:
    """Every success measure of the opportunity's specification, with each year the
    specification sets a target for: the council's target for the whole service beside
    the target this bid proposes."""
    measures = (
        SpecificationMeasure.objects.filter(specification_id=bid.opportunity.specification_id)
        .select_related("measure", "outcome")
        .prefetch_related("targets")
        .order_by("pk")
    )
    proposed = {
        (target.specification_measure_id, target.year): target.target
        for target in bid.targets.all()
    }
    return [
        MeasureTargets(
            chosen=chosen,
            years=[
                TargetYear(
                    specification_measure_id=chosen.pk,
                    year=target.year,
                    council=target.target,
                    proposed=proposed.get((chosen.pk, target.year)),
                )
                for target in chosen.targets.all()
            ],
        )
        for chosen in measures
    ]


def bid_partners(*, bid: Bid) -> QuerySet[ConsortiumPartner]:
    return bid.partners.select_related("organisation", "confirmed_by")


def bid_partners_waiting(*, bid: Bid) -> list[ConsortiumPartner]:
    """The partners that have not confirmed yet."""
    return list(bid_partners(bid=bid).filter(confirmed_at__isnull=True))


def bid_attachments(*, bid: Bid) -> QuerySet[BidAttachment]:
    return bid.attachments.select_related("uploaded_by")


def bid_attachments_total(*, bid: Bid) -> int:
    """The bytes already attached to the bid."""
    return bid.attachments.aggregate(total=Sum("size"))["total"] or 0


def bid_attachment_total_problem(*, bid: Bid, adding: int) -> str:
    """The message when a file of `adding` bytes would take the bid over its total, or ""."""
    total = bid_attachments_total(bid=bid) + adding
    if total <= MAX_ATTACHMENTS_TOTAL:
        return ""
    return (
        f"Your attachments must add up to {MAX_ATTACHMENTS_TOTAL // MEGABYTE}MB or less. "
        f"This file would take them to {describe_megabytes(total)}"
    )


def bid_submissions(*, bid: Bid) -> QuerySet[BidSubmission]:
    return bid.submissions.select_related("submitted_by")


def bid_deadline_message(*, bid: Bid) -> str:
    return (
        f"The deadline for this opportunity was {govuk_datetime(bid.opportunity.closes_at)}. "
        "Your bid has not been submitted."
    )


def bid_is_editable(*, bid: Bid) -> bool:
    """A draft before the deadline: the lead organisation may change it."""
    return bid.state == BidState.DRAFT and bid.opportunity.is_open()


def bid_submit_problems(*, bid: Bid) -> list[str]:
    """Why the bid cannot be submitted now, in the words the bidder sees; empty when it can.

    The `submit` transition's checklist (`core.transitions.transition_checklist`): what
    each of its conditions still needs. Once the deadline has passed (or before the
    opportunity opens) that is all there is to say.
    """
    if bid.state != BidState.DRAFT:
        return [f"This bid is {bid.get_state_display().lower()}, not a draft."]
    return checklist_problems(bid_submit_missing(bid=bid))


def bid_submit_missing(*, bid: Bid) -> list[ChecklistItem]:
    """What the draft bid still needs before it can be submitted, each with where it is
    done (the `submit` transition's unmet conditions); only the deadline once it has
    passed, or before the opportunity opens."""
    checklist = transition_checklist(instance=bid, name="submit")
    for item in checklist:
        if item.name == "is_before_deadline" and not item.met:
            return [item]
    return [item for item in checklist if not item.met]


@dataclass(frozen=True)
class TaskGroup:
    heading: str
    slug: str
    tasks: list[Task]


def bid_task_groups(
    *,
    bid: Bid,
    answers: list[AnswerRow],
    budget: BudgetSummary,
    targets: list[MeasureTargets] | None = None,
) -> list[TaskGroup]:
    """The bid page's tasks with their statuses (GOV.UK task list), in groups."""
    targets = bid_target_measures(bid=bid) if targets is None else targets
    edit_url = reverse("procurement:bid_edit", kwargs={"pk": bid.pk})
    answer_tasks = [
        Task(
            f"Question {row.number}: {_short(row.question.text)}",
            f"{edit_url}#id_{row.field_name}",
            TaskStatus.COMPLETED if row.text.strip() else TaskStatus.NOT_STARTED,
            f"{row.words:,} of {row.question.word_limit:,} words",
        )
        for row in answers
    ]
    count = bid.attachments.count()
    attachments_task = Task(
        "Attachments",
        reverse("procurement:bid_attachments", kwargs={"pk": bid.pk}),
        TaskStatus.COMPLETED if count else TaskStatus.NOT_STARTED,
        f"{count} file{'s' if count != 1 else ''} attached" if count else "Optional",
    )
    missing = tuple(bid_submit_missing(bid=bid))
    submit_task = Task(
        "Submit your bid",
        reverse("procurement:bid_transition", kwargs={"pk": bid.pk, "name": "submit"}),
        TaskStatus.CANNOT_START if missing else TaskStatus.NOT_STARTED,
        f"Closes at {govuk_datetime(bid.opportunity.closes_at)}",
        missing=missing,
    )
    return [
        TaskGroup(
            "Project",
            "project",
            [_details_task(bid, edit_url), *([_targets_task(bid, targets)] if targets else [])],
        ),
        TaskGroup("Answers", "answers", answer_tasks),
        TaskGroup(
            "Money, partners and documents",
            "supporting",
            [_budget_task(bid, budget), _partners_task(bid), attachments_task],
        ),
        TaskGroup("Submit", "submit", [submit_task]),
    ]


def _short(text: str, length: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _details_task(bid: Bid, edit_url: str) -> Task:
    filled = [bool(bid.title.strip()), bid.amount_requested is not None]
    if all(filled):
        status = TaskStatus.COMPLETED
    elif any(filled) or bid.match_funding is not None or bid.match_funding_sources:
        status = TaskStatus.IN_PROGRESS
    else:
        status = TaskStatus.NOT_STARTED
    hint = money(bid.amount_requested) + " requested" if bid.amount_requested is not None else ""
    return Task("Project title and amounts", f"{edit_url}#id_title", status, hint)


def _targets_task(bid: Bid, targets: list[MeasureTargets]) -> Task:
    url = reverse("procurement:bid_targets", kwargs={"pk": bid.pk})
    needed = sum(len(measure.years) for measure in targets)
    entered = sum(measure.proposed_count for measure in targets)
    measures = f"{len(targets)} success measure{'s' if len(targets) != 1 else ''}"
    if not entered:
        return Task("Targets", url, TaskStatus.NOT_STARTED, f"For {measures}, each year")
    if entered < needed:
        return Task(
            "Targets", url, TaskStatus.IN_PROGRESS, f"{entered} of {needed} targets entered"
        )
    return Task("Targets", url, TaskStatus.COMPLETED, f"Targets for {measures}")


def _budget_task(bid: Bid, budget: BudgetSummary) -> Task:
    url = reverse("procurement:bid_budget", kwargs={"pk": bid.pk})
    if not budget.has_lines:
        return Task("Budget breakdown", url, TaskStatus.NOT_STARTED)
    if budget.matches:
        return Task("Budget breakdown", url, TaskStatus.COMPLETED, f"Total {money(budget.total)}")
    return Task(
        "Budget breakdown",
        url,
        TaskStatus.IN_PROGRESS,
        f"Total {money(budget.total)} does not match the amount requested",
    )


def _partners_task(bid: Bid) -> Task:
    url = reverse("procurement:bid_partners", kwargs={"pk": bid.pk})
    partners = list(bid.partners.all())
    if not partners:
        return Task(
            "Consortium partners",
            url,
            TaskStatus.NOT_STARTED,
            "Optional: only if you are bidding with other organisations",
        )
    waiting = sum(1 for partner in partners if partner.confirmed_at is None)
    if waiting:
        return Task(
            "Consortium partners",
            url,
            TaskStatus.IN_PROGRESS,
            f"Waiting for {waiting} partner{'s' if waiting != 1 else ''} to confirm",
        )
    return Task(
        "Consortium partners",
        url,
        TaskStatus.COMPLETED,
        f"{len(partners)} partner{'s' if len(partners) != 1 else ''} confirmed",
    )


def bid_actions_for(*, bid: Bid, user: User) -> list[Action]:
    """The lifecycle actions this person may take now: the page's buttons come from here."""
    return transition_actions_for(instance=bid, user=user)


def bid_transition_declared(*, bid: Bid, name: str):
    """The transition `name` out of the bid's current state, whatever its conditions say,
    or None. TransitionNotAllowed when there is no such action at all."""
    transition_spec_get(instance=bid, name=name)
    return transition_from_state(instance=bid, name=name)


# --- The snapshot kept with every submission -----------------------------------------------------


def bid_snapshot(*, bid: Bid) -> dict:
    """Everything submitted, as JSON: kept with the submission and never changed."""
    answers = bid_answer_rows(bid=bid)
    budget = bid_budget_summary(bid=bid)
    return {
        "reference": bid.reference,
        "opportunity": {
            "reference": bid.opportunity.reference,
            "title": bid.opportunity.title,
            "closes_at": bid.opportunity.closes_at.isoformat(),
        },
        "organisation": {"name": bid.organisation.name, "org_id": bid.organisation.org_id},
        "title": bid.title,
        "amount_requested": _decimal(bid.amount_requested),
        "match_funding": _decimal(bid.match_funding),
        "match_funding_sources": bid.match_funding_sources,
        "other_leverage": bid.other_leverage,
        "answers": [
            {
                "number": row.number,
                "question_id": row.question.pk,
                "question": row.question.text,
                "word_limit": row.question.word_limit,
                "text": row.text,
                "words": row.words,
            }
            for row in answers
        ],
        "budget_lines": [
            {"item": line.item, "amount": _decimal(line.amount)} for line in bid.budget_lines.all()
        ],
        "targets": [
            {
                "specification_measure_id": measure.chosen.pk,
                "measure": measure.name,
                "unit": measure.unit,
                "outcome": measure.outcome,
                "year": year.year,
                "council_target": _decimal(year.council),
                "target": _decimal(year.proposed),
            }
            for measure in bid_target_measures(bid=bid)
            for year in measure.years
        ],
        "budget_total": _decimal(budget.total),
        "partners": [
            {
                "name": partner.organisation.name,
                "org_id": partner.organisation.org_id,
                "role": partner.role,
                "confirmed_at": partner.confirmed_at.isoformat() if partner.confirmed_at else None,
            }
            for partner in bid_partners(bid=bid)
        ],
        "attachments": [
            {
                "name": attachment.original_name,
                "size": attachment.size,
                "content_type": attachment.content_type,
            }
            for attachment in bid.attachments.all()
        ],
    }


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- Lists ---------------------------------------------------------------------------------------


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.for_user(user).order_by("name")


def bids_for_user(*, user: User) -> QuerySet[Bid]:
    """Bids of the person's organisations, as lead or as a consortium partner, each marked
    `is_lead`.

    Found from the person's memberships outwards, as the union of two id lists (bids their
    organisations lead, bids their organisations are partners in), so the database looks
    up only their own bids rather than testing every bid in the portal against them."""
    if not user.is_authenticated:
        return Bid.objects.none()
    organisations = Membership.objects.filter(user=user).values("organisation_id")
    led = Bid.objects.filter(organisation_id__in=organisations).order_by().values("pk")
    partnered = (
        ConsortiumPartner.objects.filter(organisation_id__in=organisations)
        .order_by()
        .values("bid_id")
    )
    return (
        Bid.objects.filter(pk__in=led.union(partnered))
        .annotate(
            is_lead=ExpressionWrapper(
                Q(organisation_id__in=organisations), output_field=BooleanField()
            )
        )
        .select_related("opportunity", "organisation", "decision")
        .order_by("opportunity__closes_at", "pk")
    )


def bids_readable_by(*, user: User) -> QuerySet[Bid]:
    """The bids whose content the person may read: the rule `procurement.view_bid_content`
    as one query, for lists that must never hold a sealed bid (the Django admin's).

    Members of the lead organisation and of a partner, always; officers, approvers and
    administrators (a superuser too), the bids that stand submitted once the deadline has
    passed; panel members, those of them assigned to them without a conflict, once they
    have declared their interests. Keep it in step with the rule in procurement/rules.py.
    """
    if not user.is_authenticated:
        return Bid.objects.none()
    received = Q(opportunity__closes_at__lte=timezone.now(), state=BidState.SUBMITTED)
    readable = Q(
        Exists(Membership.objects.filter(organisation=OuterRef("organisation"), user=user))
    ) | Q(
        Exists(
            ConsortiumPartner.objects.filter(
                bid=OuterRef("pk"), organisation__memberships__user=user
            )
        )
    )
    if procurement_rules.reads_bids.test(user):
        readable |= received
    if is_panel_member.test(user):
        assigned = Assignment.objects.filter(
            bid=OuterRef("pk"),
            panel_member__user=user,
            panel_member__declarations_completed_at__isnull=False,
            conflict__isnull=True,
        )
        readable |= received & Q(Exists(assigned))
    return Bid.objects.filter(readable)


def partnerships_for_user(*, user: User) -> QuerySet[ConsortiumPartner]:
    """Partnerships of the person's organisations in other organisations' live bids,
    waiting ones first."""
    if not user.is_authenticated:
        return ConsortiumPartner.objects.none()
    return (
        ConsortiumPartner.objects.filter(organisation__memberships__user=user)
        .exclude(bid__state=BidState.WITHDRAWN)
        .select_related("bid__opportunity", "bid__organisation", "organisation", "confirmed_by")
        .order_by("confirmed_at", "bid__opportunity__closes_at", "pk")
        .distinct()
    )


def partnerships_waiting_count(*, user: User) -> int:
    """How many of the person's organisations' partnerships in live bids wait for them to
    confirm: one count, from their memberships outwards."""
    if not user.is_authenticated:
        return 0
    return (
        ConsortiumPartner.objects.filter(
            organisation_id__in=Membership.objects.filter(user=user).values("organisation_id"),
            confirmed_at__isnull=True,
        )
        .exclude(bid__state=BidState.WITHDRAWN)
        .count()
    )


def partnership_for_user(*, pk: int, user: User) -> ConsortiumPartner:
    """One of the person's organisations' partnerships. DoesNotExist for anyone else's."""
    return partnerships_for_user(user=user).get(pk=pk)


def opportunities_with_bid_counts() -> QuerySet[Opportunity]:
    """Opportunities, each with `received_count` (bids standing submitted: all that may be
    said before the deadline) and `withdrawn_count` (bids submitted and then withdrawn),
    counted in the query that reads the opportunity."""
    received = Bid.objects.filter(opportunity=OuterRef("pk"), state=BidState.SUBMITTED)
    withdrawn = Bid.objects.filter(
        Exists(BidSubmission.objects.filter(bid=OuterRef("pk"))),
        opportunity=OuterRef("pk"),
        state=BidState.WITHDRAWN,
    )
    return Opportunity.objects.annotate(
        received_count=count_of(received, per="opportunity"),
        withdrawn_count=count_of(withdrawn, per="opportunity"),
    )


def bids_received(*, opportunity: Opportunity) -> QuerySet[Bid]:
    """The bids received for the opportunity, with their partners and totals. Only for
    after the deadline: callers check `opportunity.has_closed()`."""
    return (
        opportunity.bids.filter(state=BidState.SUBMITTED)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=ConsortiumPartner.objects.select_related("organisation"),
            )
        )
        .annotate(
            attachment_count=count_of(BidAttachment.objects.filter(bid=OuterRef("pk")), per="bid"),
            submission_count=count_of(BidSubmission.objects.filter(bid=OuterRef("pk")), per="bid"),
        )
        .order_by("submitted_at", "pk")
    )


def bids_received_export(*, opportunity: Opportunity) -> QuerySet[Bid]:
    """As `bids_received`, with answers and budget lines for the spreadsheet."""
    return bids_received(opportunity=opportunity).prefetch_related("answers", "budget_lines")


def organisations_search(*, query: str, bid: Bid, limit: int = 20) -> list[Organisation]:
    """Registered organisations whose name or org-id contains `query`: never the lead,
    nor one already a partner, nor one the council has refused to verify."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        Organisation.objects.filter(Q(name__icontains=query) | Q(org_id__icontains=query))
        .exclude(pk=bid.organisation_id)
        .exclude(pk__in=bid.partners.values("organisation_id"))
        .exclude(verification_status=Organisation.Verification.REJECTED)
        .order_by("name")[:limit]
    )
