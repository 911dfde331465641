from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from demo.seed import demo_seed

# The demo's own steps (award decisions, agreements sent and accepted) would email the demo
# people; nobody is waiting for those, so they are not sent.
QUIET = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Load the demo Lancaster district (idempotent). Refused under production settings."

    def handle(self, *args, **options):
        try:
            with override_settings(EMAIL_BACKEND=QUIET):
                data = demo_seed()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(data['users'])} demo people, {len(data['areas'])} "
                f"areas and wards, {len(data['organisations'])} organisations."
            )
        )
