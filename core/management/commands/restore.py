"""`manage.py restore FILE` (`make restore FILE=…`): a backup made by `manage.py backup`,
restored into an empty database and MEDIA_ROOT (core.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.backups import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive (from `manage.py backup`) into the database named by "
        "DATABASE_URL, which must be empty, and its files into MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup archive (.tar.gz).")

    def handle(self, *args, file: str, **options):
        manifest = backup_restore(archive_path=Path(file))
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: the database and "
            f"{manifest['media_files']} uploaded files"
        )
