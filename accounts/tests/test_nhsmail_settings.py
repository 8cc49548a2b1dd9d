"""NHSmail settings (ADR 0034): the three environment values make allauth's `nhsmail` app and
widen form-action only when all are set; which claim is the sign-in address."""

import pytest
from django.test import override_settings

from accounts.nhsmail import PROVIDER_ID, is_nhsmail_address, nhsmail_configured
from accounts.nhsmail_adapter import asserted_address
from config.settings.nhsmail import NHSMAIL_PROVIDER_ID, form_action_with, nhsmail_providers

ENTRA = "https://login.microsoftonline.com/tenant-id/v2.0"


def test_the_provider_is_made_only_when_all_three_values_are_set():
    assert nhsmail_providers(server_url=ENTRA, client_id="id", client_secret="") == {}
    assert nhsmail_providers(server_url="", client_id="id", client_secret="secret") == {}
    (app,) = nhsmail_providers(server_url=ENTRA, client_id="id", client_secret="secret")["openid_connect"]["APPS"]
    assert app["provider_id"] == PROVIDER_ID == NHSMAIL_PROVIDER_ID
    assert app["settings"]["server_url"] == ENTRA
    assert app["settings"]["email_authentication"] is True


def test_form_action_gets_the_provider_origin_only_when_configured():
    assert form_action_with(["'self'"], server_url=ENTRA, configured=True) == [
        "'self'",
        "https://login.microsoftonline.com",
    ]
    assert form_action_with(["'self'"], server_url=ENTRA, configured=False) == ["'self'"]


@pytest.mark.parametrize(
    ("values", "configured"),
    [((ENTRA, "id", "secret"), True), ((ENTRA, "id", ""), False), (("", "", ""), False)],
)
def test_nhsmail_configured(values, configured):
    names = ("NHSMAIL_OIDC_SERVER_URL", "NHSMAIL_OIDC_CLIENT_ID", "NHSMAIL_OIDC_CLIENT_SECRET")
    with override_settings(**dict(zip(names, values, strict=True))):
        assert nhsmail_configured() is configured


@pytest.mark.parametrize(
    ("extra_data", "address"),
    [
        ({"userinfo": {"email": "Jo.Bloggs@NHS.net"}}, "jo.bloggs@nhs.net"),
        ({"id_token": {"preferred_username": "jo@nhs.net"}, "userinfo": {"sub": "x"}}, "jo@nhs.net"),
        ({"id_token": {"upn": "jo@nhs.net", "preferred_username": "Jo Bloggs"}}, "jo@nhs.net"),
        ({"userinfo": {"email": "jo@nhs.net", "email_verified": False}}, ""),
        ({"userinfo": {"name": "Jo Bloggs"}}, ""),
    ],
)
def test_the_asserted_address(extra_data, address):
    assert asserted_address(extra_data) == address


def test_only_nhs_net_is_an_nhsmail_address():
    assert is_nhsmail_address(" Jo@NHS.NET ")
    assert not is_nhsmail_address("jo@nhs.net.evil.example")
    assert not is_nhsmail_address("jo@mft.nhs.uk")
