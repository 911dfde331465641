"""`manage.py send_reminders`: the daily reminder sweep (monitoring.reminders) run by hand,
in this process, needing no Celery worker nor broker. Celery beat runs the same sweep every
morning (monitoring.tasks.reminders_send). Each reminder is sent once, however often either
runs."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.templatetags.portal import govuk_date
from monitoring.models import ReminderKind
from monitoring.reminders import reminders_send_due


class Command(BaseCommand):
    help = (
        "Send today's reminders of monitoring returns, compliance documents and agreements "
        "to accept (those already sent are not sent again)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = reminders_send_due(today=today)
        if not sent:
            self.stdout.write(f"No reminders to send on {govuk_date(today)}.")
            return
        for kind in ReminderKind:
            if sent[kind]:
                self.stdout.write(f"{kind.label}: {sent[kind]}")
        self.stdout.write(
            self.style.SUCCESS(f"{sum(sent.values())} reminders sent on {govuk_date(today)}.")
        )
