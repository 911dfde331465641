"""Reads for the conflicts assessment (Procurement Act 2023, s.83): who is involved in an
opportunity for the council, what each has declared at each stage, and the assessments
recorded."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from commissioning.models import CommissioningPlan
from core.models import User
from core.roles import Role
from procurement.models import ExpressionStage, FundingType, Opportunity, ShortlistDeclaration
from procurement.models.bidding import PUBLISHED_STATES
from procurement.models.conflicts_assessment import (
    ConflictsAssessment,
    ConflictsStage,
    OfficerDeclaration,
)

ACTING_ROLES = [Role.OFFICER.value, Role.APPROVER.value, Role.ADMINISTRATOR.value]

#: The stage whose assessment an opportunity needs, by its commission's state.
STAGE_OF_COMMISSION_STATE = {
    "assessment": ConflictsStage.ASSESSMENT,
    "award_approval": ConflictsStage.AWARD,
    "delivery": ConflictsStage.AWARD,
}


def conflicts_stage_now(*, opportunity: Opportunity) -> str:
    """The stage the opportunity is at for its conflicts assessment: before publication
    while it is a draft, then assessment and award with its commission."""
    if opportunity.state == "draft":
        return ConflictsStage.PUBLICATION
    return STAGE_OF_COMMISSION_STATE.get(
        opportunity.specification.commission.state, ConflictsStage.PUBLICATION
    )


def people_involved(*, opportunity: Opportunity, also: User | None = None) -> list[User]:
    """Everyone acting for the council in the opportunity: the commission's lead officer and
    whoever created it or asked for its approvals, the approvers of the plans the
    specification is in, whoever created the opportunity, whoever has moved the commission
    or the opportunity on, whoever has declared, and `also` (the person recording the
    assessment). Panel members declare on their own page, about each bidder."""
    commission = opportunity.specification.commission
    ids = {
        commission.lead_officer_id,
        commission.created_by_id,
        commission.plan_requested_by_id,
        commission.award_requested_by_id,
        opportunity.created_by_id,
        also.pk if also else None,
    }
    ids |= set(opportunity.officer_declarations.values_list("user_id", flat=True))
    ids |= set(
        ShortlistDeclaration.objects.filter(stage__opportunity=opportunity).values_list(
            "user_id", flat=True
        )
    )
    ids |= set(
        ExpressionStage.objects.filter(opportunity=opportunity).values_list(
            "decisions_sent_by_id", flat=True
        )
    )
    ids |= set(
        CommissioningPlan.objects.filter(specifications=opportunity.specification).values_list(
            "approved_by_id", flat=True
        )
    )
    for record in (commission, opportunity):
        ids |= set(
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(record), object_id=record.pk
            ).values_list("by_id", flat=True)
        )
    ids.discard(None)
    return list(
        User.objects.filter(pk__in=ids, is_active=True, groups__name__in=ACTING_ROLES)
        .distinct()
        .order_by("full_name", "email")
    )


@dataclass(frozen=True)
class PersonDeclared:
    user: User
    declaration: OfficerDeclaration | None


def declarations_by_person(
    *, opportunity: Opportunity, stage: str, people: list[User]
) -> list[PersonDeclared]:
    """Each person involved with their latest declaration at `stage` (None: not yet)."""
    latest: dict[int, OfficerDeclaration] = {}
    for declaration in OfficerDeclaration.objects.filter(
        opportunity=opportunity, stage=stage, user__in=people
    ).order_by("declared_at", "pk"):
        latest[declaration.user_id] = declaration
    return [PersonDeclared(user=person, declaration=latest.get(person.pk)) for person in people]


def shortlist_declarations(*, opportunity: Opportunity) -> list[ShortlistDeclaration]:
    """For a two-stage opportunity, the officers' declarations about each organisation
    that expressed interest, by officer then organisation. They are made only after the
    expressions' deadline, so they name no organisation while expressions are sealed;
    none is returned before then all the same."""
    return list(
        ShortlistDeclaration.objects.filter(
            stage__opportunity=opportunity, stage__closes_at__lte=timezone.now()
        )
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email", "organisation__name", "pk")
    )


def conflicts_assessments(*, opportunity: Opportunity) -> list[ConflictsAssessment]:
    return list(
        opportunity.conflicts_assessments.select_related("recorded_by").prefetch_related("people")
    )


# --- The reviews that contracts need before they move on ------------------------------------


def contracts_not_reviewed(*, commission, stage: str) -> list[Opportunity]:
    """The commission's published contract opportunities whose conflicts assessment has not
    been reviewed at `stage` yet (Procurement Act 2023, s.83: kept under review at each
    stage). Grants are outside the Act: never listed."""
    return list(
        Opportunity.objects.filter(
            specification__commission=commission,
            funding_type=FundingType.CONTRACT,
            state__in=PUBLISHED_STATES,
        )
        .exclude(conflicts_assessments__stage=stage)
        .order_by("pk")
    )


def conflicts_assessment_url(*, opportunity: Opportunity | None) -> str:
    if opportunity is None:
        return ""
    return reverse("procurement:conflicts_assessment", kwargs={"pk": opportunity.pk})
