"""Django's deployment checklist passes under the production settings (issue 14):
`manage.py check --deploy` with the environment production needs, in a process of its own
so the suite's settings play no part. Any warning fails the test (--fail-level WARNING)."""

import os
import secrets
import subprocess
import sys

from django.conf import settings as django_settings

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "commissioning.lancaster.example.gov.uk",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://commissioning.lancaster.example.gov.uk",
    # Not connected to: the checks read the settings only.
    "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp://mail.internal:25",
}


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CONN_MAX_AGE"))
    }
    environment.update(PRODUCTION_ENVIRONMENT, **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_catch_a_weakened_setting():
    # HSTS turned off by the environment: the checklist says so and the test fails.
    result = _check_deploy(DJANGO_SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
