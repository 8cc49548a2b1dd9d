"""Production settings pass Django's deployment checks; environment parsing works."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.env import mailer_from_url

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k3y-" + "x9Q2" * 16,
        "ALLOWED_HOSTS": "platform.example.nhs.uk",
    }
    env.pop("EMAIL_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their session only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend", {}),
        ("file:///srv/mail", "django.core.mail.backends.filebased.EmailBackend", {"file_path": "/srv/mail"}),
        (
            "smtp://apikey:s%40cret@smtp.example.org:587?tls=true",
            "django.core.mail.backends.smtp.EmailBackend",
            {"host": "smtp.example.org", "port": 587, "username": "apikey", "password": "s@cret", "use_tls": True},
        ),
    ],
)
def test_email_url_parsing(url, backend, options):
    mailer = mailer_from_url(url)
    assert mailer["BACKEND"] == backend
    for key, value in options.items():
        assert mailer["OPTIONS"][key] == value


def test_unknown_email_scheme_is_refused():
    with pytest.raises(ValueError, match="not supported"):
        mailer_from_url("carrier-pigeon://loft")


def test_every_app_with_tests_is_collected():
    """A test folder missing from pytest's testpaths is silently never run (the referrals
    tests once were not)."""
    import tomllib

    testpaths = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {
        path.parent.parent.name
        for path in ROOT.glob("*/tests/__init__.py")
        if not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    }
    assert with_tests - testpaths == set()


def _debug_under(settings_module: str, **extra_env) -> str:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": settings_module, **extra_env})
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_local_settings_do_not_turn_debug_on_unless_asked():
    """Issue 11 finding 10: local settings defaulted to DEBUG on, and Django's debug 500 page
    prints the settings (database and Redis addresses). Off unless DEBUG is set."""
    assert _debug_under("config.settings.local") == "False"
    assert _debug_under("config.settings.local", DEBUG="1") == "True"
    assert _debug_under("config.settings.production", SECRET_KEY="k3y-" + "x9Q2" * 16, DEBUG="1") == "False"


def test_make_run_asks_for_debug_for_the_demo_server_only():
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=$${DEBUG:-1} $(PY) manage.py runserver" in run_target
    other_targets = makefile.replace(run_target, "")
    assert "DEBUG=" not in other_targets
