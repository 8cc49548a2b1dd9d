"""NHSmail sign-in settings (issue 14, ADR 0034): the three environment values become allauth's
OpenID Connect app `nhsmail`, and the provider's origin joins the CSP form-action (the login
button's POST is answered with a redirect to the provider, which Chromium checks against
form-action). Used by base.py and by the tests that point the settings at a local provider."""

from urllib.parse import urlsplit

NHSMAIL_PROVIDER_ID = "nhsmail"


def nhsmail_providers(*, server_url: str, client_id: str, client_secret: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS for NHSmail, or {} unless all three values are set."""
    if not (server_url and client_id and client_secret):
        return {}
    app = {
        "provider_id": NHSMAIL_PROVIDER_ID,
        "name": "NHSmail",
        "client_id": client_id,
        "secret": client_secret,
        "settings": {
            # The Entra ID tenant's issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0
            # (never /common/: only NHSmail's own tenant may assert @nhs.net addresses).
            "server_url": server_url,
            # An existing account with the same address is signed in (and linked) when the
            # provider asserts it; accounts.nhsmail_adapter decides which addresses count.
            "email_authentication": True,
            "oauth_pkce_enabled": True,
        },
    }
    return {"openid_connect": {"APPS": [app]}}


def url_origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def form_action_with(form_action: list, *, server_url: str, configured: bool) -> list:
    """form-action sources with the provider's origin added when NHSmail is configured."""
    origin = url_origin(server_url) if configured else ""
    return [*form_action, origin] if origin and origin not in form_action else list(form_action)
