"""Production settings plus one URL that fails on purpose (tests/production_errors_urls.py),
so the 500 page is checked as production renders it. Used only by the production page check."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.production_errors_urls"
