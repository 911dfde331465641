"""Celery tasks for commissioning: thin, taking ids and calling a service. Enqueued through
the outbox (core.outbox.outbox_enqueue), which retries a failure with back-off."""

import logging

from celery import shared_task

from commissioning.models import CommissioningPlan, PlanState

logger = logging.getLogger(__name__)


@shared_task
def plan_pdf_generate(plan_id: int) -> None:
    """Make and store the PDF of a published (or superseded) Commissioning Plan."""
    from commissioning.services.plans import plan_pdf_store

    plan = (
        CommissioningPlan.objects.public()
        .filter(pk=plan_id, state__in=[PlanState.PUBLISHED, PlanState.SUPERSEDED])
        .first()
    )
    if plan is None:
        return
    try:
        plan_pdf_store(plan=plan)
    except OSError:
        # WeasyPrint loads Pango from the system; without it the plan is still published
        # and readable as HTML, and its PDF page says the PDF is being prepared.
        logger.exception("Could not render the PDF of plan %s: is Pango installed?", plan_id)


@shared_task
def approval_requested_email_send(commission_id: int, name: str) -> None:
    """Tell the approvers that a plan or the awards of a commission await their approval."""
    from commissioning.models import Commission
    from commissioning.services.commissions import approval_requested_email_send as send

    commission = (
        Commission.objects.select_related("plan_requested_by", "award_requested_by")
        .filter(pk=commission_id)
        .first()
    )
    if commission is not None:
        send(commission=commission, name=name)
