"""Backups: the PostgreSQL database (pg_dump's custom format) and the uploaded files
(MEDIA_ROOT) in one dated archive, and back (`manage.py backup`, `manage.py restore`;
`make backup`, `make restore FILE=…`).

An archive holds `database.dump`, `media/…` (every uploaded file, by its stored name) and
`manifest.json` (when it was made, from which database, how many files). It is restored
into an empty database only, so a restore never mixes two portals' records.
"""

import datetime as dt
import io
import json
import os
import shutil
import subprocess  # nosec B404
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media"
PG_TIMEOUT_SECONDS = 60 * 60


def _postgresql(alias: str = "default"):
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise CommandError(
            "Backups need PostgreSQL: this database is "
            f"{connection.vendor} (set DATABASE_URL to the PostgreSQL database)"
        )
    return connection


def _pg_command(program: str, connection) -> tuple[list[str], dict[str, str]]:
    """`program` with the connection's address, and the environment with its password
    (never on the command line, where `ps` would show it)."""
    db = connection.settings_dict
    command = [program, "--no-password"]
    if db["HOST"]:
        command += ["--host", db["HOST"]]
    if db["PORT"]:
        command += ["--port", str(db["PORT"])]
    if db["USER"]:
        command += ["--username", db["USER"]]
    environment = {**os.environ}
    if db["PASSWORD"]:
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return command, environment


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    try:
        # bandit (B404, B603): only pg_dump and pg_restore, with arguments from the settings
        # and the command line of whoever runs the backup; no shell.
        result = subprocess.run(  # nosec B603
            command,
            env=environment,
            capture_output=True,
            text=True,
            timeout=PG_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as error:
        raise CommandError(f"{what}: {command[0]} is not installed (postgresql-client)") from error
    if result.returncode != 0:
        raise CommandError(f"{what} failed: {result.stderr.strip()[-2000:]}")


def backup_name(when: dt.datetime) -> str:
    """portal-backup-2026-11-26-100000.tar.gz, in the portal's time zone."""
    return f"portal-backup-{timezone.localtime(when):%Y-%m-%d-%H%M%S}.tar.gz"


def backup_create(*, directory: Path, alias: str = "default") -> Path:
    """Write the database and the uploaded files into a new archive in `directory`;
    returns its path."""
    connection = _postgresql(alias)
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    target = directory / backup_name(now)
    media_root = Path(settings.MEDIA_ROOT)
    media_files = (
        sorted(path for path in media_root.rglob("*") if path.is_file())
        if media_root.is_dir()
        else []
    )
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        dump = Path(work) / DUMP_NAME
        command, environment = _pg_command("pg_dump", connection)
        command += [
            *("--format=custom", "--no-owner", "--no-privileges"),
            *("--file", str(dump), connection.settings_dict["NAME"]),
        ]
        _run(command, environment, "pg_dump")
        manifest = {
            "created_at": now.isoformat(),
            "database": connection.settings_dict["NAME"],
            "media_files": len(media_files),
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=DUMP_NAME)
            for path in media_files:
                archive.add(path, arcname=f"{MEDIA_PREFIX}/{path.relative_to(media_root)}")
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
        # Only a finished archive has the dated name: a backup cut short is not mistaken
        # for a good one.
        partial.replace(target)
    return target


def backup_restore(*, archive_path: Path, alias: str = "default") -> dict:
    """Restore the archive's database into the (empty) database and its files into
    MEDIA_ROOT; returns its manifest."""
    connection = _postgresql(alias)
    if not archive_path.is_file():
        raise CommandError(f"No backup at {archive_path}")
    tables = connection.introspection.table_names()
    if tables:
        raise CommandError(
            f"The database {connection.settings_dict['NAME']} already has {len(tables)} "
            "tables: restore into an empty database (for example `createdb portal_restored` "
            "and DATABASE_URL pointing at it)"
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                # The "data" filter refuses absolute paths, `..`, links out and devices.
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise CommandError(f"{archive_path} is not a portal backup: {error}") from error
        dump = Path(work) / DUMP_NAME
        manifest_path = Path(work) / MANIFEST_NAME
        if not (dump.is_file() and manifest_path.is_file()):
            raise CommandError(f"{archive_path} is not a portal backup: no database dump in it")
        manifest = json.loads(manifest_path.read_text())
        connection.close()  # pg_restore needs no session of ours
        command, environment = _pg_command("pg_restore", connection)
        command += [
            *("--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"),
            *("--dbname", connection.settings_dict["NAME"], str(dump)),
        ]
        _run(command, environment, "pg_restore")
        media = Path(work) / MEDIA_PREFIX
        if media.is_dir():
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    return manifest
