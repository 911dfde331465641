"""Celery tasks for monitoring: thin, taking ids, re-fetching and calling a service. They
are enqueued through the outbox (core.outbox.outbox_enqueue)."""

from celery import shared_task


@shared_task
def return_email_send(return_id: int, kind: str) -> None:
    """Email the people concerned that a return was submitted, sent back or accepted."""
    from monitoring.models import MonitoringReturn
    from monitoring.services import return_email_send as send

    monitoring_return = (
        MonitoringReturn.objects.select_related(
            "agreement__decision__bid__organisation",
            "agreement__decision__bid__opportunity__specification__commission__lead_officer",
        )
        .filter(pk=return_id)
        .first()
    )
    if monitoring_return is not None:
        send(monitoring_return=monitoring_return, kind=kind)


@shared_task(ignore_result=True)
def reminders_send(today: str = "") -> None:
    """Celery beat's, every morning: send the day's reminders (monitoring.reminders), each
    once, for today in Europe/London (or for `today`, an ISO date)."""
    import datetime

    from django.utils import timezone

    from monitoring.reminders import reminders_send_due

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    reminders_send_due(today=day)
