"""Audit the account events that `accounts` announces (it cannot import the audit trail)."""

from allauth.account.signals import user_logged_in
from allauth.mfa import signals as mfa_signals
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.signals import account_locked, account_unlocked, second_factor_reset
from centres.audit import audit_record
from notifications.services import email_send


@receiver(account_locked)
def audit_account_locked(sender, user, request=None, reason="", **kwargs):
    audit_record(
        actor=user, action="account.locked", target=user, summary=f"Account locked after {reason}", request=request
    )


@receiver(account_unlocked)
def audit_account_unlocked(sender, user, request=None, reason="", unlocked_by=None, centre=None, **kwargs):
    audit_record(
        actor=unlocked_by or user,
        centre=centre,
        action="account.unlocked",
        target=user,
        summary=f"Account unlocked: {reason}",
        request=request,
    )


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="account.login", target=user, summary="Logged in", request=request)


@receiver(user_login_failed, dispatch_uid="centres_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, reason="", **kwargs):
    """Every failed login: a wrong password, an unknown account (without the address typed) or
    a locked account (`reason` from our adapter). The register's own audit counts them too."""
    login = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    user = User.objects.filter(email__iexact=login).first() if login else None
    if user is None:
        summary = "Failed login: no account with that email or number"
    else:
        summary = f"Failed login: {reason or 'wrong password'}"
    audit_record(actor=None, action="account.login_failed", target=user, summary=summary, request=request)


# -- second factor (allauth.mfa, ADR 0018) ---------------------------------------------------

_AUTHENTICATOR_NAMES = {"totp": "authenticator app", "recovery_codes": "recovery codes", "webauthn": "security key"}


def _authenticator_name(authenticator) -> str:
    return _AUTHENTICATOR_NAMES.get(authenticator.type, authenticator.type)


@receiver(mfa_signals.authenticator_added, dispatch_uid="centres_audit_mfa_added")
def audit_second_factor_added(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action="account.second_factor_added",
        target=user,
        summary=f"Set up two-factor authentication ({_authenticator_name(authenticator)})",
        request=request,
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="centres_audit_mfa_removed")
def audit_second_factor_removed(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action="account.second_factor_removed",
        target=user,
        summary=f"Turned off two-factor authentication ({_authenticator_name(authenticator)})",
        request=request,
    )


@receiver(mfa_signals.authenticator_reset, dispatch_uid="centres_audit_mfa_codes")
def audit_recovery_codes_generated(sender, request, user, authenticator, **kwargs):
    audit_record(
        actor=user,
        action="account.recovery_codes_generated",
        target=user,
        summary="Created new recovery codes (the old ones no longer work)",
        request=request,
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="centres_audit_mfa_failed")
def audit_second_factor_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    audit_record(
        actor=None,
        action="account.second_factor_failed",
        target=user,
        summary="Wrong two-factor code" + (" when confirming it was them" if reauthentication else " at login"),
        request=request,
    )


@receiver(second_factor_reset, dispatch_uid="centres_audit_mfa_reset")
def audit_second_factor_reset(sender, user, reset_by, request=None, reason="", centre=None, **kwargs):
    """Audited, and the person is told (someone else removed a safeguard on their account)."""
    email_send(
        to=[user.email],
        template="centres/emails/second_factor_reset",
        context={
            "user": user,
            "reset_by": reset_by,
            "centre": centre,
            "login_url": settings.SITE_URL + reverse("account_login"),
        },
        centre=centre,
    )
    audit_record(
        actor=reset_by,
        centre=centre,
        action="account.second_factor_reset",
        target=user,
        summary=f"Two-factor authentication of {user.get_full_name()} reset: {reason}",
        request=request,
    )
