"""Centre configuration (C10), Find your centre (C1) and help (C15) in a real browser.

Every page visited is screenshotted and checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Membership, RegistrationPrompt
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"


def test_centre_manager_configures_the_centre(page: Page, demo: Demo):
    log_in(page, demo.url, demo.centre_manager, demo.password)
    menu_link(page, "Centre configuration").click()
    expect(page).to_have_title("Centre configuration" + TITLE_SUFFIX)
    check_page(page, "config-summary")

    # Support details: a wrong-length entry first would be unusual; save a real one.
    page.get_by_role("link", name="Change support details").click()
    expect(page).to_have_title("Centre support details" + TITLE_SUFFIX)
    check_page(page, "config-support-details")
    page.get_by_label("Centre support details").fill("Learning team: learning@ltht.nhs.example\nExtension 4455")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title("Centre configuration" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Support details saved")
    expect(page.get_by_text("Extension 4455")).to_be_visible()

    # Notify email: an invalid address shows the error summary.
    page.get_by_role("link", name="Change notify email address").click()
    page.get_by_label("Notify email address").fill("approvals@")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title("Error: Notify email address" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter an email address in the correct format")
    check_page(page, "config-notify-email-error")
    page.get_by_label("Notify email address").fill("approvals@ltht.nhs.example")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Notify email address saved")

    # Add a prompt with options: a duplicate option is caught first.
    page.get_by_role("button", name="Add a registration prompt").click()
    expect(page).to_have_title("Add a registration prompt" + TITLE_SUFFIX)
    check_page(page, "config-prompt-add")
    page.get_by_label("Prompt text").fill("Which ward do you work on?")
    page.get_by_role("group", name="Must delegates answer this prompt?").get_by_label("Yes").check()
    page.get_by_label("Answers to choose from (optional)").fill("Ward 1\nWard 2\nward 1")
    page.get_by_role("button", name="Add prompt").click()
    expect(page).to_have_title("Error: Add a registration prompt" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("“ward 1” is listed more than once")
    check_page(page, "config-prompt-add-error")
    page.get_by_label("Answers to choose from (optional)").fill("Ward 1\nWard 2\nOutpatients")
    page.get_by_role("button", name="Add prompt").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Which ward do you work on?")
    # The demo centre already asks "Ward or department" as prompt 1.
    expect(page.get_by_role("heading", name="Prompt 2: Which ward do you work on?")).to_be_visible()
    check_page(page, "config-summary-with-prompt")

    # Two delegates answer it (as registration will), then the manager removes it.
    prompt = RegistrationPrompt.objects.get(centre__code="LTHT", position=2)
    Membership.objects.filter(centre__code="LTHT", user__first_name__in=["Grace", "Tom"]).update(answer2="Ward 1")
    page.reload()
    page.get_by_role("link", name=re.compile("^Remove.*Which ward do you work on")).click()
    expect(page).to_have_title("Remove registration prompt" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-card--warning")).to_contain_text("2 delegates have answered this prompt")
    check_page(page, "config-prompt-remove-confirm")
    page.get_by_role("button", name="Remove prompt and 2 answers").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("removed and 2 answers cleared")
    assert not RegistrationPrompt.objects.filter(pk=prompt.pk).exists()
    assert not Membership.objects.filter(centre__code="LTHT").exclude(answer2="").exists()

    # The audit trail records each change.
    menu_link(page, "Audit trail").click()
    expect(page.locator("table")).to_contain_text("Registration prompt removed")
    expect(page.locator("table")).to_contain_text("Centre support details changed")


def test_learner_sees_support_details(page: Page, demo: Demo):
    log_in(page, demo.url, demo.assessor, demo.password)
    expect(page.get_by_role("heading", name="Help and support")).to_be_visible()
    expect(page.get_by_text("Clinical Education Team")).to_be_visible()
    check_page(page, "dashboard-help-and-support")


def test_visitor_finds_a_centre(page: Page, demo: Demo):
    page.goto(f"{demo.url}/accounts/login/")
    page.get_by_role("link", name="Find your centre").click()
    expect(page).to_have_title("Find your centre" + TITLE_SUFFIX)
    check_page(page, "directory-all")
    page.get_by_label("Centre name or postcode").fill("ls9")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile("1 centre matches"))).to_be_visible()
    expect(page.get_by_text(demo.mpft)).to_have_count(0)
    check_page(page, "directory-search")
    page.get_by_role("link", name=demo.ltht).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.ltht)
    expect(page.get_by_text("education.ltht@ltht.nhs.example")).to_be_visible()
    expect(page.get_by_text("10.160.")).to_have_count(0)
    check_page(page, "directory-detail")
    page.goto(f"{demo.url}/centres/?q=Wigan")
    expect(page.get_by_role("heading", name="No centres match “Wigan”")).to_be_visible()
    check_page(page, "directory-no-results")


def test_help_page(page: Page, demo: Demo):
    page.goto(f"{demo.url}/")
    page.goto(f"{demo.url}/help/")
    expect(page).to_have_title("Help" + TITLE_SUFFIX)
    expect(page.get_by_role("heading", name="Help for learners")).to_be_visible()
    check_page(page, "help-anonymous")
    log_in(page, demo.url, demo.centre_manager, demo.password)
    page.get_by_role("link", name="Help", exact=True).click()
    headings = page.locator("h2").all_inner_texts()
    assert headings.index("Help for centre managers") < headings.index("Help for learners")
    check_page(page, "help-centre-manager")


def test_phone_width(phone_page: Page, demo: Demo):
    page = phone_page
    page.goto(f"{demo.url}/centres/")
    check_page(page, "phone-directory")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    log_in(page, demo.url, demo.centre_manager, demo.password)
    page.goto(f"{demo.url}/centre/configuration/")
    check_page(page, "phone-config-summary")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
