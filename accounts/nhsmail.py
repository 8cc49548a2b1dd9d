"""NHSmail sign-in (seed 001, issue 14): where other code asks whether it is on and where it
starts. NHSmail is Microsoft Entra ID; allauth's OpenID Connect provider talks to it with the
provider id `nhsmail`, configured from the environment (`NHSMAIL_OIDC_SERVER_URL`,
`NHSMAIL_OIDC_CLIENT_ID`, `NHSMAIL_OIDC_CLIENT_SECRET`). With any of them unset the button is
hidden and the sign-in URL refuses.
"""

from urllib.parse import urlencode

from django.conf import settings

PROVIDER_ID = "nhsmail"
NHSMAIL_DOMAIN = "nhs.net"


def nhsmail_configured() -> bool:
    return bool(
        getattr(settings, "NHSMAIL_OIDC_SERVER_URL", "")
        and getattr(settings, "NHSMAIL_OIDC_CLIENT_ID", "")
        and getattr(settings, "NHSMAIL_OIDC_CLIENT_SECRET", "")
    )


def nhsmail_login_url(next_path: str = "") -> str:
    """The path that starts an NHSmail sign-in and comes back to `next_path` (a local path)."""
    path = f"/accounts/oidc/{PROVIDER_ID}/login/"
    return f"{path}?{urlencode({'next': next_path})}" if next_path else path


def is_nhsmail_address(email: str) -> bool:
    return email.strip().lower().rpartition("@")[2] == NHSMAIL_DOMAIN
