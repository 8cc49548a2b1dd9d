"""ADR 0030 in a real browser: the policy holds on our pages (the NHS.UK components start,
htmx runs, nothing is refused), and a refusal would fail the test (tests/system/conftest.py
listens for Chromium's "Content Security Policy" console errors)."""

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_is_refused_and_reported(page: Page, live_server, csp_violations):
    """The listener itself: a page of ours with an inline script added is refused and reported."""
    url = f"{live_server.url}/accounts/login/"

    def with_inline_script(route):
        response = route.fetch()
        body = response.text().replace("</body>", "<script>document.title = 'ran';</script></body>")
        route.fulfill(response=response, body=body)

    page.route(url, with_inline_script)
    page.goto(url)
    expect(page).not_to_have_title("ran")
    assert any("inline script" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()  # seen: this test expected it


def test_pages_run_their_scripts_under_the_policy(page: Page, demo: Demo):
    """The NHS.UK frontend marks the body and starts its components from files; htmx loads."""
    log_in(page, demo.url, demo.referrer, demo.password)
    expect(page.locator("body.js-enabled.nhsuk-frontend-supported")).to_have_count(1)
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert page.evaluate("() => document.querySelectorAll('head style').length") == 0
    menu_link(page, "Support register").click()
    check_page(page, "csp-support-register")
