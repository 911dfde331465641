"""Set-up for the agreements and variations tests: approved awards (from the shared
assessment factories), their agreements in any state, organisation admins and members."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.roles import Role
from procurement.models import (
    Agreement,
    AgreementState,
    AwardDecision,
    ConflictsAssessment,
    Outcome,
)
from procurement.services.agreements import agreement_create, agreement_version_snapshot
from providers.models import Membership
from tests.factories import UserFactory
from tests.procurement.factories_assessment import Assessed, assessed_opportunity

DECIDED_ON = dt.date(2026, 6, 10)


def decisions_approve(
    assessed: Assessed, *, approver=None, decided_on: dt.date = DECIDED_ON
) -> list[AwardDecision]:
    """Approve every recommendation for the opportunity, as an approver would have; the
    commission moves on to delivery. Returns the successful awards, in bid order."""
    approver = approver or UserFactory(roles=[Role.APPROVER])
    awards = []
    for bid in assessed.bids:
        decision = bid.decision
        decision.approved_by = approver
        decision.approved_at = timezone.now()
        decision.decided_on = decided_on
        decision.save()
        if decision.outcome == Outcome.SUCCESSFUL:
            awards.append(decision)
    commission = assessed.commission
    commission.__dict__["state"] = "delivery"  # bypass protected=True for test set-up
    commission.save()
    return awards


def org_admin(organisation, **kwargs):
    """A provider user who is an admin of the organisation."""
    user = UserFactory(roles=[Role.PROVIDER], **kwargs)
    Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": Membership.Role.ADMIN}
    )
    return user


def org_member(organisation, **kwargs):
    """A provider user who is a plain member of the organisation."""
    user = UserFactory(roles=[Role.PROVIDER], **kwargs)
    Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": Membership.Role.MEMBER}
    )
    return user


@dataclass
class Made:
    assessed: Assessed
    awards: list[AwardDecision]
    agreement: Agreement

    @property
    def officer(self):
        return self.assessed.officer

    @property
    def organisation(self):
        return self.agreement.organisation


def conflicts_reviewed(opportunity, *, stage: str, by=None) -> ConflictsAssessment:
    """The opportunity's conflicts assessment recorded at `stage`, as an officer would have
    once everyone involved had declared (Procurement Act 2023, s.83)."""
    return ConflictsAssessment.objects.create(
        opportunity=opportunity,
        stage=stage,
        steps_taken="No one involved declared a conflict of interest.",
        recorded_by=by,
    )


def agreement_made(
    *, state: str = AgreementState.DRAFT, reviewed: bool = True, **assessed_kwargs
) -> Made:
    """An approved award (the first bid of an assessed opportunity, £30,000, 36 months) and
    its agreement, put straight into `state`: issued agreements have version 1 kept;
    accepted ones record who accepted (an organisation admin) and when. A contract's
    conflicts assessment is reviewed at the award unless `reviewed=False`."""
    assessed = assessed_opportunity(recommended=True, **assessed_kwargs)
    if reviewed and assessed.opportunity.funding_type == "contract":
        conflicts_reviewed(assessed.opportunity, stage="award", by=assessed.officer)
    awards = decisions_approve(assessed)
    agreement = agreement_create(decision=awards[0], created_by=assessed.officer)
    if state != AgreementState.DRAFT:
        agreement.__dict__["state"] = state  # bypass protected=True for test set-up
        agreement.issued_at = timezone.now()
        agreement.issued_by = assessed.officer
        if state == AgreementState.ACCEPTED:
            agreement.accepted_by = org_admin(agreement.organisation)
            agreement.accepted_at = timezone.now()
        agreement.save()
        agreement_version_snapshot(agreement=agreement, user=assessed.officer)
    return Made(assessed=assessed, awards=awards, agreement=agreement)
