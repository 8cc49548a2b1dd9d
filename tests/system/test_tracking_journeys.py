"""Tracking-system journeys in a real browser (issue 3): self-registration with approval,
registration by an administrator with the welcome link, roles.

Every page visited is screenshotted and checked with axe-core (tests/system/conftest.py).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from notifications.models import OutboundEmail
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def link_in_email(demo: Demo, email: OutboundEmail, pattern: str) -> str:
    """The link from an outbox email, pointed at the live server."""
    found = re.search(rf"https?://\S+({pattern}\S*)", email.text_body)
    assert found, email.text_body
    return demo.url + urlsplit(found.group(0)).path


def header_nav(page: Page):
    return page.get_by_role("navigation", name="Menu")


def test_visitor_self_registers_is_approved_verifies_and_logs_in(page: Page, demo: Demo):
    page.goto(f"{demo.url}/register/")
    check_page(page, "register-choose-centre")
    page.get_by_label("Which centre are you registering with?").select_option(label=demo.ltht)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register")
    check_page(page, "register-form")

    page.get_by_role("button", name="Register").click()
    expect(page).to_have_title(re.compile(r"^Error: Register"))
    check_page(page, "register-form-errors")

    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Roberts")
    page.get_by_label("Email address").fill("nia.roberts@home.example")
    page.get_by_label("Job group").select_option(label="Nursing / midwifery")
    page.get_by_label("Ward or department").select_option(label="Cardiology")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("Professional registration number", exact=True).fill("19A1234E")
    page.get_by_label("Create a password").fill("night-shift-tea-break")
    page.get_by_label("Confirm your password").fill("night-shift-tea-break")
    page.get_by_label(re.compile("I agree to the terms")).check()
    page.get_by_role("button", name="Register").click()
    # A visitor sees "check your email" whether or not the address had an account (issue 11,
    # finding 7); the delegate number is on the dashboard after logging in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text("needs to approve your registration")).to_be_visible()
    check_page(page, "register-done")
    from centres.models import Membership

    number = Membership.objects.get(user__email="nia.roberts@home.example").delegate_number
    assert re.fullmatch(r"NR\d+", number)

    # The administrator approves it.
    admin = page.context.browser.new_context().new_page()
    log_in(admin, demo.url, demo.administrator, demo.password)
    header_nav(admin).get_by_role("link", name="Approvals").click()
    expect(admin.get_by_role("table")).to_contain_text("Nia Roberts")
    check_page(admin, "approvals")
    admin.get_by_role("button", name="Approve Nia Roberts").click()
    expect(admin.get_by_text(f"Nia Roberts ({number}) is approved.")).to_be_visible()
    expect(admin.get_by_role("table")).not_to_contain_text("Nia Roberts")
    expect(admin.get_by_role("table")).to_contain_text("Kieran Doyle")  # the demo's other pending person

    # The delegate confirms their email address, then logs in with their delegate number.
    confirmation = OutboundEmail.objects.get(to=["nia.roberts@home.example"], subject__startswith="Confirm your email")
    page.goto(link_in_email(demo, confirmation, "/accounts/confirm-email/"))
    check_page(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    log_in(page, demo.url, number, "night-shift-tea-break")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nia")
    check_page(page, "dashboard-new-delegate")


def test_administrator_registers_a_delegate_who_sets_a_password_once(page: Page, demo: Demo, browser):
    log_in(page, demo.url, demo.administrator, demo.password)
    page.get_by_role("link", name="Register a delegate").click()
    check_page(page, "register-delegate")
    page.get_by_role("button", name="Register delegate").click()
    expect(page).to_have_title(re.compile(r"^Error: Register a delegate"))
    check_page(page, "register-delegate-errors")

    page.get_by_label("First name").fill("Will")
    page.get_by_label("Last name").fill("Test")
    page.get_by_label("Email address", exact=True).fill("will.test@catmail.example")
    page.get_by_label("Job group").select_option(label="Nursing / midwifery")
    page.get_by_label("Ward or department").select_option(label="Emergency department")
    page.get_by_role("radio", name="No").first.check()
    page.get_by_role("radio", name="Now").check()
    page.get_by_role("button", name="Register delegate").click()
    banner = page.locator(".nhsuk-notification-banner")
    expect(banner).to_contain_text("Will Test is registered with delegate number WT")
    number = re.search(r"WT\d+", banner.inner_text()).group(0)

    welcome = OutboundEmail.objects.get(to=["will.test@catmail.example"], template="centres/emails/welcome")
    assert number in welcome.text_body
    link = link_in_email(demo, welcome, "/welcome/")
    delegate = browser.new_context().new_page()
    delegate.goto(link)
    expect(delegate.get_by_role("heading", level=1)).to_have_text("Complete your registration")
    check_page(delegate, "welcome-set-password")
    delegate.get_by_label("Create a password").fill("first-day-on-ward-7")
    delegate.get_by_label("Confirm your password").fill("first-day-on-ward-7")
    delegate.get_by_role("button", name="Set password").click()
    # Setting the password signs them in (issue 16 item 10).
    expect(delegate.get_by_text("Your password is set and you are logged in.")).to_be_visible()
    expect(delegate.get_by_role("heading", level=1)).to_have_text("Welcome, Will")

    # The same link now explains itself instead of working again.
    delegate.goto(link)
    expect(delegate.get_by_role("heading", level=1)).to_have_text("This link has already been used")
    check_page(delegate, "welcome-link-used")


def test_welcome_page_on_a_phone(phone_page: Page, demo: Demo):
    phone_page.goto(f"{demo.url}/register/")
    check_page(phone_page, "phone-register-choose-centre")
    phone_page.get_by_label("Which centre are you registering with?").select_option(label=demo.ltht)
    phone_page.get_by_role("button", name="Continue").click()
    check_page(phone_page, "phone-register-form")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_manager_filters_promotes_educator_nominates_and_revoke_is_audited(page: Page, demo: Demo, browser):
    from centres.models import Membership

    Membership.objects.filter(user__email=demo.two_centres, centre__code="LTHT").update(has_prn=True, prn="NMC-99X1234")
    log_in(page, demo.url, demo.centre_manager, demo.password)
    header_nav(page).get_by_role("link", name="Delegates").click()
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Password").select_option("set")
    page.get_by_label("Administrator").select_option("no")
    page.get_by_label("Job group").select_option(label="Nursing / midwifery")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="3 delegates match")).to_be_visible()
    check_page(page, "journey3-delegates-filtered")

    page.get_by_role("link", name="Okafor, Grace").click()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("NMC-99X1234")  # managers see PRNs
    page.get_by_role("link", name="Give or revoke roles for Grace Okafor").click()
    check_page(page, "journey3-person-roles")
    page.get_by_role("radio", name="Educator / manager").check()
    page.get_by_role("button", name="Give role").click()
    expect(page.get_by_text("Grace Okafor now has the Educator / manager role.")).to_be_visible()

    # The new educator nominates an assessor.
    educator = browser.new_context().new_page()
    log_in(educator, demo.url, demo.two_centres, demo.password)
    educator.get_by_role("radio", name=re.compile("Leeds Teaching")).check()
    educator.get_by_role("button", name="Continue").click()
    header_nav(educator).get_by_role("link", name="Roles").click()
    check_page(educator, "journey3-educator-roles")
    educator.get_by_label("Give someone a role").fill("fatima.hussain@ltht.nhs.example")
    educator.get_by_role("button", name="Find person").click()
    expect(educator.get_by_role("radio")).to_have_count(1)  # educators may nominate assessors only
    educator.get_by_role("radio", name="Assessor").check()
    educator.get_by_role("button", name="Give role").click()
    expect(educator.get_by_text("Fatima Hussain now has the Assessor role.")).to_be_visible()

    # The assessor sees no PRNs: not the delegate pages, not anywhere they can go.
    assessor = browser.new_context().new_page()
    log_in(assessor, demo.url, "fatima.hussain@ltht.nhs.example", demo.password)
    expect(assessor.get_by_text("Assessor")).to_be_visible()
    assert "NMC-99X1234" not in assessor.content()
    grace = Membership.objects.get(user__email=demo.two_centres, centre__code="LTHT")
    for path in ("/centre/delegates/", f"/centre/delegates/{grace.public_id}/", "/centre/delegates/export/"):
        response = assessor.goto(demo.url + path)
        assert response.status == 403, path
        assert "NMC-99X1234" not in assessor.content()

    # The manager revokes the assessor role; the audit trail shows all of it.
    page.goto(f"{demo.url}/centre/roles/")
    page.get_by_label("Give someone a role").fill("fatima.hussain@ltht.nhs.example")
    page.get_by_role("button", name="Find person").click()
    page.get_by_role("link", name=re.compile(r"Revoke\s+Assessor")).click()
    check_page(page, "journey3-revoke-confirm")
    page.get_by_role("button", name="Revoke role").click()
    expect(page.get_by_text("Fatima Hussain is no longer assessor.")).to_be_visible()
    header_nav(page).get_by_role("link", name="Audit trail").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Educator / manager granted to Grace Okafor")
    expect(table).to_contain_text("Assessor granted to Fatima Hussain")
    expect(table).to_contain_text("Assessor revoked from Fatima Hussain")
    check_page(page, "journey3-audit-trail")
