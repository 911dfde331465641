"""Writes for opportunities: made from a published plan's specification, with a weighted
question per core criterion and per service-specific criterion, documents and applicant
workshops; publishing one opens it to bidders and moves its commission to procurement.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_fsm import TransitionNotAllowed

from commissioning.models import (
    CommissionState,
    CoreCriterion,
    Framework,
    Lot,
    Specification,
)
from commissioning.services import CommissionChanged, commission_transition
from core.files import safe_storage_name
from core.models import User
from core.transitions import transition_check, transition_from_state, transition_problems
from procurement.models import Opportunity, OpportunityDocument, OpportunityState, Question
from procurement.selectors import opportunities as selectors

# The core criterion that stands for the specification's own criteria: each of those
# becomes a question of its own instead.
SERVICE_SPECIFIC_SLUG = "service-specific"
DEFAULT_WORD_LIMIT = 500
DEFAULT_GUIDANCE = (
    "Give examples and evidence: what you have done before, who will do the work and how "
    "you will know it is working."
)


class OpportunityRefused(Exception):
    """The opportunity cannot be made or published; `problems` say why, in words for the
    officer."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class QuestionsLocked(Exception):
    message = (
        "The questions cannot change once the opportunity is published: bidders may already "
        "be answering them"
    )


# --- Creating and changing -------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"OPP-{year}-"
    last = (
        Opportunity.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:03d}"


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200].strip("-") or "opportunity"
    slug, number = base, 2
    while Opportunity.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _check_dates(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_date": "The closing date must be after the opening date"})


@transaction.atomic
def opportunity_create(
    *,
    specification: Specification,
    created_by: User,
    title: str,
    summary: str,
    funding_type: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    eligibility: str,
    lot: Lot | None = None,
    budget: Decimal | None = None,
) -> Opportunity:
    """A draft opportunity from a specification in a published Commissioning Plan, with its
    default questions. Its reference is the next for this year (OPP-2026-001); its address
    comes from its title. The budget defaults to the lot's, or the specification's.

    Raises OpportunityRefused when the specification is not in a published plan or its
    commission is not at "Plan approved" or "Procurement".
    """
    problem = selectors.opportunity_creation_problem(specification=specification)
    if problem:
        raise OpportunityRefused(problem)
    if lot is not None and lot.specification_id != specification.pk:
        raise ValidationError({"lot": "Select a lot of this specification"})
    _check_dates(opens_at, closes_at)
    if budget is None:
        budget = lot.budget if lot is not None else specification.budget
    opportunity = Opportunity(
        specification=specification,
        lot=lot,
        title=title.strip(),
        summary=summary.strip(),
        budget=budget,
        funding_type=funding_type,
        opens_at=opens_at,
        closes_at=closes_at,
        eligibility=eligibility.strip(),
        created_by=created_by,
        slug=_unique_slug(title),
        reference=_next_reference(timezone.localdate().year),
    )
    opportunity.full_clean(exclude=["created_by", "state"])
    opportunity.save()
    opportunity_questions_create_default(opportunity=opportunity)
    return opportunity


def _core_criteria() -> list[CoreCriterion]:
    framework = Framework.objects.current()
    if framework is None:
        return []
    return list(CoreCriterion.objects.filter(framework=framework).order_by("order", "name"))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "?", "!")) else f"{text}."


def _shares(total: Decimal, parts: list[Decimal]) -> list[Decimal]:
    """`total` split in proportion to `parts` (equally when they are all 0), to the hundredth,
    the rounding left on the largest share so the shares add up to `total` exactly."""
    if not parts:
        return []
    whole = sum(parts, Decimal(0))
    if whole <= 0:
        parts, whole = [Decimal(1)] * len(parts), Decimal(len(parts))
    shares = [(total * part / whole).quantize(Decimal("0.01")) for part in parts]
    largest = max(range(len(shares)), key=lambda index: shares[index])
    shares[largest] += total - sum(shares, Decimal(0))
    return shares


