"""allauth's social account adapter for NHSmail sign-in (issue 14, seed 001, ADR 0034).

The OpenID Connect provider `nhsmail` (Microsoft Entra ID) asserts who someone is; this adapter
decides whether that lets them in:
- only an @nhs.net address the provider asserts (`email`, else `preferred_username` or `upn`;
  an explicit `email_verified: false` asserts nothing) is accepted; anything else gets a page
  saying so and nothing is written;
- only an existing account: the one already linked to this NHSmail identity, else the one with
  that address (allauth's email authentication, then auto-connect links it). No sign-up: an
  unknown address is told to ask their site's account authoriser for an invitation;
- a locked or inactive account is refused, as the password login refuses it (audited);
- an account with no password yet (created for the person by a centre) is claimed: NHSmail has
  proved the mailbox, so the address counts as confirmed. A password someone set on an address
  that was never confirmed is wiped first (allauth's rule: they may not be its owner).
The login itself then runs allauth's stages (a second factor when the account has one), and is
audited like a password login (`user_logged_in`).
"""

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

from accounts import services
from accounts.nhsmail import is_nhsmail_address

# Where Entra ID puts the sign-in address, in order of preference.
ADDRESS_CLAIMS = ("email", "preferred_username", "upn")

REFUSED_TEMPLATE = "accounts/nhsmail_refused.html"
REFUSAL_HEADINGS = {
    "not_nhsmail": "Only @nhs.net addresses can log in with NHSmail",
    "no_account": "There is no account for this NHSmail address",
    "locked": "Your account is locked",
    "inactive": "This account is inactive",
}
# What the audit trail says (the failed-login event).
REFUSAL_REASONS = {
    "not_nhsmail": "NHSmail: not an @nhs.net address",
    "no_account": "NHSmail: no account with that address",
    "locked": "NHSmail: account locked",
    "inactive": "NHSmail: account inactive",
}


def asserted_address(extra_data: dict) -> str:
    """The sign-in address the provider asserts (lower case), or "" when it asserts none."""
    claims = {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    if not claims:
        claims = extra_data  # allauth < 65.11 kept the claims at the top level
    if claims.get("email_verified") is False:
        return ""
    for name in ADDRESS_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return ""


class NHSmailAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False  # accounts come from centres and invitations, never from a provider

    def populate_user(self, request, sociallogin, data):
        """Offer allauth exactly one address to look the account up by: the asserted one,
        confirmed only when it is an @nhs.net address (NHSmail owns that domain)."""
        user = super().populate_user(request, sociallogin, data)  # never saved: no sign-up
        address = asserted_address(sociallogin.account.extra_data)
        sociallogin.email_addresses = (
            [EmailAddress(email=address, verified=is_nhsmail_address(address), primary=True)] if address else []
        )
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        # NHSmail is the only provider; any other app that appeared would get the same rules.
        address = asserted_address(sociallogin.account.extra_data)
        if not (address and is_nhsmail_address(address)):
            self._refuse(request, "not_nhsmail", address=address)
        if not sociallogin.is_existing:
            self._refuse(request, "no_account", address=address)
        user = sociallogin.user
        if user.is_locked:
            self._refuse(request, "locked", address=address, user=user)
        if not user.is_active:
            self._refuse(request, "inactive", address=address, user=user)
        # Signing in is the only thing this provider does here: no "connect" or "redirect"
        # processes from a tampered form.
        sociallogin.state["process"] = AuthProcess.LOGIN
        if not sociallogin.account.pk:
            # The first NHSmail sign-in to this account (found by its address): claim it.
            services.user_nhsmail_claim(user=user, email=address, request=request)

    def _refuse(self, request, reason: str, *, address: str, user=None):
        user_login_failed.send(
            sender=__name__,
            credentials={"email": user.email if user is not None else address},
            request=request,
            reason=REFUSAL_REASONS[reason],
        )
        context = {"reason": reason, "heading": REFUSAL_HEADINGS[reason], "address": address}
        raise ImmediateHttpResponse(render(request, REFUSED_TEMPLATE, context, status=403))
