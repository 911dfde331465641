"""`manage.py backup` (`make backup`): the database and the uploaded files in one dated
archive under backups/ (core.backups)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backups import backup_create


class Command(BaseCommand):
    help = (
        "Write a PostgreSQL dump (pg_dump -Fc) and every uploaded file (MEDIA_ROOT) into one "
        "dated archive, portal-backup-YYYY-MM-DD-HHMMSS.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "backups"),
            help="Where to write the archive (default: backups/ in the checkout).",
        )

    def handle(self, *args, output_dir: str, **options):
        archive = backup_create(directory=Path(output_dir))
        self.stdout.write(f"Backup written: {archive}")
