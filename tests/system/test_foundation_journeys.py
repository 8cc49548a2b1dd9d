"""The foundation journeys in a real browser: log in (email or delegate number) for each kind
of person, choose a centre, lockout and password reset, log out, and the phone layout.

Every page visited is screenshotted to test-results/screens/ and checked with axe-core.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"


def header_nav(page: Page):
    return page.get_by_role("navigation", name="Menu")


def expect_dashboard(page: Page, demo: Demo, first_name: str, centre: str | None = None) -> None:
    expect(page).to_have_url(f"{demo.url}/")
    expect(page).to_have_title("Home" + TITLE_SUFFIX)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {first_name}")
    if centre:
        expect(page.locator(".nhsuk-summary-list")).to_contain_text(centre)


# -- log in with an email address: one journey per kind of person ---------------------------------


def test_login_page(page: Page, demo: Demo):
    page.goto(f"{demo.url}/accounts/login/")
    expect(page).to_have_title("Log in" + TITLE_SUFFIX)
    check_page(page, "login")

    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_title("Error: Log in" + TITLE_SUFFIX)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your email address or delegate number")
    expect(summary).to_contain_text("Enter your password")
    check_page(page, "login-empty-errors")

    log_in(page, demo.url, demo.learner, "not-my-password")
    expect(page).to_have_title("Error: Log in" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("do not match our records")
    # The address is kept, so only the password needs typing again.
    expect(page.get_by_label("Email address or delegate number")).to_have_value(demo.learner)
    check_page(page, "login-wrong-password")


def test_learner_logs_in_to_the_dashboard(page: Page, demo: Demo):
    log_in(page, demo.url, demo.learner, demo.password)
    expect_dashboard(page, demo, "Oliver", demo.mpft)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Learner")
    expect(header_nav(page).get_by_role("link", name="Audit trail")).to_have_count(0)
    expect(page.get_by_text("registration awaiting approval")).to_have_count(0)
    check_page(page, "dashboard-learner")


def test_assessor_logs_in_to_the_dashboard(page: Page, demo: Demo):
    log_in(page, demo.url, demo.assessor, demo.password)
    expect_dashboard(page, demo, "Tom", demo.ltht)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Assessor")
    expect(header_nav(page).get_by_role("link", name="Audit trail")).to_have_count(0)
    check_page(page, "dashboard-assessor")


def test_educator_logs_in_to_the_dashboard(page: Page, demo: Demo):
    log_in(page, demo.url, demo.educator, demo.password)
    expect_dashboard(page, demo, "Priya", demo.ltht)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Educator / manager")
    check_page(page, "dashboard-educator")


def test_administrator_sees_registrations_awaiting_approval(page: Page, demo: Demo):
    log_in(page, demo.url, demo.administrator, demo.password)
    expect_dashboard(page, demo, "Alan", demo.ltht)
    # Task first (issue 16 item 1): the waiting registration is the first thing under "To do".
    todo = page.locator("section", has=page.get_by_role("heading", name="To do"))
    expect(todo.get_by_role("link", name="1 registration awaiting approval")).to_be_visible()
    check_page(page, "dashboard-administrator")


def test_centre_manager_opens_the_audit_trail(page: Page, demo: Demo):
    log_in(page, demo.url, demo.centre_manager, demo.password)
    expect_dashboard(page, demo, "Helen", demo.ltht)
    check_page(page, "dashboard-centre-manager")

    header_nav(page).get_by_role("link", name="Audit trail").click()
    expect(page).to_have_url(f"{demo.url}/centre/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_role("table")).to_contain_text("Helen Marsh")
    check_page(page, "audit-trail")


def test_centre_manager_unlocks_a_locked_account(page: Page, demo: Demo):
    User.objects.filter(email="tom.underwood@ltht.nhs.example").update(
        locked_at=timezone.now(), failed_login_attempts=5
    )
    log_in(page, demo.url, demo.centre_manager, demo.password)
    header_nav(page).get_by_role("link", name="Locked accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Locked accounts")
    expect(page.get_by_role("table")).to_contain_text("Tom Underwood")
    check_page(page, "locked-accounts")
    page.get_by_role("button", name="Unlock Tom Underwood").click()
    expect(page.get_by_text("Tom Underwood can log in again.")).to_be_visible()
    expect(page.get_by_text("No accounts at Leeds Teaching Hospitals NHS Trust are locked.")).to_be_visible()
    check_page(page, "locked-accounts-after-unlock")
    assert not User.objects.get(email="tom.underwood@ltht.nhs.example").is_locked


def test_platform_staff_reach_the_platform_admin(page: Page, demo: Demo):
    log_in(page, demo.url, demo.platform_staff, demo.password)
    expect_dashboard(page, demo, "Pat")
    check_page(page, "dashboard-platform-staff")

    menu_link(page, "Platform admin").click()
    expect(page).to_have_url(f"{demo.url}/admin/")
    expect(page.get_by_role("heading", name="Centres, people and the email outbox")).to_be_visible()
    check_page(page, "platform-admin")


def test_platform_admin_sends_people_who_are_not_logged_in_to_our_login_page(page: Page, demo: Demo):
    page.goto(f"{demo.url}/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    log_in(page, None, demo.platform_staff, demo.password)
    expect(page).to_have_url(f"{demo.url}/admin/")


# -- log in with a delegate number --------------------------------------------------------------


def test_login_by_delegate_number(page: Page, demo: Demo):
    from centres.models import Membership

    delegate_number = Membership.objects.get(user__email=demo.assessor).delegate_number
    log_in(page, demo.url, delegate_number.lower(), demo.password)
    expect_dashboard(page, demo, "Tom", demo.ltht)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text(delegate_number)
    check_page(page, "dashboard-by-delegate-number")


# -- several centres: choose one ----------------------------------------------------------------


def test_person_at_two_centres_chooses_one(page: Page, demo: Demo):
    log_in(page, demo.url, demo.two_centres, demo.password)
    expect(page).to_have_url(f"{demo.url}/choose-centre/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a centre")
    check_page(page, "choose-centre")

    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Choose a centre" + TITLE_SUFFIX)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select the centre you want to use")
    check_page(page, "choose-centre-errors")

    # The error summary link takes you to the first radio.
    summary.get_by_role("link", name="Select the centre you want to use").click()
    expect(page.get_by_role("radio").first).to_be_focused()

    page.get_by_role("radio", name=re.compile("Midlands Partnership")).check()
    page.get_by_role("button", name="Continue").click()
    expect_dashboard(page, demo, "Grace", demo.mpft)
    expect(page.get_by_role("link", name=re.compile("change centre", re.I))).to_be_visible()
    check_page(page, "dashboard-after-choosing-centre")

    page.get_by_role("link", name=re.compile("change centre", re.I)).click()
    expect(page).to_have_url(f"{demo.url}/choose-centre/")
    page.get_by_role("radio", name=re.compile("Leeds Teaching")).check()
    page.get_by_role("button", name="Continue").click()
    expect_dashboard(page, demo, "Grace", demo.ltht)


# -- lockout, password reset, log in again ------------------------------------------------------


def test_locked_out_then_reset_password_and_log_in(page: Page, demo: Demo):
    from notifications.models import OutboundEmail

    for attempt in range(1, 6):
        log_in(page, demo.url, demo.educator, f"wrong-password-{attempt}")
        expect(page).to_have_title("Error: Log in" + TITLE_SUFFIX)
    # Issue 11, finding 7: the page never confirms that an account exists or is locked; the
    # owner is emailed how to unlock it.
    assert OutboundEmail.objects.filter(to=[demo.educator], template="centres/emails/account_locked").exists()

    # Even the right password is refused while locked, with the same answer.
    log_in(page, demo.url, demo.educator, demo.password)
    expect(page).to_have_title("Error: Log in" + TITLE_SUFFIX)

    page.goto(f"{demo.url}/accounts/locked/")
    expect(page.get_by_role("heading", level=1)).to_have_text("If your account is locked")
    check_page(page, "locked")
    page.get_by_role("link", name="Reset your password").click()
    expect(page).to_have_url(f"{demo.url}/accounts/password/reset/")
    check_page(page, "password-reset")

    page.get_by_role("button", name="Send reset link").click()
    expect(page).to_have_title("Error: Reset your password" + TITLE_SUFFIX)
    check_page(page, "password-reset-errors")

    page.get_by_label("Email address", exact=True).fill(demo.educator)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_page(page, "password-reset-done")

    email = next(email for email in OutboundEmail.objects.order_by("-created_at") if demo.educator in email.to)
    links = re.findall(r"https?://\S+/accounts/password/reset/key/\S+", email.text_body)
    assert links, email.text_body
    assert links[0].startswith(demo.url), f"reset link {links[0]} does not point at this site"
    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check_page(page, "password-reset-new-password")

    page.get_by_role("button", name="Save new password").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_page(page, "password-reset-new-password-errors")

    new_password = "kettle-ward-rota-blue"
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password", exact=True).fill(new_password)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    check_page(page, "password-reset-complete")

    expect(page.locator(".nhsuk-notification-banner")).to_have_count(0)  # the heading says it once
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    log_in(page, None, demo.educator, new_password)
    expect_dashboard(page, demo, "Priya", demo.ltht)


# -- log out -----------------------------------------------------------------------------------


def test_logout(page: Page, demo: Demo):
    log_in(page, demo.url, demo.assessor, demo.password)
    expect_dashboard(page, demo, "Tom", demo.ltht)

    page.get_by_role("link", name="Log out").click()
    expect(page).to_have_url(f"{demo.url}/accounts/logout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log out")
    check_page(page, "logout-confirm")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("link", name="Log out")).to_have_count(0)
    check_page(page, "after-logout")

    # The dashboard now asks for a login again.
    page.goto(f"{demo.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


# -- error page ---------------------------------------------------------------------------------


def test_page_not_found(page: Page, demo: Demo):
    log_in(page, demo.url, demo.learner, demo.password)
    response = page.goto(f"{demo.url}/no-such-page/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "404")


# -- phone width --------------------------------------------------------------------------------


def test_login_and_dashboard_on_a_phone(phone_page: Page, demo: Demo):
    page = phone_page
    page.goto(f"{demo.url}/accounts/login/")
    check_page(page, "phone-login")
    assert_no_sideways_scroll(page)

    log_in(page, demo.url, demo.centre_manager, demo.password)
    expect_dashboard(page, demo, "Helen", demo.ltht)
    check_page(page, "phone-dashboard-centre-manager")
    assert_no_sideways_scroll(page)

    page.goto(f"{demo.url}/centre/audit/")
    check_page(page, "phone-audit-trail")
    assert_no_sideways_scroll(page)


def test_choose_centre_on_a_phone(phone_page: Page, demo: Demo):
    page = phone_page
    log_in(page, demo.url, demo.two_centres, demo.password)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Choose a centre" + TITLE_SUFFIX)
    check_page(page, "phone-choose-centre-errors")
    assert_no_sideways_scroll(page)


def assert_no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide on a {widths[1]}px screen"


# -- change password ----------------------------------------------------------------------------


def test_change_password(page: Page, demo: Demo):
    log_in(page, demo.url, demo.learner, demo.password)
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check_page(page, "password-change")

    page.get_by_label("Current password", exact=True).fill("not-my-password")
    page.get_by_label("New password", exact=True).fill("kettle-ward-rota-blue")
    page.get_by_label("Confirm new password", exact=True).fill("kettle-ward-rota-blue")
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_title("Error: Change your password" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    check_page(page, "password-change-errors")

    page.get_by_label("Current password", exact=True).fill(demo.password)
    page.get_by_label("New password", exact=True).fill("kettle-ward-rota-blue")
    page.get_by_label("Confirm new password", exact=True).fill("kettle-ward-rota-blue")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".nhsuk-notification-banner")).to_be_visible()
    check_page(page, "password-change-done")
