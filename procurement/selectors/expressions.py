"""Reads for two-stage opportunities: expressions of interest, the shortlist and what an
officer may see of it. Before the expressions' deadline the council sees only how many were
received."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from core.models import User
from core.templatetags.portal import govuk_datetime
from procurement import rules as procurement_rules
from procurement.models import (
    ExpressionOfInterest,
    ExpressionStage,
    ExpressionState,
    Opportunity,
    ShortlistDeclaration,
)
from procurement.models.expressions import DECIDED_STATES, RECEIVED_STATES
from providers.models import Organisation


def expression_stage_for(*, opportunity: Opportunity) -> ExpressionStage | None:
    """The opportunity's expression of interest stage, or None when it has one stage."""
    try:
        return opportunity.expression_stage
    except ExpressionStage.DoesNotExist:
        return None


def expression_get(*, pk: int) -> ExpressionOfInterest:
    return ExpressionOfInterest.objects.select_related(
        "opportunity__expression_stage", "organisation", "decided_by"
    ).get(pk=pk)


def expression_live_for(
    *, opportunity: Opportunity, organisation: Organisation
) -> ExpressionOfInterest | None:
    """The organisation's expression of interest that has not been withdrawn, if any."""
    return (
        ExpressionOfInterest.objects.filter(opportunity=opportunity, organisation=organisation)
        .exclude(state=ExpressionState.WITHDRAWN)
        .select_related("opportunity__expression_stage")
        .first()
    )


def expressions_for_organisations(
    *, opportunity: Opportunity, organisations
) -> dict[int, ExpressionOfInterest]:
    """The live expressions of interest of these organisations, by organisation id."""
    expressions = ExpressionOfInterest.objects.filter(
        opportunity=opportunity, organisation__in=organisations
    ).exclude(state=ExpressionState.WITHDRAWN)
    return {expression.organisation_id: expression for expression in expressions}


def expression_closed_message(*, stage: ExpressionStage) -> str:
    if stage.has_closed():
        return (
            f"The deadline for expressions of interest was {govuk_datetime(stage.closes_at)}. "
            "It cannot be changed."
        )
    opportunity = stage.opportunity
    if opportunity.state == "published" and timezone.now() < opportunity.opens_at:
        return (
            "This opportunity opens for expressions of interest at "
            f"{govuk_datetime(opportunity.opens_at)}. You can send one from then until "
            f"{govuk_datetime(stage.closes_at)}."
        )
    return "This opportunity is not open for expressions of interest yet."


def expression_locked_message(*, expression: ExpressionOfInterest) -> str:
    if expression.state == ExpressionState.SUBMITTED:
        return (
            "This expression of interest has been sent. Reopen it to make changes before the "
            "deadline."
        )
    if expression.state == ExpressionState.WITHDRAWN:
        return "This expression of interest has been withdrawn and cannot be changed."
    return "This expression of interest has been decided on and cannot be changed."


def expression_is_editable(*, expression: ExpressionOfInterest) -> bool:
    return expression.state == ExpressionState.DRAFT and expression.stage.is_open()


def expression_decision_shown(*, expression: ExpressionOfInterest) -> bool:
    """The organisation sees the decision once the decisions have been sent."""
    return expression.state in DECIDED_STATES and expression.stage.decisions_sent


# --- Shortlisting ---------------------------------------------------------------------------------


def expressions_received(*, stage: ExpressionStage):
    return ExpressionOfInterest.objects.filter(
        opportunity_id=stage.opportunity_id, state__in=RECEIVED_STATES
    )


def expressions_received_count(*, stage: ExpressionStage) -> int:
    """How many were received: all the council knows before the deadline."""
    return expressions_received(stage=stage).count()


def shortlist_organisations(*, stage: ExpressionStage) -> list[Organisation]:
    """Every organisation whose expression of interest was received, by name."""
    return list(
        Organisation.objects.filter(
            pk__in=expressions_received(stage=stage).values("organisation_id")
        ).order_by("name", "pk")
    )


def shortlist_has_declared(*, stage: ExpressionStage, user: User) -> bool:
    return ShortlistDeclaration.objects.filter(stage=stage, user=user).exists()


@dataclass(frozen=True)
class ShortlistRow:
    expression: ExpressionOfInterest
    #: The officer declared a conflict with the organisation: they read nothing of it.
    conflicted: bool


def shortlist_rows(*, stage: ExpressionStage, user: User) -> list[ShortlistRow]:
    """The expressions received, for an officer who has declared, after the deadline: one
    query, whatever their number."""
    conflicted = ShortlistDeclaration.objects.filter(
        stage=stage, user=user, organisation_id=OuterRef("organisation_id"), has_conflict=True
    )
    rows = (
        expressions_received(stage=stage)
        .select_related("organisation")
        .annotate(conflicted=Exists(conflicted))
        .order_by("organisation__name", "pk")
    )
    return [ShortlistRow(expression=row, conflicted=row.conflicted) for row in rows]


def shortlist_state_counts(*, stage: ExpressionStage) -> dict[str, int]:
    counts = expressions_received(stage=stage).aggregate(
        received=Count("pk"),
        undecided=Count("pk", filter=Q(state=ExpressionState.SUBMITTED)),
        shortlisted=Count("pk", filter=Q(state=ExpressionState.SHORTLISTED)),
        not_shortlisted=Count("pk", filter=Q(state=ExpressionState.NOT_SHORTLISTED)),
    )
    return counts


def shortlist_send_problems(*, stage: ExpressionStage) -> list[str]:
    """Why the decisions cannot be sent yet, one sentence each; empty when they can."""
    if stage.decisions_sent:
        return ["The decisions have already been sent."]
    if not stage.has_closed():
        return [
            "The decisions can be sent once the deadline for expressions of interest, "
            f"{govuk_datetime(stage.closes_at)}, has passed."
        ]
    counts = shortlist_state_counts(stage=stage)
    if not counts["received"]:
        return ["No expressions of interest were received."]
    if counts["undecided"]:
        return [
            f"Decide on every expression of interest: {counts['undecided']} still "
            f"{'has' if counts['undecided'] == 1 else 'have'} no decision."
        ]
    return []


def expressions_decided(*, stage: ExpressionStage):
    return (
        ExpressionOfInterest.objects.filter(
            opportunity_id=stage.opportunity_id, state__in=DECIDED_STATES
        )
        .select_related("organisation", "opportunity")
        .order_by("pk")
    )


def expressions_readable_by(*, user: User):
    """The expressions of interest whose content the person may read: the rule
    `procurement.view_expression_content` as one query, for lists that must never hold a
    sealed one (the Django admin's). Members of the organisation, always; officers and
    administrators, those received once the expressions' deadline has passed, for
    organisations they have declared no conflict with. Keep it in step with the rule in
    procurement/rules.py."""
    from providers.models import Membership

    if not user.is_authenticated:
        return ExpressionOfInterest.objects.none()
    members = Membership.objects.filter(organisation=OuterRef("organisation"), user=user)
    readable = Q(Exists(members))
    if procurement_rules.shortlists.test(user):
        declared = ShortlistDeclaration.objects.filter(
            stage__opportunity=OuterRef("opportunity"),
            organisation=OuterRef("organisation"),
            user=user,
            has_conflict=False,
        )
        readable |= Q(
            opportunity__expression_stage__closes_at__lte=timezone.now(),
            state__in=RECEIVED_STATES,
        ) & Q(Exists(declared))
    return ExpressionOfInterest.objects.filter(readable)
