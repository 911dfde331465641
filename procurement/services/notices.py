"""Writes for the Procurement Act 2023's notices on the Central Digital Platform: the
officer records each notice the council has published, with its identifier and date.

Recording the contract award notice starts the standstill period (s.51) for every decision
on the opportunity: 8 working days beginning with the day it was published. It is refused
until every bidder has been sent its assessment summary (the decision email with its
scores and reasons, s.50), because the notice may be published only after that.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import User
from core.working_days import standstill_last_day
from procurement.models import (
    Agreement,
    AgreementState,
    AwardDecision,
    FundingType,
    Opportunity,
)
from procurement.models.notices import NoticeKind, ProcurementNotice


def _decisions_of(opportunity: Opportunity):
    return AwardDecision.objects.filter(bid__opportunity=opportunity)


def notice_record(
    *,
    opportunity: Opportunity,
    kind: str,
    identifier: str,
    published_on: dt.date,
    recorded_by: User,
    agreement: Agreement | None = None,
) -> ProcurementNotice:
    """Record a notice published on the Central Digital Platform for a contract.

    ValidationError (with why, for the person recording) for a grant, a date in the future,
    a notice of that kind already recorded, a contract award notice before every decision
    is approved and every bidder has its assessment summary, or a contract details notice
    for a contract that is not this opportunity's, before its contract award notice or
    before the contract is accepted (entered into).
    """
    if opportunity.funding_type != FundingType.CONTRACT:
        raise ValidationError(
            "Grants are outside the Procurement Act 2023: they have no notices to record"
        )
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": "The date published must be today or in the past"})
    with transaction.atomic():
        Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if kind == NoticeKind.CONTRACT_AWARD:
            _check_award_notice(opportunity=opportunity)
        if kind == NoticeKind.CONTRACT_DETAILS:
            _check_details_notice(opportunity=opportunity, agreement=agreement)
        else:
            agreement = None
        try:
            with transaction.atomic():
                notice = ProcurementNotice.objects.create(
                    opportunity=opportunity,
                    agreement=agreement,
                    kind=kind,
                    identifier=identifier.strip(),
                    published_on=published_on,
                    recorded_by=recorded_by,
                )
        except IntegrityError as error:
            raise ValidationError(
                {"kind": f"The {NoticeKind(kind).label.lower()} has already been recorded"}
            ) from error
        if kind == NoticeKind.CONTRACT_AWARD:
            _decisions_of(opportunity).update(
                standstill_ends_on=standstill_last_day(award_notice_published_on=published_on)
            )
    return notice


def _check_award_notice(*, opportunity: Opportunity) -> None:
    decisions = list(_decisions_of(opportunity).select_related("bid"))
    if not decisions or any(not d.is_approved for d in decisions):
        raise ValidationError(
            {"kind": "The contract award notice can be recorded once the awards are approved"}
        )
    waiting = sorted(d.bid.reference for d in decisions if d.notified_at is None)
    if waiting:
        raise ValidationError(
            {
                "kind": "Every bidder must be sent its assessment summary before the contract "
                f"award notice is published. Not sent yet: {', '.join(waiting)}"
            }
        )


def _check_details_notice(*, opportunity: Opportunity, agreement: Agreement | None) -> None:
    if agreement is None or agreement.decision.bid.opportunity_id != opportunity.pk:
        raise ValidationError({"agreement": "Select the contract the notice is about"})
    if not opportunity.notices.filter(kind=NoticeKind.CONTRACT_AWARD).exists():
        raise ValidationError(
            {"kind": "Record the contract award notice first: a contract details notice follows it"}
        )
    if agreement.state != AgreementState.ACCEPTED:
        raise ValidationError(
            {
                "agreement": f"{agreement.reference} has not been accepted yet: the contract "
                "details notice follows the contract being entered into"
            }
        )
