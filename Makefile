# The commissioning portal. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run serve setup migrate demo test test-fast lint format assets graph bench clean backup restore security

help:
	@echo "make run     set up everything and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test    run the whole test suite"
	@echo "make lint    ruff and djLint"
	@echo "make assets  rebuild govuk-frontend CSS/JS from npm (needs Node)"
	@echo "make graph   redraw the Commission lifecycle diagram in docs/"
	@echo "make backup  the PostgreSQL database and uploaded files into backups/ (make restore FILE=…)"
	@echo "make security  bandit over the portal's code"
	@echo "make bench   seed a PostgreSQL bench database, load the key pages, write docs/benchmarks.md"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the pinned dependencies change.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo

setup: demo

# No Redis here, so no Celery beat: the scheduled work (close opportunities past their
# deadline, the day's reminders, the outbox) runs once before serving.
run: setup
	$(MANAGE) run_scheduled
	@$(MANAGE) demo_signins --url http://$(HOST):$(PORT)
	$(MANAGE) runserver $(HOST):$(PORT)

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

# The suite shares itself between one process per CPU (pytest-xdist); the tests that start a
# real Celery worker or restart PostgreSQL then run alone (exit 5 there: none were selected).
XDIST ?= auto
test: install
	$(BIN)/pytest -n $(XDIST) -m "not worker and not pgrestart" $(PYTEST_ARGS)
	$(BIN)/pytest -m "worker or pgrestart" $(PYTEST_ARGS) || [ $$? = 5 ]

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

# bandit over the portal's code: each finding is fixed, or justified by a comment naming why
# beside its `# nosec`. Not the tests (assert, /tmp paths and fixed passwords on purpose) nor
# the suite's settings (a key for the suite only, /tmp paths).
security: install
	$(BIN)/bandit -q -r . -x ./.venv,./node_modules,./static,./media,./tests,./config/settings/test.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Front end: govuk-frontend (pinned in package.json) compiled from our Sass entry.
# The output under static/ is committed, so running the portal needs no Node.
assets:
	npm ci --no-audit --no-fund
	npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
		static/src/portal.scss static/css/portal.css
	mkdir -p static/js static/vendor/axe
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/js/govuk-frontend.min.js
	cp node_modules/axe-core/axe.min.js static/vendor/axe/axe.min.js

# Backups (PostgreSQL only, core.backups): one dated archive of the database and MEDIA_ROOT;
# restored into an empty database (DATABASE_URL) and MEDIA_ROOT.
backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(FILE)" || { echo "make restore FILE=backups/portal-backup-….tar.gz"; exit 2; }
	$(MANAGE) restore "$(FILE)"

# The bench (issue 17, docs/benchmarks.md): ten times Lancaster's volume on PostgreSQL
# (127.0.0.1:5432, user postgres), served by gunicorn under production settings, each key page
# loaded by wrk. Never part of `make test`. The settings are production's; only what a laptop
# needs differs: a bench-only secret, plain HTTP on 127.0.0.1 (no HTTPS redirect) and Redis
# database 15.
BENCH_DB ?= commissioning_portal_bench
BENCH_SECONDS ?= 10
BENCH_DATABASE_URL := postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_DEBUG=False
BENCH_PRODUCTION := $(BENCH_ENV) DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=bench-only-secret-key-never-used-in-production-0123456789 \
	DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=False \
	REDIS_URL=redis://127.0.0.1:6379/15 LOG_LEVEL=WARNING

bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	@psql -h 127.0.0.1 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	$(BENCH_ENV) $(MANAGE) migrate --noinput -v0
	$(BENCH_ENV) $(MANAGE) seed_bench --if-empty
	$(BENCH_PRODUCTION) $(MANAGE) collectstatic --noinput -v0
	$(BENCH_PRODUCTION) $(MANAGE) run_bench --seconds $(BENCH_SECONDS)

graph: install
	$(MANAGE) graph_transitions --exclude cancel -o docs/commission-lifecycle.png commissioning.Commission
	rm -f docs/commission-lifecycle

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
