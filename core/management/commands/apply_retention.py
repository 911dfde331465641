"""`manage.py apply_retention`: anonymise and delete personal data past its retention period
now (Celery beat does it every night, core.tasks.retention_apply)."""

from django.core.management.base import BaseCommand

from core.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise and delete personal data past its retention period (settings.RETENTION)."

    def handle(self, *args, **options):
        done = retention_apply()
        for kind, count in done.items():
            self.stdout.write(f"{kind}: {count}")
