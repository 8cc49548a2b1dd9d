"""R1: joining a register with an allow-listed email domain."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from centres.models import AuditEvent, Membership, RoleAssignment, WelcomeLink
from centres.roles import Permission, Role
from notifications.models import OutboundEmail
from referrals.tests.factories import register_build, register_person
from referrals.views import signup as signup_views
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    trust, council = CentreFactory(name="Midlands Partnership Trust"), CentreFactory(name="Stoke Council")
    register = register_build(
        name="Staffs DSR",
        slug="staffs-dsr",
        centres=[trust, council],
        domains={trust: ["mpft.nhs.uk"], council: ["stoke.gov.uk"]},
        support_email="dsr.support@icb.nhs.example",
        introduction="The register for Staffordshire.",
    )
    return {"register": register, "trust": trust, "council": council}


def _join(client, data, slug="staffs-dsr"):
    return client.post(reverse("referrals:signup", kwargs={"register_slug": slug}), data)


PERSON = {"first_name": "Ada", "last_name": "Lovelace", "email": "Ada.Lovelace@MPFT.nhs.uk"}


def test_page_shows_the_register_and_asks_name_and_email(client, world):
    response = client.get(reverse("referrals:signup", kwargs={"register_slug": "staffs-dsr"}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Join Staffs DSR" in text
    assert "The register for Staffordshire." in text
    for name in ("first_name", "last_name", "email"):
        assert f'name="{name}"' in text


def test_unknown_register_is_404(client, world):
    assert client.get(reverse("referrals:signup", kwargs={"register_slug": "nope"})).status_code == 404


def test_allow_listed_domain_gets_an_account_role_and_set_password_link(client, world):
    response = _join(client, PERSON)
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:signup_done", kwargs={"register_slug": "staffs-dsr"})

    user = User.objects.get(email="ada.lovelace@mpft.nhs.uk")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert membership.centre == world["trust"]
    assert membership.status == "active"
    grant = RoleAssignment.objects.get(user=user)
    assert (grant.role, grant.centre, grant.granted_by) == (Role.REFERRER, world["trust"], None)
    assert user.has_perm(Permission.REFER.value, world["trust"])
    assert WelcomeLink.objects.filter(membership=membership, used_at__isnull=True).count() == 1
    emails = list(OutboundEmail.objects.all())
    assert [email.template for email in emails] == ["centres/emails/welcome"]
    assert emails[0].to == ["ada.lovelace@mpft.nhs.uk"]
    # It names the register they joined, and no delegate number (issue 16 item 12).
    assert emails[0].subject == "Set your password for Staffs DSR"
    assert "You asked for an account to use Staffs DSR at" in emails[0].text_body
    assert "delegate number" not in emails[0].text_body
    signup = AuditEvent.objects.get(action="register.signup")
    assert signup.centre == world["trust"]
    assert "new account" in signup.summary


def test_the_email_never_contains_a_password(client, world):
    _join(client, PERSON)
    email = OutboundEmail.objects.get()
    assert "/welcome/" in email.text_body  # a set-password link, not a password
    assert "You asked for an account" in email.text_body  # not "an administrator has registered you"
    assert "administrator has registered" not in email.html_body


def test_domain_of_the_second_organisation_joins_there(client, world):
    _join(client, {**PERSON, "email": "clerk@stoke.gov.uk"})
    assert RoleAssignment.objects.get(user__email="clerk@stoke.gov.uk").centre == world["council"]


@pytest.mark.parametrize(
    "email",
    ["ada@gmail.com", "ada@evil-mpft.nhs.uk", "ada@mpft.nhs.uk.evil.com", "ada@sub.mpft.nhs.uk"],
)
def test_other_domains_are_told_who_to_email_and_nothing_is_written(client, world, email):
    response = _join(client, {**PERSON, "email": email})
    assert response.status_code == 200
    text = response.content.decode()
    assert "not on the list" in text
    assert "dsr.support@icb.nhs.example" in text
    assert not User.objects.filter(email=email).exists()
    assert not OutboundEmail.objects.exists()
    assert not AuditEvent.objects.exists()


def test_existing_account_sees_the_same_page_and_gets_a_log_in_email(client, world):
    existing = UserFactory(email="ada.lovelace@mpft.nhs.uk", first_name="Ada")
    new_response = _join(client, {**PERSON, "email": "new.person@mpft.nhs.uk"})
    existing_response = _join(client, PERSON)
    assert existing_response.status_code == new_response.status_code == 302
    assert existing_response["Location"] == new_response["Location"]
    email = OutboundEmail.objects.get(to=["ada.lovelace@mpft.nhs.uk"])
    assert email.template == "referrals/emails/signup_existing"
    assert "/accounts/password/reset/" in email.text_body
    # Finding 1: anyone can type an address, so nothing is attached to the account; its
    # owner joins by accepting the emailed link while logged in.
    assert not Membership.objects.filter(user=existing).exists()
    assert not RoleAssignment.objects.filter(user=existing).exists()
    assert User.objects.filter(email__iexact="ada.lovelace@mpft.nhs.uk").count() == 1


def _accept_link(address):
    email = OutboundEmail.objects.get(to=[address], template="referrals/emails/signup_existing")
    return re.search(r"https?://[^/\s]+(/dsr/join/\S+/accept/\S+/)", email.text_body).group(1)


def test_the_owner_joins_by_accepting_the_emailed_link(client, login_as, world):
    existing = MembershipFactory(user__email="ada.lovelace@mpft.nhs.uk").user
    _join(client, PERSON)
    link = _accept_link("ada.lovelace@mpft.nhs.uk")
    # Anyone else (logged in as someone else, or not at all) gets nothing from the link.
    assert client.get(link).status_code == 302  # to the login page
    login_as(MembershipFactory().user)
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert not Membership.objects.filter(user=existing, centre=world["trust"]).exists()
    # A link altered to name another organisation is refused.
    assert client.get(link.replace("/accept/", "/accept/x")).status_code == 404

    login_as(existing)
    page = client.get(link)
    assert page.status_code == 200
    assert "Midlands Partnership Trust" in page.content.decode()
    assert client.post(link).status_code == 302
    membership = Membership.objects.get(user=existing, centre=world["trust"])
    assert membership.accepted_at is not None
    assert RoleAssignment.objects.get(user=existing, centre=world["trust"]).role == Role.REFERRER
    assert AuditEvent.objects.filter(action="register.signup_accepted", actor=existing).exists()


def test_existing_register_user_keeps_their_role_and_gets_only_an_email(client, world):
    admin = register_person(centre=world["trust"], role=Role.DSR_ADMIN, user__email="boss@mpft.nhs.uk")
    _join(client, {**PERSON, "email": "boss@mpft.nhs.uk"})
    roles = set(RoleAssignment.objects.filter(user=admin, revoked_at__isnull=True).values_list("role", flat=True))
    assert roles == {Role.DSR_ADMIN}
    assert OutboundEmail.objects.filter(to=["boss@mpft.nhs.uk"], template="referrals/emails/signup_existing").exists()


def test_joining_again_with_an_unclaimed_account_changes_nothing(client, world):
    _join(client, PERSON)
    _join(client, PERSON)
    user = User.objects.get(email="ada.lovelace@mpft.nhs.uk")
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert OutboundEmail.objects.filter(template="centres/emails/welcome").count() == 1
    assert OutboundEmail.objects.filter(template="referrals/emails/signup_existing").count() == 1
    links = WelcomeLink.objects.filter(membership__user=user)
    assert links.count() == 1
    assert links.filter(expires_at__gt=timezone.now()).count() == 1  # the first link still works


def test_platform_staff_are_never_given_a_register_role(client, world):
    UserFactory(email="staff@mpft.nhs.uk", platform_staff=True)
    _join(client, {**PERSON, "email": "staff@mpft.nhs.uk"})
    assert not RoleAssignment.objects.filter(user__email="staff@mpft.nhs.uk").exists()


def test_deactivated_record_gets_no_role(client, world):
    membership = MembershipFactory(centre=world["trust"], user__email="gone@mpft.nhs.uk", inactive=True)
    _join(client, {**PERSON, "email": "gone@mpft.nhs.uk"})
    assert not RoleAssignment.objects.filter(user=membership.user).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**PERSON, "email": "not-an-email"}, "Enter an email address in the correct format"),
        ({**PERSON, "first_name": ""}, "Enter your first name"),
        ({**PERSON, "last_name": ""}, "Enter your last name"),
        ({"first_name": "A", "last_name": "B"}, "Enter your email address"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(client, world, data, message):
    response = _join(client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not User.objects.exists()


def test_signup_is_rate_limited_per_address(client, world, monkeypatch):
    monkeypatch.setattr(signup_views, "SIGNUP_RATE_LIMIT", 2)
    assert _join(client, {**PERSON, "email": "one@mpft.nhs.uk"}).status_code == 302
    assert _join(client, {**PERSON, "email": "two@mpft.nhs.uk"}).status_code == 302
    assert _join(client, {**PERSON, "email": "three@mpft.nhs.uk"}).status_code == 429
    assert not User.objects.filter(email="three@mpft.nhs.uk").exists()


def test_done_page_says_check_your_email(client, world):
    response = client.get(reverse("referrals:signup_done", kwargs={"register_slug": "staffs-dsr"}))
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()


def test_new_referrer_can_set_a_password_log_in_and_open_the_register(client, world):
    _join(client, PERSON)
    link = WelcomeLink.objects.get()
    # The token is only in the email: read it back from there.
    body = OutboundEmail.objects.get().text_body
    token = body.split("/welcome/")[1].split("/")[0].strip()
    assert link.token_hash
    response = client.post(
        reverse("welcome", kwargs={"token": token}),
        {"password1": "a long enough passphrase 42", "password2": "a long enough passphrase 42"},
    )
    assert response.status_code == 302
    logged_in = client.post(
        reverse("account_login"), {"login": "ada.lovelace@mpft.nhs.uk", "password": "a long enough passphrase 42"}
    )
    assert logged_in.status_code == 302
    home = client.get(reverse("referrals:home"), follow=True)
    assert home.status_code == 200
    assert "Staffs DSR" in home.content.decode()
    assert AuditEvent.objects.filter(action="register.login", centre=world["trust"]).exists()


def test_account_pages_work_for_a_register_user(client, login_as, world, settings):
    """Change password, forgotten password, logout and inactivity logout are the platform's
    (allauth + SESSION_IDLE_MINUTES); a register user gets them like everyone else."""
    user = register_person(centre=world["trust"], role=Role.REFERRER, user__email="ref@mpft.nhs.uk")
    user.set_password("an old long passphrase 1")
    user.save()
    login_as(user, world["trust"])
    assert client.get(reverse("referrals:home")).status_code == 200
    changed = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "an old long passphrase 1",
            "password1": "a new long passphrase 22",
            "password2": "a new long passphrase 22",
        },
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a new long passphrase 22")
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("referrals:home")).status_code == 302  # logged out: to the login page
    assert client.get(reverse("account_reset_password")).status_code == 200
    client.post(reverse("account_reset_password"), {"email": "ref@mpft.nhs.uk"})
    assert OutboundEmail.objects.filter(to=["ref@mpft.nhs.uk"]).exists()
    # Inactivity logout: the session lasts SESSION_IDLE_MINUTES and an active one is renewed (at
    # most once a minute, tests/test_session_refresh.py).
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert "core.session_refresh.SessionRefreshMiddleware" in settings.MIDDLEWARE
