"""Settings for `make run`: SQLite, emails on the console, Celery tasks in-process."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="local-only-secret-key-not-for-production-use-0123456789"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
DEMO_DATA_ALLOWED = True

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Tasks run in-process here: Celery's line per task would bury the server's own log.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
