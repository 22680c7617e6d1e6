"""Settings for the civic portal.

Every deployment difference comes from an environment variable (listed in the README's
"Configuration" table). A local `.env` file, written by `make run` and never committed,
is read when present; real environment variables win over it.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from portal import identity
from projects.map_config import read_districts, tile_source

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. `make run` writes a random one into .env for "
        "local use; in production set it in the environment."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "dbbackup",
    # django-axes and the two OTP plugins under Vietnamese headings in the admin.
    "portal.third_party_apps.AxesConfig",
    "django_otp",
    "portal.third_party_apps.OTPTOTPConfig",
    "portal.third_party_apps.OTPStaticConfig",
    "portal",
    "documents",
    "meetings",
    "indicators",
    "projects",
    "changes",
    "alerts",
]

MIDDLEWARE = [
    # First: a kept page is answered with the headers it was kept with, the security
    # headers below included, and skips everything else (portal/response_cache.py).
    "portal.response_cache.ResponseCacheMiddleware",
    # The security headers come first so that static files, which whitenoise answers
    # below them, carry the same ones as pages (portal/headers.py).
    "django.middleware.security.SecurityMiddleware",
    "portal.headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.middleware.SecondFactorMiddleware",
    "portal.accounts.middleware.IdleSessionMiddleware",
    "documents.viewer.ViewerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

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
                "portal.context_processors.site",
                "portal.sample.context",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database host that silently drops packets fails a request (and /health/) in
    # seconds instead of holding the worker until the load balancer gives up.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.PooledRedisCache",
            "LOCATION": env.str("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The shared cache of anonymous answers (portal/response_cache.py; README, "Response
# cache"): on whenever REDIS_URL is set. Not without Redis: each worker would keep its own
# copies, and a withdrawal saved by one worker would not reach the others'.
PORTAL_RESPONSE_CACHE = env.bool(
    "PORTAL_RESPONSE_CACHE", default=bool(env.str("REDIS_URL", default=""))
)
if PORTAL_RESPONSE_CACHE and not env.str("REDIS_URL", default=""):
    raise ImproperlyConfigured("PORTAL_RESPONSE_CACHE needs REDIS_URL: a cache all workers share.")
# How long a kept answer lives at most, and how long a proxy or CDN in front may answer
# from its own copy without asking (0: it asks every time, and gets a 304 if unchanged).
PORTAL_RESPONSE_CACHE_SECONDS = env.int("PORTAL_RESPONSE_CACHE_SECONDS", default=3600)
PORTAL_RESPONSE_CACHE_PROXY_SECONDS = env.int("PORTAL_RESPONSE_CACHE_PROXY_SECONDS", default=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English is the second UI language. Dates read 14/11/2024 in both
# (portal/formats/ overrides Django's locale formats).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# No other site reads the portal's static files (whitenoise would send
# `Access-Control-Allow-Origin: *`); they are same-origin like everything else.
WHITENOISE_ALLOW_ALL_ORIGINS = False
# Attachments live in MEDIA_ROOT unless an S3-compatible bucket is named (several machines,
# or object storage such as MinIO or a cloud's). The bucket stays private: files are only
# ever served through the portal's view, which applies each document's visibility. The
# credentials are the standard AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables.
if env.str("DJANGO_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("DJANGO_S3_BUCKET"),
            "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("DJANGO_S3_REGION", default="") or None,
            "file_overwrite": False,
        },
    }
# The nightly export of the public register (`manage.py export_register`, README "Open
# data"): remade every night, so kept out of the attachments' folder, which `mediabackup`
# copies whole. With a bucket, under `open-data/` in it (mediabackup then copies it too).
PORTAL_OPEN_DATA_DIR = env.path("PORTAL_OPEN_DATA_DIR", default=BASE_DIR / "open-data")
if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    STORAGES["open_data"] = {
        "BACKEND": STORAGES["default"]["BACKEND"],
        "OPTIONS": STORAGES["default"]["OPTIONS"] | {"location": "open-data"},
    }
else:
    STORAGES["open_data"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PORTAL_OPEN_DATA_DIR},
    }
# Backups (django-dbbackup's `dbbackup` and `mediabackup`: the database and the attachments,
# from disk or the bucket) are written to this folder, readable by their owner only: they
# hold internal documents and password hashes. README, "Backups and restore".
PORTAL_BACKUP_DIR = env.path("PORTAL_BACKUP_DIR", default=BASE_DIR / "backups")
STORAGES["dbbackup"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": PORTAL_BACKUP_DIR,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
DBBACKUP_CLEANUP_KEEP = env.int("PORTAL_BACKUP_KEEP", default=14)

# HTTPS hardening is on whenever debug is off; DJANGO_SECURE_HTTPS=false turns it off
# for a plain-HTTP test server.
SECURE_HTTPS = env.bool("DJANGO_SECURE_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = SECURE_HTTPS
# A load balancer probes /health/ over plain HTTP, straight to the instance: a redirect
# would read as "down". The answer holds nothing secret (portal/health.py).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The language cookie is only ever read by the server.
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp) for every response, static files included: nothing
# inline, nothing from another origin, no plugins, no framing. The portal's pages, the
# admin and Swagger UI (/api/docs/, whose script is served as a file) run with it as is;
# a view that needs more widens it for itself (portal/api.py). The browser test
# portal/tests/test_csp_browser.py visits every page type and fails on any violation.
# Cross-Origin-Resource-Policy and Permissions-Policy: portal/headers.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# The projects' maps (projects/maps.py): tiles from the city's own tile server, whose host
# alone joins img-src; without one, the features over a plain background with the district
# names of PORTAL_MAP_DISTRICTS (a GeoJSON file of named points; empty: none).
PORTAL_MAP_TILES = env.str("PORTAL_MAP_TILES", default="").strip()
PORTAL_MAP_ATTRIBUTION = env.str("PORTAL_MAP_ATTRIBUTION", default="").strip()
try:
    PORTAL_MAP_DISTRICTS = read_districts(
        env.str("PORTAL_MAP_DISTRICTS", default=str(BASE_DIR / "projects/data/hanoi.geojson"))
    )
    if PORTAL_MAP_TILES:
        _tiles = tile_source(PORTAL_MAP_TILES, allow_http=DEBUG)
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_tiles)
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
# The address for reporting a vulnerability, in /.well-known/security.txt (RFC 9116): a
# `mailto:` or `https:` URI, or several separated by commas. `check --deploy` warns when
# it is unset (portal/checks.py); the file is then not served.
PORTAL_SECURITY_CONTACT = env.list("PORTAL_SECURITY_CONTACT", default=[])
for _contact in PORTAL_SECURITY_CONTACT:
    if not _contact.startswith(("mailto:", "https://", "tel:")):
        raise ImproperlyConfigured(
            f"PORTAL_SECURITY_CONTACT={_contact!r}: write a URI, e.g. mailto:{_contact}."
        )

LOGIN_URL = "admin:login"

# --- Staff accounts (README: "Staff roles", "Configuration") ---------------------------
# The admin's address; the footer link, robots.txt and the sign-in pages follow it.
PORTAL_ADMIN_PATH = env.str("PORTAL_ADMIN_PATH", default="admin/").strip("/") + "/"
if PORTAL_ADMIN_PATH == "/":
    raise ImproperlyConfigured("PORTAL_ADMIN_PATH must name a path, e.g. `quan-tri/`.")

# Sign-in throttling (django-axes): after PORTAL_LOGIN_FAILURES wrong passwords for one
# username from one address, that pair is refused for PORTAL_LOCKOUT_MINUTES, and each
# further try restarts the wait. Attempts are rows in the database, so the lock holds
# across workers and machines. `manage.py axes_reset_username NAME` unlocks at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("PORTAL_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PORTAL_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.accounts.throttling.lockout_response"
# No start-up banner on every command; each lock is logged by the lockout page.
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, TOTP and single-use backup codes) for superusers,
# publishers and whoever manages accounts (portal/accounts/rules.py); on whenever debug is
# off, and PORTAL_REQUIRE_2FA forces it either way.
PORTAL_REQUIRE_2FA = env.bool("PORTAL_REQUIRE_2FA", default=not DEBUG)

# A session ends after PORTAL_SESSION_IDLE_MINUTES without a request: requests push its
# end forward (portal.accounts.middleware.IdleSessionMiddleware, at most a write a minute).
SESSION_COOKIE_AGE = env.int("PORTAL_SESSION_IDLE_MINUTES", default=30) * 60
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60 or SESSION_COOKIE_AGE < 60:
    raise ImproperlyConfigured(
        "PORTAL_LOGIN_FAILURES, PORTAL_LOCKOUT_MINUTES and PORTAL_SESSION_IDLE_MINUTES "
        "must be 1 or more."
    )

# Outgoing mail (password reset). EMAIL_URL as django-environ reads it, e.g.
# `smtp+tls://user:password@mail.example.gov.vn:587`; printed on the console in debug.
globals().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Errors are reported to Sentry only when SENTRY_DSN is set; without it the SDK is not even
# imported. No personal data leaves: no cookies, user names, IP addresses
# (send_default_pii) nor request bodies, which may hold a draft's text.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        send_default_pii=False,
        max_request_body_size="never",
    )

# The read-only JSON API (/api/): no authentication at all, so every caller, signed in or
# not, gets exactly what an anonymous visitor sees; GET/HEAD/OPTIONS only; bounded pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api_rules.ReadOnly"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["portal.api_rules.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api_rules.Pagination",
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.Schema",
    # PORTAL_RATE_API calls per client address, counted in the shared cache (below).
    "DEFAULT_THROTTLE_CLASSES": ["portal.api_rules.ApiRateThrottle"],
    "EXCEPTION_HANDLER": "portal.api_rules.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Civic portal API",
    "DESCRIPTION": (
        "Read-only open data: published public documents, meetings with their agenda and "
        "votes, indicators with their figures, projects with their progress."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI's files come from drf-spectacular-sidecar, served locally: never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No "valid" badge: Swagger UI would load it from validator.swagger.io, sending the
    # schema's address to a third party (and the CSP would refuse the image anyway).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
}

# Attachments larger than this are refused in the admin and the import.
PORTAL_ATTACHMENT_MAX_MB = env.int("PORTAL_ATTACHMENT_MAX_MB", default=25)
# A project without a progress update for this many days is flagged as stale.
PORTAL_PROJECT_STALE_DAYS = env.int("PORTAL_PROJECT_STALE_DAYS", default=90)

# Per-client limits of searches, downloads and API calls (portal/rate_limits.py), counted
# in the default cache: Redis when REDIS_URL is set, so they hold across workers. "60/m" is
# sixty a minute (s, m, h, d; "100/5m"); an empty value turns that limit off.
PORTAL_RATES = {
    "search": env.str("PORTAL_RATE_SEARCH", default="60/m").strip(),
    "download": env.str("PORTAL_RATE_DOWNLOAD", default="10/m").strip(),
    "api": env.str("PORTAL_RATE_API", default="120/m").strip(),
    "password_reset": env.str("PORTAL_RATE_PASSWORD_RESET", default="5/h").strip(),
    "alerts": env.str("PORTAL_RATE_ALERTS", default="10/h").strip(),
}
for _group, _rate in PORTAL_RATES.items():
    if _rate and not re.fullmatch(r"\d+/\d*[smhd]", _rate):
        raise ImproperlyConfigured(
            f"PORTAL_RATE_{_group.upper()}={_rate!r}: write a rate such as 60/m, or nothing."
        )
# How many reverse proxies in a row append to X-Forwarded-For in front of the portal; the
# client's address is that many entries from the end (portal/rate_limits.client_address).
PORTAL_PROXY_HOPS = env.int("PORTAL_PROXY_HOPS", default=1)
if not env.bool("DJANGO_BEHIND_PROXY", default=False):
    PORTAL_PROXY_HOPS = 0  # no proxy: REMOTE_ADDR is the client
if PORTAL_PROXY_HOPS < 0:
    raise ImproperlyConfigured("PORTAL_PROXY_HOPS counts proxies: 0 or more.")
# A count the cache could not read or write lets the request through.
RATELIMIT_FAIL_OPEN = True

# The portal's name per UI language, so another city can deploy it unchanged.
PORTAL_SITE_NAMES = {
    "vi": env.str("PORTAL_SITE_NAME", default="Cổng thông tin chính quyền Thành phố Hà Nội"),
    "en": env.str("PORTAL_SITE_NAME_EN", default="Hanoi City Government Portal"),
}

# The rest of the city's identity, in the header and footer (portal/identity.py): a logo
# (none by default), a contact block (empty parts are left out) and footer links.
PORTAL_LOGO = identity.checked_logo(env.str("PORTAL_LOGO", default=""))
if _logo_origin := identity.logo_origin(PORTAL_LOGO):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_logo_origin)
PORTAL_CONTACT = {
    "address": env.str("PORTAL_CONTACT_ADDRESS", default=""),
    "phone": env.str("PORTAL_CONTACT_PHONE", default=""),
    "email": env.str("PORTAL_CONTACT_EMAIL", default=""),
}
PORTAL_FOOTER_LINKS = {
    "vi": identity.footer_links(env.str("PORTAL_FOOTER_LINKS", default="")),
    "en": identity.footer_links(
        env.str("PORTAL_FOOTER_LINKS_EN", default=""), "PORTAL_FOOTER_LINKS_EN"
    ),
}

# The right-hand part of every calendar event's UID (`meeting-<id>@<domain>`). Never the
# request's host: a portal reachable under two names would give each event two UIDs, and
# subscribers would see every meeting twice. Changing it later duplicates events too.
PORTAL_CALENDAR_DOMAIN = env.str(
    "PORTAL_CALENDAR_DOMAIN",
    default=next((h.lstrip(".") for h in ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")), "")
    or "localhost",
).strip()

# The name an authenticator app shows beside a staff member's sign-in codes.
OTP_TOTP_ISSUER = PORTAL_SITE_NAMES["vi"]
