"""Settings shared by every environment, read from the environment with django-environ."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- The council running the portal: configuration, not code --------------------------------
COUNCIL = {
    "name": env("COUNCIL_NAME", default="Lancaster City Council"),
    "org_id": env("COUNCIL_ORG_ID", default="GB-LAE-LAC"),
    "gss_code": env("COUNCIL_GSS_CODE", default="E07000121"),
    "district": env("COUNCIL_DISTRICT", default="Lancaster district"),
    "address": env(
        "COUNCIL_ADDRESS", default="Lancaster Town Hall, Dalton Square, Lancaster, LA1 1PJ"
    ),
    "email": env("COUNCIL_EMAIL", default="commissioning@lancaster.example.org"),
    "telephone": env("COUNCIL_TELEPHONE", default="01524 582000"),
    "website": env("COUNCIL_WEBSITE", default="https://www.lancaster.gov.uk"),
    "department": env("COUNCIL_DEPARTMENT", default="Communities and Environment"),
}
THREESIXTY_GIVING_PREFIX = env("THREESIXTY_GIVING_PREFIX", default="360G-lancastercc")
DEMO_PASSWORD = env("DEMO_PASSWORD", default="commission-demo")
# The demo staff's authenticator setup key (base32): `manage.py demo_signins` prints its code.
DEMO_TOTP_SECRET = env("DEMO_TOTP_SECRET", default="COMMISSIONDEMOKEYLANCASTER234567")
SERVICE_NAME = env("SERVICE_NAME", default="Commissioning portal")
SERVICE_PHASE = env("SERVICE_PHASE", default="Beta")

# --- Applications ----------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_forms_gds",
    "django_fsm",
    "django_fsm_log",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "simple_history",  # the audit trail: see core/audit.py
]
LOCAL_APPS = [
    "core",
    "commissioning",
    "providers",
    "engagement",
    "procurement",
    "monitoring",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Idle sessions end, deactivated accounts are signed out, staff must have two-factor sign-in.
    "core.sessions.SessionSecurityMiddleware",
    "core.mfa.MfaRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    # The audit trail (core/audit.py): who made each change; refusals, downloads, exports.
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.audit.AuditMiddleware",
    # Last: the public pages as anonymous visitors see them, kept for a minute at most.
    "core.page_cache.PublicPageCacheMiddleware",
]

# core/page_cache.py: how long a public page is kept for anonymous visitors (0: never), and
# which views' pages are. Any change a public page could show, or the next minute, ends it.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
PUBLIC_PAGE_CACHE_VIEWS = frozenset(
    {
        "home",
        "framework",
        "glossary",
        "plan_public_list",
        "plan_public_detail",
        "search",
        "procurement:opportunity_list",
        "procurement:opportunity_feed",
        "procurement:opportunity_detail",
        "procurement:decision_list",
        "procurement:decision_feed",
        "procurement:decision_detail",
        "engagement:event_list",
    }
)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1
SITE_DOMAIN = env("SITE_DOMAIN", default="127.0.0.1:8000")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
            "builtins": ["core.templatetags.portal"],
        },
    }
]

# --- Data ------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A kept connection is checked before a request reuses it: after PostgreSQL restarts (or a
# failover) the next request opens a new one instead of failing
# (tests/core/test_faults_pgrestart.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: a page's queries are short, and PostgreSQL compiling one
    # whose estimated cost crosses jit_above_cost took 56–120 ms on the bench data (the
    # portfolio) to save a few.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Sign-in's rate limiter counts in the cache: while Redis is down the cache falls back
    # to each process's memory (core.cache), and finding it down costs half a second at
    # most, once every 30 seconds.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCacheWithFallback",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "after_login"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SERVICE_NAME}] "
ACCOUNT_ADAPTER = "core.adapters.AccountAdapter"
# bandit: the dotted paths of allauth's form classes, not passwords.
ACCOUNT_FORMS = {  # nosec B105
    "login": "core.forms.LoginForm",
    "signup": "core.forms.SignupForm",
    "reset_password": "core.forms.ResetPasswordForm",
    "reset_password_from_key": "core.forms.ResetPasswordKeyForm",
    "change_password": "core.forms.ChangePasswordForm",
}

ACCOUNT_FORMS["reauthenticate"] = "core.mfa_forms.PasswordReauthenticateForm"

# Two-factor sign-in (django-allauth MFA): required for council staff (core.mfa), offered to
# providers. An authenticator app (TOTP) with recovery codes; no passkeys yet.
MFA_ADAPTER = "core.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_TOTP_TOLERANCE = 1  # a code from the 30 seconds before or after is accepted
MFA_FORMS = {
    "authenticate": "core.mfa_forms.AuthenticateForm",
    "reauthenticate": "core.mfa_forms.CodeReauthenticateForm",
    "activate_totp": "core.mfa_forms.ActivateTOTPForm",
    "deactivate_totp": "core.mfa_forms.DeactivateTOTPForm",
    "generate_recovery_codes": "core.mfa_forms.GenerateRecoveryCodesForm",
}
# Sessions end after this long without a request (core.sessions), with a warning shortly before.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
PROVIDER_SESSION_IDLE_MINUTES = env.int("PROVIDER_SESSION_IDLE_MINUTES", default=120)
SESSION_IDLE_WARNING_MINUTES = env.int("SESSION_IDLE_WARNING_MINUTES", default=2)

AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Failed sign-ins and lockouts are kept in the database, so they hold when Redis is down.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 8
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "core.adapters.axes_username"
# allauth's own per-email limit would act before axes ever locks out; keep a per-IP brake.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{SERVICE_NAME} <{COUNCIL['email']}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every email is recorded and sent by a task (core.emails) that retries a failure; a mail
# server that does not answer must not hold a worker for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Locale: en-GB, Europe/London --------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: links typed without a scheme are https

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Uploaded files are only served through permission-checked views: no URL pattern or web
# server maps this prefix, it exists because Django needs a value.
MEDIA_URL = "/uploaded-files-are-not-served/"
# An Office or OpenDocument upload (a zip) may unpack to this much at most, and (past a
# megabyte) to this many times its own size at most (core.uploads): no "zip bombs".
UPLOAD_UNPACKED_MAX_SIZE = env.int("UPLOAD_UNPACKED_MAX_SIZE", default=100 * 1024 * 1024)
UPLOAD_UNPACKED_MAX_RATIO = env.int("UPLOAD_UNPACKED_MAX_RATIO", default=100)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Forms: GOV.UK Design System through crispy-forms-gds --------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_FAIL_SILENTLY = False

# --- Content Security Policy ------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

# --- Celery: Redis when REDIS_URL is set, otherwise tasks run in-process ------------------------
# Work that leaves the request goes through the outbox (core.outbox): a row written with the
# action, handed to Celery once it commits, and drained every minute by beat (or by
# `manage.py outbox_drain` where no worker runs), so a broker outage delays work, never
# loses it nor fails the page.
# Without Redis, tasks run in-process; the in-memory transport is named only for kombu.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Handing a task to a broker that is down must cost a request a second at most: the row
# waits in the outbox for the next drain instead.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# A task that runs over is stopped: softly first (it can record the failure, and the
# outbox tries it again later), then for good.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task is acknowledged when it has finished, not when it starts: a worker killed part-way
# (out of memory, a deploy) leaves its task to be run again by the next worker. Every task
# is safe to run twice: the outbox runs a row's work and marks it done in one transaction
# (core.outbox.work_attempt), the sweeps skip what they have done
# (tests/core/test_faults_worker.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BEAT_SCHEDULE: dict = {
    "outbox-drain": {
        "task": "core.tasks.outbox_drain",
        "schedule": 60.0,
        # A drain that waited longer than its interval is superseded by the next one.
        "options": {"expires": 55},
    },
    # Opportunities whose deadline has passed are closed to bids by the portal (an officer
    # may close one sooner from its page). Bids are sealed by the deadline either way.
    "opportunities-close-due": {
        "task": "procurement.tasks.opportunities_close_due",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Alerts of new opportunities (procurement.services.alerts): each person is emailed once
    # about each opportunity their alert matches, however often (or how many at once) the
    # sweep runs.
    # The open-data files (procurement.open_data.publish), made by a worker: after each change
    # and every half hour, so the cache holding them never goes cold (they keep an hour).
    "open-data-publish": {
        "task": "procurement.tasks.open_data_publish",
        "schedule": 30 * 60.0,
        "options": {"expires": 25 * 60},
    },
    "opportunity-alerts-send": {
        "task": "procurement.tasks.opportunity_alerts_send",
        "schedule": 600.0,
        "options": {"expires": 590},
    },
    # Every morning (Europe/London, CELERY_TIMEZONE): the day's reminders of monitoring
    # returns, compliance documents and agreements to accept (monitoring.reminders); each
    # is sent once however often the sweep runs. `manage.py send_reminders` runs it by hand.
    # The schedule lives here, in code reviewed with the task, rather than in
    # django-celery-beat's tables: there is one beat (docker-compose.yml) and no database
    # scheduler to keep in step with the code.
    "reminders-send": {
        "task": "monitoring.tasks.reminders_send",
        "schedule": crontab(hour=env.int("REMINDER_HOUR", default=7), minute=0),
        # A sweep still waiting after 12 hours gives way to the next morning's.
        "options": {"expires": 12 * 60 * 60},
    },
    # Every night: personal data past its retention period (RETENTION) is anonymised or
    # deleted (core.retention); safe to run again. `manage.py apply_retention` runs it by hand.
    "retention-apply": {
        "task": "core.tasks.retention_apply",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 12 * 60 * 60},
    },
}

# --- Retention of personal data (core.retention) ---------------------------------------------
# How long each kind of record is kept; the privacy notice's table is made from these
# (core.retention.retention_notice_rows), so the two say the same.
RETENTION = {
    # Bids not funded: their attachments are deleted this many years after the decision.
    "unsuccessful_bid_files": 2,
    # Event bookings (access needs) and feedback (the name of who gave it): years after.
    "event_bookings": 2,
    "feedback": 2,
    # Provider accounts nobody has signed in to for this many years are anonymised.
    "inactive_provider_accounts": 2,
    # The bodies of sent emails (they hold password-reset links): days after sending.
    "email_log": 30,
    # Notifications in the portal: days after they were made.
    "notifications": 365,
    # Finished work in the outbox: days after it was done.
    "outbox_done": 30,
    # Sign-in records and failed attempts (IP address and browser): days.
    "axes_attempts": 90,
    # Funded bids, agreements and monitoring returns: years after the agreement ends.
    "funded_records": 6,
}

# --- Reminders (monitoring.reminders) -------------------------------------------------------
# A monitoring return is first reminded of this many days before it is due (then on the day
# and when overdue); its commission's lead officer is told once it is this many days overdue;
# an agreement not accepted this many days after it was sent is reminded of.
REMINDER_DAYS_BEFORE_DUE = env.int("REMINDER_DAYS_BEFORE_DUE", default=14)
REMINDER_ESCALATE_AFTER_DAYS_OVERDUE = env.int("REMINDER_ESCALATE_AFTER_DAYS_OVERDUE", default=10)
REMINDER_AGREEMENT_ACCEPT_DAYS = env.int("REMINDER_AGREEMENT_ACCEPT_DAYS", default=7)

# --- Social Return on Investment (monitoring.sroi) ----------------------------------------------
# The annual discount rate, in per cent, for the present value of outcomes in later years:
# the HM Treasury Green Book's social time preference rate.
SROI_DISCOUNT_RATE = env.str("SROI_DISCOUNT_RATE", default="3.5")

# --- State machines ---------------------------------------------------------------------------
DJANGO_FSM_LOG_IGNORED_MODELS: list[str] = []

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# crispy-forms-gds styles text inputs itself; give the other input widgets their GOV.UK classes.
CRISPY_CLASS_CONVERTERS = {
    "numberinput": "govuk-input",
    "urlinput": "govuk-input",
    "emailinput": "govuk-input",
    "dateinput": "govuk-input",
    "clearablefileinput": "govuk-file-upload",
    "fileinput": "govuk-file-upload",
}
