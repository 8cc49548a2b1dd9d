"""C5 and C9: login by email or delegate number, lockout after 5 wrong passwords, unlock."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.views import LOCKED_PAGE_RATE_LIMIT
from centres.models import AuditEvent
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")


def post_login(client, login, password):
    return client.post(LOGIN, {"login": login, "password": password})


def test_login_with_email_any_case(client):
    user = UserFactory(email="grace.okafor@ltht.nhs.example")
    response = post_login(client, "Grace.Okafor@LTHT.nhs.example", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_with_delegate_number_any_case(client):
    membership = MembershipFactory()
    response = post_login(client, membership.delegate_number.lower(), PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == membership.user.pk


def test_wrong_password_shows_error_summary_and_error_title(client):
    UserFactory(email="a@x.nhs.example")
    response = post_login(client, "a@x.nhs.example", "not-the-password")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Log in" in content
    assert "nhsuk-error-summary" in content
    assert "do not match our records" in content
    assert "_auth_user_id" not in client.session


def test_unknown_delegate_number_is_refused_without_500(client):
    response = post_login(client, "ZZ999999", PASSWORD)
    assert response.status_code == 200
    assert "do not match our records" in response.content.decode()


def test_empty_form_says_what_to_enter(client):
    response = client.post(LOGIN, {"login": "", "password": ""})
    content = response.content.decode()
    assert "Enter your email address or delegate number" in content
    assert "Enter your password" in content


def test_five_wrong_passwords_lock_the_account(client):
    user = UserFactory()
    for attempt in range(4):
        response = post_login(client, user.email, f"wrong-{attempt}")
        assert response.status_code == 200
    response = post_login(client, user.email, "wrong-5")
    # Finding 7: the page answers as for any wrong password (it never confirms an account);
    # the owner is emailed how to unlock it.
    assert response.status_code == 200
    assert "do not match our records" in response.content.decode()
    user.refresh_from_db()
    assert user.is_locked
    assert AuditEvent.objects.filter(action="account.locked", target_id=str(user.public_id)).count() == 1
    told = OutboundEmail.objects.get(to=[user.email], template="centres/emails/account_locked")
    assert "/accounts/password/reset/" in told.text_body
    # Even the right password is refused now, with the same answer.
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "do not match our records" in response.content.decode()
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("account_locked"))
    assert "If your account is locked" in page.content.decode()
    assert reverse("account_reset_password") in page.content.decode()


def test_a_locked_account_answers_exactly_like_an_unknown_address(client):
    """Finding 7: no response tells a locked account from one that does not exist."""
    user = UserFactory()
    for attempt in range(5):
        post_login(client, user.email, f"wrong-{attempt}")
    locked = post_login(client, user.email, PASSWORD)
    unknown = post_login(client, "nobody.here@trust.nhs.example", PASSWORD)
    assert locked.status_code == unknown.status_code == 200

    def page(response, address):
        text = response.content.decode().replace(address, "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(locked, user.email) == page(unknown, "nobody.here@trust.nhs.example")


def test_the_locked_page_is_rate_limited(client):
    for _ in range(LOCKED_PAGE_RATE_LIMIT):
        assert client.get(reverse("account_locked")).status_code == 200
    assert client.get(reverse("account_locked")).status_code == 429


def test_lockout_counts_delegate_number_attempts_too(client):
    membership = MembershipFactory()
    for attempt in range(5):
        response = post_login(client, membership.delegate_number, f"wrong-{attempt}")
    assert "do not match our records" in response.content.decode()
    membership.user.refresh_from_db()
    assert membership.user.is_locked


def test_successful_login_resets_the_failure_count(client):
    user = UserFactory()
    for attempt in range(4):
        post_login(client, user.email, f"wrong-{attempt}")
    post_login(client, user.email, PASSWORD)
    user.refresh_from_db()
    assert user.failed_login_attempts == 0
    assert not user.is_locked


def test_password_reset_unlocks_the_account(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    for attempt in range(5):
        post_login(client, user.email, f"wrong-{attempt}")
    user.refresh_from_db()
    assert user.is_locked

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    email = OutboundEmail.objects.get(to=[user.email], subject__startswith="Reset your password")
    assert len(mail.outbox) == 1  # delivered through the outbox task
    assert mail.outbox[0].to == [user.email]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", email.text_body).group(1)

    response = client.get(link)  # allauth stores the key in the session and redirects
    form_url = response["Location"]
    response = client.post(form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_locked
    assert user.failed_login_attempts == 0
    assert AuditEvent.objects.filter(action="account.unlocked", target_id=str(user.public_id)).exists()
    # Finding 1: the reset is audited and the address is told.
    assert AuditEvent.objects.filter(action="account.password_reset", target_id=str(user.public_id)).exists()
    assert OutboundEmail.objects.filter(to=[user.email], template="centres/emails/password_changed").exists()
    assert post_login(client, user.email, "a-brand-new-passphrase").status_code == 302
    # The link worked once only.
    response = client.get(link, follow=True)
    assert "This reset link is not valid" in response.content.decode()


def test_centre_manager_unlock_service_clears_lock_and_audits():
    user = UserFactory()
    manager = UserFactory()
    for _ in range(5):
        services.user_record_failed_login(user=user)
    user.refresh_from_db()
    assert user.is_locked
    services.user_unlock(user=user, unlocked_by=manager, reason="unlocked by centre manager")
    user.refresh_from_db()
    assert not user.is_locked
    event = AuditEvent.objects.get(action="account.unlocked")
    assert event.actor == manager


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "at least 10 characters"),
        ("password123", "too common"),
        ("x" * 129, "128 characters or fewer"),
    ],
)
def test_password_rules(client, password, message):
    user = UserFactory()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    assert message in response.content.decode()


def test_password_similar_to_email_is_refused(client):
    user = UserFactory(email="margaret.thistlewood@trust.nhs.example")
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "margaret.thistlewood", "password2": "margaret.thistlewood"},
    )
    assert "too similar" in response.content.decode()


def test_long_passphrase_with_any_characters_is_accepted(client):
    user = UserFactory()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    passphrase = "café ☕ on the ward at 3am — still smiling!"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": passphrase, "password2": passphrase}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(passphrase)
    # Finding 1: a password change is audited and the account's address is told.
    assert AuditEvent.objects.filter(action="account.password_changed", target_id=str(user.public_id)).exists()
    told = OutboundEmail.objects.get(to=[user.email], template="centres/emails/password_changed")
    assert "changed" in told.subject


def test_session_expires_after_inactivity_setting(settings, client):
    user = UserFactory()
    post_login(client, user.email, PASSWORD)
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60
    # Extended while the person is active, at most once a minute (tests/test_session_refresh.py).
    assert "core.session_refresh.SessionRefreshMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize(
    ("url_name", "data", "messages"),
    [
        ("account_reset_password", {"email": ""}, ["Enter the email address you log in with"]),
        ("account_reset_password", {"email": "not-an-email"}, ["Enter an email address in the correct format"]),
        (
            "account_change_password",
            {"oldpassword": "", "password1": "", "password2": ""},
            ["Enter your current password", "Enter a new password", "Enter the new password again"],
        ),
        (
            "account_change_password",
            {"oldpassword": "wrong-password-here", "password1": "a-fine-passphrase", "password2": "a-fine-passphrase"},
            ["Your current password is not correct"],
        ),
        (
            "account_change_password",
            {"oldpassword": "correct-horse-battery", "password1": "a-fine-passphrase", "password2": "another-one"},
            ["The passwords do not match"],
        ),
    ],
)
def test_password_forms_say_what_to_do(client, url_name, data, messages):
    user = UserFactory()
    if url_name == "account_change_password":
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.post(reverse(url_name), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    for message in messages:
        assert message in content
    assert "This field is required" not in content


def test_password_change_returns_home_with_a_message(client):
    user = UserFactory()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    data = {"oldpassword": PASSWORD, "password1": "a-fine-new-passphrase", "password2": "a-fine-new-passphrase"}
    response = client.post(reverse("account_change_password"), data, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "password has been changed" in response.content.decode().lower()


def test_many_failed_logins_from_one_address_are_throttled(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for index in range(3):
        post_login(client, f"nobody{index}@x.nhs.example", "wrong-password")
    content = post_login(client, "nobody9@x.nhs.example", "wrong-password").content.decode()
    assert "too many attempts to log in. Wait a few minutes" in content


def test_too_many_reset_requests_give_the_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "2/m/ip"}
    for index in range(2):
        assert client.post(reverse("account_reset_password"), {"email": f"a{index}@x.nhs.example"}).status_code == 302
    response = client.post(reverse("account_reset_password"), {"email": "a9@x.nhs.example"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many attempts" in content
    assert "Wait a few minutes" in content
