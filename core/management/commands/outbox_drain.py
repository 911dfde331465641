"""`manage.py outbox_drain`: do the outbox's pending work (tasks and emails) now."""

from django.core.management.base import BaseCommand

from core.outbox import outbox_drain


class Command(BaseCommand):
    help = (
        "Run every outbox task and send every email that is pending and due, here, one "
        "after another: for when no Celery worker is running (no Redis, or Redis down). "
        "With --dispatch, hand them to the Celery workers instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dispatch",
            action="store_true",
            help="Hand the work to the Celery workers through the broker.",
        )

    def handle(self, *args, dispatch: bool = False, **options):
        drained = outbox_drain(dispatch=dispatch)
        verb = "Handed to the workers" if dispatch else "Done"
        self.stdout.write(f"{verb}: {drained.tasks} outbox tasks, {drained.emails} emails")
