"""Settings of EIG Portal, all read from the environment with django-environ.

Embedded defaults let a newcomer run the portal with nothing installed: SQLite in the project
folder, Celery tasks run eagerly, emails printed on the console. Production sets DEBUG=False,
SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).
Every variable is listed in README.md and .env.example.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
else:
    SECRET_KEY = env("SECRET_KEY")  # required: ImproperlyConfigured if missing
    if SECRET_KEY.startswith(("change-me", "dev-only")):
        # The placeholders of .env.example and of DEBUG mode are public: refuse them.
        raise ImproperlyConfigured("SECRET_KEY is a published placeholder: set a random one.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "eig_portal.common.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.forms",  # FORM_RENDERER = TemplatesSetting needs the built-in widget templates
    "dsfr",
    "crispy_forms",
    "widget_tweaks",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc served locally (no CDN)
    "import_export",
    "simple_history",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "eig_portal",
    "eig_portal.common",
    "promotions",
    "challenges",
    "surveys",
    "eig_portal.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eig_portal.middleware.ChosenLanguageMiddleware",
    "eig_portal.common.limits.RejectNulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff: sessions capped at STAFF_SESSION_HOURS, TOTP required when DEBUG is off.
    "eig_portal.security.StaffSessionMiddleware",
    "eig_portal.security.StaffTwoFactorMiddleware",
    # Last: turns a refused login (too many failures) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eig_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "eig_portal.pages.site_config",
                "eig_portal.pages.footer_links",
                "eig_portal.pages.header_links",
            ],
        },
    },
]

WSGI_APPLICATION = "eig_portal.wsgi.application"

DATABASES = {
    # An empty DATABASE_URL (a blanked line in .env) means unset: the embedded SQLite default.
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (seconds; 0 = one connection per request), checked before reuse.
# Opening a PostgreSQL connection costs more than a simple page: keeping it ×6 on a trivial view.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT off for the portal's connections: its queries are short, and on the proposal ranking
    # (1,000 proposals, 5,000 reviews) JIT compilation cost 1.76 s of 1.97 s (236 ms without).
    # POSTGRES_JIT=on gives the server's own setting back.
    if not env.bool("POSTGRES_JIT", default=False):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under concurrent requests: WAL lets readers work during a write,
    # writers wait (busy timeout, seconds) instead of failing with « database is locked »,
    # and IMMEDIATE transactions take the write lock at BEGIN, so two simultaneous submits
    # queue up instead of deadlocking on a read-then-write upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt of a locked-out (IP address, account) pair.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the permissions read in one query.
    "eig_portal.common.auth_backend.PermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Last: sessions opened through Django's own backend stay valid (it reads nothing more:
    # the permissions are already kept on the user by the backend above).
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "account_login"
# Agents land on their proposals, jurors on their assignments (challenges.calls.views).
LOGIN_REDIRECT_URL = "proposals:after_login"
SITE_ID = 1

# Internationalisation: French interface, English available (language switch in the header).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
MEDIA_URL = "media/"
# Fields of one POST: a questionnaire section posts one field per ticked option of its multiple
# choice questions (110 questions × 10 options is 1,100 fields, over Django's default 1,000).
# The questionnaire builder refuses a section that could post more (surveys/limits.py).
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=10_000)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Email: console backend unless EMAIL_URL is set (e.g. smtp+tls://user:pass@host:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# The portal's French name by default (emails go out in French unless the reader chose English;
# allauth's emails take the translated name, see eig_portal.accounts.portal_from_email).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portail EIG <noreply@eig.example.gouv.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
COORDINATORS_EMAIL = env("COORDINATORS_EMAIL", default="coordination-eig@example.gouv.fr")
# Hosting provider named by the legal notice (name and address); empty: « not given ».
LEGAL_HOST = env("LEGAL_HOST", default="")
# Key of the personal links (HMAC-SHA256 of each link's seed, see eig_portal/common/tokens.py).
# Empty (default): SECRET_KEY is used, so rotating SECRET_KEY invalidates every link already
# sent; set a key of its own to rotate SECRET_KEY without that.
SURVEY_TOKEN_KEY = env("SURVEY_TOKEN_KEY", default="")
# Least time between two deadline reminders of the same proposal draft (« 3 jours », « 1 jour »).
CALL_DRAFT_REMINDER_MIN_GAP = timedelta(
    hours=env.int("CALL_DRAFT_REMINDER_MIN_GAP_HOURS", default=24)
)

# Celery: eager (in-process) when no broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks (synced into django-celery-beat's tables when beat starts).
CELERY_BEAT_SCHEDULE = {
    "common-outbox-flush": {
        "task": "eig_portal.common.tasks.outbox_flush",
        "schedule": 60.0,  # jobs the broker refused are handed over again every minute
    },
    "surveys-send-due-reminders": {
        "task": "surveys.tasks.send_due_reminders",
        "schedule": 3600.0,  # hourly; each reminder is sent once (idempotent task)
    },
    "programme-send-event-reminders": {
        "task": "promotions.events.tasks.send_event_reminders",
        "schedule": 3600.0,  # hourly; reminds the confirmed people of events within 24 hours, once
    },
    "programme-send-weekly-digests": {
        "task": "challenges.followup.tasks.send_weekly_digests",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),  # Monday 8:00, Paris time
    },
    "programme-send-due-outcome-requests": {
        "task": "challenges.followup.periodic.send_due_outcome_requests",
        "schedule": crontab(minute=0, hour=9),  # daily; each (défi, mentor, milestone) once
    },
    "programme-send-yearly-alumni-links": {
        "task": "challenges.followup.periodic.send_yearly_alumni_links",
        "schedule": crontab(minute=30, hour=9),  # daily; each former EIG once a year
    },
    "challenges-send-draft-reminders": {
        "task": "challenges.calls.tasks.send_draft_reminders",
        "schedule": 3600.0,  # hourly; drafts reminded 3 days and 1 day before closing, once each
    },
    "recruitment-send-interview-reminders": {
        "task": "challenges.recruitment.tasks.send_interview_reminders",
        "schedule": 3600.0,  # hourly; each booked interview is reminded once, the day before
    },
    "recruitment-erase-candidates-data": {
        "task": "challenges.recruitment.tasks.erase_expired_candidates_data",
        "schedule": 86400.0,  # daily
    },
    # Retention of personal data (eig_portal.privacy.rules): one daily task per rule, at night.
    **{
        f"privacy-retention-{kind}": {
            "task": f"eig_portal.privacy.tasks.retention_{kind}",
            "schedule": crontab(hour=3, minute=minute),
        }
        for minute, kind in enumerate(
            (
                "drafts",
                "inactive_accounts",
                "invitation_emails",
                "juror_accounts",
                "outbox",
                "history",
            ),
            start=10,
        )
    },
}
# Days after a call for candidates closes before unsuccessful candidates' personal data (names,
# email, CV, motivations, links) is erased; the figures survive the erasure.
CANDIDATE_RETENTION_DAYS = env.int("CANDIDATE_RETENTION_DAYS", default=730)
CELERY_TASK_ACKS_LATE = True
# Task modules outside ``<app>.tasks`` (autodiscovery finds only those).
CELERY_IMPORTS = [
    "challenges.recruitment.tasks",
    "promotions.events.tasks",
    "challenges.followup.tasks",
    "challenges.followup.periodic",
]

# Retention of personal data (days unless said; see eig_portal/privacy/rules.py and README).
RETENTION_NOTICE_DAYS = env.int("RETENTION_NOTICE_DAYS", default=30)
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=90)
ACCOUNT_INACTIVITY_DAYS = env.int("ACCOUNT_INACTIVITY_DAYS", default=730)
SURVEY_INVITATION_RETENTION_MONTHS = env.int("SURVEY_INVITATION_RETENTION_MONTHS", default=12)
JUROR_RETENTION_DAYS = env.int("JUROR_RETENTION_DAYS", default=365)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=365)
HISTORY_SCRUB_DAYS = env.int("HISTORY_SCRUB_DAYS", default=0)
# Cache shared by every worker: login throttling, allauth's rate limits. CACHE_URL, e.g.
# redis://redis:6379/1 in production; default: the database cache (table django_cache, made by
# `manage.py createcachetable`), shared too, unlike a per-process memory cache.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="dbcache://django_cache"),
    # Parts of pages that are the same for everybody in a language (the footer): kept in each
    # process, since they change only with a deployment (which restarts the processes).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        # The footer per language, the admin's sidebar per language, permissions and section.
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# Security (check --deploy clean when DEBUG=False).
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Behind a TLS-terminating proxy (BEHIND_TLS_PROXY=True), trust its X-Forwarded-Proto and its
# X-Forwarded-For (client address for login throttling); never otherwise, since any client could
# send those headers.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Staff sessions end STAFF_SESSION_HOURS after login (others: Django's 14 days).
STAFF_SESSION_HOURS = env.int("STAFF_SESSION_HOURS", default=12)

# Content-Security-Policy (django-csp): every asset comes from the portal. Inline style
# attributes stay allowed (DSFR components and the SVG charts use them); inline scripts need
# the request's nonce. The TOTP QR code is a data: image; Redoc starts a blob: worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # + the one inline handler of django-import-export's export page (its « select all »
        # box, onchange="onSelectToggleChange(event)"), allowed by its hash only.
        "script-src": [
            "'self'",
            NONCE,
            "'unsafe-hashes'",
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Forms: crispy-forms with the project's DSFR template pack (templates/dsfr_crispy/).
CRISPY_ALLOWED_TEMPLATE_PACKS = ["dsfr_crispy"]
CRISPY_TEMPLATE_PACK = "dsfr_crispy"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# API and OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EIG Portal — données ouvertes",
    "DESCRIPTION": "Open data of the Entrepreneurs d'Intérêt Général programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Accounts (django-allauth): email login, mandatory verification.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# The sign-up form also asks for the agent's administration (challenges.calls.forms.AgentSignupForm).
ACCOUNT_SIGNUP_FORM_CLASS = "challenges.calls.forms.AgentSignupForm"
ACCOUNT_USER_DISPLAY = "eig_portal.accounts.user_display"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Sign-up answers the same for a known and an unknown address (« check your mailbox »), and the
# known-address path does the same work (eig_portal.accounts.PortalAccountAdapter).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "eig_portal.accounts.PortalAccountAdapter"
# Failed logins are throttled by django-axes below (shared cache, per IP address and account).
# allauth's failed-login limit keeps only its per-address part (it also guards the two-factor
# code step): its per-account part (5 failures = account locked 5 minutes from everywhere) would
# let anyone lock an agent out. Its other limits are kept; all live in the shared cache.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}

# Two-factor authentication (allauth.mfa): authenticator app (TOTP) and recovery codes, for
# everyone; required for staff when STAFF_REQUIRE_2FA (default: when DEBUG is off).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Portail EIG")
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=not DEBUG)

# Login throttling (django-axes) on every form that authenticates (the admin signs in through
# allauth): after LOGIN_FAILURE_LIMIT failures of one IP address on one account, that pair is
# refused for LOGIN_COOLOFF_MINUTES, counted again from each new failure. The owner, from
# another address, is not locked out. State in the shared cache (CACHES above).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_USERNAME_CALLABLE = "eig_portal.security.login_identifier"
AXES_CLIENT_IP_CALLABLE = "eig_portal.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_ENABLE_ADMIN = False  # the cache handler keeps nothing in the database to list
AXES_VERBOSE = False

# django-import-export: every import runs in one transaction (all rows or none).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

DATA_DIR = BASE_DIR / "data"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
