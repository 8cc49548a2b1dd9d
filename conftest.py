"""Shared test set-up: services that may be missing, role-bound clients, Playwright on Debian's
Chromium."""

import os

import pytest

from centres.middleware import SESSION_KEY
from centres.roles import Role

# `worker` and `broker` fixtures: a real Celery worker for integration tests; `oidc_provider` and
# `nhsmail`: a real OpenID Connect provider process for the NHSmail sign-in tests.
pytest_plugins = ["tests.celery_worker", "tests.oidc_provider"]

ALL_ROLES: list[Role | None] = [None, *Role]  # None = a plain learner (delegate with no role)


def _postgres_configured() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _redis_configured() -> bool:
    return bool(os.environ.get("REDIS_URL"))


@pytest.fixture(autouse=True)
def _job_groups(request):
    """Every database test starts with the job groups (see tests.factories.job_groups_ensure)
    and the staff passport catalogue."""
    if request.node.get_closest_marker("django_db") is not None:
        from staffpassport.catalogue import catalogue_ensure
        from tests.factories import job_groups_ensure

        request.getfixturevalue("db" if not _is_transactional(request) else "transactional_db")
        job_groups_ensure()
        catalogue_ensure()  # the staff passport's seeded catalogue (staffpassport/catalogue.py)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgresql://... (CI does)")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://... (CI does)")
    skip_browser = pytest.mark.skip(reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)")
    for item in items:
        if "postgres" in item.keywords and not _postgres_configured():
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not _redis_configured():
            item.add_marker(skip_redis)
        if "system" in item.keywords and not os.path.exists("/usr/bin/chromium"):
            item.add_marker(skip_browser)
    # Browser tests last: Playwright's sync API keeps an event loop in the main thread for the
    # rest of the session, and Django's test client cannot call an async view (/health/) from a
    # thread with a running loop. The order within each group is kept.
    items.sort(key=lambda item: "system" in item.keywords)


def pytest_sessionfinish(session, exitstatus):
    """In CI every service is configured, so a skipped test means something is broken."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"CI: {skipped} test(s) were skipped; every test must run in CI.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth keeps rate-limit counters in the cache; start every test with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def login_as(client):
    """`login_as(user, centre)` logs the test client in with `centre` as the current centre."""

    def _login(user, centre=None, test_client=None):
        test_client = test_client or client
        test_client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        if centre is not None:
            session = test_client.session
            session[SESSION_KEY] = centre.pk
            session.save()
        return test_client

    return _login


@pytest.fixture
def centre(db):
    from tests.factories import CentreFactory

    return CentreFactory()


@pytest.fixture
def role_member(db):
    """`role_member(centre, role)` makes an approved, active delegate holding `role` (or none)."""
    from tests.factories import MembershipFactory

    def _make(centre, role: Role | None = None, **kwargs):
        return MembershipFactory(centre=centre, role=role, **kwargs)

    return _make


# Playwright: Debian's Chromium, never a downloaded browser.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}
