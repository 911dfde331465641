"""Two-stage opportunities: expressions of interest, the officers' declarations, the
shortlisting decisions and their emails, and the full bid started from what was written."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, organisation_members_email
from core.models import User
from core.templatetags.portal import govuk_datetime, money
from core.transitions import transition_check
from procurement.models import (
    Bid,
    BidAnswer,
    ExpressionOfInterest,
    ExpressionStage,
    ExpressionState,
    Opportunity,
    ShortlistDeclaration,
)
from procurement.models.expressions import SUMMARY_WORD_LIMIT
from procurement.selectors import expressions as selectors
from procurement.selectors.bids import word_count
from providers.models import Organisation


class ExpressionLocked(Exception):
    """The expression of interest may not be changed now; the message says why."""


class ExpressionChanged(Exception):
    message = (
        "Someone else changed this expression of interest while you were looking at it. "
        "Check it and try again. Nothing has been changed."
    )


class ShortlistError(Exception):
    """Shortlisting cannot go ahead; the message says why."""


# --- The stage ------------------------------------------------------------------------------------


@transaction.atomic
def expression_stage_set(
    *, opportunity: Opportunity, closes_at, user: User | None = None
) -> ExpressionStage:
    """Make the opportunity two-stage, expressions of interest closing at `closes_at`
    (after it opens and before the full bid deadline), or move that deadline. Only while
    the opportunity is a draft: published deadlines do not move."""
    if opportunity.state != "draft":
        raise ValidationError("The stages of a published opportunity cannot be changed")
    errors = {}
    if closes_at <= opportunity.opens_at:
        errors["eoi_closes_at"] = (
            "The deadline for expressions of interest must be after the opportunity opens"
        )
    elif closes_at >= opportunity.closes_at:
        errors["eoi_closes_at"] = (
            "The deadline for expressions of interest must be before the full bid deadline, "
            f"{govuk_datetime(opportunity.closes_at)}"
        )
    if errors:
        raise ValidationError(errors)
    stage, _ = ExpressionStage.objects.update_or_create(
        opportunity=opportunity, defaults={"closes_at": closes_at}
    )
    return stage


@transaction.atomic
def expression_stage_remove(*, opportunity: Opportunity) -> None:
    """Make a draft opportunity single-stage again."""
    if opportunity.state != "draft":
        raise ValidationError("The stages of a published opportunity cannot be changed")
    ExpressionStage.objects.filter(opportunity=opportunity).delete()


# --- Expressions of interest ----------------------------------------------------------------------


def expression_reference_next(*, opportunity: Opportunity) -> str:
    """ "EOI-<opportunity reference>-007", numbered in the order they were started."""
    count = ExpressionOfInterest.objects.filter(opportunity=opportunity).count()
    return f"EOI-{opportunity.reference}-{count + 1:03d}"


def expression_start(
    *, opportunity: Opportunity, organisation: Organisation, user: User
) -> tuple[ExpressionOfInterest, bool]:
    """The organisation's live expression of interest, started now if it has none.
    Returns (expression, created)."""
    if not organisation.memberships.filter(user=user).exists():
        raise PermissionDenied("You are not a member of that organisation")
    existing = selectors.expression_live_for(opportunity=opportunity, organisation=organisation)
    if existing is not None:
        return existing, False
    stage = selectors.expression_stage_for(opportunity=opportunity)
    if stage is None:
        raise ValidationError("This opportunity does not ask for expressions of interest")
    if not stage.is_open():
        raise ValidationError(selectors.expression_closed_message(stage=stage))
    with transaction.atomic():
        Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
        try:
            with transaction.atomic():
                expression = ExpressionOfInterest.objects.create(
                    opportunity=opportunity,
                    organisation=organisation,
                    reference=expression_reference_next(opportunity=opportunity),
                    created_by=user,
                )
        except IntegrityError:
            existing = selectors.expression_live_for(
                opportunity=opportunity, organisation=organisation
            )
            if existing is None:
                raise
            return existing, False
    return expression, True


@transaction.atomic
def expression_update(
    *,
    expression: ExpressionOfInterest,
    summary: str,
    amount_estimate: Decimal | None,
    partners: str,
) -> ExpressionOfInterest:
    """Save the draft. ValidationError (by field) for a summary over its word limit or an
    estimate over the budget; ExpressionLocked when it may not be changed now."""
    locked = ExpressionOfInterest.objects.select_for_update(of=("self",)).select_related(
        "opportunity__expression_stage"
    )
    locked = locked.get(pk=expression.pk)
    if locked.state != ExpressionState.DRAFT:
        raise ExpressionLocked(selectors.expression_locked_message(expression=locked))
    if not locked.stage.is_open():
        raise ExpressionLocked(selectors.expression_closed_message(stage=locked.stage))
    errors = {}
    words = word_count(summary.strip())
    if words > SUMMARY_WORD_LIMIT:
        errors["summary"] = (
            f"The summary must be {SUMMARY_WORD_LIMIT} words or fewer (it has {words})"
        )
    budget = locked.opportunity.budget
    if amount_estimate is not None and amount_estimate > budget:
        errors["amount_estimate"] = f"The estimate must be {money(budget)} or less"
    if errors:
        raise ValidationError(errors)
    locked.summary = summary.strip()
    locked.amount_estimate = amount_estimate
    locked.partners = partners.strip()
    locked.save(update_fields=["summary", "amount_estimate", "partners", "updated_at"])
    expression.refresh_from_db()
    return expression


def expression_transition(
    *,
    expression: ExpressionOfInterest,
    name: str,
    user: User,
    reason: str = "",
    seen_state: str | None = None,
) -> ExpressionOfInterest:
    """Send, reopen or withdraw (the organisation), shortlist, decline or reconsider (an
    officer with no conflict), recording who and why. Shortlisting and declining keep the
    reasons, which go to the organisation when the decisions are sent.

    Raises ExpressionChanged when someone moved it first, PermissionDenied, ValidationError
    when reasons are needed and missing, TransitionNotAllowed otherwise."""
    with transaction.atomic():
        locked = (
            ExpressionOfInterest.objects.select_for_update(of=("self",))
            .select_related("opportunity__expression_stage", "organisation")
            .get(pk=expression.pk)
        )
        if seen_state is not None and locked.state != seen_state:
            raise ExpressionChanged(ExpressionChanged.message)
        method = transition_check(instance=locked, name=name, user=user, reason=reason)
        method(by=user, description=reason.strip() or None)
        if name in ("shortlist", "decline"):
            locked.reason = reason.strip()
            locked.decided_by = user
        elif name == "reconsider":
            locked.decided_by = None
        locked.save()
    expression.refresh_from_db()
    return expression


# --- Shortlisting ---------------------------------------------------------------------------------


@transaction.atomic
def shortlist_declarations_record(
    *, stage: ExpressionStage, user: User, declarations: list
) -> list[ShortlistDeclaration]:
    """Record the officer's declaration about every organisation that expressed interest,
    once the deadline has passed and before they read any of them. `declarations` are
    procurement.services.assessment.DeclarationInput."""
    ExpressionStage.objects.select_for_update().filter(pk=stage.pk).first()
    if not stage.has_closed():
        raise ShortlistError(
            "You can declare your interests once the deadline for expressions of interest "
            "has passed"
        )
    if selectors.shortlist_has_declared(stage=stage, user=user):
        raise ShortlistError("You have already declared your interests for this shortlist")
    expected = {o.pk for o in selectors.shortlist_organisations(stage=stage)}
    given = {d.organisation.pk for d in declarations}
    if given != expected:
        raise ShortlistError(
            "Declare your interests for every organisation that expressed interest"
        )
    created = []
    for item in declarations:
        declaration = ShortlistDeclaration(
            stage=stage,
            user=user,
            organisation=item.organisation,
            has_conflict=item.has_conflict,
            kind=item.kind if item.has_conflict else "",
            description=item.description.strip() if item.has_conflict else "",
        )
        declaration.full_clean(exclude=["stage", "user", "organisation"])
        declaration.save()
        created.append(declaration)
    return created


@transaction.atomic
def shortlist_decisions_send(*, stage: ExpressionStage, user: User) -> int:
    """Send every organisation that expressed interest its decision, by email through the
    outbox: the shortlisted are invited to the full bid, the others get the reasons as
    feedback. Only once every expression received has a decision, and only once. Returns
    how many emails were queued."""
    locked = ExpressionStage.objects.select_for_update().select_related("opportunity")
    locked = locked.get(pk=stage.pk)
    if not user.has_perm("procurement.shortlist"):
        raise PermissionDenied("Only commissioning officers can send shortlisting decisions")
    problems = selectors.shortlist_send_problems(stage=locked)
    if problems:
        raise ShortlistError(" ".join(problems))
    locked.decisions_sent_at = timezone.now()
    locked.decisions_sent_by = user
    locked.save(update_fields=["decisions_sent_at", "decisions_sent_by"])
    queued = 0
    opportunity = locked.opportunity
    expressions = selectors.expressions_decided(stage=locked)
    for expression in expressions:
        shortlisted = expression.state == ExpressionState.SHORTLISTED
        queued += organisation_members_email(
            organisation=expression.organisation,
            template="procurement/email/shortlist_"
            + ("invited" if shortlisted else "not_shortlisted"),
            context={
                "expression": expression,
                "opportunity": opportunity,
                "expression_url": absolute_url(expression.get_absolute_url()),
                "bid_url": absolute_url(
                    reverse("procurement:bid_start", kwargs={"slug": opportunity.slug})
                ),
            },
        )
    stage.refresh_from_db()
    return queued


# --- The full bid ---------------------------------------------------------------------------------


def full_bid_refusal(*, opportunity: Opportunity, organisation: Organisation) -> str:
    """Why the organisation may not start a full bid for a two-stage opportunity, in its
    words; empty when it may (or the opportunity has one stage)."""
    stage = selectors.expression_stage_for(opportunity=opportunity)
    if stage is None:
        return ""
    expression = selectors.expression_live_for(opportunity=opportunity, organisation=organisation)
    if (
        expression is not None
        and expression.state == ExpressionState.SHORTLISTED
        and stage.decisions_sent
    ):
        return ""
    if not stage.decisions_sent:
        if stage.has_closed():
            return (
                "This opportunity has two stages. The council is shortlisting the "
                "expressions of interest: only shortlisted organisations are invited to bid"
            )
        return (
            "This opportunity has two stages. Send an expression of interest before "
            f"{govuk_datetime(stage.closes_at)}: only shortlisted organisations are invited "
            "to bid"
        )
    return (
        f"{organisation.name} was not shortlisted for this opportunity: only shortlisted "
        "organisations are invited to bid"
    )


def full_bid_prefill(*, bid: Bid) -> None:
    """Start a new full bid from the organisation's shortlisted expression of interest: the
    amount sought from its estimate, the first question's answer from its summary, and the
    collaboration question's (or else the first's) from who it works with."""
    expression = selectors.expression_live_for(
        opportunity=bid.opportunity, organisation=bid.organisation
    )
    if expression is None or expression.state != ExpressionState.SHORTLISTED:
        return
    if expression.amount_estimate is not None:
        bid.amount_requested = min(expression.amount_estimate, bid.opportunity.budget)
        bid.save(update_fields=["amount_requested"])
    questions = list(bid.opportunity.questions.select_related("criterion"))
    if not questions:
        return
    texts: dict[int, list[str]] = {questions[0].pk: [expression.summary]}
    if expression.partners:
        collaboration = next(
            (
                q
                for q in questions
                if q.criterion is not None and "collaborat" in q.criterion.name.lower()
            ),
            questions[0],
        )
        texts.setdefault(collaboration.pk, []).append(f"Who we work with: {expression.partners}")
    for question_id, parts in texts.items():
        text = "\n\n".join(part for part in parts if part.strip())
        if text:
            BidAnswer.objects.create(bid=bid, question_id=question_id, text=text)
