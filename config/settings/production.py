"""Production settings: secure cookies, HSTS, compressed static files, SMTP email."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_int, env_str, mailer_from_url

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("local-development"):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Production sends through SMTP unless EMAIL_URL names another real mail server.
MAILERS = {"default": mailer_from_url(env_str("EMAIL_URL", "smtp://localhost:25"))}

# Sign-in protection (issue 11, ADR 0018): privileged people must use a second factor.
MFA_REQUIRED_FOR_PRIVILEGED = env_bool("MFA_REQUIRED_FOR_PRIVILEGED", True)
