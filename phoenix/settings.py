"""Settings for Phoenix Luna Hub, read from the environment.

One file for every environment. With nothing set, the platform runs on its
embedded defaults (SQLite, local-memory cache, in-memory channel layer, the
built-in Luna coach, billing switched off). Every variable is documented in
``.env.example``; a malformed value stops start-up with a message naming it.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from phoenix.env import Env
from phoenix.version import COMMIT, VERSION

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("PHOENIX_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------

DEBUG = env.bool("DEBUG", False)


def development_secret_key(path: Path) -> str:
    """Return the local development key, generating it on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


SECRET_KEY = env.str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY: required when DEBUG is off "
            "(generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = development_secret_key(VAR_DIR / "dev-secret-key")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS: required when DEBUG is off (e.g. hub.phoenix.ai)"
    )
CSRF_TRUSTED_ORIGINS = env.origins("CSRF_TRUSTED_ORIGINS")
# The Phoenix CV, Letters and website front ends.
CORS_ALLOWED_ORIGINS = env.origins(
    "CORS_ALLOWED_ORIGINS",
    ["http://localhost:3000", "http://localhost:5173"] if DEBUG else [],
)
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "origin",
    "x-csrftoken",
    "x-idempotency-key",
    "x-request-id",
    "x-requested-with",
)
CORS_EXPOSE_HEADERS = ("retry-after", "x-request-id")
CORS_URLS_REGEX = r"^/(api|auth|luna|billing|health|ready)(/.*)?$"

PHOENIX_VERSION = VERSION
PHOENIX_COMMIT = COMMIT

INSTALLED_APPS = [
    "daphne",  # ASGI runserver: development serving handles websockets too
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "djstripe",  # before billing: its webhook receivers must run before ours
    # Ours, bottom of the import order first.
    "narrative",
    "accounts",
    "energy",
    "billing",
    "luna",
    "phoenix",
]

MIDDLEWARE = [
    "phoenix.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "phoenix.middleware.ApiInputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "phoenix.web.middleware.WebPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "phoenix.urls"
WSGI_APPLICATION = "phoenix.wsgi.application"
ASGI_APPLICATION = "phoenix.asgi.application"
APPEND_SLASH = False  # API paths are exact; /api/foo/ is a JSON 404, not a redirect

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "phoenix.web.context.web",
            ],
            "libraries": {"web_tags": "phoenix.web.templatetags.web_tags"},
        },
    },
]

# --- Database ---------------------------------------------------------------

DATABASE_URL = env.url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL and not DATABASE_URL.startswith("sqlite"):
    try:
        _database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL: {error}") from None
    if not _database.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL: the URL names no database")
    if env.bool("DATABASE_POOL", True):
        # psycopg 3 connection pooling (Django ≥ 5.1); CONN_MAX_AGE must stay 0.
        _database["OPTIONS"] = {
            **_database.get("OPTIONS", {}),
            "pool": {
                "min_size": env.int("DATABASE_POOL_MIN_SIZE", 2, min_value=0),
                "max_size": env.int("DATABASE_POOL_MAX_SIZE", 40, min_value=1),
                "timeout": env.int("DATABASE_POOL_TIMEOUT", 30, min_value=1),
            },
        }
    DATABASES = {"default": _database}
else:
    _sqlite_path = VAR_DIR / "phoenix.sqlite3"
    if DATABASE_URL:
        _sqlite_path = Path(dj_database_url.parse(DATABASE_URL)["NAME"])
    _sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite_path,
            "OPTIONS": {
                # WAL lets readers run beside the writer; IMMEDIATE takes the
                # write lock when a transaction starts, so two writers queue
                # (busy timeout) instead of failing half-way with "locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and channel layer ------------------------------------------------

REDIS_URL = env.url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "phoenix",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # Each consumer waits on its channel with a blocking BZPOPMIN
                # of 5 s; redis-py 8 reads with a 5 s socket timeout by
                # default, which cut that wait and crashed every consumer
                # idle for 5 s (channels_redis#422). No read timeout, as
                # before redis-py 8 (a finite one above 5 s let a cancelled
                # receive loop on in tests); TCP keepalive finds dead peers.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": None,
                        "socket_keepalive": True,
                    }
                ],
                "prefix": "phoenix:asgi",
                "capacity": 200,
                "expiry": 60,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "phoenix",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 200, "expiry": 60},
        }
    }

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCESS_TOKEN_LIFETIME = timedelta(
    minutes=env.int("ACCESS_TOKEN_LIFETIME_MINUTES", 15, min_value=1, max_value=1440)
)
REFRESH_TOKEN_LIFETIME = timedelta(
    days=env.int("REFRESH_TOKEN_LIFETIME_DAYS", 30, min_value=1, max_value=365)
)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": ACCESS_TOKEN_LIFETIME,
    "REFRESH_TOKEN_LIFETIME": REFRESH_TOKEN_LIFETIME,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": False,
}
# (limit, window in seconds) for the sliding-window attempt limits.
AUTH_LOGIN_FAILURES_PER_IP = (5, 15 * 60)  # per (account, client IP)
AUTH_LOGIN_FAILURES_PER_ACCOUNT = (100, 60 * 60)  # per account, all IPs
AUTH_REGISTRATIONS_PER_IP = (10, 60 * 60)
AUTH_PASSWORD_RESETS_PER_IP = (5, 60 * 60)
# Public address of the web pages, used in links sent by mail.
PUBLIC_BASE_URL = (
    env.url("PUBLIC_BASE_URL", ("http", "https")) or "http://127.0.0.1:8000"
).rstrip("/")

