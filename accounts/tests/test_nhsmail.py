"""NHSmail sign-in (issue 14, seed 001, ADR 0034) end to end against a real OpenID Connect
provider process (tests/oidc_provider.py): our login POST, the provider's authorize form, its
token and userinfo endpoints called by allauth, our callback. Nothing of ours is patched."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.nhsmail import nhsmail_login_url
from centres.models import AuditEvent
from centres.roles import Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.test_security_defaults import policy_of

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")
NHSMAIL_LOGIN = "/accounts/oidc/nhsmail/login/"


def logged_in_user_id(client):
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def nothing_written(before: dict) -> bool:
    return before == counts()


def counts() -> dict:
    return {
        "users": User.objects.count(),
        "social": SocialAccount.objects.count(),
        "addresses": EmailAddress.objects.count(),
    }


# -- signing in -----------------------------------------------------------------------------


def test_an_existing_nhs_net_account_is_linked_and_logged_in(client, nhsmail):
    user = UserFactory(email="jo.bloggs@nhs.net")
    response = nhsmail.log_in(client, "jo.bloggs@nhs.net", next_path="/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert logged_in_user_id(client) == user.pk
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("nhsmail", "jo.bloggs@nhs.net")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # a confirmed address: the password stays
    events = AuditEvent.objects.filter(target_id=str(user.public_id))
    assert events.filter(action="account.nhsmail_linked").count() == 1
    assert events.filter(action="account.login", summary="Logged in with NHSmail").count() == 1


def test_a_second_sign_in_reuses_the_link(client, nhsmail, django_assert_max_num_queries):
    user = UserFactory(email="sam.jones@nhs.net")
    nhsmail.log_in(client, "sam.jones@nhs.net")
    client.logout()
    response = nhsmail.log_in(client, "sam.jones@nhs.net")
    assert response.status_code == 302
    assert logged_in_user_id(client) == user.pk
    assert SocialAccount.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="account.nhsmail_linked").count() == 1
    assert AuditEvent.objects.filter(action="account.login", target_id=str(user.public_id)).count() == 2


def test_the_address_matches_whatever_its_case(client, nhsmail):
    user = UserFactory(email="pat.khan@nhs.net")
    nhsmail.set_claims("entra-object-id-1", {"email": "Pat.Khan@NHS.net", "given_name": "Pat"})
    nhsmail.log_in(client, "entra-object-id-1")
    assert logged_in_user_id(client) == user.pk
    assert SocialAccount.objects.get(user=user).uid == "entra-object-id-1"


def test_entra_without_an_email_claim_uses_preferred_username(client, nhsmail):
    user = UserFactory(email="alex.smith@nhs.net")
    nhsmail.set_claims("entra-object-id-2", {"preferred_username": "alex.smith@nhs.net", "name": "Alex Smith"})
    nhsmail.log_in(client, "entra-object-id-2")
    assert logged_in_user_id(client) == user.pk


def test_local_next_is_honoured_and_an_external_one_ignored(client, nhsmail):
    UserFactory(email="lee.brown@nhs.net")
    response = nhsmail.log_in(client, "lee.brown@nhs.net", next_path="https://evil.example/steal")
    assert response.status_code == 302
    assert response["Location"] == "/"
    client.logout()
    response = nhsmail.log_in(client, "lee.brown@nhs.net", next_path="//evil.example/")
    assert response["Location"] == "/"
    client.logout()
    response = nhsmail.log_in(client, "lee.brown@nhs.net", next_path="/account/")
    assert response["Location"] == "/account/"


def test_the_shared_login_url_shows_a_page_that_continues_to_nhsmail(client, nhsmail):
    """`nhsmail_login_url(next)` (the invitation flow's link) is a GET: a page with one button."""
    UserFactory(email="mo.ali@nhs.net")
    page = client.get(nhsmail_login_url("/account/"))
    assert page.status_code == 200
    assert "Continue to NHSmail" in page.content.decode()
    assert f'href="{LOGIN}?next=%2Faccount%2F"' in page.content.decode()  # or a password, same next
    # The page's form posts to the same address, next included.
    response = client.post(nhsmail_login_url("/account/"))
    response = nhsmail.sign_in(client, response, "mo.ali@nhs.net")
    assert response["Location"] == "/account/"


def test_an_unclaimed_account_is_claimed(client, nhsmail):
    """Created for the person by a centre (no password, address not confirmed): NHSmail proves
    the mailbox, so the first sign-in logs them in and confirms the address."""
    user = UserFactory(email="new.starter@nhs.net", unclaimed=True, verified_email=False)
    response = nhsmail.log_in(client, "new.starter@nhs.net", next_path="/account/")
    assert response["Location"] == "/account/"
    assert logged_in_user_id(client) == user.pk
    assert EmailAddress.objects.get(user=user).verified


def test_a_password_on_an_unconfirmed_address_is_removed(client, nhsmail):
    """Someone may have registered the address without owning it: allauth's rule."""
    user = UserFactory(email="victim@nhs.net", verified_email=False)
    nhsmail.log_in(client, "victim@nhs.net")
    assert logged_in_user_id(client) == user.pk
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified


def test_an_account_with_a_second_factor_still_needs_it(client, nhsmail):
    membership = MembershipFactory(role=Role.CENTRE_MANAGER, user__email="helen.marsh@nhs.net")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(membership.user, secret)
    response = nhsmail.log_in(client, "helen.marsh@nhs.net", next_path="/account/")
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None
    assert client.get("/account/")["Location"].startswith(LOGIN)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert logged_in_user_id(client) is None
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response["Location"] == "/account/"
    assert logged_in_user_id(client) == membership.user.pk


@override_settings(MFA_REQUIRED_FOR_PRIVILEGED=True)
def test_a_privileged_account_without_a_second_factor_must_set_one_up(client, nhsmail):
    MembershipFactory(role=Role.ADMINISTRATOR, user__email="alan.whitaker@nhs.net")
    nhsmail.log_in(client, "alan.whitaker@nhs.net")
    assert client.get("/account/")["Location"] == reverse("mfa_activate_totp")


# -- refusals: a clear page, nobody logged in, nothing written ------------------------------


def test_a_non_nhs_net_identity_is_refused_and_nothing_written(client, nhsmail):
    UserFactory(email="someone@gmail.com")  # even when an account has that address
    before = counts()
    response = nhsmail.log_in(client, "someone@gmail.com")
    content = response.content.decode()
    assert response.status_code == 403
    assert "Only @nhs.net addresses can log in with NHSmail" in content
    assert f'href="{LOGIN}"' in content
    assert logged_in_user_id(client) is None
    assert nothing_written(before)


def test_an_address_the_provider_says_is_unverified_is_refused(client, nhsmail):
    UserFactory(email="claimed@nhs.net")
    nhsmail.set_claims("entra-object-id-3", {"email": "claimed@nhs.net", "email_verified": False})
    before = counts()
    response = nhsmail.log_in(client, "entra-object-id-3")
    assert response.status_code == 403
    assert "Only @nhs.net addresses can log in with NHSmail" in response.content.decode()
    assert logged_in_user_id(client) is None
    assert nothing_written(before)


def test_an_nhs_net_address_without_an_account_is_told_to_ask_for_an_invitation(client, nhsmail):
    before = counts()
    response = nhsmail.log_in(client, "not.invited@nhs.net")
    content = response.content.decode()
    assert response.status_code == 403
    assert "There is no account for this NHSmail address" in content
    assert "account authoriser at your site to invite you" in content
    assert logged_in_user_id(client) is None
    assert nothing_written(before)
    assert not User.objects.filter(email="not.invited@nhs.net").exists()
    assert AuditEvent.objects.filter(action="account.login_failed").count() == 1


@pytest.mark.parametrize(
    ("change", "heading"),
    [({"locked_at": timezone.now()}, "Your account is locked"), ({"is_active": False}, "This account is inactive")],
)
def test_a_locked_or_inactive_account_is_refused(client, nhsmail, change, heading):
    user = UserFactory(email="blocked@nhs.net")
    User.objects.filter(pk=user.pk).update(**change)
    before = counts()
    response = nhsmail.log_in(client, "blocked@nhs.net")
    assert response.status_code == 403
    assert heading in response.content.decode()
    assert logged_in_user_id(client) is None
    assert nothing_written(before)
    failed = AuditEvent.objects.get(action="account.login_failed", target_id=str(user.public_id))
    assert "NHSmail" in failed.summary


def test_a_linked_account_locked_later_is_refused(client, nhsmail):
    user = UserFactory(email="linked@nhs.net")
    nhsmail.log_in(client, "linked@nhs.net")
    client.logout()
    User.objects.filter(pk=user.pk).update(locked_at=timezone.now())
    response = nhsmail.log_in(client, "linked@nhs.net")
    assert response.status_code == 403
    assert logged_in_user_id(client) is None


def test_a_tampered_state_is_refused_without_logging_in(client, nhsmail):
    UserFactory(email="state@nhs.net")
    start = nhsmail.start(client)
    callback = nhsmail.authorize(start["Location"], "state@nhs.net")
    response = client.get(callback.replace("state=", "state=x"))
    assert response.status_code == 401
    assert "You could not log in with NHSmail" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_connect_process_from_a_tampered_form_only_logs_in(client, nhsmail, login_as):
    """allauth's "connect" process would attach the identity to whoever is logged in."""
    someone_else = UserFactory()
    owner = UserFactory(email="owner@nhs.net")
    login_as(someone_else)
    start = client.post(NHSMAIL_LOGIN, {"process": "connect"})
    nhsmail.sign_in(client, start, "owner@nhs.net")
    assert not SocialAccount.objects.filter(user=someone_else).exists()
    assert logged_in_user_id(client) == owner.pk


# -- the login page, configured or not --------------------------------------------------------


def test_the_login_page_offers_nhsmail_when_configured(client, nhsmail):
    response = client.get(f"{LOGIN}?next=/account/")
    content = response.content.decode()
    assert "Log in with NHSmail" in content
    assert "For @nhs.net email addresses only." in content
    assert "Log in with a password" in content
    assert f'action="{NHSMAIL_LOGIN}"' in content
    assert 'name="next" value="/account/"' in content
    # The button's POST is answered with a redirect to the provider: form-action allows it.
    assert policy_of(response)["form-action"] == {"'self'", nhsmail.url}


def test_unconfigured_nhsmail_is_hidden_and_its_url_is_a_clear_404(client):
    content = client.get(LOGIN).content.decode()
    assert "NHSmail" not in content
    assert "Log in with a password" not in content  # the page stays as it was
    for method in (client.get, client.post):
        response = method(NHSMAIL_LOGIN)
        assert response.status_code == 404
        assert "Logging in with NHSmail is not available" in response.content.decode()
    assert client.get(f"{NHSMAIL_LOGIN}callback/?code=x&state=y").status_code == 404
    assert policy_of(client.get(LOGIN))["form-action"] == {"'self'"}


def test_a_cancelled_sign_in_says_so(client, nhsmail):
    response = client.get(reverse("socialaccount_login_cancelled"))
    assert response.status_code == 200
    assert "You did not log in with NHSmail" in response.content.decode()


def test_the_admin_shows_links_but_never_provider_apps_or_tokens(client, nhsmail):
    assert SocialApp not in admin.site._registry  # configured from the environment only
    assert SocialToken not in admin.site._registry
    UserFactory(email="linked.person@nhs.net")
    nhsmail.log_in(client, "linked.person@nhs.net")
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_socialaccount"))
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    page = client.get("/admin/socialaccount/socialaccount/")
    assert page.status_code == 200
    assert "linked.person@nhs.net" in page.content.decode()
    assert client.get("/admin/socialaccount/socialaccount/add/").status_code == 403
