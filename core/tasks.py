"""Celery tasks for the outbox (core.outbox) and the emails it sends (core.emails): thin,
taking ids and calling a service. Every other app's task is enqueued through
`core.outbox.outbox_enqueue` and run by `outbox_task_run`."""

from celery import shared_task


@shared_task(ignore_result=True)
def outbox_task_run(outbox_id: int) -> None:
    """Run one outbox task, once, if it is still pending and due."""
    from core.outbox import outbox_task_run as run

    run(outbox_id=outbox_id)


@shared_task(ignore_result=True)
def email_deliver(email_id: int) -> None:
    """Send one queued email, once, if it is still queued and due."""
    from core.emails import email_deliver as deliver

    deliver(email_id=email_id)


@shared_task(ignore_result=True)
def outbox_drain() -> None:
    """Celery beat's, every minute: hand the workers every outbox task and email that is
    pending and due (new ones the broker never received, and retries after back-off)."""
    from core.outbox import outbox_drain as drain

    drain(dispatch=True)


@shared_task(ignore_result=True)
def retention_apply() -> None:
    """Celery beat's, every night: anonymise and delete personal data past its retention
    period (settings.RETENTION); safe to run again."""
    from core.retention import retention_apply as apply

    apply()