# --- Energy -----------------------------------------------------------------

ENERGY_MAX = 100  # the gauge shows balance as a percentage of this
ENERGY_WELCOME_GRANT = env.int("ENERGY_WELCOME_GRANT", 100, min_value=0, max_value=1000)
# Free energy (grants, bonuses) stops at this balance; purchases never do.
ENERGY_FREE_CAP = env.int("ENERGY_FREE_CAP", 100, min_value=0, max_value=100_000)
ENERGY_LOW_THRESHOLD = 20  # energy.low is recorded when a consume crosses it
ENERGY_REFUND_WINDOW_DAYS = 7  # the satisfaction guarantee
# Luna Unlimited fair use: at most N consumes per window (seconds) per user.
ENERGY_UNLIMITED_FAIR_USE = (
    env.int("ENERGY_UNLIMITED_FAIR_USE_LIMIT", 300, min_value=1),
    3600,
)
ENERGY_BALANCE_CACHE_SECONDS = 300

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by `manage.py collectstatic` in production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Security ---------------------------------------------------------------

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, min_value=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
if env.bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are
# trusted when finding the client IP (throttles, session list). 0 = socket only.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0, min_value=0, max_value=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576  # 1 MiB of request body is plenty for JSON

# --- Email ------------------------------------------------------------------

EMAIL_HOST = env.str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", 587, min_value=1, max_value=65535)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_SSL: cannot be on with EMAIL_USE_TLS")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # No mail server configured: drop mail rather than print reset links into
    # production logs. `manage.py audit` reports it.
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Phoenix Luna <no-reply@phoenix.ai>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API --------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.JWTAuthentication",
        "accounts.authentication.ApiKeyAuthentication",
    ],
    # User tokens only; views that serve satellites opt in with IsAuthenticated
    # and resolve their user through request.auth.act_for().
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["phoenix.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "phoenix.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "phoenix.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "phoenix.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Phoenix Luna Hub API",
    "DESCRIPTION": (
        "Accounts, energy, Luna, the Capital Narratif and billing for the Phoenix "
        "ecosystem. Every error answers "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LunaGoalStatusEnum": "luna.models.GoalStatus",
        "LunaMessageStatusEnum": "luna.models.Status",
        "LunaReplyStatusEnum": ["complete", "partial", "error"],
        "LegacyAppContextEnum": ["cv", "letters", "website"],
        "LunaAppContextEnum": "luna.models.AppContext",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "phoenix.errors.add_error_envelope_to_schema",
    ],
}

# --- Integrations -------------------------------------------------------------

