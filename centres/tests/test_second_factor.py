"""Issue 11 finding 5 (ADR 0018): a second factor for privileged people, optional for others,
reset by a centre manager or platform staff, every step audited.

On the old code none of this existed: /accounts/2fa/ was 404 and a centre manager went
straight to every page after the password alone."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, hotp_value
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from centres.models import AuditEvent
from centres.roles import Role
from centres.second_factor import PRIVILEGED_ROLES, second_factor_missing, user_is_privileged
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
REQUIRED = override_settings(MFA_REQUIRED_FOR_PRIVILEGED=True)
SET_UP = reverse("mfa_activate_totp")


def current_code(secret: str, offset: int = 0) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def log_in(client, membership, secret=None):
    """Through the login form, as people do (allauth then knows the password was just given,
    so the set-up page does not ask for it again); with the app's code when `secret`."""
    response = client.post(reverse("account_login"), {"login": membership.user.email, "password": PASSWORD})
    assert response.status_code == 302
    if secret:
        assert response["Location"] == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
        assert response.status_code == 302
    session = client.session
    session["centre_id"] = membership.centre.pk
    session.save()


def add_totp(user) -> str:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    return secret


@pytest.mark.parametrize("role", [None, *Role])
def test_who_is_privileged(role):
    membership = MembershipFactory(role=role)
    assert user_is_privileged(membership.user) is (role in PRIVILEGED_ROLES)
    assert user_is_privileged(UserFactory(is_staff=True))


def test_a_revoked_role_is_not_privileged():
    from centres.models import RoleAssignment

    membership = MembershipFactory(role=Role.ADMINISTRATOR)
    RoleAssignment.objects.filter(user=membership.user).update(revoked_at="2026-01-01T00:00Z")
    assert not user_is_privileged(membership.user)


