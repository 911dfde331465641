"""Settings for the test suite: fast hashing, emails kept in memory, Celery eager."""

import os
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-for-the-suite-only-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default="/tmp/commissioning-portal-test-emails")
# Tasks run in-process. The test that starts a real worker (tests/core/test_worker_e2e.py)
# gives that worker CELERY_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DEMO_DATA_ALLOWED = True
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/commissioning-portal-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# `make test` shares the suite between processes (pytest-xdist): each has its own test
# database already (pytest-django), and here its own media folder, email folder and Redis
# database for the cache, so that one process clearing or filling them never reaches another.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")
if XDIST_WORKER:
    if "MEDIA_ROOT" not in os.environ:  # a folder given by the environment is used as given
        MEDIA_ROOT = f"{MEDIA_ROOT}-{XDIST_WORKER}"
    EMAIL_FILE_PATH = f"{EMAIL_FILE_PATH}-{XDIST_WORKER}"
    if REDIS_URL:  # noqa: F405
        _cache_database = 1 + int(XDIST_WORKER.removeprefix("gw"))  # 0 is the serial run's
        _redis = urlsplit(REDIS_URL)  # noqa: F405
        CACHES["default"]["LOCATION"] = _redis._replace(path=f"/{_cache_database}").geturl()  # noqa: F405

# Each test runs in a transaction that never commits, so a change would never move the public
# page cache on (core/page_cache.py): it is off, but for its own tests.
PUBLIC_PAGE_CACHE_SECONDS = 0