GEMINI_API_KEY = env.str("GEMINI_API_KEY") or env.str("GOOGLE_API_KEY")
GEMINI_MODEL = env.str("GEMINI_MODEL", "gemini-2.5-flash")
GEMINI_BASE_URL = env.url("GEMINI_BASE_URL", ("http", "https"))
GEMINI_TEMPERATURE = env.float("GEMINI_TEMPERATURE", 0.7, min_value=0.0, max_value=2.0)
GEMINI_MAX_OUTPUT_TOKENS = env.int(
    "GEMINI_MAX_OUTPUT_TOKENS", 1024, min_value=16, max_value=8192
)
# Seconds without a byte from the model (before and between chunks).
GEMINI_TIMEOUT = env.float("GEMINI_TIMEOUT", 30.0, min_value=0.1, max_value=300.0)
GEMINI_MAX_ATTEMPTS = 3  # 429/5xx are retried, never after the first token
GEMINI_RETRY_MAX_WAIT = 8.0  # seconds; a longer Retry-After falls back instead
# The circuit breaker: after N consecutive failed calls, the built-in coach
# answers for S seconds (state in the cache, shared by every process).
LUNA_BREAKER_THRESHOLD = 5
LUNA_BREAKER_SECONDS = 60
# Conversation memory in the prompt: the latest turns that fit this many tokens.
LUNA_MEMORY_TOKENS = env.int("LUNA_MEMORY_TOKENS", 1500, min_value=0)
# At most one celebration per user in this many seconds.
LUNA_CELEBRATION_COOLDOWN_SECONDS = env.int(
    "LUNA_CELEBRATION_COOLDOWN_SECONDS", 900, min_value=0
)
# Websocket: messages per connection per minute; frames queued for a slow reader.
LUNA_WS_MESSAGES_PER_MINUTE = env.int("LUNA_WS_MESSAGES_PER_MINUTE", 20, min_value=1)
LUNA_WS_OUTGOING_FRAMES = 32
LUNA_WS_AUTH_SECONDS = 10  # time allowed for the first-message token

STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET")
STRIPE_PRICE_UNLIMITED = env.str("STRIPE_PRICE_UNLIMITED")
STRIPE_API_BASE = env.url("STRIPE_API_BASE", ("http", "https"))
# Stripe.js for the payment form (tests point it at localstripe's stand-in).
STRIPE_JS_URL = (
    env.url("STRIPE_JS_URL", ("http", "https")) or "https://js.stripe.com/v3/"
)
# dj-stripe refuses any other shape, but only when the first webhook arrives.
if STRIPE_SECRET_KEY and not re.fullmatch(
    r"(sk|rk)_(test|live)_[A-Za-z0-9]{24,}", STRIPE_SECRET_KEY
):
    raise ImproperlyConfigured(
        "STRIPE_SECRET_KEY: expected a key like sk_test_… or sk_live_…"
    )
if STRIPE_PUBLISHABLE_KEY and not STRIPE_PUBLISHABLE_KEY.startswith("pk_"):
    raise ImproperlyConfigured(
        "STRIPE_PUBLISHABLE_KEY: expected a key starting with pk_"
    )

# Billing is on when both keys are set; otherwise its payment endpoints answer 503.
BILLING_ENABLED = bool(STRIPE_SECRET_KEY and STRIPE_PUBLISHABLE_KEY)
# dj-stripe reads the keys below. Webhook endpoints (URL, secret) are rows of
# djstripe.WebhookEndpoint: `manage.py register_stripe_webhook` stores
# STRIPE_WEBHOOK_SECRET in one and prints the URL to give Stripe.
STRIPE_LIVE_MODE = STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))
STRIPE_TEST_SECRET_KEY = "" if STRIPE_LIVE_MODE else STRIPE_SECRET_KEY
STRIPE_LIVE_SECRET_KEY = STRIPE_SECRET_KEY if STRIPE_LIVE_MODE else ""
STRIPE_PUBLIC_KEY = STRIPE_PUBLISHABLE_KEY
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
# Signature age accepted, in seconds (Stripe's default); dj-stripe keeps it on
# each endpoint row, which register_stripe_webhook writes.
DJSTRIPE_WEBHOOK_TOLERANCE = 300
# (limit, window in seconds): purchase and subscription starts per user.
BILLING_START_LIMIT = (30, 60 * 60)

SENTRY_DSN = env.url("SENTRY_DSN", ("http", "https"))

# --- Logging and error reporting ----------------------------------------------

LOG_LEVEL = env.choice(
    "LOG_LEVEL", "INFO", ("debug", "info", "warning", "error", "critical")
).upper()
LOG_FORMAT = env.choice("LOG_FORMAT", "text" if DEBUG else "json", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "phoenix.logging.RequestIDFilter"},
        "redact": {"()": "phoenix.logging.RedactingFilter"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: "
            "%(message)s"
        },
        "json": {"()": "phoenix.logging.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger repeats what the request-id line already says.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
    },
}

if SENTRY_DSN:
    from phoenix.observability import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str(
            "SENTRY_ENVIRONMENT", "development" if DEBUG else "production"
        ),
        release=f"phoenix-luna-hub@{VERSION}+{COMMIT[:12]}",
        traces_sample_rate=env.float(
            "SENTRY_TRACES_SAMPLE_RATE", 0.0, min_value=0.0, max_value=1.0
        ),
    )
