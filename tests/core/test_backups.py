"""Backups that restore (issue 14, "Faults and recovery"): `manage.py backup` (`make
backup`) writes the database and the uploaded files into one dated archive, and `manage.py
restore` (`make restore FILE=…`) puts them into an empty database.

The round trip needs PostgreSQL (pg_dump, pg_restore) and is skipped without it: the demo
database is backed up, restored into a second database by another process (as `make
restore` would), and every table's row count and an uploaded file's checksum compared.
"""

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from procurement.models import BidAttachment
from tests.core.test_worker_e2e import _database_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Backups are of PostgreSQL: needs the test database on PostgreSQL")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def empty_database(postgresql):
    """A second, empty database on the same server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:6]}"
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield name
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def _row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the schema)
        counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_demo_database_and_its_files_round_trip_through_a_backup(
    media_root, empty_database, tmp_path
):
    call_command("seed_demo", verbosity=0)
    attachment = BidAttachment.objects.exclude(file="").order_by("pk").first()
    assert attachment is not None, "the demo has an uploaded file"
    uploaded = media_root / attachment.file.name
    checksum = _sha256(uploaded)
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        before = _row_counts(cursor, tables)
    assert sum(before.values()) > 100

    call_command("backup", output_dir=str(tmp_path / "backups"), verbosity=0)
    (archive,) = (tmp_path / "backups").iterdir()
    assert archive.name == "portal-backup-2026-11-26-100000.tar.gz"  # the clock's time
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "database.dump" in names and "manifest.json" in names
    assert f"media/{attachment.file.name}" in names

    # Restored by another process, into the empty database and another MEDIA_ROOT.
    restored_media = tmp_path / "restored-media"
    database_url = _database_url().rsplit("/", 1)[0] + f"/{empty_database}"
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(restored_media),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Restored the backup of 2026-11-26T10:00:00+00:00" in result.stdout

    params = connection.get_connection_params()
    params["dbname"] = empty_database
    with psycopg2.connect(**params) as restored, restored.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        assert [row[0] for row in cursor.fetchall()] == tables
        assert _row_counts(cursor, tables) == before
    restored.close()
    assert _sha256(restored_media / attachment.file.name) == checksum


def test_a_backup_is_restored_only_into_an_empty_database(postgresql, media_root, tmp_path):
    call_command("backup", output_dir=str(tmp_path), verbosity=0)
    (archive,) = tmp_path.glob("*.tar.gz")
    with pytest.raises(CommandError, match="already has .* tables: restore into an empty"):
        call_command("restore", str(archive))


def test_a_missing_backup_is_named(postgresql, tmp_path):
    with pytest.raises(CommandError, match="No backup at .*missing.tar.gz"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_backups_say_they_need_postgresql_on_sqlite(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("Only SQLite has no pg_dump")
    with pytest.raises(CommandError, match="Backups need PostgreSQL"):
        call_command("backup", output_dir=str(tmp_path))
