"""The register's sign-up and administration in a real browser (desktop and phone): every
page visited is screenshotted and checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import (  # noqa: F401 - fixtures used by name
    Demo,
    _orm_beside_playwright,
    check_page,
    demo,
    demo_data,
    log_in,
    phone_page,
)

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

ADMIN = "lucy.harrington@mpft.nhs.example"


def test_administrator_configures_the_register_and_manages_users(page: Page, demo: Demo):  # noqa: F811
    log_in(page, demo.url, ADMIN, demo.password)
    page.goto(f"{demo.url}/dsr/administration/")
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    check_page(page, "dsr-admin-home")

    page.get_by_role("link", name="Change the referral form").click()
    page.get_by_label("Localities").fill("  \n ")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter at least one locality")
    check_page(page, "dsr-admin-form-error")
    page.get_by_label("Localities").fill("Stoke\nNorth Staffordshire\nstoke")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("The referral form is saved")

    page.get_by_role("link", name="Add a question").click()
    check_page(page, "dsr-admin-question")
    page.get_by_label("Question", exact=True).fill("Which housing provider?")
    page.get_by_label("Choose one from a list").check()
    page.get_by_label("Answers to choose from").fill("Council\nHousing association")
    page.get_by_role("group", name="Must it be answered?").get_by_label("No").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name=re.compile("Which housing provider"))).to_be_visible()

    page.get_by_role("link", name="Change new referral notifications").click()
    check_page(page, "dsr-admin-notifications")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()

    page.get_by_role("link", name="Manage users").click()
    check_page(page, "dsr-admin-users")
    page.get_by_role("button", name="Add a user").click()
    page.get_by_label("First name").fill("Rita")
    page.get_by_label("Last name").fill("Reporter")
    page.get_by_label("Email address").fill("rita.reporter@mpft.nhs.example")
    page.get_by_role("radio", name=re.compile("Reporting user")).check()
    check_page(page, "dsr-admin-user-add")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Rita Reporter is added")
    page.get_by_role("link", name="Rita Reporter").click()
    check_page(page, "dsr-admin-user-edit")

    page.goto(f"{demo.url}/dsr/administration/audit/?date_from=yesterday")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the from date as a real date")
    page.goto(f"{demo.url}/dsr/administration/audit/?action=register.user_added")
    expect(page.get_by_text("rita.reporter@mpft.nhs.example")).to_be_visible()
    check_page(page, "dsr-admin-audit")


def test_administration_on_a_phone(phone_page: Page, demo: Demo):  # noqa: F811
    log_in(phone_page, demo.url, ADMIN, demo.password)
    for path, name in (
        ("/dsr/administration/", "dsr-admin-home-phone"),
        ("/dsr/administration/users/", "dsr-admin-users-phone"),
        ("/dsr/administration/audit/", "dsr-admin-audit-phone"),
    ):
        phone_page.goto(demo.url + path)
        check_page(phone_page, name)
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"


def test_signup_pages(page: Page, demo: Demo):  # noqa: F811
    page.goto(f"{demo.url}/dsr/join/staffordshire/")
    check_page(page, "dsr-signup")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("Email address").fill("nina@gmail.example")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your organisation is not on the list")).to_be_visible()
    check_page(page, "dsr-signup-not-listed")
    page.goto(f"{demo.url}/dsr/join/staffordshire/")
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("Email address").fill("nina.newcomer@mpft.nhs.example")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_page(page, "dsr-signup-done")
