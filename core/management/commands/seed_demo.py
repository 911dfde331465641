from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from core.demo import demo_seed


class Command(BaseCommand):
    help = "Load the demo Lancaster district (idempotent). Refused under production settings."

    def handle(self, *args, **options):
        try:
            data = demo_seed()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(data['users'])} demo people, {len(data['areas'])} "
                f"areas and wards, {len(data['organisations'])} organisations."
            )
        )
