"""Celery tasks for procurement: thin, taking ids, re-fetching and calling a service."""

from celery import shared_task

from procurement.models import Clarification

# --- Clarification questions -----------------------------------------------------------------


@shared_task
def clarification_email_send(clarification_id: int, kind: str) -> None:
    """Email the people concerned that a question was asked, answered or published."""
    from procurement.services.clarifications import clarification_email_send as send

    clarification = (
        Clarification.objects.select_related(
            "opportunity__specification__commission__lead_officer", "asked_by"
        )
        .filter(pk=clarification_id)
        .first()
    )
    if clarification is not None:
        send(clarification=clarification, kind=kind)


# --- Bids ------------------------------------------------------------------------------------


@shared_task
def bid_receipt_email_send(submission_id: int) -> None:
    """Email the receipt for a submitted bid to every member of the lead organisation."""
    from procurement.models import BidSubmission
    from procurement.services.bids import bid_receipt_email_send as send

    submission = (
        BidSubmission.objects.select_related(
            "bid__opportunity", "bid__organisation", "submitted_by"
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is not None:
        send(submission=submission)


@shared_task
def bid_partner_email_send(partner_id: int) -> None:
    """Ask the members of a newly named consortium partner to confirm."""
    from procurement.models import ConsortiumPartner
    from procurement.services.bids import bid_partner_email_send as send

    partner = (
        ConsortiumPartner.objects.select_related(
            "bid__opportunity", "bid__organisation", "organisation"
        )
        .filter(pk=partner_id)
        .first()
    )
    if partner is not None:
        send(partner=partner)
