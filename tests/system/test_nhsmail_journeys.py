"""NHSmail sign-in (issue 14, seed 001, ADR 0034) in a real browser against a real OpenID
Connect provider process (tests/oidc_provider.py): the login page's "Log in with NHSmail" posts
to us, is redirected to the provider (the CSP form-action allows its origin; a refusal would
fail the test), the provider's form signs in, and the provider sends the browser back. Our
pages get the axe check and screenshots at desktop (1280) and phone (390) width."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.nhsmail import nhsmail_login_url
from centres.models import AuditEvent
from tests.factories import MembershipFactory
from tests.system.conftest import check_page

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]
TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"


def sign_in_at_provider(page: Page, nhsmail, sub: str) -> None:
    """The provider's own authorize page (not ours: no axe check or screenshot)."""
    page.wait_for_url(f"{nhsmail.url}/oauth2/authorize?**")
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_nhs_net_user_logs_in_with_nhsmail(page: Page, phone_page: Page, live_server, nhsmail, width):
    page = phone_page if width == "phone" else page
    membership = MembershipFactory(user__email="jo.bloggs@nhs.net", user__first_name="Jo")
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page).to_have_title("Log in" + TITLE_SUFFIX)
    expect(page.get_by_role("heading", name="Log in with NHSmail")).to_be_visible()
    expect(page.get_by_role("heading", name="Log in with a password")).to_be_visible()
    check_page(page, f"nhsmail-login-page-{width}")

    page.get_by_role("button", name="Log in with NHSmail").click()
    sign_in_at_provider(page, nhsmail, "jo.bloggs@nhs.net")

    page.wait_for_url(f"{live_server.url}/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Jo")
    check_page(page, f"nhsmail-logged-in-{width}")
    user = membership.user
    assert SocialAccount.objects.filter(user=user, provider="nhsmail").count() == 1
    assert AuditEvent.objects.filter(
        action="account.login", summary="Logged in with NHSmail", target_id=str(user.public_id)
    ).exists()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_gmail_identity_is_refused(page: Page, phone_page: Page, live_server, nhsmail, width):
    page = phone_page if width == "phone" else page
    users_before = User.objects.count()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Log in with NHSmail").click()
    sign_in_at_provider(page, nhsmail, "someone@gmail.com")

    page.wait_for_url(f"{live_server.url}/**")
    heading = "Only @nhs.net addresses can log in with NHSmail"
    expect(page).to_have_title(heading + TITLE_SUFFIX)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, f"nhsmail-refused-{width}")
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()

    page.get_by_role("link", name="log in with a password").click()
    expect(page.get_by_label("Email address or delegate number")).to_be_visible()


def test_the_invitation_link_continues_to_nhsmail_and_back(page: Page, live_server, nhsmail):
    """`nhsmail_login_url(next)` (what the invitation flow sends people to) is a page with one
    button; after NHSmail the person lands on `next`. An unknown address is told to ask for an
    invitation."""
    MembershipFactory(user__email="sam.jones@nhs.net", user__first_name="Sam")
    page.goto(live_server.url + nhsmail_login_url("/account/"))
    expect(page).to_have_title("Log in with NHSmail" + TITLE_SUFFIX)
    check_page(page, "nhsmail-continue")
    page.get_by_role("button", name="Continue to NHSmail").click()
    sign_in_at_provider(page, nhsmail, "sam.jones@nhs.net")
    page.wait_for_url(f"{live_server.url}/account/")

    page.context.clear_cookies()
    page.goto(live_server.url + nhsmail_login_url("/account/"))
    page.get_by_role("button", name="Continue to NHSmail").click()
    sign_in_at_provider(page, nhsmail, "not.invited@nhs.net")
    page.wait_for_url(f"{live_server.url}/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("There is no account for this NHSmail address")
    check_page(page, "nhsmail-no-account")


def test_without_the_provider_in_form_action_chromium_refuses_the_redirect(
    page: Page, live_server, nhsmail, csp_violations
):
    """Why base.py adds the provider's origin to form-action: the button's POST is answered
    with a redirect to the provider, and Chromium checks form-action on the redirect too."""
    policy = settings.CONTENT_SECURITY_POLICY
    self_only = {**policy, "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=self_only):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("button", name="Log in with NHSmail").click()
        page.wait_for_timeout(1000)
        assert not page.url.startswith(nhsmail.url)
    assert any("form-action" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()  # seen: this test expected it