def opportunity_default_questions(*, opportunity: Opportunity) -> list[Question]:
    """The opportunity's default questions, unsaved and weighted to add up to 100.

    One per core criterion of the current framework, weighted by its default weight. The
    service-specific criterion's weight is shared among the specification's own
    service-specific criteria in proportion to their weights, one question each; a
    specification with none gets one question on the service-specific criterion itself.
    When the framework's default weights do not add up to 100, every weight is scaled so
    that they do."""
    questions = []
    for criterion in _core_criteria():
        if criterion.slug != SERVICE_SPECIFIC_SLUG:
            questions.append(
                Question(
                    opportunity=opportunity,
                    criterion=criterion,
                    text=f"{_sentence(criterion.description)} Tell us how your service will do "
                    "this.",
                    guidance=DEFAULT_GUIDANCE,
                    word_limit=DEFAULT_WORD_LIMIT,
                    weight=criterion.default_weight,
                )
            )
            continue
        own = list(opportunity.specification.service_criteria.order_by("pk"))
        if not own:
            questions.append(
                Question(
                    opportunity=opportunity,
                    criterion=criterion,
                    text=f"{_sentence(criterion.description)} Tell us which apply to your "
                    "service and how you will meet them.",
                    guidance=DEFAULT_GUIDANCE,
                    word_limit=DEFAULT_WORD_LIMIT,
                    weight=criterion.default_weight,
                )
            )
            continue
        shares = _shares(criterion.default_weight, [own_criterion.weight for own_criterion in own])
        for own_criterion, share in zip(own, shares, strict=True):
            description = (
                f" {_sentence(own_criterion.description)}" if own_criterion.description else ""
            )
            questions.append(
                Question(
                    opportunity=opportunity,
                    service_criterion=own_criterion,
                    text=f"{_sentence(own_criterion.name)}{description} "
                    "Tell us how your service will meet this.",
                    guidance=DEFAULT_GUIDANCE,
                    word_limit=DEFAULT_WORD_LIMIT,
                    weight=share,
                )
            )
    total = sum((question.weight for question in questions), Decimal(0))
    if questions and total != 100:
        weights = _shares(Decimal(100), [question.weight for question in questions])
        for question, weight in zip(questions, weights, strict=True):
            question.weight = weight
    for order, question in enumerate(questions, start=1):
        question.order = order
    return questions


def opportunity_questions_create_default(*, opportunity: Opportunity) -> list[Question]:
    """Save the opportunity's default questions (`opportunity_default_questions`): their
    weights add up to 100, so it can be published without re-weighting."""
    return Question.objects.bulk_create(opportunity_default_questions(opportunity=opportunity))


@transaction.atomic
def opportunity_update(
    *,
    opportunity: Opportunity,
    title: str,
    summary: str,
    funding_type: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    eligibility: str,
    budget: Decimal | None = None,
    lot: Lot | None = None,
    workshops: Iterable | None = None,
) -> Opportunity:
    """Change an opportunity's details and its applicant workshops. Its address and reference
    stay the same. A published opportunity's deadline cannot be moved into the past."""
    if lot is not None and lot.specification_id != opportunity.specification_id:
        raise ValidationError({"lot": "Select a lot of this specification"})
    _check_dates(opens_at, closes_at)
    if opportunity.state == OpportunityState.CLOSED and closes_at != opportunity.closes_at:
        raise ValidationError(
            {"closes_date": "The closing date cannot change: the opportunity is closed to bids"}
        )
    if (
        opportunity.is_published
        and closes_at != opportunity.closes_at
        and closes_at <= timezone.now()
    ):
        raise ValidationError(
            {"closes_date": "The closing date of a published opportunity must be in the future"}
        )
    if budget is None:
        budget = lot.budget if lot is not None else opportunity.specification.budget
    opportunity.title = title.strip()
    opportunity.summary = summary.strip()
    opportunity.funding_type = funding_type
    opportunity.opens_at = opens_at
    opportunity.closes_at = closes_at
    opportunity.eligibility = eligibility.strip()
    opportunity.budget = budget
    opportunity.lot = lot
    opportunity.full_clean(exclude=["created_by", "state"])
    opportunity.save()
    if workshops is not None:
        opportunity.workshops.set(workshops)
    return opportunity


