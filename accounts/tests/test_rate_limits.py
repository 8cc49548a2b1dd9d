"""Issue 11 finding 6: allauth's login limits key on the real client address behind the
proxy (TRUSTED_PROXIES, the one trusted-proxy setting), and on the account.

On the old code every request through the proxy counted against the proxy's own address, so
one attacker's wrong passwords locked everyone out of logging in."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")
PROXY = "10.0.0.5"
TOO_MANY = "too many attempts to log in"


def post_from(client, client_address, login, password):
    return client.post(
        LOGIN,
        {"login": login, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{client_address}, {PROXY}" if client_address else "",
    )


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_one_address_hammering_is_limited_but_another_address_behind_the_proxy_is_not(client):
    user = UserFactory(email="helen.marsh@ltht.nhs.example")
    attacker = "203.0.113.66"
    # Wrong passwords for many different (unknown) accounts from one address: the per-address
    # limit (10 a minute) stops it on the 11th.
    for attempt in range(10):
        response = post_from(client, attacker, f"nobody{attempt}@example.org", "wrong-password")
        assert TOO_MANY not in response.content.decode()
    response = post_from(client, attacker, "nobody-else@example.org", "wrong-password")
    assert TOO_MANY in response.content.decode()
    # The attacker cannot log in from that address even with a right password now.
    assert "_auth_user_id" not in client.session

    # Someone else behind the same proxy is not affected.
    response = post_from(client, "198.51.100.7", user.email, PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@override_settings(TRUSTED_PROXIES=[PROXY], ACCOUNT_LOCKOUT_ATTEMPTS=100)
def test_wrong_passwords_for_one_account_are_limited_per_account_across_addresses(client):
    """The per-account limit (5 in 5 minutes) holds even when each guess comes from a new
    address (and even with the lockout raised out of the way)."""
    user = UserFactory()
    for attempt in range(5):
        response = post_from(client, f"192.0.2.{attempt + 1}", user.email, f"wrong-{attempt}")
        assert TOO_MANY not in response.content.decode()
    response = post_from(client, "192.0.2.99", user.email, "wrong-again")
    assert TOO_MANY in response.content.decode()


def test_forwarded_for_from_an_untrusted_address_is_ignored(client):
    """Without TRUSTED_PROXIES a client cannot pick a new address per request to dodge the
    limit by sending its own X-Forwarded-For."""
    for attempt in range(10):
        client.post(
            LOGIN,
            {"login": f"nobody{attempt}@example.org", "password": "x"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )
    response = client.post(
        LOGIN,
        {"login": "nobody@example.org", "password": "x"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert TOO_MANY in response.content.decode()
