"""Qorgau settings: one module, driven by environment variables.

The mode is explicit: QORGAU_ENV=development is asked for by `make`, scripts/, bench/ and the test suite
(qorgau/settings_development.py); anything else, including no value, is production. Development
defaults work on a fresh clone (SQLite under var/, public keys, DEBUG and DEMO_MODE on). Production
refuses to start with unsafe values (qorgau/settings_checks.py lists them) and, on its first database
connection, with a superuser database role (qorgau/core/dbroles.py).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from qorgau import settings_checks as checks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-insecure-qorgau-key-do-not-use-in-production"  # noqa: S105
DEV_IIN_HASH_KEY = "dev-insecure-iin-hash-key"
# A valid Fernet key, public on purpose: only for development and tests.
DEV_IIN_ENCRYPTION_KEY = "cW9yZ2F1LWRldi1vbmx5LWtleS1ub3Qtc2VjcmV0LTE="

# Production unless development is asked for by name: a forgotten variable must not mean public keys.
QORGAU_ENV = checks.mode_from(os.environ.get(checks.MODE_VARIABLE))
DEVELOPMENT = QORGAU_ENV == checks.DEVELOPMENT

DEBUG = envbool("DEBUG", DEVELOPMENT)
# Django's technical 404 and 500 pages (URL map, settings, tracebacks) instead of the product's, for a
# developer who asks for them; only with DEBUG (docs/operations.md).
DEBUG_TECHNICAL_PAGES = envbool("DEBUG_TECHNICAL_PAGES", False)
# The public development keys are defaults in development only; production has no default at all.
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY if DEVELOPMENT else "")
# Keyed hash for exact IIN matching, and the key that encrypts the stored IIN (Fernet, base64).
IIN_HASH_KEY = os.environ.get("IIN_HASH_KEY", DEV_IIN_HASH_KEY if DEVELOPMENT else "")
IIN_ENCRYPTION_KEY = os.environ.get("IIN_ENCRYPTION_KEY", DEV_IIN_ENCRYPTION_KEY if DEVELOPMENT else "")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEVELOPMENT else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# Behind a reverse proxy that sets X-Forwarded-For, the audit log records the client address from it.
# Only turn on when the proxy overwrites the header (otherwise clients could forge their address).
USE_X_FORWARDED_FOR = envbool("USE_X_FORWARDED_FOR", False)
# Demo shortcuts (backup codes printed by `make run`) exist only while this is on.
DEMO_MODE = envbool("DEMO_MODE", DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI and Redoc as static files of our own (no CDN: the CSP allows only this site).
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks_db",
    "qorgau.core",
    "qorgau.people",
    "qorgau.intake",
    "qorgau.cases",
    "qorgau.risk",
    "qorgau.facilities",
    "qorgau.planning",
    # The public help page and the prevention register: above facilities (its public directory) and
    # intake (a message becomes a signal), docs/decisions.md.
    "qorgau.portal",
    "qorgau.offenders",
    "qorgau.insights",
    "qorgau.familymap",
    "qorgau.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qorgau.core.middleware.RequestContextMiddleware",
    # Outside the second-factor gate, so that its redirects are not cached either.
    "qorgau.core.middleware.NoStoreMiddleware",
    "qorgau.core.middleware.RequireOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The product's 404 and 500 pages under DEBUG too, unless DEBUG_TECHNICAL_PAGES (core/error_pages.py).
    "qorgau.core.error_pages.ProductErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Axes must be last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qorgau.urls"
WSGI_APPLICATION = "qorgau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qorgau" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qorgau.core.context_processors.shell",
            ],
        },
    },
]

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qorgau.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker share the file; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # CI creates a UTF-8 (C.UTF-8 ctype) database from template0 and names it here, so test databases
    # inherit an encoding and ctype that trigram search on Cyrillic needs.
    if os.environ.get("DATABASE_TEST_TEMPLATE"):
        DATABASES["default"]["TEST"] = {"TEMPLATE": os.environ["DATABASE_TEST_TEMPLATE"]}

if not DEVELOPMENT:
    checks.refuse_unsafe_production(
        [
            lambda: checks.check_secret_key(SECRET_KEY, development_value=DEV_SECRET_KEY),
            lambda: checks.check_iin_hash_key(IIN_HASH_KEY, development_value=DEV_IIN_HASH_KEY),
            lambda: checks.check_fernet_key(IIN_ENCRYPTION_KEY, development_value=DEV_IIN_ENCRYPTION_KEY),
            lambda: checks.check_allowed_hosts(ALLOWED_HOSTS),
            lambda: checks.check_database(DATABASES["default"]),
            lambda: checks.check_off("DEMO_MODE", DEMO_MODE),
            lambda: checks.check_off("DEBUG", DEBUG),
        ]
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Idle timeout: every request renews a 30-minute session.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# IIN look-ups per user (people/lookups.py): flagged for the auditors at FLAG different IINs within the
# window, refused past LIMIT until the window moves on. Counted from the audit log.
IIN_LOOKUP_WINDOW_SECONDS = envint("IIN_LOOKUP_WINDOW_SECONDS", 3600)
IIN_LOOKUP_FLAG = envint("IIN_LOOKUP_FLAG", 20)
IIN_LOOKUP_LIMIT = envint("IIN_LOOKUP_LIMIT", 60)
# How long a user's dashboard figures are reused (seconds; the page says when they were computed). Off in
# development and tests, where data changes under the page (docs/insights.md).
INSIGHTS_CACHE_SECONDS = envint("INSIGHTS_CACHE_SECONDS", 0 if DEVELOPMENT else 300)

# Lockout after 5 failed attempts for the same username (from any address).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Whole police stations sit behind one NAT address: locking by IP would lock every officer out after
# five typos by different people, so the lock is per account (axes.W006 warns about exactly this choice).
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # HSTS preload (SECURE_HSTS_PRELOAD) is not set by default: a preload-list entry binds the domain and
    # every subdomain to HTTPS in browsers for months and is slow to withdraw, so each installation
    # decides it with the owner of its domain. `check --deploy` would otherwise warn on every run.
    "security.W021",
]
# A right password alone is not a successful sign-in: wrong second-factor codes are counted on the same
# account and must survive a fresh password login. The count is reset when the second factor is verified
# (qorgau/core/auth/services.py), not here.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
# Axes keeps the POST data of failures; the second-factor code ("code") is masked like the password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

OTP_TOTP_ISSUER = "Qorgau"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CONTENT_TYPE_NOSNIFF = True

# The CSP is on in every mode, so that development meets the same policy as production.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "qorgau" / "locale"]
# Kazakh formats (Django ships none for kk): qorgau/formats/kk/formats.py.
FORMAT_MODULE_PATH = ["qorgau.formats"]
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package-lock.json) and are served from node_modules in development
# and copied into STATIC_ROOT by collectstatic for production; they are never committed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "qorgau" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/vega", NODE_MODULES / "vega" / "build"),
    ("vendor/vega-lite", NODE_MODULES / "vega-lite" / "build"),
    ("vendor/vega-embed", NODE_MODULES / "vega-embed" / "build"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# The family map's run directories (Parquet per stage) and the registry extracts of the next refresh.
FAMILYMAP_DIR = Path(os.environ.get("FAMILYMAP_DIR", VAR_DIR / "familymap"))
FAMILYMAP_INPUTS = Path(os.environ.get("FAMILYMAP_INPUTS", FAMILYMAP_DIR / "inputs"))
FAMILYMAP_MEMORY_LIMIT = os.environ.get("FAMILYMAP_MEMORY_LIMIT", "6GB")  # DuckDB's, per stage
FAMILYMAP_DEMO = True  # the demo command refreshes a small synthetic family map (qorgau/demo/national)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    # Token first: DRF answers 401 (not 403) to anonymous calls only when the first class sends a
    # WWW-Authenticate header, which session authentication does not.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qorgau.core.api.authentication.ApiTokenAuthentication",
        "qorgau.core.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "qorgau.core.api.schema.AutoSchema",
    # JSON only: form and multipart bodies answer 415 (the schema documents application/json).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["qorgau.core.api.filtering.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "qorgau.core.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "qorgau.core.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qorgau API",
    "DESCRIPTION": (
        "Inter-agency platform for preventing domestic violence. Every endpoint is scoped to the caller."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator service: the page talks only to this site. No deep links: Swagger
    # UI puts their anchors inside the operation's button (axe-core: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name across domains get their own schema names.
    "ENUM_NAME_OVERRIDES": {
        "FamilyRelationshipEnum": "qorgau.people.models.Relationship",
        "OffenderRelationshipEnum": "qorgau.intake.models.signals.OffenderRelationship",
        "SignalStatusEnum": "qorgau.intake.models.signals.SignalStatus",
        "ProtectiveOrderStatusEnum": "qorgau.intake.models.orders.OrderStatus",
        "OutcomeKindEnum": "qorgau.intake.models.signals.OutcomeKind",
        "ServiceTypeEnum": "qorgau.cases.models.specialists.ServiceType",
        "ReferralStatusEnum": "qorgau.cases.models.referrals.ReferralStatus",
        "CaseTransferStatusEnum": "qorgau.cases.models.referrals.TransferStatus",
        "CaseServiceStatusEnum": "qorgau.cases.models.plans.ServiceStatus",
        "ActivityKindEnum": "qorgau.portal.models.activities.ActivityKind",
        "FacilityTypeEnum": "qorgau.facilities.models.network.FacilityType",
        "AccessibilityEnum": "qorgau.facilities.models.network.Accessibility",
        "DischargeOutcomeEnum": "qorgau.facilities.models.placements.DischargeOutcome",
        "CaseOutcomeEnum": "qorgau.cases.models.cases.CaseOutcome",
        "TreatmentStepEnum": "qorgau.offenders.models.rules.TreatmentStep",
        "ProgrammeReferralStatusEnum": "qorgau.offenders.models.programmes.ProgrammeStatus",
        "PartnerContactStatusEnum": "qorgau.offenders.models.programmes.ContactStatus",
        "PartnerContactAnswerEnum": "qorgau.offenders.models.programmes.CONTACT_ANSWERS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