@REQUIRED
@pytest.mark.parametrize("role", sorted(PRIVILEGED_ROLES))
def test_privileged_person_without_a_second_factor_reaches_only_the_set_up_page(client, role):
    membership = MembershipFactory(role=role)
    log_in(client, membership)
    for path in ["/", reverse("centres:audit_trail"), "/dsr/", reverse("my_account:details"), "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SET_UP
    # A write elsewhere is refused the same way, before the view runs.
    assert client.post(reverse("my_account:details"), {"first_name": "X"})["Location"] == SET_UP
    page = client.get(SET_UP)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Your roles need two-factor authentication" in content
    assert "<title>Set up your authenticator app" in content
    assert client.get(reverse("account_logout")).status_code == 200


@REQUIRED
def test_platform_staff_are_sent_to_set_up_too(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert client.get("/admin/")["Location"] == SET_UP


@REQUIRED
def test_set_up_with_a_code_from_the_app_then_every_page_opens_and_it_is_audited(
    client, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(role=Role.CENTRE_MANAGER)
    log_in(client, membership)
    page = client.get(SET_UP)  # each visit makes a new key
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # the key to type when the QR code cannot be scanned

    wrong = client.post(SET_UP, {"code": "000000" if current_code(secret) != "000000" else "111111"})
    assert "The code is not correct" in wrong.content.decode()
    assert "<title>Error: Set up your authenticator app" in wrong.content.decode()
    empty = client.post(SET_UP, {"code": ""})
    assert "Enter the 6-digit code from your authenticator app" in empty.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        response = client.post(SET_UP, {"code": current_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=membership.user).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "Your recovery codes" in codes_page
    assert client.get(reverse("centres:audit_trail")).status_code == 200
    assert AuditEvent.objects.filter(
        action="account.second_factor_added", target_id=str(membership.user.public_id)
    ).exists()
    assert not second_factor_missing(membership.user)


@REQUIRED
def test_privileged_person_cannot_turn_it_off(client):
    membership = MembershipFactory(role=Role.ADMINISTRATOR)
    log_in(client, membership, secret=add_totp(membership.user))
    page = client.get(reverse("mfa_index")).content.decode()
    assert "cannot be turned off" in page
    response = client.post(reverse("mfa_deactivate_totp"))
    assert "Your roles need two-factor authentication, so you cannot turn it off" in response.content.decode()
    assert Authenticator.objects.filter(user=membership.user).exists()


@REQUIRED
def test_others_are_not_asked_but_may_set_it_up_and_turn_it_off(client, django_capture_on_commit_callbacks):
    membership = MembershipFactory()  # a learner
    log_in(client, membership)
    assert client.get("/").status_code == 200
    assert reverse("mfa_index") in client.get(reverse("my_account:details")).content.decode()
    assert "You have not set up two-factor authentication" in client.get(reverse("mfa_index")).content.decode()
    add_totp(membership.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=membership.user, type="totp").exists()
    assert AuditEvent.objects.filter(action="account.second_factor_removed").exists()


def test_with_the_setting_off_a_privileged_login_goes_straight_in(client):
    membership = MembershipFactory(role=Role.CENTRE_MANAGER)
    response = client.post(reverse("account_login"), {"login": membership.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@REQUIRED
def test_login_asks_for_the_code_once_set_up_and_wrong_codes_are_audited(client):
    membership = MembershipFactory(role=Role.DSR_ADMIN)
    secret = add_totp(membership.user)
    response = client.post(reverse("account_login"), {"login": membership.user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone does not log in
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "<title>Enter your security code" in page
    response = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert "The code is not correct" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="account.second_factor_failed", target_id=str(membership.user.public_id)
    ).exists()
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == membership.user.pk
    assert AuditEvent.objects.filter(action="account.login", target_id=str(membership.user.public_id)).exists()


def test_failed_logins_are_audited_for_every_account(client):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password"})
    events = AuditEvent.objects.filter(action="account.login_failed").order_by("at")
    assert [event.target_id for event in events] == [str(user.public_id), ""]
    assert "nobody@example.org" not in events[1].summary
    # A locked account's attempts are failed logins too, although the password is not checked.
    User.objects.filter(pk=user.pk).update(locked_at="2026-01-01T00:00Z")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert AuditEvent.objects.filter(action="account.login_failed").latest("at").summary == (
        "Failed login: account locked"
    )


# -- recovery -------------------------------------------------------------------------------


def reset_url(membership):
    return reverse("centres:second_factor_reset", kwargs={"membership_id": membership.public_id})


def test_centre_manager_resets_a_person_of_their_centre(client, login_as):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    person = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    add_totp(person.user)
    login_as(manager.user, centre)
    detail = client.get(reverse("centres:delegate_detail", kwargs={"membership_id": person.public_id}))
    assert reset_url(person) in detail.content.decode()
    assert "Reset two-factor authentication" in client.get(reset_url(person)).content.decode()
    response = client.post(reset_url(person))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person.user).exists()
    event = AuditEvent.objects.get(action="account.second_factor_reset")
    assert (event.actor, event.centre, event.target_id) == (manager.user, centre, str(person.user.public_id))
    email = OutboundEmail.objects.get(template="centres/emails/second_factor_reset")
    assert email.to == [person.user.email]
    assert f"a centre manager at {centre.name}" in email.text_body


@pytest.mark.parametrize("case", ["self", "platform_staff", "other_centre", "not_set_up"])
def test_centre_manager_cannot_reset_accounts_that_are_not_wholly_their_centres(client, login_as, case):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    if case == "self":
        person = manager
    else:
        person = MembershipFactory(centre=centre, user=UserFactory(is_staff=case == "platform_staff"))
    if case == "other_centre":
        MembershipFactory(user=person.user, role=Role.DSR_REPORTING)  # a reporting user elsewhere
    if case != "not_set_up":
        add_totp(person.user)
    login_as(manager.user, centre)
    client.post(reset_url(person))
    assert Authenticator.objects.filter(user=person.user).exists() is (case != "not_set_up")
    assert not AuditEvent.objects.filter(action="account.second_factor_reset").exists()


def test_only_centre_managers_may_reset(client, login_as):
    centre = CentreFactory()
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    person = MembershipFactory(centre=centre)
    add_totp(person.user)
    login_as(administrator.user, centre)
    assert client.post(reset_url(person)).status_code == 403
    assert Authenticator.objects.filter(user=person.user).exists()


def test_another_centres_person_is_404(client, login_as):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    elsewhere = MembershipFactory()
    add_totp(elsewhere.user)
    login_as(manager.user, centre)
    assert client.post(reset_url(elsewhere)).status_code == 404
    assert Authenticator.objects.filter(user=elsewhere.user).exists()


def test_platform_staff_reset_in_the_admin_is_audited(client):
    staff = User.objects.create_superuser("staff@platform.nhs.example", PASSWORD, first_name="P", last_name="S")
    person = UserFactory()
    add_totp(person)
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [person.pk]},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action="account.second_factor_reset")
    assert (event.actor, event.centre) == (staff, None)
    email = OutboundEmail.objects.get(template="centres/emails/second_factor_reset")
    assert email.to == [person.email]
    assert "(the platform team) has reset" in email.text_body


def test_the_admin_never_shows_or_edits_authenticator_secrets(client):
    staff = User.objects.create_superuser("staff@platform.nhs.example", PASSWORD, first_name="P", last_name="S")
    person = UserFactory()
    secret = add_totp(person)
    authenticator = Authenticator.objects.get(user=person)
    client.force_login(staff)
    listing = client.get(reverse("admin:mfa_authenticator_changelist"))
    assert listing.status_code == 200
    page = client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))
    assert secret not in page.content.decode()
    client.post(reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"})
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
