"""Celery tasks for the Understand stage: thin, taking ids and calling a service."""

from celery import shared_task

from engagement.models import Booking


@shared_task
def booking_email_send(booking_id: int, kind: str) -> None:
    """Email a person that their place at an event is confirmed or cancelled."""
    from engagement.services.events import booking_email_send as send

    booking = Booking.objects.select_related("event", "user").filter(pk=booking_id).first()
    if booking is not None:
        send(booking=booking, kind=kind)
