"""`manage.py run_bench`: load the key pages of a seeded bench database and write
docs/benchmarks.md (core.bench.run). Run by `make bench` under production settings."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.bench import bench_is_seeded
from core.bench.report import load_table, other_measures
from core.bench.run import bench_run


class Command(BaseCommand):
    help = "Benchmark the key pages with gunicorn and wrk; write docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10, help="Load time per page.")
        parser.add_argument("--connections", type=int, default=8, help="Concurrency.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument(
            "--out", default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md")
        )

    def handle(self, *args, seconds, connections, workers, out, **options):
        if not bench_is_seeded():
            raise CommandError("No bench data set here: run `manage.py seed_bench` first.")
        try:
            report = bench_run(
                seconds=seconds,
                connections=connections,
                workers=workers,
                out=Path(out),
                log=self.stdout.write,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(load_table(report.floor, report.pages))
        self.stdout.write("")
        self.stdout.write(other_measures(report))
        misses = report.misses()
        self.stdout.write("")
        self.stdout.write("Targets missed:" if misses else "Every target met.")
        for line in misses:
            self.stdout.write(f"- {line}")
        self.stdout.write(self.style.SUCCESS(f"Written to {out}"))
