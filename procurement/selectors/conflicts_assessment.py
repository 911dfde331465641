"""Reads for the conflicts assessment (Procurement Act 2023, s.83): who is involved in an
opportunity for the council, what each has declared at each stage, and the assessments
recorded."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from commissioning.models import CommissioningPlan
from core.models import User
from core.roles import Role
from procurement.models import Opportunity
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


def conflicts_assessments(*, opportunity: Opportunity) -> list[ConflictsAssessment]:
    return list(
        opportunity.conflicts_assessments.select_related("recorded_by").prefetch_related("people")
    )
