"""`manage.py seed_bench`: the bench data set (demo.bench) on a bench database.

Refused unless the database's name ends in `_bench` (or `--yes` is given): it adds tens of
thousands of made-up organisations, bids and agreements to whatever it is pointed at.
"""

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from core.bench import bench_is_seeded
from demo.bench import bench_seed

QUIET = "django.core.mail.backends.dummy.EmailBackend"


def is_bench_database() -> bool:
    return str(connection.settings_dict["NAME"]).endswith("_bench")


class Command(BaseCommand):
    help = "Load the bench data set (ten times Lancaster's volume) into a *_bench database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--yes", action="store_true", help="Seed even a database not named *_bench."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the bench data set is already there.",
        )

    def handle(self, *args, yes=False, if_empty=False, **options):
        name = connection.settings_dict["NAME"]
        if not (yes or is_bench_database()):
            raise CommandError(
                f"Refusing to seed {name!r}: its name does not end in _bench. Point "
                "DATABASE_URL at a bench database, or add --yes if you mean it."
            )
        if bench_is_seeded():
            if if_empty:
                self.stdout.write("The bench data set is already there.")
                return
            raise CommandError(f"{name!r} already holds the bench data set.")
        started = time.monotonic()
        with override_settings(DEMO_DATA_ALLOWED=True, EMAIL_BACKEND=QUIET):
            from demo.seed import demo_seed

            demo_seed()
            self.stdout.write(f"demo: {time.monotonic() - started:.1f} s")
            counts, _ = bench_seed(log=self.stdout.write)
        seconds = time.monotonic() - started
        # `run_bench` quotes how long seeding took in docs/benchmarks.md.
        (Path(tempfile.gettempdir()) / "bench-seed-seconds").write_text(f"{seconds:.1f}")
        for label, rows in sorted(counts.items()):
            self.stdout.write(f"{label:45} {rows:>8,}")
        self.stdout.write(
            self.style.SUCCESS(f"Bench data set seeded in {seconds:.0f} s, the demo included.")
        )
