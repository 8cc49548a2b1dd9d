"""Issue 12 finding 1: every page renders under config.settings.production.

collectstatic runs with the production settings (hashed files + manifest, as the Dockerfile
does) into a temporary STATIC_ROOT; gunicorn serves the test database with the production
settings; each demo role logs in through the real login form and requests every page that
takes no object id. A page that cannot render in production (a static() call the manifest
cannot answer, a missing file) is a 500 here. The 404 and 500 pages and /health/ are checked
too. Before the fix every page extending layout.html answered 500 ("Missing staticfiles
manifest entry for 'nhsuk/assets'")."""

import io
import re

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command

from accounts.models import User
from centres.management.commands.seed_demo import CENTRES, DEMO_PASSWORD, PLATFORM_STAFF_EMAIL
from tests.celery_worker import _test_database_url
from tests.production_server import ProductionServer, client, collect_static, log_in, production_env
from tests.tenancy import EXCLUDED_NAMES, iter_routes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Pages that answer with something other than a page on a plain GET, by design.
NOT_PAGES = {
    "account_logout",  # logs the client out (walked last, separately)
    "health",  # checked on its own below
}
NAV_LINK = re.compile(r'class="nhsuk-header__navigation-link"\s+href="([^"]+)"')


def _demo_logins() -> list[tuple[str, str]]:
    """(who, email): one person per role at LTHT and platform staff. The learner is MPFT's:
    LTHT's learner is at both centres and is asked to choose one first."""
    logins = [("platform staff", PLATFORM_STAFF_EMAIL)]
    for spec in CENTRES:
        for role, first_name, last_name, _ in spec["people"]:
            if (role is None) == (spec["code"] == "MPFT"):
                logins.append((role.label if role else "learner", f"{first_name}.{last_name}@{spec['domain']}".lower()))
    return logins


def _page_paths() -> list[str]:
    from django.urls import reverse

    paths = []
    for route in iter_routes():
        if route.kwarg_names or not route.name or route.name in EXCLUDED_NAMES or route.name in NOT_PAGES:
            continue
        path = reverse(route.name)
        if path not in paths:
            paths.append(path)
    return paths


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("production-static")
    collect_static(root)
    return root


@pytest.fixture
def production_server(transactional_db, production_static, tmp_path):
    env = production_env(
        database_url=_test_database_url(),
        static_root=production_static,
        media_root=settings.MEDIA_ROOT,
        # Checks before reuse, as in production; 0 here only so the test database can be dropped.
        DATABASE_CONN_MAX_AGE=0,
        # This walk is about rendering every page; with the second factor required (production's
        # default) every privileged page would redirect to its set-up. That redirect is walked by
        # test_a_privileged_login_is_sent_to_set_up_a_second_factor_in_production below.
        MFA_REQUIRED_FOR_PRIVILEGED="false",
    )
    server = ProductionServer(env, workers=2, log_path=tmp_path / "gunicorn.log")
    try:
        yield server
    finally:
        server.stop()
        print(f"----- gunicorn log -----\n{server.log()[-20000:]}")


def _assert_production_page(response, path: str, who: str) -> None:
    assert response.status_code < 500, f"{who}: {path} answered {response.status_code}"
    policy = response.headers.get("Content-Security-Policy", "")  # ADR 0030
    assert "script-src 'self'" in policy, f"{who}: {path} has no CSP"
    assert "unsafe" not in policy, f"{who}: {path} has a weak CSP"
    if response.status_code == 200 and response.headers.get("Content-Type", "").startswith("text/html"):
        html = response.text
        if "nhsuk-header" in html:  # our layout (admin pages are Django's own)
            assert 'href="/static/nhsuk/assets/images/favicon.ico"' in html, f"{who}: {path}"
            assert re.search(r'href="/static/css/main\.[0-9a-f]{12}\.css"', html), f"{who}: {path} unhashed CSS"


