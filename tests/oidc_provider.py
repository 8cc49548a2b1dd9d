"""A real OpenID Connect provider for the NHSmail sign-in tests (issue 14, ADR 0034).

`oidc_provider` starts the `oidc-provider-mock` server (a Flask/authlib provider: discovery,
authorize form, token, userinfo, JWKS) in its own process on a free port, once per test run.
`nhsmail` points the settings at it for one test (allauth reads SOCIALACCOUNT_PROVIDERS on
every request, so override_settings is all it needs; the CSP form-action gets the provider's
origin as base.py would give it) and offers the steps of a sign-in:

    response = nhsmail.start(client, next_path="/")     # our login POST -> provider's authorize URL
    response = nhsmail.sign_in(client, response, "jo.bloggs@nhs.net")  # provider form -> our callback

The provider's authorize form has one field, `sub`; a subject it does not know gets the claims
{"email": sub}. `set_claims(sub, {...})` stores other claims first (PUT /users/<sub>).
"""

import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.test import override_settings

from config.settings.nhsmail import form_action_with, nhsmail_providers

CLIENT_ID = "platform-test-client"
CLIENT_SECRET = "platform-test-secret"
START_TIMEOUT_SECONDS = 60  # a loaded 2-core machine takes a while to import Flask and authlib


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    url: str

    def set_claims(self, sub: str, claims: dict) -> None:
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()


@pytest.fixture(scope="session")
def oidc_provider():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"oidc-provider-mock exited with {process.returncode}")
            try:
                if requests.get(f"{url}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"oidc-provider-mock did not answer at {url} within {START_TIMEOUT_SECONDS} s")
            time.sleep(0.2)
        yield Provider(url=url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def nhsmail_settings(server_url: str) -> dict:
    """The settings base.py derives from NHSMAIL_OIDC_* for this provider."""
    policy = settings.CONTENT_SECURITY_POLICY
    directives = dict(policy["DIRECTIVES"])
    directives["form-action"] = form_action_with(directives["form-action"], server_url=server_url, configured=True)
    return {
        "NHSMAIL_OIDC_SERVER_URL": server_url,
        "NHSMAIL_OIDC_CLIENT_ID": CLIENT_ID,
        "NHSMAIL_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "SOCIALACCOUNT_PROVIDERS": nhsmail_providers(
            server_url=server_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
        ),
        "CONTENT_SECURITY_POLICY": {**policy, "DIRECTIVES": directives},
    }


@dataclass
class NHSmail:
    provider: Provider

    @property
    def url(self) -> str:
        return self.provider.url

    def set_claims(self, sub: str, claims: dict) -> None:
        self.provider.set_claims(sub, claims)

    def start(self, client, next_path: str | None = None):
        """Press "Log in with NHSmail": our POST, answered with a redirect to the provider."""
        data = {"next": next_path} if next_path is not None else {}
        return client.post("/accounts/oidc/nhsmail/login/", data)

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Submit the provider's authorize form as `sub`; returns our callback URL it sends back."""
        assert authorize_url.startswith(f"{self.url}/oauth2/authorize?"), authorize_url
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def sign_in(self, client, start_response, sub: str):
        """The rest of a sign-in after `start`: the provider's form, then our callback."""
        assert start_response.status_code == 302, start_response.content[:500]
        callback = urlsplit(self.authorize(start_response["Location"], sub))
        return client.get(f"{callback.path}?{callback.query}")

    def log_in(self, client, sub: str, next_path: str | None = None):
        return self.sign_in(client, self.start(client, next_path), sub)


@pytest.fixture
def nhsmail(oidc_provider):
    """NHSmail configured against the local provider for this test."""
    with override_settings(**nhsmail_settings(oidc_provider.url)):
        yield NHSmail(provider=oidc_provider)