@dataclass(frozen=True)
class QuestionRow:
    id: int
    text: str
    guidance: str
    word_limit: int
    weight: Decimal


@transaction.atomic
def opportunity_questions_update(
    *, opportunity: Opportunity, rows: Iterable[QuestionRow]
) -> list[Question]:
    """Change the questions' words, guidance, word limits and weights. The weights may add up
    to anything while the officer works on them; they must add up to 100 to publish.
    Raises QuestionsLocked once the opportunity is published."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.is_published:
        raise QuestionsLocked(QuestionsLocked.message)
    questions = {question.pk: question for question in opportunity.questions.all()}
    changed = []
    for row in rows:
        question = questions.get(row.id)
        if question is None:
            continue
        question.text = row.text.strip()
        question.guidance = row.guidance.strip()
        question.word_limit = row.word_limit
        question.weight = row.weight
        question.full_clean()
        changed.append(question)
    Question.objects.bulk_update(changed, ["text", "guidance", "word_limit", "weight"])
    return changed


def _editable_questions(opportunity: Opportunity) -> list[Question]:
    """The draft opportunity's questions in order, locked; QuestionsLocked once published."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.is_published:
        raise QuestionsLocked(QuestionsLocked.message)
    return list(Question.objects.select_for_update().filter(opportunity=opportunity))


def _renumber(questions: list[Question]) -> None:
    for order, question in enumerate(questions, start=1):
        question.order = order
    Question.objects.bulk_update(questions, ["order"])


