"""`manage.py run_scheduled`: run every task on Celery beat's schedule once, here and now.

Where there is no Redis (`make run`), there is no beat: `make run` calls this before it
serves, so the demo's opportunities past their deadline are closed, the day's reminders are
sent and anything left in the outbox is done. Each task is safe to run again (reminders are
sent once, closing and draining only touch what is due), so running it by hand, or from a
system scheduler on a server without Redis, is harmless.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from config.celery_app import app


class Command(BaseCommand):
    help = "Run every task of CELERY_BEAT_SCHEDULE once, in this process."

    def handle(self, *args, **options):
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery is lazy)
        for entry_name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            task = app.tasks[entry["task"]]
            result = task.apply()
            outcome = "failed" if result.failed() else "done"
            self.stdout.write(f"{entry_name}: {outcome}")
