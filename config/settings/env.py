"""Small helpers that read settings from the environment (documented in .env.example)."""

import os
from urllib.parse import parse_qs, unquote, urlparse


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def mailer_from_url(url: str) -> dict:
    """Turn EMAIL_URL into a MAILERS entry.

    console://            print emails to the console
    file:///path/to/dir   write each email to a file in that folder
    locmem://             keep emails in memory (tests)
    smtp://user:pass@host:587?tls=true   send through SMTP
    dotted.path.Backend://?option=value  any backend class; query parameters become its
                          OPTIONS (as strings), e.g.
                          notifications.testing.FlakyFileBackend://?file_path=/tmp/mail
    """
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parsed.path)},
        }
    if scheme in {"smtp", "smtps"}:
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        options = {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or (465 if scheme == "smtps" else 25),
            "username": unquote(parsed.username or ""),
            "password": unquote(parsed.password or ""),
            "use_tls": query.get("tls", "").lower() in {"1", "true", "yes"},
            "use_ssl": scheme == "smtps",
            "timeout": 20,
        }
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    if "." in scheme or scheme == "":
        # A dotted backend path, e.g. "notifications.testing.FlakyFileBackend://" for tests.
        # urlparse lower-cases the scheme, so take the class path from the raw URL.
        backend, _, rest = url.partition("://")
        query = parse_qs(rest.partition("?")[2])
        return {"BACKEND": backend, "OPTIONS": {key: values[-1] for key, values in query.items()}}
    raise ValueError(f"EMAIL_URL scheme {scheme!r} is not supported")
