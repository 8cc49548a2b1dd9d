"""Issue 11 finding 8: passwords based on the person's name or email, the service's name, or a
common word with a year or symbols added are refused, with a message that says what to do,
wherever a password is set. On the old code every "refused" password below was accepted
(Django's similarity check let "Megan Price1" and "meganprice" through, and its common list
holds "password" but not "Password2026")."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from centres.services.welcome import welcome_link_send
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, CentreFactory, MembershipFactory, UserFactory

MEGAN = {"email": "megan.price@ltht.nhs.example", "first_name": "Megan", "last_name": "Price"}
NAME = "based on your name or email address"
SERVICE = "based on the name of this service"
COMMON = "common word with numbers or symbols added"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Megan Price1", NAME),
        ("meganprice", NAME),
        ("M3gan.Pr1ce!", NAME),
        ("pricemegan2026", NAME),
        ("megan.price@ltht", NAME),
        ("Summer2026!", COMMON),
        ("Password2026", COMMON),
        ("P@ssw0rd2026", COMMON),
        ("2026Welcome!", COMMON),
        ("January2027", COMMON),
        ("Liverpool1892", COMMON),
        ("Platform2026!", SERVICE),
        ("NHSlearning1", SERVICE),
        ("LearningSupport", SERVICE),
    ],
)
def test_guessable_passwords_are_refused_with_a_reason(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password, User(**MEGAN))
    assert any(message in text for text in error.value.messages), error.value.messages
    assert any("Use 3 random words instead" in text for text in error.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        "correct-horse-battery",
        "river lamp orange",
        "Megan-loves-walking-dogs",  # her name, but with plenty more
        "summer-holiday-in-whitby",
        "demo-passport-2026",  # the README's demo password
        "café ☕ on the ward at 3am — still smiling!",
    ],
)
def test_three_random_words_and_long_passphrases_are_accepted(password):
    validate_password(password, User(**MEGAN))


def test_names_are_only_checked_when_the_person_is_known():
    validate_password("Megan Price1", None)  # no person: nothing to compare with (other rules apply)


@pytest.mark.django_db
def test_change_password_refuses_own_name(client):
    user = UserFactory(**MEGAN)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Megan Price1", "password2": "Megan Price1"},
    )
    assert NAME in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_welcome_link_refuses_own_name_and_season_passwords():
    centre = CentreFactory()
    membership = MembershipFactory(centre=centre, user=UserFactory(unclaimed=True, **MEGAN))
    welcome_link_send(membership=membership, sent_by=None)
    email = OutboundEmail.objects.get(template="centres/emails/welcome")
    token = re.search(r"/welcome/([^/\s]+)/", email.text_body).group(1)
    url = reverse("welcome", kwargs={"token": token})
    visitor = Client()
    for password, message in [("meganprice", NAME), ("Summer2026!", COMMON)]:
        response = visitor.post(url, {"password1": password, "password2": password})
        assert response.status_code == 400
        assert message in response.content.decode()
    membership.user.refresh_from_db()
    assert not membership.user.has_usable_password()


@pytest.mark.django_db
def test_self_registration_refuses_the_name_typed_on_the_form(client):
    centre = CentreFactory(code="LTHT")
    data = {
        "first_name": "Tara",
        "last_name": "Underhill",
        "email": "tara.underhill@trust.nhs.example",
        "job_group": "1",
        "has_prn": "no",
        "password1": "TaraUnderhill2026",
        "password2": "TaraUnderhill2026",
        "terms": "on",
    }
    response = client.post(reverse("register", kwargs={"code": centre.code}), data)
    assert NAME in response.content.decode()
    assert not User.objects.filter(email="tara.underhill@trust.nhs.example").exists()
