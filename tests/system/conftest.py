"""Browser tests: a live server loaded with the demo data, axe-core checks, screenshots and a
phone-sized browser.

Mark every test module here `pytestmark = pytest.mark.system`: the root conftest skips those
tests when Chromium is missing.
"""

import io
import json
import os
import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Any pytest run with pytest-playwright empties test-results/ when it starts, so SCREENSHOTS_DIR
# can point somewhere else while you look at a run's screenshots.
SCREENS = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "test-results" / "screens")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# A phone held upright (iPhone 12-15 size); pages must work without sideways scrolling.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}


# -- helpers ---------------------------------------------------------------------------------


def axe_check(page: Page, *, context: str = "") -> None:
    """Run axe-core (WCAG 2.2 A and AA rules) on the page as it is now; fail on any violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script> tag: the page's CSP (ADR 0030) refuses inline scripts.
        page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = result["violations"]
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {page.url} {context}".rstrip()]
        for violation in violations:
            lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
        report = "\n".join(lines)
        print(report)
        pytest.fail(report, pytrace=False)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to test-results/screens/<name>.png (gitignored) or
    $SCREENSHOTS_DIR/<name>.png."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page: Page, name: str) -> None:
    """What every visited page gets: a screenshot, then the axe check."""
    screenshot(page, name)
    axe_check(page, context=f"({name})")


def log_in(page: Page, base_url: str | None, login: str, password: str) -> None:
    """Fill in the login form: at /accounts/login/ when `base_url` is given, else on the page
    already open (for example after a redirect to the login page)."""
    if base_url is not None:
        page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address or delegate number").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def fill_date(page: Page, legend: str, day) -> None:
    """Type a date into the NHS.UK date input (day, month and year boxes) under ``legend``."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def menu_link(page: Page, name: str):
    """The header menu's link `name`; on a narrow screen or with many items the header moves
    the last ones behind "More", so open it when the link is not shown."""
    menu = page.get_by_role("navigation", name="Menu")
    link = menu.get_by_role("link", name=name, exact=True).first
    if not link.is_visible():
        menu.get_by_role("button", name="Browse More").click()
    return link


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread, so Django refuses ORM calls
    there (test database set-up, fixtures, test bodies), although they are plain synchronous
    code. Allow them for the browser tests only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@dataclass(frozen=True)
class Demo:
    """The people `seed_demo` loads (see centres/management/commands/seed_demo.py)."""

    url: str
    password: str = "demo-passport-2026"
    learner: str = "oliver.bennett@mpft.nhs.example"
    two_centres: str = "grace.okafor@ltht.nhs.example"
    assessor: str = "tom.underwood@ltht.nhs.example"
    educator: str = "priya.raman@ltht.nhs.example"
    administrator: str = "alan.whitaker@ltht.nhs.example"
    centre_manager: str = "helen.marsh@ltht.nhs.example"
    platform_staff: str = "platform.staff@platform.nhs.example"
    # The Staffordshire and Stoke-on-Trent DSR (referrals/demo.py) at MPFT.
    referrer: str = "sophie.clarke@mpft.nhs.example"
    dsr_reporting: str = "marcus.reid@mpft.nhs.example"
    dsr_admin: str = "lucy.harrington@mpft.nhs.example"
    dsr_team_inbox: str = "dynamicsupportregister@mpft.nhs.example"
    ltht: str = "Leeds Teaching Hospitals NHS Trust"
    mpft: str = "Midlands Partnership University NHS Foundation Trust"


CSP_ERROR = "Content Security Policy"


@pytest.fixture(autouse=True)
def csp_violations(browser, monkeypatch) -> list[str]:
    """ADR 0030: a page that breaks its Content-Security-Policy (an inline script or style, a
    third-party origin) fails the browser test. Chromium reports each refusal as a console
    error; every context the test opens (page, phone_page, new_context, browser.new_context)
    listens for them."""
    violations: list[str] = []
    original_new_context = browser.new_context

    def on_console(message) -> None:
        if message.type == "error" and CSP_ERROR in message.text:
            violations.append(f"{message.location.get('url', '')}: {message.text}")

    def new_context(*args, **kwargs):
        context = original_new_context(*args, **kwargs)
        context.on("console", on_console)
        return context

    monkeypatch.setattr(browser, "new_context", new_context)
    yield violations
    assert not violations, "Content Security Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def demo_data(_orm_beside_playwright, transactional_db):
    """The demo centres and people. Live-server tests flush the database after each test,
    which also removes the job groups and the staff passport catalogue that data migrations
    load, so put those back first."""
    import_module("centres.migrations.0002_job_groups").load_job_groups(django_apps, None)
    import_module("staffpassport.migrations.0002_catalogue_seed").seed(django_apps, None)  # idempotent
    # The journeys start from the people alone: the passport demo (Grace's IV Therapy Passport,
    # Priya's staff list; passports/demo.py) would be in their way.
    # and the staff passports from the example ESR feed (the slowest part) are loaded by the
    # one journey that walks them.
    with override_settings(PASSPORTS_DEMO_ENROLMENTS=False, STAFFPASSPORT_DEMO_STAFF=False):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def demo(live_server, demo_data) -> Demo:
    """A live server with the demo data; `demo.url` is its address."""
    return Demo(url=live_server.url)


@pytest.fixture
def phone_page(new_context) -> Page:
    """A page in a phone-sized browser (390 x 844, touch)."""
    return new_context(**PHONE).new_page()
