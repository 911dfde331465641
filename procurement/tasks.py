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


# --- Opportunities ---------------------------------------------------------------------------


@shared_task(ignore_result=True)
def open_data_publish() -> None:
    """Make the open-data files and put them in the cache (procurement.open_data.publish):
    after anything they publish changes, and every half hour from beat."""
    from procurement.open_data.publish import open_data_files

    open_data_files()


@shared_task(ignore_result=True)
def opportunities_close_due() -> int:
    """Close to bids every published opportunity whose deadline has passed (Celery beat runs
    this every few minutes). Returns how many it closed."""
    from procurement.services.opportunities import opportunities_close_due as close

    return len(close())


@shared_task(ignore_result=True)
def opportunity_alerts_send() -> int:
    """Celery beat's, every few minutes: email each person with an alert about each new
    opportunity it matches, once (procurement.services.alerts). Returns how many."""
    from procurement.services.alerts import opportunity_alerts_send_due

    return opportunity_alerts_send_due()


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


# --- Assessment, decisions and agreements ----------------------------------------------------


@shared_task
def conflict_declared_email_send(declaration_id: int) -> None:
    """Tell the lead officer that a panel member declared a conflict: a bid needs
    reassigning."""
    from procurement.models import ConflictDeclaration
    from procurement.services.assessment import conflict_declared_email_send as send

    declaration = (
        ConflictDeclaration.objects.select_related(
            "panel_member__user",
            "panel_member__opportunity__specification__commission__lead_officer",
            "organisation",
        )
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is not None:
        send(declaration=declaration)


@shared_task
def decision_email_send(decision_id: int) -> None:
    """Tell every member of the bidding organisation the decision, with their feedback."""
    from procurement.models import AwardDecision
    from procurement.services.awards import decision_email_send as send

    decision = (
        AwardDecision.objects.select_related("bid__opportunity", "bid__organisation")
        .filter(pk=decision_id)
        .first()
    )
    if decision is not None:
        send(decision=decision)


@shared_task
def agreement_email_send(agreement_id: int, kind: str) -> None:
    """Tell the provider (or the council) about an agreement: `kind` is issued or accepted."""
    from procurement.models import Agreement
    from procurement.services.agreements import agreement_email_send as send

    agreement = (
        Agreement.objects.select_related("decision__bid__organisation")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is not None:
        send(agreement=agreement, kind=kind)


@shared_task
def variation_email_send(variation_id: int, kind: str) -> None:
    """Tell the people concerned that a variation was proposed, approved or not approved."""
    from procurement.models import Variation
    from procurement.services.agreements import variation_email_send as send

    variation = (
        Variation.objects.select_related("agreement__decision__bid__organisation", "proposed_by")
        .filter(pk=variation_id)
        .first()
    )
    if variation is not None:
        send(variation=variation, kind=kind)
