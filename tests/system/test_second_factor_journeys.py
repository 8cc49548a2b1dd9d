"""Issue 11 finding 5 in a real browser (ADR 0018): with MFA_REQUIRED_FOR_PRIVILEGED on, a
privileged login is sent to set up an authenticator app, sets it up with a code worked out
from the key on the page, and reaches the dashboard; the next login asks for a code. With
it off (the local demo), the README's demo logins go straight in. A centre manager resets
someone's second factor. Every page here gets the axe check."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import override_settings
from playwright.sync_api import Page, expect

from accounts.models import User
from centres.models import AuditEvent
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]
TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"


def code_for(secret: str, step: int = 0) -> str:
    """What an authenticator app shows now (`step` 1: the next 30 seconds, still accepted)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@override_settings(MFA_REQUIRED_FOR_PRIVILEGED=True)
def test_privileged_login_sets_up_a_second_factor_then_needs_it(page: Page, demo: Demo):
    log_in(page, demo.url, demo.centre_manager, demo.password)
    expect(page).to_have_url(f"{demo.url}/accounts/2fa/totp/activate/")
    expect(page).to_have_title("Set up your authenticator app" + TITLE_SUFFIX)
    expect(page.get_by_text("Your roles need two-factor authentication.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    check_page(page, "mfa-set-up")

    # Every other page sends her back here until it is done.
    page.goto(f"{demo.url}/centre/audit/")
    expect(page).to_have_url(f"{demo.url}/accounts/2fa/totp/activate/")

    page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page).to_have_title("Error: Set up your authenticator app" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the 6-digit code from your authenticator app")
    check_page(page, "mfa-set-up-error")

    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page).to_have_title("Your recovery codes" + TITLE_SUFFIX)
    expect(page.get_by_text("Your authenticator app is set up.")).to_be_visible()
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    check_page(page, "mfa-recovery-codes")

    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Helen")
    page.goto(f"{demo.url}/centre/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    helen = User.objects.get(email=demo.centre_manager)
    assert AuditEvent.objects.filter(action="account.second_factor_added", target_id=str(helen.public_id)).exists()

    page.goto(f"{demo.url}/accounts/2fa/")
    expect(page).to_have_title("Two-factor authentication" + TITLE_SUFFIX)
    expect(page.get_by_text("cannot be turned off")).to_be_visible()
    check_page(page, "mfa-index")

    # The next login asks for the code after the password.
    page.goto(f"{demo.url}/accounts/logout/")
    page.get_by_role("button", name="Log out").click()
    log_in(page, demo.url, demo.centre_manager, demo.password)
    expect(page).to_have_title("Enter your security code" + TITLE_SUFFIX)
    check_page(page, "mfa-authenticate")
    page.get_by_label("Code from your authenticator app or a recovery code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The code is not correct")
    check_page(page, "mfa-authenticate-error")
    # The code used for set-up cannot be used twice, so type the next one (apps show it soon).
    page.get_by_label("Code from your authenticator app or a recovery code").fill(code_for(secret, step=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Helen")


def test_with_the_setting_off_the_demo_logins_go_straight_in(page: Page, demo: Demo):
    for login, first_name in [(demo.centre_manager, "Helen"), (demo.dsr_admin, "Lucy")]:
        page.context.clear_cookies()
        log_in(page, demo.url, login, demo.password)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {first_name}")
    # Still optional for anyone, from My account.
    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_text("You have not set up two-factor authentication.")).to_be_visible()
    check_page(page, "mfa-index-not-set-up")


def test_centre_manager_resets_a_lost_second_factor(page: Page, demo: Demo):
    alan = User.objects.get(email=demo.administrator)
    TOTP.activate(alan, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    log_in(page, demo.url, demo.centre_manager, demo.password)
    membership = alan.memberships.get()
    page.goto(f"{demo.url}/centre/delegates/{membership.public_id}/")
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    page.get_by_role("link", name="reset Alan Whitaker's two-factor authentication").click()
    expect(page).to_have_title("Reset two-factor authentication" + TITLE_SUFFIX)
    check_page(page, "mfa-reset")
    page.get_by_role("button", name="Reset two-factor authentication").click()
    expect(page.get_by_text("Alan Whitaker's two-factor authentication is reset.")).to_be_visible()
    assert not Authenticator.objects.filter(user=alan).exists()
    assert AuditEvent.objects.filter(action="account.second_factor_reset", target_id=str(alan.public_id)).exists()


def test_a_learner_may_turn_it_on_renew_codes_and_turn_it_off(page: Page, demo: Demo):
    log_in(page, demo.url, demo.learner, demo.password)
    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page).to_have_title("Two-factor authentication" + TITLE_SUFFIX)
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_text("Your roles need two-factor authentication.")).to_have_count(0)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(code_for(secret))
    page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page).to_have_title("Your recovery codes" + TITLE_SUFFIX)

    page.goto(f"{demo.url}/accounts/2fa/")
    page.get_by_role("link", name="Create new recovery codes").click()
    expect(page).to_have_title("Create new recovery codes" + TITLE_SUFFIX)
    check_page(page, "mfa-generate-codes")
    page.get_by_role("button", name="Create new recovery codes").click()
    expect(page.get_by_text("Your recovery codes are ready.")).to_be_visible()

    page.goto(f"{demo.url}/accounts/2fa/")
    page.get_by_role("link", name="Turn off two-factor authentication").click()
    expect(page).to_have_title("Turn off two-factor authentication" + TITLE_SUFFIX)
    check_page(page, "mfa-turn-off")
    page.get_by_role("button", name="Turn off two-factor authentication").click()
    expect(page.get_by_text("Two-factor authentication is turned off.")).to_be_visible()
    expect(page.get_by_text("You have not set up two-factor authentication.")).to_be_visible()
