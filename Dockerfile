# Production image: gunicorn serving Django, the same image runs the Celery worker and beat
# and the one-off `migrate` service. .dockerignore keeps secrets, local data and tools out.
FROM python:3.11-slim-bookworm

# gunicorn reads WEB_CONCURRENCY (workers per container) and GUNICORN_CMD_ARGS (any other
# option); set either in .env to change them.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    WEB_CONCURRENCY=3 \
    GUNICORN_CMD_ARGS="--timeout 30 --graceful-timeout 30"

# Pango and HarfBuzz for WeasyPrint's PDFs; fonts so the PDFs have text to draw with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app

# pyproject.toml lists no packages: installing the project installs only its dependencies.
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .

# collectstatic needs settings to import; the real secret comes from the environment.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Uploads and generated PDFs are written here by the unprivileged user. A new named volume
# mounted on /app/media starts as a copy of this folder, so it is the portal user's too.
RUN install -d -o portal -g portal /app/media

USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
