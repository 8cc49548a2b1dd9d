"""Settings shared by every environment. Every value that differs between machines comes
from the environment; `.env.example` documents each variable."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from config.settings.env import env_bool, env_int, env_list, env_str, mailer_from_url
from config.settings.nhsmail import form_action_with, nhsmail_providers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "local-development-only-not-secret")
# Seals the private keys that sign verifiable credentials (ADR 0040); SECRET_KEY when unset.
VC_SIGNING_KEY_SECRET = env_str("VC_SIGNING_KEY_SECRET", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SERVICE_NAME = env_str("SERVICE_NAME", "Learning and Support Platform")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "simple_history",
    "core",
    "accounts",
    "submissions",
    "centres",
    "notifications",
    "reporting",
    "passports",
    "referrals",
    "support",
    "elearning",
    "staffpassport",
    "health_check",  # /health/ (config/health.py)
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "submissions.middleware.StripNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.session_refresh.SessionRefreshMiddleware",  # the idle timeout (SESSION_IDLE_MINUTES)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages are private by default: a view open to anonymous visitors says @login_not_required
    # (ADR 0030; tests/test_security_defaults.py lists every public page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "config.middleware.NoStoreMiddleware",  # personal data is never cached (ADR 0017)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # ADR 0030
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "centres.middleware.CurrentCentreMiddleware",
]

# ADR 0030: scripts, styles, images and forms from this site only; no inline script or style
# (static/src/js holds the scripts, main.css the styles), no third-party origin, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # Every user-facing page is Jinja2 with the NHS.UK frontend macros.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.platform",
            ],
        },
    },
    {
        # Django templates only for the admin (and allauth's plain-text flash messages).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Production readiness (issue 12 findings 1, 2: prod-render) -------------------------
# Persistent database connections, checked before reuse (measured: about 1.3x the requests
# per second of a new connection per request).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Fails open while Redis is down (a log line, then a miss), so login, password reset and
    # /verify/ keep working with their rate limits off; short timeouts so a lost Redis host
    # cannot hold a request for long.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    # Permissions on a centre, computed from the person's roles there (ADR 0027).
    "centres.access.RolePermissionBackend",
]
# C9: NCSC guidance - length, not composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Issue 11 finding 8: names, the service's name, and common words with a year or "1!" added.
    {"NAME": "accounts.validators.PersonalInformationValidator"},
    {"NAME": "accounts.validators.ServiceNameValidator"},
    {"NAME": "accounts.validators.CommonWordWithAdditionsValidator"},
]
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60  # C9: reset links last 2 hours
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOCKOUT_ATTEMPTS = 5

# Sessions end after inactivity (C9); every request pushes the expiry forward.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Not on every request: core.session_refresh extends a live session at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-allauth
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "change_password": "accounts.forms.ChangePasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    "reset_password": "20/m/ip,5/m/key",
}  # "login" and "login_failed": see "Sign-in protection" below
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env_str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")

# -- NHSmail sign-in (issue 14, seed 001, ADR 0034): allauth's OpenID Connect provider against
# NHSmail's Microsoft Entra ID tenant. With any of the three unset the "Log in with NHSmail"
# button is hidden and its URL answers 404. Only @nhs.net identities, only existing accounts
# (accounts/nhsmail_adapter.py); no sign-up.
NHSMAIL_OIDC_SERVER_URL = env_str("NHSMAIL_OIDC_SERVER_URL")
NHSMAIL_OIDC_CLIENT_ID = env_str("NHSMAIL_OIDC_CLIENT_ID")
NHSMAIL_OIDC_CLIENT_SECRET = env_str("NHSMAIL_OIDC_CLIENT_SECRET")
INSTALLED_APPS += ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]
SOCIALACCOUNT_ADAPTER = "accounts.nhsmail_adapter.NHSmailAdapter"
SOCIALACCOUNT_PROVIDERS = nhsmail_providers(
    server_url=NHSMAIL_OIDC_SERVER_URL, client_id=NHSMAIL_OIDC_CLIENT_ID, client_secret=NHSMAIL_OIDC_CLIENT_SECRET
)
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True  # the first NHSmail sign-in links the account
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
# The NHSmail button posts to us and is redirected to the provider: its origin may be a form's
# destination too (only when NHSmail is configured; ADR 0034).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = form_action_with(
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
    server_url=NHSMAIL_OIDC_SERVER_URL,
    configured=bool(SOCIALACCOUNT_PROVIDERS),
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static" / "dist", BASE_DIR / "static" / "src"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Email: every email is written to the notifications outbox first, then sent by a task.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "NHS Learning Platform <noreply@platform.nhs.uk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = {"default": mailer_from_url(env_str("EMAIL_URL", "console://"))}
# C13: new support tickets (and centre replies to them) are emailed to the platform team here.
PLATFORM_SUPPORT_EMAIL = env_str("PLATFORM_SUPPORT_EMAIL", "support@platform.nhs.example")

# Celery: with REDIS_URL a real worker and beat run; without it tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# Reliability (docs/adr/0020): a task's message is acknowledged when the task ends, not when
# it starts; if the worker process is killed, the message is given back (reject on worker
# lost) instead of being lost with the job half done. Redis redelivers a message nobody
# acknowledged after the visibility timeout, which must be longer than the longest task
# (the hard time limit) or a running task would be started a second time; the job rows'
# claims make a second start harmless anyway, and the beat sweep below notices a dead job
# long before the timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT}
# A job (report, bulk upload step) with no heartbeat for this long is presumed dead and is
# queued again, or failed with a message once a worker has started it this many times.
JOB_STALE_AFTER_SECONDS = env_int("JOB_STALE_AFTER_SECONDS", 5 * 60)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# Tests only: a pause after each progress heartbeat, so a test can kill a worker mid-job.
JOB_PROGRESS_DELAY_SECONDS = float(env_str("JOB_PROGRESS_DELAY_SECONDS", "0") or 0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues a task while Redis is down gives up quickly (core/tasks.py logs it;
# the outbox and job sweeps send it later) instead of retrying for seconds.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# After a failed dispatch, further dispatches in this process skip the broker this long.
BROKER_DOWN_BACKOFF_SECONDS = env_int("BROKER_DOWN_BACKOFF_SECONDS", 10)
CELERY_BEAT_SCHEDULE = {
    # ADR 0026: once a week, each subscriber's summary of what waits for them at each centre.
    "weekly-summaries": {
        "task": "notifications.tasks.weekly_summaries_send_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="monday"),
    },
    "outbox-sweep": {
        "task": "notifications.tasks.outbox_sweep",
        "schedule": 5 * 60.0,
    },
    "report-files-expire": {
        "task": "reporting.tasks.report_files_expire_task",
        "schedule": 60 * 60.0,
    },
    # ADR 0042: previews of every upload kind left unconfirmed for a week are cancelled.
    "upload-jobs-expire": {
        "task": "reporting.tasks.upload_jobs_expire_task",
        "schedule": 60 * 60.0,
    },
    "submission-tokens-expire": {
        "task": "submissions.tasks.submission_tokens_expire_task",
        "schedule": 60 * 60.0,
    },
    "report-jobs-sweep": {
        "task": "reporting.tasks.report_jobs_sweep_task",
        "schedule": 60.0,
    },
    # ADR 0042: one sweep for every upload kind (delegate bulk upload, ESR feed): a step whose
    # worker died is sent again, or failed visibly after JOB_MAX_ATTEMPTS starts.
    "upload-jobs-sweep": {
        "task": "reporting.tasks.upload_jobs_sweep_task",
        "schedule": 60.0,
    },
    # E2: pending eLearning invitations past their 30 days become expired (ADR 0036).
    "elearning-invitations-expire": {
        "task": "elearning.tasks.invitations_expire_task",
        "schedule": crontab(minute=30, hour=2),
    },
}
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
# First retry delay of a failed email send; it doubles on each retry (30 s, 60 s, 2 min ...).
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)

# A request from one of these proxies may name the client address in X-Forwarded-For.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# -- Sign-in protection (issue 11, ADR 0018): second factor, rate limits per account and per
# client address. The client address comes from accounts.net.client_ip (TRUSTED_PROXIES above)
# through the account adapter, so allauth needs no proxy setting of its own.
INSTALLED_APPS += ["allauth.mfa"]
MIDDLEWARE += ["centres.second_factor.SecondFactorRequiredMiddleware"]
# A second factor for platform staff, centre managers, administrators, DSR administrators and
# reporting users; production.py turns it on, the local demo and tests leave it off.
MFA_REQUIRED_FOR_PRIVILEGED = env_bool("MFA_REQUIRED_FOR_PRIVILEGED", False)
MFA_ADAPTER = "centres.second_factor.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
MFA_TOTP_TOLERANCE = 1  # a code from the previous or next 30 seconds (phone clocks drift)
MFA_FORMS = {
    "activate_totp": "accounts.mfa_forms.ActivateTOTPForm",
    "authenticate": "accounts.mfa_forms.AuthenticateForm",
    "reauthenticate": "accounts.mfa_forms.ReauthenticateForm",
}
ACCOUNT_RATE_LIMITS |= {
    # Every login form post, per client address.
    "login": "30/m/ip",
    # Wrong passwords (and wrong second-factor codes): per client address, so one address cannot
    # try many accounts, and per account, on top of our lockout after 5 (ADR 0003).
    "login_failed": "10/m/ip,5/5m/key",
}

# -- django-import-export (ADR 0031): platform reference data in the Django admin. Imports need
# the model's permission (the admins ask for add and change where an import can add); exports
# need view. Text cells are formula-escaped by the resources themselves (centres/resources.py:
# = + - @ tab CR, as reporting.excel), not by IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT, which
# strips a leading "=" only. The file between preview and confirm is kept in MEDIA_ROOT.
INSTALLED_APPS += ["import_export"]
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
