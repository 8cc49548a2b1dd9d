"""R9/R10 in a browser: the dashboard with the demo register (axe, desktop and phone widths)
and asking for a report through to its progress page."""

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import (  # noqa: F401 - fixtures
    Demo,
    _orm_beside_playwright,
    check_page,
    demo,
    demo_data,
    log_in,
    phone_page,
)

pytestmark = pytest.mark.system

ADMIN = "lucy.harrington@mpft.nhs.example"  # DSR administrator at MPFT (seed_demo)


def test_dashboard_and_report_request(page: Page, demo: Demo):  # noqa: F811 - the fixture imported above
    log_in(page, demo.url, ADMIN, demo.password)
    page.goto(f"{demo.url}/dsr/reporting/")
    expect(page.get_by_role("heading", name="Reporting", level=1)).to_be_visible()
    risk = page.locator("#chart-risk")
    expect(risk.get_by_role("row", name="Red")).to_contain_text("5")
    expect(page.locator("#chart-organisation")).to_contain_text("Stoke-on-Trent City Council")
    check_page(page, "dsr-dashboard")

    page.get_by_label("Referring organisation").first.select_option(label="Stoke-on-Trent City Council")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", name="Stoke-on-Trent City Council", level=2)).to_be_visible()
    check_page(page, "dsr-dashboard-one-organisation")

    page.get_by_role("button", name="Request report").click()
    expect(page.get_by_role("link", name="Choose a report")).to_be_visible()
    check_page(page, "dsr-dashboard-report-error")

    # The key working team report (ages 0 to 25) offers no age filter (issue 16 item 12).
    page.get_by_label("Key working team data", exact=True).check()
    expect(page.locator("#report_age")).to_be_hidden()
    page.get_by_label("Referral and outcome data", exact=True).check()
    expect(page.locator("#report_age")).to_be_visible()
    page.locator("#report_risk").select_option(label="Red")
    page.get_by_role("button", name="Request report").click()
    # The report form started with the organisation the figures were for.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Referral and outcome data (Stoke-on-Trent City Council, Red risk)"
    )
    expect(page.get_by_text("Your spreadsheet is ready")).to_be_visible()


def test_dashboard_fits_a_phone(phone_page: Page, demo: Demo):  # noqa: F811 - the fixtures imported above
    log_in(phone_page, demo.url, ADMIN, demo.password)
    phone_page.goto(f"{demo.url}/dsr/reporting/")
    expect(phone_page.get_by_role("heading", name="Reporting", level=1)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_page(phone_page, "dsr-dashboard-phone")