def test_every_page_renders_for_every_role_under_production_settings(production_server):
    call_command("seed_demo", stdout=io.StringIO())
    # The suite hashes with MD5 (fast); production accepts only its own hashers. PBKDF2 with
    # few iterations verifies under production (which then re-hashes at full strength).
    hasher = PBKDF2PasswordHasher()
    for _, email in _demo_logins():
        User.objects.filter(email=email).update(password=hasher.encode(DEMO_PASSWORD, hasher.salt(), iterations=1000))
    base = production_server.url
    paths = _page_paths()
    assert "/help/" in paths
    assert "/centre/delegates/" in paths

    anonymous = client(base)
    for path in ("/", "/accounts/login/", "/help/", "/centres/", "/verify/", "/register/"):
        response = anonymous.get(base + path, timeout=30)
        assert response.status_code == 200 if path != "/" else response.status_code in (200, 302), (path, response)
        _assert_production_page(response, path, "anonymous")

    # The files the layout links to are served (WhiteNoise, from the collected files).
    login_page = anonymous.get(base + "/accounts/login/", timeout=30).text
    css = re.search(r'href="(/static/css/main\.[0-9a-f]{12}\.css)"', login_page).group(1)
    for asset in (css, "/static/nhsuk/assets/images/favicon.ico", "/static/nhsuk/assets/manifest.json"):
        assert anonymous.get(base + asset, timeout=30).status_code == 200, asset

    for who, email in _demo_logins():
        session = client(base)
        response = log_in(session, email, DEMO_PASSWORD)
        assert response.status_code == 302, f"{who} could not log in: {response.status_code}"
        home = session.get(base + "/", timeout=30)
        assert home.status_code == 200, f"{who}: home answered {home.status_code}"
        navigation = set(NAV_LINK.findall(home.text))
        assert navigation, f"{who}: no navigation on the home page"
        for path in paths:
            response = session.get(base + path, timeout=60, allow_redirects=False)
            _assert_production_page(response, path, who)
            if path in navigation:
                # A navigation page renders (platform staff, who have no centre, are sent on).
                final = session.get(base + path, timeout=60) if response.is_redirect else response
                assert final.status_code == 200, f"{who}: navigation page {path} ended at {final.status_code}"
        assert session.get(base + "/accounts/logout/", timeout=30).status_code == 200

    # Not found: the NHS page, not Django's plain one.
    missing = anonymous.get(base + "/no-such-page/", timeout=30)
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    assert "nhsuk-header" in missing.text

    health = anonymous.get(base + "/health/?format=json", timeout=30)
    assert health.status_code == 200, health.text
    assert set(health.json().values()) == {"OK"}
    # docker-compose's probe: plain HTTP on the loopback, no proxy header, not redirected.
    probe = requests.get(base + "/health/", headers={"Accept": "text/plain"}, timeout=30, allow_redirects=False)
    assert probe.status_code == 200, probe.text
    assert requests.get(base + "/help/", timeout=30, allow_redirects=False).status_code == 301  # others are
    # Nothing failed on the way (refusals log a warning with a traceback; failures say this).
    assert "Internal Server Error" not in production_server.log()


def test_the_server_error_page_renders_under_production_settings(transactional_db, production_static, tmp_path):
    """A view that fails (tests/production_errors.py adds one to the production URLs) gets the
    NHS "Sorry, there is a problem" page, rendered without the database."""
    env = production_env(
        database_url=_test_database_url(),
        static_root=production_static,
        DATABASE_CONN_MAX_AGE=0,
        DJANGO_SETTINGS_MODULE="tests.production_errors",
    )
    with ProductionServer(env, workers=1, log_path=tmp_path / "gunicorn.log") as server:
        response = client(server.url).get(server.url + "/fail-on-purpose/", timeout=30)
        log = server.log()
    assert response.status_code == 500, log
    assert "Sorry, there is a problem with the service" in response.text
    assert re.search(r'href="/static/css/main\.[0-9a-f]{12}\.css"', response.text)
    assert "Missing staticfiles manifest entry" not in log


def test_a_privileged_login_is_sent_to_set_up_a_second_factor_in_production(
    transactional_db, production_static, tmp_path
):
    """Production's default requires a second factor of privileged roles (issue 11 finding 5):
    a centre manager's login lands on the NHS-styled set-up page, which renders."""
    call_command("seed_demo", stdout=io.StringIO())
    hasher = PBKDF2PasswordHasher()
    email = next(email for who, email in _demo_logins() if who == "Centre manager")
    User.objects.filter(email=email).update(password=hasher.encode(DEMO_PASSWORD, hasher.salt(), iterations=1000))
    env = production_env(database_url=_test_database_url(), static_root=production_static, DATABASE_CONN_MAX_AGE=0)
    with ProductionServer(env, workers=1, log_path=tmp_path / "gunicorn.log") as server:
        session = client(server.url)
        assert log_in(session, email, DEMO_PASSWORD).status_code == 302
        # Hop by hop: the session's Secure cookie is re-sent over the loopback only between
        # requests (LoopbackSession), not inside one redirect chain.
        home = session.get(server.url + "/", timeout=30, allow_redirects=False)
        assert home.status_code == 302, server.log()
        set_up_path = home.headers["Location"]
        set_up = session.get(server.url + set_up_path, timeout=30, allow_redirects=False)
        log = server.log()
    assert set_up_path.startswith("/accounts/2fa/"), set_up_path
    assert set_up.status_code == 200, log
    assert "authenticator app" in set_up.text.lower()
    _assert_production_page(set_up, set_up_path, "centre manager")