@transaction.atomic
def opportunity_question_add(*, opportunity: Opportunity) -> Question:
    """A new question at the end, weighted 0 (so the total stays as it was) for the officer
    to write and weigh. Raises QuestionsLocked once the opportunity is published."""
    questions = _editable_questions(opportunity)
    question = Question(
        opportunity=opportunity,
        text="Write your question here.",
        guidance=DEFAULT_GUIDANCE,
        word_limit=DEFAULT_WORD_LIMIT,
        weight=Decimal(0),
        order=len(questions) + 1,
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def opportunity_question_remove(*, opportunity: Opportunity, question_id: int) -> Question:
    """Remove one question; the others keep their order. Question.DoesNotExist when it is not
    one of this opportunity's; QuestionsLocked once the opportunity is published."""
    questions = _editable_questions(opportunity)
    question = next((q for q in questions if q.pk == question_id), None)
    if question is None:
        raise Question.DoesNotExist(question_id)
    _renumber([q for q in questions if q.pk != question_id])
    question.delete()
    return question


@transaction.atomic
def opportunity_question_move(
    *, opportunity: Opportunity, question_id: int, by: int
) -> list[Question]:
    """Move one question up (`by=-1`) or down (`by=1`) the order; at the top or bottom it
    stays. Question.DoesNotExist when it is not one of this opportunity's; QuestionsLocked
    once the opportunity is published."""
    questions = _editable_questions(opportunity)
    index = next((i for i, q in enumerate(questions) if q.pk == question_id), None)
    if index is None:
        raise Question.DoesNotExist(question_id)
    other = index + by
    if 0 <= other < len(questions):
        questions[index], questions[other] = questions[other], questions[index]
    _renumber(questions)
    return questions


# --- Documents -------------------------------------------------------------------------------


def opportunity_document_add(
    *, opportunity: Opportunity, title: str, file: File
) -> OpportunityDocument:
    """Add a document for bidders. `file` should come from `core.uploads.CheckedFileField`,
    which has checked its content; it is stored under a random name."""
    original_name = file.name
    file.name = safe_storage_name(file.name)
    document = OpportunityDocument(
        opportunity=opportunity, title=title.strip(), original_name=original_name
    )
    document.file = file
    document.full_clean(exclude=["file"])
    document.save()
    return document


def opportunity_document_remove(*, document: OpportunityDocument) -> None:
    """Remove a document and, once that is committed, its stored file."""
    name, storage = document.file.name, document.file.storage
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Publishing and closing ------------------------------------------------------------------


class OpportunityChanged(Exception):
    """Someone else (or the portal) moved the opportunity on while this person was looking."""

    message = (
        "This opportunity was changed by someone else while you were looking at it. "
        "Check where it is now before you try again."
    )


def opportunity_publish(
    *, opportunity: Opportunity, user: User, at: dt.datetime | None = None
) -> Opportunity:
    """Publish the opportunity for everyone to read, from `at` (now unless given).

    Refuses (OpportunityRefused, with every reason) unless the machine's `publish`
    conditions hold — the specification is in a published plan, its commission takes
    opportunities, the questions' weights add up to 100, it closes after it opens and after
    `at` — and the person may publish it (while the commission's plan is only approved, its
    lead officer alone). Opening it moves an approved commission to procurement, in the same
    transaction and on the commission's timeline.
    """
    with transaction.atomic():
        locked = (
            Opportunity.objects.select_for_update()
            .select_related("specification__commission__lead_officer")
            .get(pk=opportunity.pk)
        )
        if locked.state != OpportunityState.DRAFT:
            raise OpportunityRefused("This opportunity has already been published")
        locked.published_at = at or timezone.now()  # the conditions read it
        problems = transition_problems(instance=locked, name="publish", user=user)
        if problems:
            raise OpportunityRefused(problems)
        try:
            method = transition_check(instance=locked, name="publish", user=user)
        except (PermissionDenied, TransitionNotAllowed) as error:
            raise OpportunityRefused("You cannot publish this opportunity") from error
        method(by=user, description=None)
        locked.save()
        commission = locked.specification.commission
        if commission.state == CommissionState.APPROVED:
            try:
                commission_transition(
                    commission=commission,
                    name="start_procurement",
                    user=user,
                    reason=f"Opportunity {locked.reference} published",
                )
            except (CommissionChanged, PermissionDenied, TransitionNotAllowed) as error:
                # Nothing is published: the transaction is rolled back.
                raise OpportunityRefused(
                    "The commission could not be moved to procurement, so the opportunity "
                    "has not been published. Check where the commission is now and try again."
                ) from error
    opportunity.refresh_from_db()
    return opportunity


def opportunity_transition(
    *,
    opportunity: Opportunity,
    name: str,
    user: User,
    reason: str = "",
    seen_state: str | None = None,
) -> Opportunity:
    """Make the action `name` on the opportunity as `user`, recording who and why.
    Publishing goes through `opportunity_publish` (it moves the commission on too).

    Raises OpportunityChanged when someone else moved it first, PermissionDenied when the
    person may not make it, and TransitionNotAllowed when there is no such action, or its
    state or a condition does not allow it now.
    """
    if name == "publish":
        return opportunity_publish(opportunity=opportunity, user=user)
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if seen_state is not None and locked.state != seen_state:
            raise OpportunityChanged(OpportunityChanged.message)
        method = transition_check(instance=locked, name=name, user=user, reason=reason)
        method(by=user, description=reason.strip() or None)
        locked.save()
    opportunity.refresh_from_db()
    return opportunity


def opportunities_close_due(*, now: dt.datetime | None = None) -> list[Opportunity]:
    """Close every published opportunity whose deadline has passed, as the portal (the
    timeline says "The deadline passed", with no one's name). Returns those it closed.

    Bids were sealed and refused from the deadline whether or not this has run yet: this
    records that bidding is over.
    """
    now = now or timezone.now()
    closed = []
    due = Opportunity.objects.filter(state=OpportunityState.PUBLISHED, closes_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            locked = Opportunity.objects.select_for_update().get(pk=pk)
            spec = transition_from_state(instance=locked, name="close")
            if spec is None or not all(check(locked) for check in spec.conditions):
                continue  # closed by an officer meanwhile, or its deadline moved
            locked.close(by=None, description="The deadline passed")
            locked.save()
        closed.append(locked)
    return closed
