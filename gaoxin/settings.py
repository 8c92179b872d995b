"""Gaoxin settings: one module, read from the environment.

Every variable is parsed strictly: a value that cannot be understood stops start-up with a
message naming the variable, rather than silently falling back to a default.
See docs/deployment.md for the full list.
"""

import os
import secrets
import sys
import tempfile
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gaoxin.core.crypto import local_key_file, parse_key_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEMO_SECRET_KEY = "gaoxin-demo-secret-key-not-for-production"  # noqa: S105

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[IPv4Network | IPv6Network]:
    """A comma-separated list of IP addresses or CIDR networks; host bits set is an error."""
    raw = os.environ.get(name)
    items = default if raw is None else [i.strip() for i in raw.split(",") if i.strip()]
    networks = []
    for item in items:
        try:
            networks.append(ip_network(item, strict=True))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or a network "
                "(write e.g. 10.0.0.5 or 10.0.0.0/24, separated by commas)."
            ) from None
    return networks


def secret_key_from_file(path: Path) -> str:
    """The key kept in ``path``, generated there once (random, mode 0600) if it is missing.

    Written to a private temporary file and linked into place, so a server, worker and
    scheduler starting together never read a half-written key and all end up with the first.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)  # left by a crash: its mode cannot be trusted
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            tmp.unlink()
    if path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(
            f"SECRET_KEY_FILE {path} may be read by other users; run chmod 600 on it."
        )
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", True)
# The key comes from SECRET_KEY, or from the file SECRET_KEY_FILE names (`make run` uses
# var/secret_key, created on first start); only a development run may use the demo key.
SECRET_KEY_FILE = os.environ.get("SECRET_KEY_FILE", "").strip()
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    secret_key_from_file(Path(SECRET_KEY_FILE)) if SECRET_KEY_FILE else DEMO_SECRET_KEY
)
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the demo key. Set SECRET_KEY to a long random value."
    )
if not DEBUG and len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
# The reverse proxies in front of the platform (addresses or CIDR networks). Only a request
# arriving from one of them may bring its own X-Request-ID; nobody is trusted by default.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "gaoxin.core",
    "gaoxin.accounts",
    "gaoxin.enterprises",
    "gaoxin.projects",
    "gaoxin.dispatch",
    "gaoxin.affairs",
    "gaoxin.spaces",
    "gaoxin.platforms",
    "gaoxin.talent",
    "gaoxin.delivery",
    "gaoxin.visits",
    "gaoxin.policies",
    "gaoxin.cockpit",
    "gaoxin.notifications",
    "django_cas_ng",
    # Above the domain apps: the role home pages, and the demo zone and data generator.
    "gaoxin.portal",
    "gaoxin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gaoxin.core.middleware.RequestIdMiddleware",
    "gaoxin.core.middleware.DatabaseUnavailableMiddleware",
    "gaoxin.core.middleware.RejectNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gaoxin.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor (django-otp), then nothing until the sign-in is complete (accounts).
    "django_otp.middleware.OTPMiddleware",
    "gaoxin.accounts.middleware.SignInCompletionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gaoxin.core.middleware.PermissionMiddleware",
    "gaoxin.core.idempotency.IdempotencyMiddleware",
    # Axes last, as its documentation asks, so it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gaoxin.urls"
WSGI_APPLICATION = "gaoxin.wsgi.application"

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
                "gaoxin.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite for the demo, PostgreSQL (psycopg 3) when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except Exception as exc:  # dj-database-url raises several types for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {exc}") from None
    DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that needs no round trip (core/postgresql).
        DATABASES["default"]["ENGINE"] = "gaoxin.core.postgresql"
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # WAL and a busy timeout let the web server and the task worker share the file.
            # Tests use a file too (not shared-cache memory), so threads in the concurrency
            # tests wait for each other's locks as two processes would.
            "TEST": {
                "NAME": os.path.join(tempfile.gettempdir(), f"gaoxin-test-{os.getpid()}.sqlite3")
            },
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: one cache every process shares (issue 18) — the work calendar, the light thresholds
# and the cached figures are read by the web workers, the task worker and the scheduler, so a
# year an admin enters reaches them all at once. Redis in production (REDIS_URL); without it a
# file cache (CACHE_DIR, default var/cache) that `make run`'s three processes share. The test
# suite keeps a process-local memory cache (each run its own, like its own database).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
TESTING = "pytest" in sys.modules
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", "").strip()
            or os.path.join(BASE_DIR, "var", "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (gaoxin/accounts/sso.py): each answers only when switched on below.
    "gaoxin.accounts.sso_backends.OidcBackend",
    "gaoxin.accounts.sso_backends.CasBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gaoxin.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gaoxin.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
# Two-factor sign-in (TOTP, django-otp; gaoxin/accounts/twofactor.py): always required for
# admin and leader, and for the roles OTP_REQUIRED_ROLES adds (comma-separated role codes; an
# unknown one stops start-up). Others may turn it on from their account page.
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", [])
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "高新区平台")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: the session expires after SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
# Per account, and per browser (IP + user agent) against password spraying across accounts.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Security headers. HTTPS settings switch on with SECURE (behind a TLS-terminating proxy).
SECURE = env_bool("SECURE", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = False
# The browsers' HSTS preload list is for public domains; a zone's intranet host is not one.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# A refused form gets the platform's Chinese page, not Django's English one.
CSRF_FAILURE_VIEW = "gaoxin.core.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],  # no inline scripts anywhere: behaviour lives in static files
        # ECharts and Tabler set inline style attributes when they draw.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Personal data encrypted at rest (gaoxin/core/crypto.py; docs/security.md): ID numbers and
# phones. FIELD_ENCRYPTION_ALGORITHM: sm4 (SM4 + HMAC-SM3, 国密) or aes-256-gcm (AES-256-GCM +
# HMAC-SHA256). FIELD_ENCRYPTION_KEYS encrypts, FIELD_HASH_KEYS keys the lookup hashes: each
# "id:base64 of 32 bytes,…", the first one in use, every one listed still read (rotation:
# put a new key first, run `manage.py rotate_field_key`, then drop the old one). Never in
# the database or the repository: without the variables (the demo, the tests) both come
# from FIELD_KEYS_FILE, generated once under the git-ignored var/ (`check --deploy` warns).
FIELD_ENCRYPTION_ALGORITHM = os.environ.get("FIELD_ENCRYPTION_ALGORITHM", "sm4").strip().lower()
if FIELD_ENCRYPTION_ALGORITHM not in ("sm4", "aes-256-gcm"):
    raise ImproperlyConfigured(
        f"FIELD_ENCRYPTION_ALGORITHM={FIELD_ENCRYPTION_ALGORITHM!r}: use sm4 or aes-256-gcm."
    )
FIELD_KEYS_FILE = Path(os.environ.get("FIELD_KEYS_FILE") or BASE_DIR / "var" / "field-keys")
_field_keys = {
    n: os.environ.get(n, "").strip() for n in ("FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEYS")
}
FIELD_KEYS_FROM_FILE = not any(_field_keys.values())
if FIELD_KEYS_FROM_FILE:
    _field_keys = local_key_file(FIELD_KEYS_FILE)
try:
    FIELD_ENCRYPTION_KEYS = parse_key_list(
        "FIELD_ENCRYPTION_KEYS", _field_keys.get("FIELD_ENCRYPTION_KEYS", "")
    )
    FIELD_HASH_KEYS = parse_key_list("FIELD_HASH_KEYS", _field_keys.get("FIELD_HASH_KEYS", ""))
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
if {k for _, k in FIELD_ENCRYPTION_KEYS} & {k for _, k in FIELD_HASH_KEYS}:
    raise ImproperlyConfigured("FIELD_HASH_KEYS must not reuse a key of FIELD_ENCRYPTION_KEYS.")

# Internationalisation: Chinese first, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# django-filter's empty choice in a filter (Django's form choices say 请选择: core.wording).
FILTERS_EMPTY_CHOICE_LABEL = _("All")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded workbooks (.xlsx): checked before anything parses them (core/uploads.py). The size
# of the file; the size its parts unpack to, each and together; the compression ratio of any
# part over 1 MB. Ordinary workbooks compress 5–20 times; a spreadsheet bomb, a thousand.
SPREADSHEET_MAX_BYTES = env_int("SPREADSHEET_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = env_int(
    "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024, minimum=1
)
SPREADSHEET_MAX_RATIO = env_int("SPREADSHEET_MAX_RATIO", 100, minimum=1)
WHITENOISE_USE_FINDERS = DEBUG

# Background work: the Django tasks API with the database backend, so the demo needs no broker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Notifications also go out by email when an SMTP server is configured (EMAIL_HOST).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gaoxin@localhost")
NOTIFY_BY_EMAIL = bool(EMAIL_HOST)

# Notification delivery (gaoxin/notifications; docs/deployment.md "Notification channels").
# Every provider's base URL is a setting, so a government proxy can stand in front of it.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")  # absolute links in chat apps
NOTIFY_HTTP_TIMEOUT = env_int("NOTIFY_HTTP_TIMEOUT", 10, minimum=1)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6, minimum=1)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60, minimum=1)
NOTIFY_RETRY_CAP_SECONDS = env_int("NOTIFY_RETRY_CAP_SECONDS", 3600, minimum=1)


def env_quiet_hours(name: str, default: str) -> tuple[str, str] | None:
    """HH:MM-HH:MM (may cross midnight), or empty for none."""
    raw = os.environ.get(name, default).strip()
    if not raw:
        return None
    try:
        start, end = (part.strip() for part in raw.split("-"))
        for part in (start, end):
            hours, minutes = part.split(":")
            if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
                raise ValueError
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: write the quiet hours as HH:MM-HH:MM, e.g. 22:00-07:00."
        ) from None
    return start, end


# No SMS in these hours (local time) except for urgent events; a person may set their own.
NOTIFY_QUIET_HOURS = env_quiet_hours("NOTIFY_QUIET_HOURS", "22:00-07:00")
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "").strip().lower()  # aliyun | tencent | ""
if SMS_PROVIDER not in ("", "aliyun", "tencent"):
    raise ImproperlyConfigured(f"SMS_PROVIDER={SMS_PROVIDER!r}: use aliyun, tencent or nothing.")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "")
# Template codes per event type until an admin sets them (event=code,…).
SMS_TEMPLATES = dict(item.split("=", 1) for item in env_list("SMS_TEMPLATES", []) if "=" in item)
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
ALIYUN_SMS_REGION = os.environ.get("ALIYUN_SMS_REGION", "cn-hangzhou")
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
TENCENT_SMS_ENDPOINT = os.environ.get("TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com")
TENCENT_SMS_HOST = os.environ.get("TENCENT_SMS_HOST", "")  # signed Host when behind a proxy
TENCENT_SMS_REGION = os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou")
TENCENT_SMS_SECRET_ID = os.environ.get("TENCENT_SMS_SECRET_ID", "")
TENCENT_SMS_SECRET_KEY = os.environ.get("TENCENT_SMS_SECRET_KEY", "")
TENCENT_SMS_SDK_APP_ID = os.environ.get("TENCENT_SMS_SDK_APP_ID", "")
WECOM_BASE_URL = os.environ.get("WECOM_BASE_URL", "https://qyapi.weixin.qq.com")
WECOM_CORP_ID = os.environ.get("WECOM_CORP_ID", "")
WECOM_AGENT_ID = os.environ.get("WECOM_AGENT_ID", "")
WECOM_SECRET = os.environ.get("WECOM_SECRET", "")
DINGTALK_BASE_URL = os.environ.get("DINGTALK_BASE_URL", "https://oapi.dingtalk.com")
DINGTALK_APP_KEY = os.environ.get("DINGTALK_APP_KEY", "")
DINGTALK_APP_SECRET = os.environ.get("DINGTALK_APP_SECRET", "")
DINGTALK_AGENT_ID = os.environ.get("DINGTALK_AGENT_ID", "")
for _name in ("WECOM_AGENT_ID", "DINGTALK_AGENT_ID"):
    if globals()[_name] and not globals()[_name].isdigit():
        raise ImproperlyConfigured(f"{_name}={globals()[_name]!r} must be a number.")

# Single sign-on (gaoxin/accounts/sso.py; docs/deployment.md "Single sign-on"). Either or both.
# Unknown people: "inactive" creates the account switched off for an admin to switch on,
# "refuse" creates nothing. Local accounts keep working (demo, emergencies).
SSO_UNKNOWN_USERS = os.environ.get("SSO_UNKNOWN_USERS", "inactive").strip().lower()
if SSO_UNKNOWN_USERS not in ("inactive", "refuse"):
    raise ImproperlyConfigured(f"SSO_UNKNOWN_USERS={SSO_UNKNOWN_USERS!r}: use inactive or refuse.")
SSO_LINK_BY_USERNAME = env_bool("SSO_LINK_BY_USERNAME", True)
# A provider that asserts multi-factor sign-in (OIDC amr/acr, a CAS attribute) satisfies the
# platform's second factor; otherwise the platform's TOTP still applies to required roles.
SSO_TRUST_PROVIDER_MFA = env_bool("SSO_TRUST_PROVIDER_MFA", True)
SSO_MFA_AMR_VALUES = env_list("SSO_MFA_AMR_VALUES", ["mfa", "otp", "hwk", "sms"])
SSO_MFA_ACR_VALUES = env_list("SSO_MFA_ACR_VALUES", [])
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "统一身份认证")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile email phone")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_USE_NONCE = True
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = NOTIFY_HTTP_TIMEOUT
OIDC_STORE_ID_TOKEN = True  # for the provider's sign-out (id_token_hint)
LOGIN_REDIRECT_URL_FAILURE = "login"
if OIDC_ENABLED:
    _missing = [
        n
        for n in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[n]
    ]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED=1 needs {', '.join(_missing)}.")
CAS_ENABLED = env_bool("CAS_ENABLED", False)
CAS_PROVIDER_NAME = os.environ.get("CAS_PROVIDER_NAME", "统一身份认证（CAS）")
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "")
CAS_VERSION = os.environ.get("CAS_VERSION", "3")
CAS_CREATE_USER = False  # accounts are made by gaoxin.accounts.sso, as the mapping says
CAS_LOGOUT_COMPLETELY = True
CAS_STORE_NEXT = True
CAS_REDIRECT_URL = "/"
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
if CAS_ENABLED and not CAS_SERVER_URL:
    raise ImproperlyConfigured(
        "CAS_ENABLED=1 needs CAS_SERVER_URL (e.g. https://sso.example/cas/)."
    )

# Office hours for working-hour and working-minute limits (the committee's service hall).
WORK_DAY_PERIODS = [("09:00", "12:00"), ("13:30", "17:30")]
# Ratings (好差评): a closed case not rated within these working days counts as satisfied; a
# bad rating's remediation is due within these working days.
RATING_WORKING_DAYS = env_int("RATING_WORKING_DAYS", 5, minimum=1)
REMEDIATION_WORKING_DAYS = env_int("REMEDIATION_WORKING_DAYS", 15, minimum=1)
# The coordinating office (统筹协调部门, e.g. 党政办/营商环境局): the codes of the departments
# whose staff move a problem to another department. Nobody else may (docs/security.md).
DISPATCH_COORDINATING_DEPARTMENTS = env_list("DISPATCH_COORDINATING_DEPARTMENTS", ["office"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gaoxin.core.requestid.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
